import { showShape } from '../diagnostics/describe.js';
import type { Result } from '../diagnostics/diagnostic.js';
import type { LayerShapes, ModelIR, ModelShapes, WeightInfo } from '../ir.js';
import { runtimeDim, sameDim } from './affine.js';
import { refine, shapeDifference } from './agree.js';
import { cameFrom, type Rule } from './rule.js';

/** The models of a spec inferred so far, by name: a model is inferred after the models it uses. */
export type SubModels = ReadonlyMap<string, ModelShapes>;

/** Infers a model with the sub-models it uses; infer-shapes' inferModel. */
export type InferModel = (model: ModelIR, subModels: SubModels) => Result<ModelShapes>;

/** What a model's `type: model` layers need: the models inferred before it, and a way to infer one again at other input sizes. */
export interface Composition {
  readonly subModels: SubModels;
  readonly infer: InferModel;
}

/** Models in an order where each comes after the models it uses; resolve has removed cycles (a cycle would only stop the walk). */
export function dependencyOrder(models: readonly ModelIR[]): ModelIR[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const ordered: ModelIR[] = [];
  const seen = new Set<string>();
  const visit = (model: ModelIR) => {
    if (seen.has(model.name)) return;
    seen.add(model.name);
    for (const layer of model.layers) {
      const used = layer.subModel === undefined ? undefined : byName.get(layer.subModel);
      if (used) visit(used);
    }
    ordered.push(model);
  };
  models.forEach(visit);
  return ordered;
}

/** The layers an output needs, in model order: tfjs builds a model from its outputs back, so only these count. */
function needed(m: ModelShapes, output: string): LayerShapes[] {
  const byId = new Map(m.layers.map((l) => [l.layer.id, l]));
  const keep = new Set<string>();
  const visit = (id: string) => {
    const l = byId.get(id);
    if (!l || keep.has(id)) return;
    keep.add(id);
    l.layer.from.forEach((r) => visit(r.id));
  };
  visit(output);
  return m.layers.filter((l) => keep.has(l.layer.id));
}

/**
 * `{ type: model, model: other }`: the other model, inferred before this one,
 * applied to the tensors `from` names. Each must fit the input it feeds (the
 * other model's declaration is the note); where a fed size is known and the
 * declared one is not, the other model is inferred again at that size, as tfjs
 * computes it. The layer has every weight the chosen output needs, and their
 * multiply-accumulates. A model that could not be inferred was reported where
 * it is defined: the layer is skipped without another error.
 */
export function subModelRule({ subModels, infer }: Composition): Rule {
  return (ctx) => {
    const { layer } = ctx;
    const name = layer.subModel;
    const sub = name === undefined ? undefined : subModels.get(name);
    if (name === undefined || !sub) return undefined;
    const declared = sub.model.inputs;
    const ids = declared.map((i) => i.id).join(', ');
    if (ctx.inputs.length !== declared.length) {
      const count = (n: number) => `${n} input${n === 1 ? '' : 's'}`;
      return ctx.error('NS4002', `model '${name}' takes ${count(declared.length)} (${ids}), received ${ctx.inputs.length} (${ctx.inputs.map((i) => `'${i.id}'`).join(', ')})`, {
        option: 'from',
        fix: declared.length === 1 ? `read one tensor: \`from: <id>\`` : `list ${declared.length} ids in \`from\`, in the order of the inputs of '${name}': ${ids}`,
      });
    }
    let fits = true;
    declared.forEach((input, k) => {
      const want = [input.batchSize, ...input.shape];
      const got = ctx.inputs[k]!;
      const difference = shapeDifference(got.shape, want);
      if (difference === undefined) return;
      fits = false;
      ctx.error('NS4016', `model '${name}' takes input '${input.id}' as ${showShape(want)}, received ${showShape(got.shape)} from '${got.id}' (${difference})`, {
        at: layer.from[k]?.span,
        notes: [{ message: `input '${input.id}' of '${name}' is declared ${showShape(want)} here`, span: input.span }, cameFrom(got)],
      });
    });
    if (!fits) return undefined;

    let shapes = sub;
    const refined = declared.map((input, k) => refine([input.batchSize, ...input.shape], ctx.inputs[k]!.shape));
    if (refined.some((shape, k) => !sameDim(shape[0], declared[k]!.batchSize) || shape.slice(1).some((d, a) => !sameDim(d, declared[k]!.shape[a])))) {
      const inputs = declared.map((input, k) => ({ ...input, batchSize: runtimeDim(refined[k]![0] ?? null), shape: refined[k]!.slice(1) }));
      const again = infer({ ...sub.model, inputs }, subModels);
      if (!again.value) {
        const first = again.diagnostics[0];
        return ctx.error('NS4016', `model '${name}' cannot take ${ctx.inputs.map((i) => showShape(i.shape)).join(' and ')}: inside it, ${first?.message ?? 'inference fails'}`, {
          at: layer.from[0]?.span,
          notes: [...(first?.span ? [{ message: `inside '${name}': ${first.message}`, span: first.span }] : []), ...ctx.inputs.map(cameFrom)],
        });
      }
      shapes = again.value;
    }
    const chosen = typeof layer.args['output'] === 'string' ? layer.args['output'] : shapes.outputs[0]?.name;
    const output = shapes.outputs.find((o) => o.name === chosen);
    // resolve checked the choice; an output missing here was left out for an error reported there.
    if (!output) return undefined;
    const used = needed(shapes, output.name);
    // The sub-model's build function sets its initial values; the layer only counts the weights.
    const weights: WeightInfo[] = used.flatMap((l) => l.weights.map((w) => ({ name: `${l.layer.id}/${w.name}`, shape: w.shape, trainable: w.trainable })));
    const macs = used.some((l) => l.macs === null) ? null : used.reduce((sum, l) => sum + l.macs!, 0);
    return { outputShape: output.shape, weights, macs };
  };
}
