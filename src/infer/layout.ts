import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { fixParts, withNotes } from '../fix/alternatives.js';
import { optionFix } from '../fix/option-edits.js';
import type { LayerIR } from '../ir.js';
import type { DataFormat, Layout, Received } from './rule.js';

/**
 * Which axis of a tensor holds the channels is not in its shape, so netspec
 * follows it through the graph: spatial layers say how they read and write,
 * element-wise layers keep it, flattening layers end it. A layer that reads
 * channelsFirst what another wrote channelsLast (or the reverse) computes
 * with the axes mixed up, and no shape check can see it.
 */

/** Layers that read a spatial layout, with the `dataFormat` option or always channelsLast (the 1D ones). */
const spatial = new Set([
  ...['conv', 'maxPooling', 'averagePooling', 'upSampling', 'zeroPadding', 'cropping'].flatMap((t) => [`${t}1d`, `${t}2d`, `${t}3d`]),
  'conv1dTranspose',
  'conv2dTranspose',
  'conv3dTranspose',
  'reflectionPadding1d',
  'reflectionPadding2d',
  'reflectionPadding3d',
  ...['globalAveragePooling', 'globalMaxPooling'].flatMap((t) => [`${t}1d`, `${t}2d`, `${t}3d`]),
  'depthToSpace',
  'spaceToDepth',
  'pixelShuffle',
  'minibatchStdDev',
  'selfAttention',
  'depthwiseConv2d',
  'separableConv1d',
  'separableConv2d',
  'spatialDropout2d',
  'spatialDropout3d',
  'flatten',
]);

/** Layers whose output is no longer laid out in space. */
const flattening = new Set(['flatten', ...['globalAveragePooling', 'globalMaxPooling'].flatMap((t) => [`${t}1d`, `${t}2d`, `${t}3d`]), 'dense', 'reshape']);

/** Layers that keep their input's layout. */
const keeping = new Set(['activation', 'leakyReLU', 'reLU', 'elu', 'prelu', 'softmax', 'dropout', 'batchNormalization', 'layerNormalization', 'groupNormalization', 'instanceNormalization', 'pixelNormalization', 'add', 'multiply', 'concatenate', 'subtract', 'average', 'maximum', 'minimum', 'gaussianNoise', 'gaussianDropout', 'spatialDropout1d']);

function formatOf(layer: LayerIR): DataFormat {
  return (layer.args['dataFormat'] as DataFormat | undefined) ?? 'channelsLast';
}

/** The layout of a layer's output, after checking that its inputs agree with how it reads them. */
export function layoutOf(layer: LayerIR, inputs: readonly Received[], diagnostics: Diagnostic[]): Layout | undefined {
  const laidOut = inputs.flatMap((i) => (i.layout ? [i.layout] : []));
  if (spatial.has(layer.type)) {
    const reads = formatOf(layer);
    const other = laidOut.find((l) => l.format !== reads);
    if (other) {
      diagnostics.push(
        diagnostic('NS4012', layer.argSpans['dataFormat'] ?? layer.idSpan, `layer '${layer.id}' reads ${reads} but '${other.id}' writes ${other.format}: channels and spatial axes would be mixed up`, {
          ...withNotes(
            fixParts([{ text: `set \`dataFormat: ${other.format}\` on '${layer.id}'`, edits: optionFix(layer, `set \`dataFormat: ${other.format}\` on '${layer.id}'`, [{ option: 'dataFormat', value: other.format }]) }], [
              'use the same data format on both (e.g. under `defaults:`)',
            ]),
            [{ message: `'${other.id}' writes ${other.format}`, span: other.span }],
          ),
        }),
      );
    }
    // Global pooling with keepdims keeps the axes (at size 1), and so the layout.
    return flattening.has(layer.type) && layer.args['keepdims'] !== true ? undefined : { format: reads, id: layer.id, span: layer.idSpan };
  }
  if (!keeping.has(layer.type)) return undefined;
  const [first, ...rest] = laidOut;
  const other = rest.find((l) => l.format !== first!.format);
  if (first && other) {
    diagnostics.push(
      diagnostic('NS4012', layer.from[0]?.span ?? layer.idSpan, `layer '${layer.id}' merges data laid out ${first.format} by '${first.id}' with data laid out ${other.format} by '${other.id}'`, {
        notes: [
          { message: `'${first.id}' writes ${first.format}`, span: first.span },
          { message: `'${other.id}' writes ${other.format}`, span: other.span },
          { message: 'give the layers that produce them the same data format' },
        ],
      }),
    );
  }
  return first;
}
