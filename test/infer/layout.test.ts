import { describe, expect, test } from 'vitest';
import { Locator } from '../../src/diagnostics/location.js';
import { check } from '../../src/index.js';

function spec(layers: string[], inputs = '{ x: [8, 8, 4] }'): string {
  return ['netspec: 1', 'models:', '  m:', `    inputs: ${inputs}`, '    layers:', ...layers.map((l) => `      - ${l}`), ''].join('\n');
}

function found(text: string): string[] {
  const locator = new Locator(new Map([['a.yaml', text]]));
  return check([{ path: 'a.yaml', text }]).diagnostics.map((d) => {
    const at = locator.locate(d.span!);
    return `${d.code} ${at.line}:${at.column} ${d.message}`;
  });
}

/** The channel layout is followed through the graph: a layer that reads it differently from how it was written is NS4012. */
const cases: [string, { given: string; want: string[] }][] = [
  ['channelsFirst after channelsLast, at the option', {
    given: spec(['{ type: conv2d, id: a, filters: 4, kernelSize: 1 }', '{ type: conv2d, id: b, filters: 4, kernelSize: 1, dataFormat: channelsFirst }']),
    want: ["NS4012 7:71 layer 'b' reads channelsFirst but 'a' writes channelsLast: channels and spatial axes would be mixed up"],
  }],
  ['the default after channelsFirst, at the id', {
    given: spec(['{ type: conv2d, id: a, filters: 4, kernelSize: 1, dataFormat: channelsFirst }', '{ type: conv2dTranspose, id: b, filters: 4, kernelSize: 1 }']),
    want: ["NS4012 7:38 layer 'b' reads channelsLast but 'a' writes channelsFirst: channels and spatial axes would be mixed up"],
  }],
  ['through element-wise layers', {
    given: spec(['{ type: conv2d, id: a, filters: 4, kernelSize: 1, dataFormat: channelsFirst }', '{ type: batchNormalization, axis: 1 }', '{ type: leakyReLU }', '{ type: maxPooling2d, id: p }']),
    want: ["NS4012 9:35 layer 'p' reads channelsLast but 'a' writes channelsFirst: channels and spatial axes would be mixed up"],
  }],
  ['merging two layouts', {
    given: spec(['{ type: conv2d, id: a, filters: 4, kernelSize: 1 }', '{ type: conv2d, id: b, from: x, filters: 4, kernelSize: 1, dataFormat: channelsFirst }', '{ type: add, id: s, from: [a, b] }'], '{ x: [4, 4, 4] }'),
    want: ["NS4012 8:36 layer 's' merges data laid out channelsLast by 'a' with data laid out channelsFirst by 'b'"],
  }],
  ['through the noise layers into a spatial dropout and a depthwise convolution', {
    given: spec(['{ type: separableConv2d, id: a, filters: 4, kernelSize: 1, dataFormat: channelsFirst }', '{ type: gaussianNoise, stddev: 0.1 }', '{ type: gaussianDropout, rate: 0.1 }', '{ type: spatialDropout2d, id: d, rate: 0.1 }', '{ type: depthwiseConv2d, id: dw, kernelSize: 1, dataFormat: channelsFirst }']),
    want: [
      "NS4012 9:39 layer 'd' reads channelsLast but 'a' writes channelsFirst: channels and spatial axes would be mixed up",
      // The dropout writes the layout it reads, so the next layer is checked against it.
      "NS4012 10:69 layer 'dw' reads channelsFirst but 'd' writes channelsLast: channels and spatial axes would be mixed up",
    ],
  }],
  ['one layout throughout is fine', {
    given: spec(['{ type: conv2d, filters: 4, kernelSize: 1, dataFormat: channelsFirst }', '{ type: upSampling2d, dataFormat: channelsFirst }', '{ type: conv2dTranspose, filters: 2, kernelSize: 2, dataFormat: channelsFirst }']),
    want: [],
  }],
  ['flattening ends the layout', {
    given: spec(['{ type: conv2d, filters: 4, kernelSize: 1, dataFormat: channelsFirst }', '{ type: flatten, dataFormat: channelsFirst }', '{ type: dense, units: 64 }', '{ type: reshape, targetShape: [4, 4, 4] }', '{ type: conv2d, filters: 2, kernelSize: 1 }']),
    want: [],
  }],
  ['an input has no known layout: the first layer decides', {
    given: spec(['{ type: conv2d, filters: 4, kernelSize: 1, dataFormat: channelsFirst }']),
    want: [],
  }],
  ['defaults give every layer the same layout', {
    given: 'defaults: { dataFormat: channelsFirst }\n' + spec(['{ type: conv2d, filters: 4, kernelSize: 1 }', '{ type: averagePooling2d }', '{ type: conv2dTranspose, filters: 2, kernelSize: 2 }']),
    want: [],
  }],
];

describe('data formats through the graph', () => {
  test.each(cases)('%s', (_, { given, want }) => expect(found(given)).toEqual(want));
});
