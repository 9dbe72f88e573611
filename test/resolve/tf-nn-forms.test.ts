import { expect, test } from 'vitest';
import type { Args } from '../../src/ir.js';
import { check } from '../../src/index.js';
import { parseSpec } from '../../src/parse/parse-spec.js';
import { resolveSpec } from '../../src/resolve/resolve-spec.js';
import { validateSpec } from '../../src/validate/validate-spec.js';

function resolve(options: string, dataFormat = ''): { args?: Args; found: string[] } {
  const text = ['netspec: 1', 'models:', '  m:', '    inputs: { x: [4, 4, 2] }', '    layers:', `      - { type: conv2dTranspose, filters: 4, kernelSize: 3, ${options}${dataFormat} }`, ''].join('\n');
  const validated = validateSpec(parseSpec({ path: 'a.yaml', text }).value!);
  expect(validated.diagnostics).toEqual([]);
  const resolved = resolveSpec(validated.value!);
  const layer = resolved.value?.models[0]?.layers[0];
  return { ...(layer ? { args: layer.args } : {}), found: resolved.diagnostics.map((d) => `${d.code} ${d.message}`) };
}

/** The tf.nn.conv_transpose forms of strides, dilations and output_shape become one entry per spatial axis. */
const accepted: [string, { given: string; dataFormat?: string; want: Args }][] = [
  ['one stride for every axis', { given: 'strides: [2]', want: { strides: [2, 2] } }],
  ['strides with batch and channel entries', { given: 'strides: [1, 2, 3, 1]', want: { strides: [2, 3] } }],
  ['channelsFirst strides with batch and channel entries', { given: 'strides: [1, 1, 2, 3]', dataFormat: ', dataFormat: channelsFirst', want: { strides: [2, 3] } }],
  ['dilations with batch and channel entries', { given: 'dilationRate: [1, 2, 2, 1]', want: { dilationRate: [2, 2] } }],
  ['an output_shape with batch and channels', { given: 'strides: 2, padding: same, outputShape: [1, 8, 7, 4]', want: { outputShape: [8, 7] } }],
  ['a channelsFirst output_shape', { given: 'strides: 2, padding: same, outputShape: [1, 4, 8, 7]', dataFormat: ', dataFormat: channelsFirst', want: { outputShape: [8, 7] } }],
];

test.each(accepted)('%s', (_, { given, dataFormat, want }) => {
  const { args, found } = resolve(given, dataFormat);
  expect(found).toEqual([]);
  expect(args).toMatchObject(want);
});

const rejected: [string, { given: string; want: string }][] = [
  ['batch or channel strides other than 1', { given: 'strides: [2, 2, 2, 2]', want: 'NS3015 strides [2, 2, 2, 2] has batch and channel entries (the tf.nn form); they must be 1, received 2 and 2' }],
  ['three strides for two axes', { given: 'strides: [1, 2, 2]', want: 'NS3015 strides [1, 2, 2] has 3 entries; a conv2dTranspose takes 1, 2 or 4' }],
  ['output_shape channels other than filters', { given: 'strides: 2, outputShape: [1, 9, 9, 3]', want: 'NS3015 outputShape [1, 9, 9, 3] has 3 channels but the layer has 4 filters' }],
  ['output_shape of three entries', { given: 'strides: 2, outputShape: [1, 9, 9]', want: 'NS3015 outputShape [1, 9, 9] has 3 entries; a conv2dTranspose takes 2 (spatial) or 4 (with batch and channels)' }],
];

test.each(rejected)('%s', (_, { given, want }) => {
  expect(resolve(given).found).toEqual([want]);
});

/** Messages index an option the way it was written: in the full forms spatial axis 0 is entry 1 (or 2 for channelsFirst). */
test.each([
  ['strides: [1, 2, 2, 1], padding: same, outputShape: [1, 9, 8, 4]', '', 'outputShape[1] = 9 is not reachable: legal sizes are 7..8'],
  ['strides: [1, 1, 2, 2], padding: same, outputShape: [1, 4, 8, 9]', ', dataFormat: channelsFirst', 'outputShape[3] = 9 is not reachable: legal sizes are 3..4'],
  ['strides: [1, 2, 2, 1], outputPadding: [0, 2]', '', 'outputPadding[1] = 2 must be < strides[2] = 2'],
])('%s%s', (given, dataFormat, message) => {
  const text = ['netspec: 1', 'models:', '  m:', '    inputs: { x: [4, 4, 2] }', '    layers:', `      - { type: conv2dTranspose, filters: 4, kernelSize: 3, ${given}${dataFormat} }`, ''].join('\n');
  const found = check([{ path: 'a.yaml', text }]).diagnostics.filter((d) => d.code === 'NS4008');
  expect(found.map((d) => d.message)).toEqual([`layer 'conv2dTranspose_1': ${message}`]);
});
