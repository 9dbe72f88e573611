import type { Code } from '../diagnostics/codes.js';
import { diagnostic, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { showShape } from '../diagnostics/describe.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { Dim, InputIR, LayerIR, LayerShapes, ModelIR, ModelShapes, NamedShape, Shape, SpecIR, WeightInfo } from '../ir.js';
import { fixParts, withNotes } from '../fix/alternatives.js';
import { removeInputFix } from '../fix/spec-edits.js';
import { checkContracts } from './contracts.js';
import { layoutOf } from './layout.js';
import { liveIds } from './live.js';
import { layerSizeProblem, shapeProblem, totalsProblem } from './limits.js';
import { isAffine, sameDim, showDim } from './affine.js';
import { checkSymbols, type LocatedBound, type LocatedRequirement, type SizedShape } from './constraints.js';
import { cameFrom, elementCount, type Received, type RuleContext, type RuleOutput } from './rule.js';
import { argumentChecks, rules } from './rules.js';
import { withTransposeFixes } from './solve-transpose.js';
import { dependencyOrder, subModelRule, type Composition, type SubModels } from './sub-model.js';

function dimsMatch(inferred: Shape, asserted: Shape): boolean {
  return inferred.length === asserted.length && inferred.every((d, a) => asserted[a] === null || sameDim(d, asserted[a]));
}

/**
 * Keras' `inputShape`, `batchInputShape` and `batchSize` on a layer (and an
 * embedding's `inputLength`, tfjs' and Keras 2's) are checked, not obeyed: the graph decides shapes.
 */
function checkKerasInputArgs(ctx: RuleContext, diagnostics: Diagnostic[]): void {
  const { layer } = ctx;
  const input = ctx.inputs[0];
  if (!input) return;
  const assertions: [string, Shape][] = [];
  if (layer.args['inputShape']) assertions.push(['inputShape', [null, ...(layer.args['inputShape'] as Shape)]]);
  if (layer.args['batchInputShape']) assertions.push(['batchInputShape', layer.args['batchInputShape'] as Shape]);
  if (layer.args['batchSize'] !== undefined) assertions.push(['batchSize', [layer.args['batchSize'] as number, ...input.shape.slice(1).map(() => null)]]);
  if (layer.args['inputLength'] !== undefined) assertions.push(['inputLength', [null, ...[layer.args['inputLength'] as number | number[]].flat()]]);
  for (const [option, shape] of assertions) {
    if (!dimsMatch(input.shape, shape)) {
      diagnostics.push(
        diagnostic('NS4006', layer.argSpans[option], `${option} says the layer receives ${showShape(shape)}, but it receives ${showShape(input.shape)} from '${input.id}'`, {
          notes: [cameFrom(input)],
        }),
      );
    }
  }
}

/**
 * Attaches the values of the spec's `weights:` files to the weights they
 * name; a file that names no weight or has the wrong shape is reported and left out.
 */
function withInitialValues(layer: LayerIR, weights: readonly WeightInfo[], diagnostics: Diagnostic[]): readonly WeightInfo[] {
  if (!layer.initialWeights) return weights;
  const names = weights.map((w) => w.name);
  const result = [...weights];
  for (const given of layer.initialWeights) {
    const at = given.name !== undefined ? names.indexOf(given.name) : given.index;
    const target = weights[at];
    if (!target) {
      const has = weights.length === 0 ? 'has no weights' : `has ${weights.length} weight${weights.length === 1 ? '' : 's'}: ${names.join(', ')}`;
      const what = given.name !== undefined ? `no weight '${given.name}'` : `no weight #${given.index + 1}`;
      const hint = given.name !== undefined ? didYouMean(given.name, names) : undefined;
      // The name is written in the weights file, which a fix of this spec cannot edit: the hint is a note.
      diagnostics.push(diagnostic('NS4011', given.span, `layer '${layer.id}' has ${what} for '${given.file}'; it ${has}`, hint ? { notes: [{ message: `in '${given.file}': ${hint}` }] } : {}));
      continue;
    }
    if (given.shape.length !== target.shape.length || given.shape.some((d, a) => d !== target.shape[a])) {
      diagnostics.push(
        diagnostic('NS4011', given.span, `'${given.file}' gives ${target.name} of layer '${layer.id}' the shape [${given.shape.join(', ')}]; the layer's ${target.name} is [${target.shape.join(', ')}]`, {
          ...(target.name === 'kernel' && layer.type.endsWith('Transpose') ? { notes: [{ message: 'transposed-convolution kernels are laid out [k..., filters, inChannels] (Keras/tfjs)' }] } : {}),
        }),
      );
      continue;
    }
    result[at] = { ...target, initial: given.values };
  }
  return result;
}

function count(weights: readonly WeightInfo[], trainable: boolean): number {
  return weights.filter((w) => w.trainable === trainable).reduce((sum, w) => sum + elementCount(w.shape), 0);
}

/** The symbolic sizes of a model's graph as it is inferred: what divisions need, and every shape that must stay non-empty. */
function symbolicSizes(model: ModelIR) {
  const requirements: LocatedRequirement[] = [];
  const shapes: SizedShape[] = [];
  const bounds: LocatedBound[] = [];
  for (const input of model.inputs) {
    shapes.push({ shape: [input.batchSize, ...input.shape], what: `input '${input.id}'`, span: input.span });
    for (const d of input.shape) if (isAffine(d) && d.denominator > 1) requirements.push({ whole: d, reason: `input '${input.id}' to have a whole size ${showDim(d)}`, span: input.span });
  }
  return {
    requirements,
    shapes,
    bounds,
    add(layer: LayerIR, out: RuleOutput): void {
      for (const r of out.requirements ?? []) requirements.push({ ...r, span: (r.option && layer.argSpans[r.option]) || layer.idSpan });
      for (const b of out.bounds ?? []) bounds.push({ ...b, span: (b.option && layer.argSpans[b.option]) || layer.idSpan });
      if (out.outputShape.some(isAffine)) shapes.push({ shape: out.outputShape, what: `layer '${layer.id}'`, span: layer.idSpan });
    },
  };
}

/** A diagnostic as the fix check compares them: where and what, not its fixes. */
const diagnosticKey = (d: Diagnostic) => `${d.code} ${d.span?.file} ${d.span?.start} ${d.message}`;

/**
 * `RuleContext.verify` for one model: infers the changed model (without fixes of its own) and compares
 * with the model as it is, inferred the same way once, when the first fix is checked.
 */
function fixVerifier(model: ModelIR, composition: Composition | undefined): (changed: ModelIR, code: Code, layer: LayerIR) => boolean {
  let now: Set<string> | undefined;
  return (changed, code, layer) => {
    now ??= new Set(inferGraph(model, composition, false).diagnostics.map(diagnosticKey));
    const after = inferGraph(changed, composition, false).diagnostics;
    const here = (d: Diagnostic) => d.code === code && d.message.startsWith(`layer '${layer.id}': `);
    return after.every((d) => now!.has(diagnosticKey(d)) && !here(d));
  };
}

/** What one pass over a model's graph found, errors or not: the solver re-runs it on changed models. */
export interface GraphPass {
  readonly diagnostics: readonly Diagnostic[];
  readonly layers: readonly LayerShapes[];
  readonly outputs: readonly NamedShape[];
}

/**
 * Infers every shape it can; layers after an error that depend on it are skipped, not reported again.
 * `explainSymbols`: whether a symbol error gets its consequence at a legal size (false inside that search).
 */
export function inferGraph(model: ModelIR, composition?: Composition, explainSymbols = true, verifyFixes = false): GraphPass {
  const diagnostics: Diagnostic[] = [];
  const verify = verifyFixes ? fixVerifier(model, composition) : undefined;
  const known = new Map<string, Received>();
  for (const input of model.inputs) {
    const shape = [input.batchSize, ...input.shape];
    const tooLarge = shapeProblem(shape, `input '${input.id}'`);
    if (tooLarge) diagnostics.push(diagnostic('NS4018', input.span, tooLarge, { notes: [{ message: 'give the input smaller sizes' }] }));
    else known.set(input.id, { shape, id: input.id, span: input.span, declared: true, input });
  }
  const symbolic = symbolicSizes(model);
  const layers: LayerShapes[] = [];
  for (const layer of model.layers) {
    const error: RuleContext['error'] = (code, message, extras = {}) => {
      const span = extras.at ?? ((extras.option && layer.argSpans[extras.option]) || (extras.option === 'from' ? layer.from[0]?.span : undefined) || layer.idSpan);
      diagnostics.push(diagnostic(code, span, `layer '${layer.id}': ${message}`, extras));
      return undefined;
    };
    // The layer's own options are checked even when an earlier error leaves its input unknown.
    const checks = { layer, error, model, ...(verify ? { verify: (changed: ModelIR, code: Code) => verify(changed, code, layer) } : {}) };
    const ownOptionsFit = argumentChecks[layer.type]?.(checks) ?? true;
    const inputs = layer.from.map((ref) => known.get(ref.id));
    if (inputs.some((i) => i === undefined)) continue; // an earlier error already explains this
    if (!ownOptionsFit) continue;
    const ctx: RuleContext = { ...checks, inputs: inputs as Received[] };
    const rule = layer.type === 'model' && composition ? subModelRule(composition) : rules[layer.type];
    if (!rule) {
      diagnostics.push(diagnostic('NS4010', layer.idSpan, `layer type '${layer.type}' has no shape rule yet`));
      continue;
    }
    const out = rule(ctx);
    if (!out) continue;
    // A size beyond what tfjs can allocate or netspec can count exactly stops here, at the layer that makes it.
    const tooLarge = layerSizeProblem(out.outputShape, out.weights, out.macs);
    if (tooLarge) {
      ctx.error('NS4018', tooLarge, { notes: [...ctx.inputs.map(cameFrom), { message: "check the sizes of this layer's options and of what it receives" }] });
      continue;
    }
    symbolic.add(layer, out);
    checkKerasInputArgs(ctx, diagnostics);
    const initialized = withInitialValues(layer, out.weights, diagnostics);
    const frozen = layer.args['trainable'] === false;
    const weights = frozen ? initialized.map((w) => ({ ...w, trainable: false })) : initialized;
    layers.push({ layer, inputShapes: ctx.inputs.map((i) => i.shape), outputShape: out.outputShape, weights, macs: out.macs });
    const layout = layoutOf(layer, ctx.inputs, diagnostics);
    known.set(layer.id, { shape: out.outputShape, id: layer.id, span: layer.idSpan, ...(layout ? { layout } : {}) });
  }

  const outputs: NamedShape[] = [];
  for (const output of model.outputs) {
    const got = known.get(output.ref.id);
    if (!got) continue;
    if (output.shape && !dimsMatch(got.shape.slice(1), output.shape)) {
      const expected: Dim[] = [null, ...output.shape];
      diagnostics.push(
        diagnostic('NS4006', output.shapeSpan ?? output.ref.span, `output '${output.ref.id}' is asserted as ${showShape(expected)} but inferred as ${showShape(got.shape)}`, {
          notes: [cameFrom(got)],
          fix: `if the layers are right, assert ${showShape(got.shape.slice(1))}`,
        }),
      );
    }
    outputs.push({ name: output.ref.id, shape: got.shape });
  }
  // A symbol error is explained by inferring the model at one size it allows; that inference explains nothing
  // itself (a sub-model may still hand back symbolic sizes), so the search is one level deep.
  const reinfer = explainSymbols ? { model, infer: (m: ModelIR) => inferGraph(m, composition, false).diagnostics } : undefined;
  diagnostics.push(...checkSymbols(model.symbols ?? [], symbolic.requirements, symbolic.shapes, reinfer, symbolic.bounds, model.inputs));
  return { diagnostics, layers, outputs };
}

/**
 * NS4019: an input no output depends on. tf.model accepts it, but leaves it out
 * of the model's layers, so a saved model loads with one input fewer and every
 * call that feeds all of them fails.
 */
function unreachedInput(model: ModelIR, input: InputIR): Diagnostic {
  const count = model.inputs.length;
  const text = `remove input '${input.id}'`;
  return diagnostic('NS4019', input.span, `input '${input.id}' of model '${model.name}' reaches no output: tfjs drops it when the model is saved, so the loaded model would take ${count - 1} input${count === 2 ? '' : 's'} instead of ${count}`, {
    ...withNotes(fixParts([{ text, edits: removeInputFix(model, input, text) }], [`read it with \`from: ${input.id}\` in a layer on the way to an output`])),
  });
}

/** A model's shapes when all could be inferred, and every layer that could, errors or not (later checks use them). */
export interface ModelInference extends Result<ModelShapes> {
  readonly layers: readonly LayerShapes[];
}

/** Infers every shape of one model, with verified fixes for size errors that a transposed convolution can remedy. */
export function inferModel(file: string, model: ModelIR, subModels: SubModels = new Map()): ModelInference {
  const composition: Composition = { subModels, infer: (m, s) => inferModel(file, m, s) };
  const pass = inferGraph(model, composition, true, true);
  const { layers, outputs } = pass;
  if (pass.diagnostics.length > 0 || model.incomplete || layers.length !== model.layers.length) return { diagnostics: withTransposeFixes(model, pass, (m) => inferGraph(m, composition)), layers };
  // What tf.model builds: the layers an output depends on. The others were checked, and NS5004 names them.
  const live = liveIds(model);
  const unreached = model.inputs.filter((i) => !live.has(i.id));
  if (unreached.length > 0) return { diagnostics: unreached.map((i) => unreachedInput(model, i)), layers };
  const built = layers.filter((l) => live.has(l.layer.id));
  const all = built.flatMap((l) => l.weights);
  const macs = built.some((l) => l.macs === null) ? null : built.reduce((sum, l) => sum + l.macs!, 0);
  const params = { trainable: count(all, true), nonTrainable: count(all, false) };
  const tooMuch = totalsProblem(params, macs);
  if (tooMuch) return { diagnostics: [diagnostic('NS4018', model.nameSpan, `model '${model.name}': ${tooMuch}`, { notes: [{ message: 'split the model, or use smaller layers' }] })], layers };
  return {
    value: {
      file,
      model,
      inputs: model.inputs.map((i) => ({ name: i.id, shape: [i.batchSize, ...i.shape] })),
      outputs,
      layers: built,
      params,
      macs,
    },
    diagnostics: [],
    layers,
  };
}

/** Infers the shapes of every model of a spec; `layers`: every layer of any model that inferred. */
export function inferShapes(spec: SpecIR): Result<ModelShapes[]> & { readonly layers: readonly LayerShapes[] } {
  const diagnostics: Diagnostic[] = [];
  const layers: LayerShapes[] = [];
  // A model that uses others as layers is inferred after them; the result keeps the spec's order.
  const inferred = new Map<string, ModelShapes>();
  for (const model of dependencyOrder(spec.models)) {
    const result = inferModel(spec.file, model, inferred);
    diagnostics.push(...result.diagnostics);
    layers.push(...result.layers);
    if (result.value) inferred.set(model.name, result.value);
  }
  diagnostics.push(...checkContracts(spec, inferred));
  return { value: spec.models.flatMap((m) => inferred.get(m.name) ?? []), diagnostics, layers };
}
