import type { Diagnostic, FixEdits, Note } from '../diagnostics/diagnostic.js';
import { optionFix, replaceFix } from '../fix/option-edits.js';
import { showShape } from '../diagnostics/describe.js';
import { spanWithin } from '../diagnostics/location.js';
import type { Args, LayerIR, ModelIR, Shape, Value } from '../ir.js';
import { transposeRank } from './conv-transpose.js';
import { convTransposeOutputRange, type PadPair } from './formulas.js';
import type { GraphPass } from './infer-shapes.js';
import { perAxis } from './rule.js';

/**
 * The transposed-convolution solver. When an `outputs` assertion (NS4006) or a
 * merge (NS4003) fails, it tries changes to the transposed convolutions the
 * failing tensor comes from (outputPadding, padding, outputShape, kernelSize,
 * strides), re-infers the whole model with each, and suggests only the changes
 * after which that error is gone and no new error appears.
 */

/** How many transposed convolutions upstream of an error are tried, nearest first. */
const maxCandidates = 4;
/** How many verified changes one diagnostic suggests. */
const maxSuggestions = 3;
/** Per-axis combinations tried for one option, so 3D layers with stride 3 stay cheap. */
const maxCombinations = 64;

type Kind = 'outputPadding' | 'padding' | 'outputShape' | 'kernelSize' | 'strides';

interface Change {
  readonly kind: Kind;
  /** Options to set; `undefined` removes one. */
  readonly patch: { readonly [option: string]: Value | undefined };
}

interface Suggestion {
  readonly layer: LayerIR;
  readonly change: Change;
  readonly outputShape: Shape;
  /** How many layers the edit changes: a repeat makes several from the one YAML mapping. */
  readonly copies: number;
}

/** `[1, 1]` is written `1`, the way users write uniform options. */
function compact(values: readonly number[]): Value {
  return values.every((v) => v === values[0]) ? values[0]! : values;
}

/** Every vector with `choices[a]` options on axis `a`, at most `maxCombinations`. */
function combinations(choices: readonly (readonly number[])[]): number[][] {
  let all: number[][] = [[]];
  for (const axis of choices) {
    // Cut at every axis, never before the last: each vector needs an entry per axis.
    const next: number[][] = [];
    for (const prefix of all) for (const v of axis) if (next.length < maxCombinations) next.push([...prefix, v]);
    all = next;
  }
  return all;
}

/** `low..high`, at most `maxCombinations` of them: a stride of 1e9 must not ask for a billion candidates. */
const range = (low: number, high: number) => Array.from({ length: Math.max(0, Math.min(high - low + 1, maxCombinations)) }, (_, k) => low + k);

/** The input's spatial lengths as the first pass inferred them, when known. */
function spatialIn(layer: LayerIR, pass: GraphPass, rank: number): number[] | undefined {
  const shape = pass.layers.find((l) => l.layer === layer)?.inputShapes[0];
  if (!shape) return undefined;
  const spatial = layer.args['dataFormat'] === 'channelsFirst' ? shape.slice(2) : shape.slice(1, -1);
  // A symbolic input allows no fixed outputShape.
  return spatial.length === rank && spatial.every((d) => typeof d === 'number') ? (spatial as number[]) : undefined;
}

/** The changes worth trying on one transposed convolution, least invasive first. */
function changesFor(layer: LayerIR, pass: GraphPass): Change[] {
  const rank = transposeRank[layer.type]!;
  const strides = perAxis(layer.args['strides'], rank, 1);
  const kernel = perAxis(layer.args['kernelSize'], rank, 1);
  const dilation = perAxis(layer.args['dilationRate'], rank, 1);
  const padding = (layer.args['padding'] ?? 'valid') as 'valid' | 'same' | readonly PadPair[];
  const outputPaddings = combinations(strides.map((s) => range(0, s - 1)));
  const changes: Change[] = [];

  if (layer.args['outputPadding'] !== undefined) changes.push({ kind: 'outputPadding', patch: { outputPadding: undefined } });
  if (layer.args['outputShape'] !== undefined) changes.push({ kind: 'outputShape', patch: { outputShape: undefined } });
  if (strides.some((s) => s > 1)) {
    for (const op of outputPaddings) changes.push({ kind: 'outputPadding', patch: { outputPadding: compact(op), outputShape: undefined } });
  }
  for (const mode of ['same', 'valid'] as const) {
    if (padding === mode) continue;
    if (mode === 'same') changes.push({ kind: 'padding', patch: { padding: mode, outputPadding: undefined, outputShape: undefined } });
    // A valid stride > 1 convolution states its size, or NS5002 would ask for it.
    for (const op of strides.some((s) => s > 1) ? outputPaddings : [undefined]) {
      changes.push({ kind: 'padding', patch: { padding: mode, outputPadding: op && compact(op), outputShape: undefined } });
    }
  }
  // Explicit [begin, end] pairs reach every size; the smaller half goes first, as TensorFlow pads `same`.
  const pairsTried = combinations(kernel.map((k, a) => range(0, (k - 1) * dilation[a]!)))
    .map((t) => t.map((total): PadPair => [Math.floor(total / 2), total - Math.floor(total / 2)]))
    .filter((pairs) => typeof padding === 'string' || !pairs.every((p, a) => p[0] === padding[a]![0] && p[1] === padding[a]![1]));
  for (const pairs of pairsTried) changes.push({ kind: 'padding', patch: { padding: pairs, outputPadding: undefined, outputShape: undefined } });
  const input = spatialIn(layer, pass, rank);
  if (input) {
    const ranges = input.map((i, a) => {
      const [low, high] = convTransposeOutputRange(i, kernel[a]!, strides[a]!, dilation[a]!, typeof padding === 'string' ? padding : padding[a]!);
      return range(Math.max(1, low), high);
    });
    for (const shape of combinations(ranges)) changes.push({ kind: 'outputShape', patch: { outputShape: shape, outputPadding: undefined } });
  }
  // Kernels stay multiples of the stride where they were, so the fix does not earn an NS5001 warning.
  const evenlyTiled = (k: readonly number[]) => k.every((v, a) => strides[a]! === 1 || v % strides[a]! === 0);
  for (const delta of [1, -1, 2, -2, 3, -3, 4, -4]) {
    const k = kernel.map((v) => v + delta);
    if (k.some((v) => v < 1) || (evenlyTiled(kernel) && !evenlyTiled(k))) continue;
    changes.push({ kind: 'kernelSize', patch: { kernelSize: compact(k) } });
  }
  // A stray stride is a common slip, often with the padding that went with it; outputPadding must stay below the new stride.
  const paddings: ({ padding?: Value })[] = [{}, ...(padding === 'same' ? [] : [{ padding: 'same' }]), ...pairsTried.map((pairs) => ({ padding: pairs }))];
  for (const stride of range(1, Math.max(...strides) + 1)) {
    if (strides.every((v) => v === stride)) continue;
    const dropped = layer.args['outputPadding'] !== undefined && perAxis(layer.args['outputPadding'], rank, 0).some((op) => op >= stride);
    for (const pad of paddings) changes.push({ kind: 'strides', patch: { strides: stride, ...pad, ...(dropped ? { outputPadding: undefined } : {}) } });
  }
  return changes;
}

function applied(layer: LayerIR, change: Change): LayerIR {
  const args: Record<string, Value> = { ...layer.args };
  for (const [option, value] of Object.entries(change.patch)) {
    if (value === undefined) delete args[option];
    else args[option] = value;
  }
  return { ...layer, args: args as Args };
}

/** Transposed convolutions the tensors of `ids` come from, nearest first. */
function upstreamTransposed(model: ModelIR, ids: readonly string[]): LayerIR[] {
  const byId = new Map(model.layers.map((l) => [l.id, l]));
  const seen = new Set<string>();
  const found: LayerIR[] = [];
  let frontier = [...ids];
  while (frontier.length > 0 && found.length < maxCandidates) {
    const next: string[] = [];
    for (const id of frontier) {
      const layer = byId.get(id);
      if (!layer || seen.has(id)) continue;
      seen.add(id);
      if (transposeRank[layer.type] !== undefined) found.push(layer);
      next.push(...layer.from.map((r) => r.id));
    }
    frontier = next;
  }
  return found.slice(0, maxCandidates);
}

const key = (d: Diagnostic) => `${d.code}@${d.span?.start ?? -1}`;

/** The ids whose tensors an error is about: the merge's inputs, or the asserted output. */
function subjectOf(d: Diagnostic, model: ModelIR): readonly string[] | undefined {
  if (d.code === 'NS4006') {
    const output = model.outputs.find((o) => (o.shapeSpan ?? o.ref.span).start === d.span?.start && o.shape);
    return output ? [output.ref.id] : undefined;
  }
  if (d.code === 'NS4003') {
    const merge = model.layers.find((l) => spanWithin(d.span, l.span));
    return merge ? merge.from.map((r) => r.id) : undefined;
  }
  return undefined;
}

/** A value the way it is written in a flow-style spec: `same`, `[[0, 1], [0, 1]]`. */
function inYaml(value: Value): string {
  return Array.isArray(value) ? `[${value.map(inYaml).join(', ')}]` : String(value);
}

function describe(s: Suggestion): string {
  const entries = Object.entries(s.change.patch);
  const set = entries.filter(([, v]) => v !== undefined).map(([option, v]) => `\`${option}: ${inYaml(v!)}\``);
  const removed = entries.filter(([option, v]) => v === undefined && s.layer.args[option] !== undefined).map(([option]) => option);
  const where = `'${s.layer.id}'${s.copies > 1 ? ` (in the repeat body: all ${s.copies} layers made from it)` : ''}`;
  if (set.length === 0) return `remove ${removed.join(' and ')} from ${where}`;
  return `set ${set.join(' and ')}${removed.length > 0 ? ` and remove ${removed.join(', ')}` : ''} on ${where}`;
}

function solve(model: ModelIR, pass: GraphPass, target: Diagnostic, ids: readonly string[], infer: (model: ModelIR) => GraphPass): Suggestion[] {
  const before = new Set(pass.diagnostics.map(key));
  before.delete(key(target));
  const suggestions: Suggestion[] = [];
  for (const layer of upstreamTransposed(model, ids)) {
    const kinds = new Set<Kind>();
    for (const change of changesFor(layer, pass)) {
      if (kinds.has(change.kind)) continue;
      // The edit is made in the YAML: every layer a repeat made from the same mapping changes with it.
      const copies = new Set(model.layers.filter((l) => l.span.file === layer.span.file && l.span.start === layer.span.start));
      const layers = model.layers.map((l) => (copies.has(l) ? applied(l, change) : l));
      const again = infer({ ...model, layers });
      if (!again.diagnostics.every((d) => before.has(key(d)))) continue;
      const changed = layers[model.layers.indexOf(layer)];
      const shape = again.layers.find((l) => l.layer === changed)?.outputShape;
      if (!shape) continue;
      kinds.add(change.kind);
      suggestions.push({ layer, change, outputShape: shape, copies: copies.size });
      if (suggestions.length === maxSuggestions) return suggestions;
    }
  }
  return suggestions;
}

/**
 * NS4006's own fix, "assert the inferred shape", as an edit of the assertion. It is offered only
 * beside the solver's changes: alone it would be applied by `check --fix`, making the spec agree
 * with whatever the layers compute. Only fixed sizes can be written back.
 */
function assertion(d: Diagnostic, model: ModelIR, pass: GraphPass): FixEdits[] {
  if (d.code !== 'NS4006') return [];
  const output = model.outputs.find((o) => o.shape && o.shapeSpan?.start === d.span?.start);
  const inferred = pass.outputs.find((o) => o.name === output?.ref.id)?.shape.slice(1);
  if (!output?.shapeSpan || !inferred || !inferred.every((dim) => typeof dim === 'number')) return [];
  return [replaceFix(`assert ${showShape(inferred)}`, output.shapeSpan, showShape(inferred))];
}

/** The diagnostics of a failed pass, with verified transposed-convolution changes added to the size errors they fix. */
export function withTransposeFixes(model: ModelIR, pass: GraphPass, infer: (model: ModelIR) => GraphPass): Diagnostic[] {
  return pass.diagnostics.map((d) => {
    const ids = subjectOf(d, model);
    if (!ids) return d;
    const found = solve(model, pass, d, ids, infer);
    if (found.length === 0) return d;
    const notes: Note[] = found.map((s) => ({
      message: `${describe(s)}: it then outputs ${showShape(s.outputShape)} and this error is gone (checked by re-inferring the model)`,
      span: s.layer.argSpans[s.change.kind] ?? s.layer.idSpan,
    }));
    const solved = `${describe(found[0]!)}${found.length > 1 ? ', or another change the notes list' : ''}`;
    // Each verified change is one fix as edits: several are alternatives (never applied by `check --fix`), a single one is unambiguous.
    // The edits go to the layer's mapping, which a repeat's copies share, as the check above assumed.
    const fixes = found.flatMap((s): FixEdits[] => {
      const edit = optionFix(s.layer, describe(s), Object.entries(s.change.patch).map(([option, value]) => ({ option, value })));
      return edit ? [edit] : [];
    });
    // A fix whose edits could not all be written (no recorded layout) stays prose, and then none is offered as the only one.
    // The diagnostic's own fix (assert the inferred shape) is one more alternative: with it, even one verified change is a choice.
    const others = d.fixes ?? assertion(d, model, pass);
    const complete = fixes.length === found.length && (d.fix === undefined || others.length > 0 || fixes.length > 1);
    const edits = complete ? { fixes: [...fixes, ...others] } : {};
    return { ...d, notes: [...d.notes, ...notes], fix: d.fix ? `${solved}; or ${d.fix}` : solved, ...edits };
  });
}
