import { diagnostic, type DiagnosticExtras, type Note } from '../diagnostics/diagnostic.js';
import { closest, didYouMean } from '../diagnostics/suggest.js';
import { didYouMeanFix, fixOrNote, wordFix } from '../fix/fix-or-note.js';
import { flowYaml, optionFix } from '../fix/option-edits.js';
import type { LayerIR, ModelIR, Span } from '../ir.js';
import { isMapping, spanAt, type Data } from '../parse/parse-spec.js';
import type { ResolveContext } from './values.js';

/** A `{ type: model, model: target }` layer of model `user`. */
interface Use {
  readonly user: ModelIR;
  readonly layer: LayerIR;
  readonly target: string;
  /** The `model:` value. */
  readonly span: Span;
}

function usesOf(model: ModelIR): Use[] {
  return model.layers.flatMap((layer) => (layer.subModel === undefined ? [] : [{ user: model, layer, target: layer.subModel, span: layer.argSpans['model'] ?? layer.idSpan }]));
}

/** The ids a model declares as inputs and outputs, where it declares them; what contracts and `output:` can name. */
export interface DeclaredTensors {
  readonly inputs: ReadonlyMap<string, Span>;
  /** Undefined when errors leave the outputs unknown (no `outputs:` and a last layer in error). */
  readonly outputs?: ReadonlyMap<string, Span>;
  /** Every layer id, to tell "not an output" from "no such id". */
  readonly layers: readonly string[];
}

/**
 * Read from the spec's own keys, so that an input or output whose shape has an
 * error is still known (naming it is not a second error).
 */
export function declaredTensors(ctx: ResolveContext, name: string, raw: Data, model: ModelIR | undefined): DeclaredTensors {
  const keys = (key: 'inputs' | 'outputs') => {
    const entries = isMapping(raw[key]) ? Object.keys(raw[key] as Data) : [];
    return new Map(entries.map((id) => [id, spanAt(ctx.spec, ['models', name, key, id], 'key')] as const));
  };
  const layers = model?.layers.map((l) => l.id) ?? [];
  if (isMapping(raw['outputs'])) return { inputs: keys('inputs'), outputs: keys('outputs'), layers };
  // The default output is the last layer, known only when every layer resolved.
  const last = model && !model.incomplete ? model.layers[model.layers.length - 1] : undefined;
  return { inputs: keys('inputs'), ...(last ? { outputs: new Map([[last.id, last.idSpan]]) } : {}), layers };
}

/** A `type: model` layer without an id is named after its model: notes about it point at the `model:` value. */
function namedAfterModel(model: ModelIR): ModelIR {
  if (!model.layers.some((l) => l.type === 'model' && !l.explicitId)) return model;
  const layers = model.layers.map((l) => (l.type === 'model' && !l.explicitId && l.argSpans['model'] ? { ...l, idSpan: l.argSpans['model'] } : l));
  return { ...model, layers };
}

/** What composition leaves out: layers with an error, by model name. */
type Dropped = Map<string, Set<LayerIR>>;

function drop(dropped: Dropped, use: Use): void {
  const set = dropped.get(use.user.name) ?? new Set<LayerIR>();
  set.add(use.layer);
  dropped.set(use.user.name, set);
}

/** `model: discrimnator` names no model of the spec. */
function checkTargets(ctx: ResolveContext, uses: readonly Use[], names: readonly string[], dropped: Dropped): void {
  for (const use of uses) {
    if (names.includes(use.target)) continue;
    ctx.diagnostics.push(
      diagnostic('NS3020', use.span, `model '${use.user.name}' uses '${use.target}' as ${use.layer.explicitId ? `layer '${use.layer.id}'` : 'a layer'}, but this spec defines no model '${use.target}'`, {
        // The list of models is a note, not a fix: which one was meant is the user's to say.
        ...didYouMeanFix(ctx.spec.source.text, use.span, use.target, names, `the models are: ${names.join(', ')}`),
      }),
    );
    drop(dropped, use);
  }
}

/**
 * A model that contains itself, directly or through the models it uses. A
 * depth-first walk finds each cycle once, at the use that closes it; leaving
 * that use out makes the graph of models acyclic, so inference has an order.
 */
function checkCycles(ctx: ResolveContext, models: readonly ModelIR[], dropped: Dropped): void {
  const byName = new Map(models.map((m) => [m.name, m]));
  const state = new Map<string, 'open' | 'done'>();
  const path: Use[] = [];
  const entered = new Map<string, number>();
  const visit = (model: ModelIR) => {
    state.set(model.name, 'open');
    entered.set(model.name, path.length);
    for (const use of usesOf(model)) {
      if (dropped.get(model.name)?.has(use.layer)) continue;
      const target = byName.get(use.target);
      if (!target) continue;
      if (state.get(target.name) === 'open') {
        const hops = [...path.slice(entered.get(target.name)), use];
        const chain = [hops[0]!.user.name, ...hops.map((h) => h.target)].join(' -> ');
        const message = hops.length === 1 ? `model '${model.name}' uses itself, as layer '${use.layer.id}'` : `model '${target.name}' is used inside itself: ${chain}`;
        ctx.diagnostics.push(
          diagnostic('NS3021', hops[0]!.span, message, {
            // Which use to break, and with what model instead, is the user's design: advice.
            notes: [
              ...hops.slice(1).map((h) => ({ message: `'${h.user.name}' uses '${h.target}' here, as layer '${h.layer.id}'`, span: h.span })),
              { message: hops.length === 1 ? `remove layer '${use.layer.id}', or use another model` : `remove the use of '${use.target}' in '${use.user.name}', or use another model there` },
            ],
          }),
        );
        drop(dropped, use);
        continue;
      }
      if (state.get(target.name) === 'done') continue;
      path.push(use);
      visit(target);
      path.pop();
    }
    state.set(model.name, 'done');
  };
  for (const model of models) if (!state.has(model.name)) visit(model);
}

/** The fix for an `output:` its model does not have: the close name, else each output as an alternative. */
function outputChoice(ctx: ResolveContext, use: Use, chosen: string, ids: readonly string[], notes: readonly Note[]): DiagnosticExtras {
  const span = use.layer.argSpans['output'];
  const meant = closest(chosen, ids);
  if (meant !== undefined) return fixOrNote(didYouMean(chosen, ids), span ? wordFix(ctx.spec.source.text, span, chosen, meant) : undefined, notes);
  const choices = ids.flatMap((id) => optionFix(use.layer, `use \`output: ${flowYaml(id)}\``, [{ option: 'output', value: id }]) ?? []);
  return fixOrNote(`use one of: ${ids.join(', ')}`, choices.length === ids.length ? choices : undefined, notes);
}

/** A model layer gives one output of its model: the only one, or the one `output:` names. */
function checkOutputs(ctx: ResolveContext, uses: readonly Use[], tensors: (name: string) => DeclaredTensors | undefined, dropped: Dropped): void {
  for (const use of uses) {
    const outputs = tensors(use.target)?.outputs;
    if (!outputs) continue;
    const ids = [...outputs.keys()];
    const chosen = use.layer.args['output'];
    if (typeof chosen === 'string') {
      if (outputs.has(chosen)) continue;
      ctx.diagnostics.push(
        diagnostic('NS3024', use.layer.argSpans['output'] ?? use.span, `model '${use.target}' has no output '${chosen}'; its outputs are ${ids.join(', ')}`, {
          // The one close name, or each output as an alternative.
          ...outputChoice(ctx, use, chosen, ids, [{ message: `the outputs of '${use.target}' are declared here`, span: outputs.get(ids[0]!)! }]),
        }),
      );
    } else if (ids.length > 1) {
      ctx.diagnostics.push(
        diagnostic('NS3024', use.span, `model '${use.target}' has ${ids.length} outputs (${ids.join(', ')}); layer '${use.layer.id}' must say which one it gives`, {
          // Each output is an alternative: which one the layer gives is the user's choice.
          ...fixOrNote(`add \`output: ${ids[0]}\` (or another of ${ids.join(', ')})`, ids.flatMap((id) => optionFix(use.layer, `add \`output: ${flowYaml(id)}\``, [{ option: 'output', value: id }]) ?? []), [{ message: `the outputs of '${use.target}' are declared here`, span: outputs.get(ids[0]!)! }]),
        }),
      );
    } else continue;
    drop(dropped, use);
  }
}

/**
 * tfjs has one layer per model instance, named once, with one set of weights:
 * a model reached twice in one model (two layers, or a layer and a model
 * inside another) would need two names for one layer.
 */
function checkReachedOnce(ctx: ResolveContext, models: readonly ModelIR[], dropped: Dropped): void {
  const byName = new Map(models.map((m) => [m.name, m]));
  const live = (model: ModelIR) => usesOf(model).filter((u) => !dropped.get(model.name)?.has(u.layer) && byName.has(u.target));
  const reach = new Map<string, string[]>();
  // Acyclic once checkCycles has run, so this terminates.
  const reachable = (name: string): string[] => {
    let found = reach.get(name);
    if (!found) {
      found = live(byName.get(name)!).flatMap((u) => [u.target, ...reachable(u.target)]);
      reach.set(name, found);
    }
    return found;
  };
  for (const model of models) {
    const first = new Map<string, Use>();
    for (const use of live(model)) {
      const reached = [use.target, ...reachable(use.target)];
      const twice = reached.find((name) => first.has(name));
      if (twice === undefined) {
        for (const name of reached) first.set(name, use);
        continue;
      }
      const earlier = first.get(twice)!;
      const how = (u: Use) => (u.target === twice ? `layer '${u.layer.id}'` : `layer '${u.layer.id}' (inside model '${u.target}')`);
      ctx.diagnostics.push(
        diagnostic('NS4010', use.span, `model '${twice}' is used twice in model '${model.name}', by ${how(earlier)} and by ${how(use)}; using a model more than once in one model is not supported yet`, {
          notes: [{ message: `'${twice}' is first used here`, span: earlier.span }, { message: 'define a second model with the same layers under another name' }],
        }),
      );
      drop(dropped, use);
    }
  }
}

/**
 * Checks the `type: model` layers of every model: the model they name exists,
 * no model contains itself, the output they give is chosen, and no model uses
 * another twice. A layer with an error is left out and its model marked
 * incomplete, so nothing after it is reported again.
 */
export function composeModels(ctx: ResolveContext, resolved: readonly ModelIR[], rawModels: Data): ModelIR[] {
  const names = Object.keys(rawModels);
  const models = resolved.map(namedAfterModel);
  const uses = models.flatMap(usesOf);
  if (uses.length === 0) return models;
  const byName = new Map(models.map((m) => [m.name, m]));
  const tensors = (name: string) => (isMapping(rawModels[name]) ? declaredTensors(ctx, name, rawModels[name] as Data, byName.get(name)) : undefined);
  const dropped: Dropped = new Map();
  checkTargets(ctx, uses, names, dropped);
  checkCycles(ctx, models, dropped);
  checkOutputs(ctx, uses.filter((u) => !dropped.get(u.user.name)?.has(u.layer)), tensors, dropped);
  checkReachedOnce(ctx, models, dropped);
  return models.map((m) => {
    const left = dropped.get(m.name);
    return left ? { ...m, layers: m.layers.filter((l) => !left.has(l)), incomplete: true } : m;
  });
}
