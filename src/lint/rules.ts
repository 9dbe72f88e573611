import { showShape } from '../diagnostics/describe.js';
import type { FixEdits, Note } from '../diagnostics/diagnostic.js';
import { fixParts } from '../fix/alternatives.js';
import { removeLayerFix } from '../fix/layer-edits.js';
import { flowYaml, optionFix } from '../fix/option-edits.js';
import { addOutputFix, removeParamFix } from '../fix/spec-edits.js';
import { transposeRank } from '../infer/conv-transpose.js';
import { convTransposeOutputRange, effectiveKernel } from '../infer/formulas.js';
import { liveIds } from '../infer/live.js';
import { perAxis } from '../infer/rule.js';
import type { LayerIR, LayerShapes, ModelIR, Span, SpecIR } from '../ir.js';

/** A lint finding before its severity is settled: which layer it is about decides which settings apply. */
export interface Finding {
  readonly code: 'NS5001' | 'NS5002' | 'NS5003' | 'NS5004' | 'NS5005';
  readonly span: Span;
  readonly message: string;
  readonly fix?: string;
  /** The fix as edits: one is unambiguous, several are alternatives. */
  readonly fixes?: readonly FixEdits[];
  readonly notes?: readonly Note[];
  readonly layer?: LayerIR;
}

/** ` on axis 1`, when the layer's options differ per axis; a scalar option holds on every axis alike. */
function onAxis(layer: LayerIR, rank: number, axis: number): string {
  const perAxisWritten = ['kernelSize', 'strides', 'dilationRate'].some((o) => Array.isArray(layer.args[o]) && new Set(layer.args[o] as number[]).size > 1);
  return rank > 1 && perAxisWritten ? ` on axis ${axis}` : '';
}

/** NS5001: kernel sizes that are not multiples of the stride overlap unevenly (Odena, Dumoulin and Olah, "Deconvolution and Checkerboard Artifacts", 2016). */
export function checkerboard(layer: LayerIR): Finding | undefined {
  const rank = transposeRank[layer.type];
  if (rank === undefined) return undefined;
  const k = perAxis(layer.args['kernelSize'], rank, 1);
  const s = perAxis(layer.args['strides'], rank, 1);
  const axis = s.findIndex((stride, a) => stride > 1 && k[a]! % stride !== 0);
  if (axis < 0) return undefined;
  const better = Math.ceil(k[axis]! / s[axis]!) * s[axis]!;
  // The fix as edits raises every axis's kernel to a multiple of its stride, so that the lint is gone, not moved to the next axis.
  const raised = k.map((size, a) => (s[a]! > 1 && size % s[a]! !== 0 ? Math.ceil(size / s[a]!) * s[a]! : size));
  const written = layer.args['kernelSize'];
  const value = Array.isArray(written) || new Set(raised).size > 1 ? raised : raised[0]!;
  const edit = optionFix(layer, `set \`kernelSize: ${Array.isArray(value) ? `[${value.join(', ')}]` : value}\` on '${layer.id}'`, [{ option: 'kernelSize', value }]);
  return {
    code: 'NS5001',
    span: layer.argSpans['kernelSize'] ?? layer.idSpan,
    message: `layer '${layer.id}': kernelSize ${k[axis]} is not a multiple of strides ${s[axis]}${onAxis(layer, rank, axis)}: the kernels overlap unevenly and tend to paint checkerboard artifacts`,
    fix: `use kernelSize ${better}, or upSampling followed by a convolution`,
    ...(edit ? { fixes: [edit] } : {}),
    layer,
  };
}

/** NS5002: a valid transposed convolution with stride > 1 picks one of several sizes its mirror maps to the same length. */
export function ambiguousSize(layer: LayerIR, shapes: LayerShapes | undefined): Finding | undefined {
  const rank = transposeRank[layer.type];
  if (rank === undefined || layer.args['outputPadding'] !== undefined || layer.args['outputShape'] !== undefined) return undefined;
  if (layer.args['padding'] !== undefined && layer.args['padding'] !== 'valid') return undefined;
  const k = perAxis(layer.args['kernelSize'], rank, 1);
  const s = perAxis(layer.args['strides'], rank, 1);
  const d = perAxis(layer.args['dilationRate'], rank, 1);
  const axis = s.findIndex((stride) => stride > 1);
  if (axis < 0) return undefined;
  const input = shapes?.inputShapes[0];
  const channelsFirst = layer.args['dataFormat'] === 'channelsFirst';
  const i = input ? input[(channelsFirst ? 2 : 1) + axis] : null;
  const range = typeof i === 'number' ? convTransposeOutputRange(i, k[axis]!, s[axis]!, d[axis]!, 'valid') : undefined;
  const sizes = range ? `sizes ${range[0]}..${range[1]} all map back to ${i}` : `${s[axis]} sizes map back to each input size`;
  const chosen = shapes ? ` it picks ${showShape(shapes.outputShape)};` : '';
  // Each outputPadding below the stride states one of the sizes (Keras conv_utils.deconv_output_length:
  // (i - 1) * s + k + outputPadding for valid padding); the one the layer picks now comes first. Alternatives,
  // since only the encoder it mirrors knows which; one value holds on every axis only when the strides are alike.
  // Strides that differ get one entry per axis: the others keep the size the layer picks now.
  const kEff = effectiveKernel(k[axis]!, d[axis]!);
  const pickedOn = (j: number) => Math.max(s[j]! - effectiveKernel(k[j]!, d[j]!), 0);
  const picked = pickedOn(axis);
  const paddings = [picked, ...Array.from({ length: s[axis]! }, (_, p) => p).filter((p) => p !== picked)];
  const alike = new Set(s).size === 1;
  const fixes = paddings.flatMap((p) => {
    const size = typeof i === 'number' ? ` (output size ${(i - 1) * s[axis]! + kEff + p})` : '';
    const value = alike ? p : s.map((_, j) => (j === axis ? p : pickedOn(j)));
    const f = optionFix(layer, `set \`outputPadding: ${flowYaml(value)}\` on '${layer.id}'${size}`, [{ option: 'outputPadding', value }]);
    return f ? [f] : [];
  });
  return {
    code: 'NS5002',
    span: layer.argSpans['strides'] ?? layer.idSpan,
    message: `layer '${layer.id}': a valid transposed convolution with stride ${s[axis]}${onAxis(layer, rank, axis)} has an ambiguous output size:${chosen} ${sizes} (kernel ${effectiveKernel(k[axis]!, d[axis]!)})`,
    fix: 'state the size with outputPadding (e.g. outputPadding: 0) or outputShape, as the encoder it mirrors needs',
    // A single padding (stride 1 never gets here) would not be a choice; the lint needs at least two.
    ...(fixes.length > 1 ? { fixes } : {}),
    layer,
  };
}

/** NS5003: params no expression uses. */
export function unusedParams(spec: SpecIR): Finding[] {
  return spec.params
    .filter((p) => !p.used)
    .map((p) => {
      const text = `remove '${p.name}' from params`;
      return { code: 'NS5003', span: p.span, message: `param '${p.name}' is never used`, ...fixParts([{ text, edits: removeParamFix(p, text) }], ['use it in an expression']) };
    });
}

/** NS5004: layers no output depends on (nothing reads them, or only such layers do): tf.model leaves them out. Inputs: NS4019. */
export function unusedLayers(model: ModelIR, shapeOf: (layer: LayerIR) => LayerShapes | undefined = () => undefined): Finding[] {
  const live = liveIds(model);
  return model.layers
    .filter((l) => !live.has(l.id))
    .map((l): Finding => {
      const listed = `list '${l.id}' under \`outputs\``;
      const removed = `remove '${l.id}'`;
      const parts = fixParts(
        [
          { text: listed, edits: addOutputFix(model, l.id, shapeOf(l)?.outputShape, listed) },
          { text: removed, edits: removeLayerFix(model, l, removed) },
        ],
        ['read it with `from` in a layer on the way to an output'],
      );
      return { code: 'NS5004', span: l.idSpan, message: `layer '${l.id}' of model '${model.name}' is computed but never used`, ...parts, layer: l };
    });
}

const activationLayers = new Set(['activation', 'leakyReLU', 'reLU', 'elu', 'softmax']);

/** The activation a layer applies to its output; `linear` is none, also as an `activation` layer. */
function appliedActivation(layer: LayerIR): string | undefined {
  if (activationLayers.has(layer.type) && layer.type !== 'activation') return layer.type;
  const activation = layer.args['activation'];
  return typeof activation === 'string' && activation !== 'linear' ? activation : undefined;
}

/** NS5005: an activation layer reading a layer that already activates its output. */
export function doubleActivation(model: ModelIR): Finding[] {
  const byId = new Map(model.layers.map((l) => [l.id, l]));
  return model.layers.flatMap((layer): Finding[] => {
    const applies = activationLayers.has(layer.type) ? appliedActivation(layer) : undefined;
    const source = layer.from.length === 1 ? byId.get(layer.from[0]!.id) : undefined;
    const before = source ? appliedActivation(source) : undefined;
    if (!applies || !source || !before) return [];
    const removed = `remove '${layer.id}'`;
    // The source's activation is the layer itself (a reLU or activation layer), or its `activation:` option.
    const whole = activationLayers.has(source.type);
    const sourceActivation = whole ? `remove '${source.id}'` : `remove the activation of '${source.id}'`;
    const sourceEdits = whole ? removeLayerFix(model, source, sourceActivation) : optionFix(source, sourceActivation, [{ option: 'activation', value: undefined }]);
    const parts = fixParts([
      { text: removed, edits: removeLayerFix(model, layer, removed) },
      { text: sourceActivation, edits: sourceEdits },
    ]);
    return [
      {
        code: 'NS5005',
        span: layer.argSpans['activation'] ?? layer.idSpan,
        message: `layer '${layer.id}' applies ${applies} to '${source.id}', which already applies ${before}`,
        ...parts,
        notes: [{ message: `'${source.id}' applies ${before}`, span: source.argSpans['activation'] ?? source.idSpan }, ...parts.notes],
        layer,
      },
    ];
  });
}
