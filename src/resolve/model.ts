import { diagnostic, type FixEdits } from '../diagnostics/diagnostic.js';
import { closest, didYouMean } from '../diagnostics/suggest.js';
import { flowYaml, optionFix, replaceFix } from '../fix/option-edits.js';
import { fixOrNote } from '../fix/fix-or-note.js';
import { moveBeforeFix } from '../fix/reorder-edits.js';
import { idRole, modelRole } from '../fix/rename-edits.js';
import type { Args, InitialWeight, InputIR, LayerIR, MappingLayout, LintSettings, ModelIR, OutputIR, Ref, Span, Value } from '../ir.js';
import { isMapping, pointerOf, spanAt, type Data, type PathSegment } from '../parse/parse-spec.js';
import { checkIdentifier, idBase, idGenerator } from './ids.js';
import { readInitialWeights } from './initial-weights.js';
import { interpolateAt } from './interpolate.js';
import { lintSettings } from './lint-settings.js';
import { itemLayout } from './item-layout.js';
import { mappingLayout } from './mapping-layout.js';
import { resolveShapeDims } from './dims.js';
import { canonicalTransposeArgs, spatialOffsets } from './tf-nn-forms.js';
import { chainText, expandLayers, IterationNotes, iterationNotes, type Iteration } from './repeat.js';
import { rejected, resolveValue, type ResolveContext, type Scope } from './values.js';

/** Layers that read several tensors: without `from` they would read one. */
const mergeTypes = new Set(['concatenate', 'add', 'multiply', 'subtract', 'average', 'maximum', 'minimum']);

/** Options that are layer wiring, not layer arguments. */
const wiring = new Set(['type', 'id', 'name', 'from', 'weights', 'lint']);

/**
 * Options that cannot change any shape. When one of these is rejected by
 * validation, the layer's shapes are still checked; any other rejected option
 * (a misspelled `strides`, say) would make every later shape a guess.
 */
function shapeNeutral(option: string): boolean {
  return /(Initializer|Regularizer|Constraint)$/.test(option) || ['activation', 'useBias', 'trainable', 'dtype', 'momentum', 'epsilon', 'center', 'scale', 'interpolation', 'alpha', 'maxValue', 'rate', 'seed', 'stddev'].includes(option);
}

/** A layer before ids and `from` are settled. */
interface PendingLayer {
  readonly type: string;
  readonly lint?: LintSettings;
  readonly initialWeights?: readonly InitialWeight[];
  readonly id?: Ref;
  readonly from?: readonly Ref[];
  readonly args: Args;
  readonly argSpans: Record<string, Span>;
  readonly span: Span;
  readonly typeSpan: Span;
  readonly mapping?: MappingLayout;
  readonly axisOffsets?: Readonly<Record<string, number>>;
}

function resolveInput(ctx: ResolveContext, id: string, raw: unknown, path: readonly PathSegment[], scope: Scope, inputsLayout: MappingLayout | undefined): InputIR | undefined {
  const span = spanAt(ctx.spec, path, 'key');
  checkIdentifier(ctx, id, span, 'input id', 'tfjs', { role: idRole(String(path[1])) });
  if (rejected(ctx, pointerOf(path))) return undefined;
  const long = !Array.isArray(raw) ? (raw as Data) : undefined;
  const shape = resolveShapeDims(ctx, long ? long['shape'] : raw, long ? [...path, 'shape'] : path, scope);
  const batchSize = long?.['batchSize'] === undefined ? null : resolveValue(ctx, long['batchSize'], [...path, 'batchSize'], scope);
  if (shape === undefined || batchSize === undefined) return undefined;
  const shapeSpan = spanAt(ctx.spec, long ? [...path, 'shape'] : path);
  const removal = inputsLayout?.entries.find((e) => e.key === id)?.removal;
  return { id, shape, batchSize: batchSize as number | null, dtype: (long?.['dtype'] as InputIR['dtype'] | undefined) ?? 'float32', span, shapeSpan, ...(removal ? { removal } : {}) };
}

/** The ids `from` names, each with its `{expr}` parts evaluated; undefined after an error. */
function refsOf(ctx: ResolveContext, raw: unknown, path: readonly PathSegment[], scope: Scope): Ref[] | undefined {
  const list = Array.isArray(raw) ? raw : [raw];
  const refs = list.map((written, i) => {
    const at = Array.isArray(raw) ? [...path, i] : path;
    const id = interpolateAt(ctx, String(written), at, scope);
    return id === undefined ? undefined : { id, span: spanAt(ctx.spec, at) };
  });
  return refs.every((r) => r !== undefined) ? refs : undefined;
}

/** `weights:` as the schema allows it: a file name, or a mapping of weight names to file names. */
function isWeightsForm(value: unknown): value is string | Record<string, string> {
  return typeof value === 'string' || (isMapping(value) && Object.values(value).every((file) => typeof file === 'string'));
}

function resolveLayer(ctx: ResolveContext, raw: Data, path: readonly PathSegment[], scope: Scope, defaults: ReadonlyMap<string, ReadonlyMap<string, string>>): PendingLayer | undefined {
  const type = raw['type'] as string;
  const args: Record<string, Value> = {};
  const argSpans: Record<string, Span> = {};
  const at = pointerOf(path);
  // A layer validation rejected is left out (its errors are reported); its other options are still resolved.
  let ok = !ctx.invalid.has(at);
  // The options the layer writes, by the name they mean: `kernel_size` (reported as NS2002) is read as `kernelSize`.
  const given = new Set<string>();
  for (const [key, rawValue] of Object.entries(raw)) {
    const optionAt = at + pointerOf([key]);
    const option = ctx.renamed?.get(optionAt) ?? key;
    given.add(option);
    if (rejected(ctx, optionAt)) {
      if (!shapeNeutral(option)) ok = false;
      continue;
    }
    if (wiring.has(option)) continue;
    const value = resolveValue(ctx, rawValue, [...path, key], scope, optionAt);
    if (value === undefined) ok = false;
    else {
      args[option] = value;
      argSpans[option] = spanAt(ctx.spec, [...path, key]);
    }
  }
  // Defaults fill only the options the layer leaves out; they are located at the default,
  // but their expression slots are the layer's (validate filled them in there).
  for (const option of ctx.rejectedDefaults.get(type) ?? []) if (!given.has(option) && !shapeNeutral(option)) ok = false;
  for (const [option, pointer] of defaults.get(type) ?? []) {
    if (given.has(option)) continue;
    const defaultPath = pointer.slice(1).split('/');
    const value = resolveValue(ctx, defaultsData(ctx, defaultPath), defaultPath, scope, at + pointerOf([option]));
    if (value === undefined) ok = false;
    else {
      args[option] = value;
      argSpans[option] = spanAt(ctx.spec, defaultPath);
    }
  }
  let initialWeights: InitialWeight[] | undefined;
  // Validation reported a `weights:` of the wrong form already (at the option, or at a layer it could not
  // match to a type at all); there is no file to read.
  if (raw['weights'] !== undefined && isWeightsForm(raw['weights']) && !ctx.invalid.has(at) && !rejected(ctx, `${at}/weights`)) {
    argSpans['weights'] = spanAt(ctx.spec, [...path, 'weights']);
    initialWeights = readInitialWeights(ctx, raw['weights'], [...path, 'weights']);
    if (!initialWeights) ok = false;
  }
  const canonical = canonicalTransposeArgs(ctx, type, args, argSpans);
  if (!canonical) ok = false;
  const axisOffsets = spatialOffsets(type, args);
  const span = spanAt(ctx.spec, path);
  const typeSpan = spanAt(ctx.spec, [...path, 'type']);
  let id: Ref | undefined;
  // `{expr}` parts of an id are evaluated with the loop variables: `up{i}` -> `up2`.
  const written = (key: 'id' | 'name'): string | undefined => {
    if (typeof raw[key] !== 'string') return undefined;
    const text = interpolateAt(ctx, raw[key], [...path, key], scope);
    if (text === undefined) ok = false;
    return text;
  };
  const explicitId = written('id');
  const name = written('name');
  if (explicitId !== undefined && name !== undefined && explicitId !== name) {
    const removal = optionFix({ mapping: mappingLayout(ctx.spec, path), span: spanAt(ctx.spec, path), args: {} }, 'remove `name:`', [{ option: 'name', value: undefined }]);
    ctx.diagnostics.push(diagnostic('NS3009', spanAt(ctx.spec, [...path, 'name']), `layer has id '${explicitId}' and name '${name}'; tfjs names the layer after its id`, fixOrNote('remove `name:`', removal ? [removal] : undefined)));
    ok = false;
  } else if (explicitId !== undefined || name !== undefined) {
    const key = explicitId !== undefined ? 'id' : 'name';
    id = { id: (explicitId ?? name)!, span: spanAt(ctx.spec, [...path, key]) };
    if (!checkIdentifier(ctx, id.id, id.span, 'layer id', 'tfjs', { role: idRole(String(path[1])) })) ok = false;
  }
  const from = raw['from'] === undefined ? undefined : refsOf(ctx, raw['from'], [...path, 'from'], scope);
  if (raw['from'] !== undefined && !from) ok = false;
  if (!ok) return undefined;
  const lint = raw['lint'] === undefined ? undefined : lintSettings(raw['lint']);
  const mapping = mappingLayout(ctx.spec, path);
  return { type, ...(mapping ? { mapping } : {}), ...(id ? { id } : {}), ...(from ? { from } : {}), ...(initialWeights ? { initialWeights } : {}), ...(lint ? { lint } : {}), ...(axisOffsets ? { axisOffsets } : {}), args: canonical!, argSpans, span, typeSpan };
}

/**
 * The did-you-mean fix as an edit: the written id becomes the one meant. Only where the source
 * holds the id itself (plain or quoted): an id with `{expr}` parts is a template for every iteration.
 */
function renameFix(ctx: ResolveContext, span: Span, written: string, meant: string | undefined): { fixes?: FixEdits[] } {
  if (meant === undefined) return {};
  const text = ctx.spec.source.text.slice(span.start, span.end);
  const bare = /^(["']).*\1$/s.test(text) ? text.slice(1, -1) : text;
  return bare === written ? { fixes: [replaceFix(`use '${meant}'`, span, flowYaml(meant))] } : {};
}

/** Merges whose result does not depend on the order of their inputs: listing every input is the one fix. */
const orderFree = new Set(['add', 'multiply', 'average', 'maximum', 'minimum']);

function defaultsData(ctx: ResolveContext, path: readonly PathSegment[]): unknown {
  let value: unknown = ctx.spec.data;
  for (const segment of path) value = (value as Data)[String(segment)];
  return value;
}

/** Resolves one model: inputs, layers with ids and `from`, outputs. */
export function resolveModel(
  ctx: ResolveContext,
  name: string,
  raw: Data,
  path: readonly PathSegment[],
  scope: Scope,
  defaults: ReadonlyMap<string, ReadonlyMap<string, string>>,
): ModelIR | undefined {
  const errorsBefore = ctx.diagnostics.length;
  const nameSpan = spanAt(ctx.spec, path, 'key');
  // A model used as a layer names that layer: its name is a tfjs name too.
  checkIdentifier(ctx, name, nameSpan, 'model name', 'tfjs', { role: modelRole });
  // Without its inputs and layers in shape there is nothing to check; validation said why.
  if (!isMapping(raw['inputs']) || !Array.isArray(raw['layers'])) return undefined;

  const inputs: InputIR[] = [];
  const inputsLayout = mappingLayout(ctx.spec, [...path, 'inputs']);
  for (const [id, rawInput] of Object.entries(raw['inputs'] as Data)) {
    const input = resolveInput(ctx, id, rawInput, [...path, 'inputs', id], scope, inputsLayout);
    if (input) inputs.push(input);
  }

  // `repeat` blocks become the layers they stand for; each keeps its template's spans and its iterations.
  const notes = new IterationNotes(ctx);
  const items = expandLayers(ctx, raw['layers'] as unknown[], [...path, 'layers'], scope, notes);
  const pending: (PendingLayer | undefined)[] = items.map((item) =>
    isMapping(item.raw) && typeof item.raw['type'] === 'string' ? notes.run(item.chain, () => resolveLayer(ctx, item.raw as Data, item.path, item.scope, defaults)) : undefined,
  );
  const chainOf = (i: number): readonly Iteration[] => items[i]?.chain ?? [];
  /** `, in repeat iteration i = 1` for a layer a repeat made. */
  const madeIn = (i: number): string => (chainOf(i).length > 0 ? `, in ${chainText(chainOf(i))}` : '');

  // Ids must be unique across inputs and layers: tfjs names share one namespace per model.
  const seen = new Map<string, { span: Span; at: number }>();
  const named = [...inputs.map((input) => ({ ref: { id: input.id, span: input.span }, at: -1 })), ...pending.flatMap((p, at) => (p?.id ? [{ ref: p.id, at }] : []))];
  for (const { ref, at } of named) {
    const first = seen.get(ref.id);
    if (!first) {
      seen.set(ref.id, { span: ref.span, at });
      continue;
    }
    const chain = chainOf(at);
    const id = chain.length > 0 ? `"${ref.id.replace(/\d+$/, '')}{${chain[chain.length - 1]!.index}}"` : undefined;
    const fix = id ? `give every iteration its own id with its loop variable, e.g. \`id: ${id}\`` : undefined;
    // One repeat's index makes each of its ids its own; under nested repeats which indices to combine is the user's to say.
    const edits = id && chain.length === 1 ? [replaceFix(`use \`id: ${id}\``, ref.span, id)] : undefined;
    const firstUse = { message: `'${ref.id}' is first used here${madeIn(first.at)}`, span: first.span };
    notes.run(chain, () => ctx.diagnostics.push(diagnostic('NS3004', ref.span, `duplicate id '${ref.id}' in model '${name}'`, fixOrNote(fix, edits, [firstUse]))));
  }
  const nextId = idGenerator(new Set(seen.keys()));
  // A layer with an error keeps its id (written or generated), so that reading it is not reported as a
  // second, unknown-id error, and the generated ids of the layers after it do not shift.
  const layerIds = pending.map((p, i) => {
    if (p) return p.id?.id ?? nextId(p.type, idBase(p.type, p.args));
    const { raw: layer, path: layerPath, scope: layerScope } = items[i]!;
    if (!isMapping(layer)) return undefined;
    const key = layer['id'] !== undefined ? 'id' : 'name';
    const written = layer[key];
    // Its errors are reported already; evaluating `{expr}` again reports nothing new.
    if (typeof written === 'string') return interpolateAt({ ...ctx, diagnostics: [] }, written, [...layerPath, key], layerScope);
    return typeof layer['type'] === 'string' ? nextId(layer['type'], idBase(layer['type'], layer)) : undefined;
  });
  // The ids a repeat with an error would have made are unknown: reading one is not a second error.
  const unknownIds = items.some((item, i) => item.placeholder || (layerIds[i] === undefined && isMapping(item.raw) && (item.raw['id'] ?? item.raw['name']) !== undefined));
  const position = new Map<string, number>();
  // Every input the spec declares, also one whose shape has an error, so that none is reported twice.
  const inputIds = Object.keys(raw['inputs'] as Data);
  inputIds.forEach((id) => position.set(id, -1));
  layerIds.forEach((id, i) => id !== undefined && !position.has(id) && position.set(id, i));
  const allIds = [...position.keys()];

  // A repeat's `input:` name stands for the tensor entering each iteration; it must not also be an id.
  const clashing = new Set<string>();
  for (const it of new Set(items.flatMap((item) => item.chain.filter((c) => c.input)))) {
    const { name: entry, span } = it.input!;
    const key = `${span.start} ${entry}`;
    if (!position.has(entry) || clashing.has(key)) continue;
    clashing.add(key);
    const at = position.get(entry)!;
    ctx.diagnostics.push(
      diagnostic('NS3017', span, `repeat input name '${entry}' is also the id of ${at < 0 ? 'an input' : 'a layer'} of model '${name}'`, {
        notes: [{ message: `'${entry}' is defined here`, span: at < 0 ? inputs.find((x) => x.id === entry)?.span ?? span : pending[at]?.id?.span ?? span }, { message: 'give the repeat\'s input a name no input or layer has' }],
      }),
    );
  }
  /** A `from` entry naming an enclosing repeat's `input:`: the id of what enters that iteration; null when that has an error already reported. */
  const entering = (ref: Ref, i: number): Ref | null | undefined => {
    const it = [...chainOf(i)].reverse().find((c) => c.input?.name === ref.id);
    if (!it || clashing.has(`${it.input!.span.start} ${ref.id}`)) return it ? null : ref;
    const at = it.input!.at;
    if (at >= 0) return layerIds[at] === undefined ? null : { id: layerIds[at]!, span: ref.span };
    if (inputIds.length === 1) return { id: inputIds[0]!, span: ref.span };
    ctx.diagnostics.push(diagnostic('NS3008', ref.span, `'${ref.id}' is the input of a repeat that starts model '${name}', which has ${inputIds.length} inputs`, { notes: [{ message: `put a layer with \`from:\` one of ${inputIds.join(', ')} before the repeat` }] }));
    return undefined;
  };

  /**
   * Whether layer `at` can move to just before layer `i` with every layer still reading what it read:
   * both are written in the model's own list, `at` names its inputs (all defined before `i`) and its id,
   * the layer after it names its input too (or the outputs are declared), and no generated id shifts.
   */
  const movable = (at: number, i: number): boolean => {
    const moved = pending[at];
    const next = items[at + 1];
    const sameList = (k: number) => chainOf(k).length === 0 && JSON.stringify(items[k]!.path.slice(0, -1)) === JSON.stringify(items[at]!.path.slice(0, -1));
    if (!moved?.id || !moved.from || !sameList(i) || !sameList(at)) return false;
    if (!moved.from.every((r) => (position.get(r.id) ?? i) < i)) return false;
    if (next ? !(isMapping(next.raw) && next.raw['from'] !== undefined) : !isMapping(raw['outputs'])) return false;
    return pending.slice(i, at).every((p) => p !== undefined && (p.id !== undefined || p.type !== moved.type));
  };

  const layers: LayerIR[] = [];
  pending.forEach((p, i) => notes.run(chainOf(i), () => {
    if (!p) return;
    let from = p.from;
    if (from) {
      const bound = from.map((ref) => entering(ref, i));
      if (bound.some((ref) => ref === null || ref === undefined)) return;
      from = bound as Ref[];
    }
    if (!from) {
      if (i > 0) {
        const previous = layerIds[i - 1];
        if (previous === undefined) return; // the layer before has an error already reported
        from = [{ id: previous, span: p.typeSpan, implicit: true }];
      } else if (inputIds.length === 1) {
        from = [{ id: inputIds[0]!, span: p.typeSpan, implicit: true }];
      } else {
        const merges = mergeTypes.has(p.type);
        const fix = merges ? `add \`from: [${inputIds.join(', ')}]\`` : `add \`from: ${inputIds[0] ?? 'x'}\``;
        // One input to read is a choice among them (alternatives); an order-free merge reads them all, the one fix.
        const choices: Value[] = merges ? (orderFree.has(p.type) ? [inputIds] : []) : inputIds;
        const fixes = choices.flatMap((from) => optionFix(p, `add \`from: ${flowYaml(from)}\``, [{ option: 'from', value: from }]) ?? []);
        ctx.diagnostics.push(diagnostic('NS3008', p.typeSpan, `the first layer of model '${name}' must say which input it reads: the model has ${inputIds.length} inputs`, fixOrNote(fix, fixes)));
        return;
      }
    }
    let ok = true;
    for (const ref of from) {
      const at = position.get(ref.id);
      if (at === undefined) {
        const hint = didYouMean(ref.id, allIds);
        const edit = renameFix(ctx, ref.span, ref.id, closest(ref.id, allIds));
        // The list of ids is a note, not a fix: which one was meant is the user's to say.
        if (!unknownIds) ctx.diagnostics.push(diagnostic('NS3005', ref.span, `'${ref.id}' names no input or layer of model '${name}'`, hint ? fixOrNote(hint, edit.fixes) : { notes: [{ message: `known ids: ${allIds.join(', ')}` }] }));
        ok = false;
      } else if (at >= i) {
        // The later layer may have errors of its own and no pending entry: point at its YAML then.
        const defined = { message: `'${ref.id}' is defined here${at === i ? '' : madeIn(at)}`, span: pending[at]?.id?.span ?? pending[at]?.typeSpan ?? spanAt(ctx.spec, [...items[at]!.path, 'id']) };
        const move = at > i && movable(at, i) ? moveBeforeFix(ctx.spec, items[at]!.path, items[i]!.path, `move '${ref.id}' before '${layerIds[i]}'`) : undefined;
        const message = at === i ? `layer '${layerIds[i]}' reads its own output` : `layer '${layerIds[i]}' reads '${ref.id}', which is defined after it`;
        // Reading itself, or a layer whose move would change what others read, is for the user to rewire: advice.
        ctx.diagnostics.push(diagnostic('NS3006', ref.span, message, fixOrNote(move ? `${move.description}: a layer can only read inputs and earlier layers` : `a layer can only read inputs and earlier layers${at === i ? '' : '; reorder the layers'}`, move ? [move] : undefined, [defined])));
        ok = false;
      }
    }
    if (ok) {
      const { type, args, span, argSpans, initialWeights, lint, axisOffsets, mapping } = p;
      const origin = iterationNotes(chainOf(i));
      // A layer of a repeat shares its template's item with every other copy: it cannot be removed alone.
      const item = origin.length === 0 ? itemLayout(ctx.spec, items[i]!.path) : undefined;
      layers.push({
        id: layerIds[i]!,
        explicitId: p.id !== undefined,
        type,
        args,
        ...(type === 'model' ? { subModel: String(args['model']) } : {}),
        from,
        span,
        idSpan: p.id?.span ?? p.typeSpan,
        argSpans,
        ...(mapping ? { mapping } : {}),
        ...(item ? { item } : {}),
        ...(initialWeights ? { initialWeights } : {}),
        ...(lint ? { lint } : {}),
        ...(axisOffsets ? { axisOffsets } : {}),
        ...(origin.length > 0 ? { origin } : {}),
      });
    }
  }));
  notes.flush();

  const outputs: OutputIR[] = [];
  const rawOutputs = isMapping(raw['outputs']) ? raw['outputs'] : undefined;
  if (rawOutputs) {
    for (const [id, rawShape] of Object.entries(rawOutputs)) {
      const outPath = [...path, 'outputs', id];
      if (rejected(ctx, pointerOf(outPath))) continue;
      const ref = { id, span: spanAt(ctx.spec, outPath, 'key') };
      if (!position.has(id)) {
        const hint = didYouMean(id, allIds);
        const edit = renameFix(ctx, ref.span, id, closest(id, allIds));
        ctx.diagnostics.push(diagnostic('NS3007', ref.span, `output '${id}' names no layer or input of model '${name}'`, hint ? fixOrNote(hint, edit.fixes) : { notes: [{ message: `known ids: ${allIds.join(', ')}` }] }));
        continue;
      }
      if (rawShape === null) outputs.push({ ref });
      else {
        const shape = resolveShapeDims(ctx, rawShape, outPath, scope);
        if (shape) outputs.push({ ref, shape, shapeSpan: spanAt(ctx.spec, outPath) });
      }
    }
  } else if (layers.length > 0 && layerIds.length === layers.length) {
    const last = layers[layers.length - 1]!;
    outputs.push({ ref: { id: last.id, span: last.span } });
  }
  // A layer dropped for a rejected default has no diagnostic of its own here, but the model still lacks it.
  const incomplete = ctx.diagnostics.length > errorsBefore || rejected(ctx, pointerOf(path)) || layers.length !== items.length;
  const declared = [...(ctx.symbols?.values() ?? [])].filter((s) => s !== undefined);
  const symbols = declared.length > 0 ? { symbols: declared } : {};
  const outputsMapping = rawOutputs ? mappingLayout(ctx.spec, [...path, 'outputs']) : undefined;
  return { name, span: spanAt(ctx.spec, path), nameSpan, inputs, layers, outputs, incomplete, ...symbols, ...(outputsMapping ? { outputsMapping } : {}) };
}

