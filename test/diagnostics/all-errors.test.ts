import { expect, test } from 'vitest';
import { Locator } from '../../src/diagnostics/location.js';
import { check } from '../../src/index.js';

/**
 * One run reports every independent mistake once, at its line: schema errors,
 * expression errors and shape errors, across models, with nothing cascading
 * from a layer whose output is unknown because of an earlier error.
 */
const spec = `netspec: 1
params: { ngf: 64 }
models:
  generator:
    inputs: { z: [100] }
    layers:
      - { type: dense, units: 4 * 4 * ngf, activation: relu7 }
      - { type: reshape, targetShape: [4, 4, ngf] }
      - { type: conv2dTranspose, filters: 32, kernel_size: 4, strides: 2, padding: same }
      - { type: conv2dTranspose, id: up2, filters: 16, kernelSize: 4, strides: 2, padding: same }
    outputs: { up2: [17, 16, 16] }
  discriminator:
    inputs: { x: [64, 64, 3] }
    layers:
      - { type: conv2d, filters: 64, kernelSize: 4, strides: 2, padding: same }
      - { type: flatten }
      - { type: dense, units: 1, kernelInitializer: glorotUnifrom }
      - { type: reshape, targetShape: [2] }
  merger:
    inputs: { a: [8, 8, 4], b: [7, 7, 4] }
    layers:
      - { type: concatenate, from: [a, b] }
      - { type: dense, id: head, from: a, units: 2 * fooo }
      - { type: conv2d, id: tail, from: head, filters: 0, kernelSize: 1 }
`;

test('eight independent mistakes, eight errors, each at its line', () => {
  const result = check([{ path: 'specs/many.yaml', text: spec }]);
  const locator = new Locator(new Map([['specs/many.yaml', spec]]));
  const found = result.diagnostics.map((d) => `${locator.locate(d.span!).line} ${d.code}`);
  expect(found).toEqual([
    '7 NS2005', // activation: relu7 (did you mean relu); the layer's shape is still checked
    '9 NS2002', // kernel_size (did you mean kernelSize), read as kernelSize: the shapes after it are still checked
    '11 NS4006', // up2 is [16, 16, 16], not the [17, 16, 16] the outputs assert
    '17 NS2005', // glorotUnifrom
    '18 NS4005', // reshape of 1 element into [2]
    '22 NS4003', // concatenate of 8x8 and 7x7
    '23 NS3002', // unknown name fooo
    '24 NS2001', // filters: 0
  ]);
  expect(result.diagnostics.every((d) => d.severity === 'error')).toBe(true);
  // No model with an error is reported as inferred.
  expect(result.models).toEqual([]);
});

/**
 * Every family of mistake after the first error of a model, in layers whose input that
 * error leaves unknown: a schema error (NS2), a name error (NS3), a layer's own options
 * (NS4) and a lint (NS5) are each reported in the same run.
 */
const hidden = `netspec: 1
params: { ngf: 32 }
models:
  decoder:
    inputs: { bottleneck: [7, 7, 64], skip: [8, 8, 32] }
    layers:
      - { type: concatenate, id: merge, from: [bottleneck, skip] }
      - { type: conv2dTranspose, id: up1, filters: ngf, kernelSize: 4, strides: 2, padding: same, outputPadding: 2 }
      - { type: conv2dTranspose, id: up2, filters: ngff, kernelSize: 4, strides: 2, padding: same }
      - { type: conv2dTranspose, id: up3, filters: 16, kernelSize: 3, strides: 2, padding: same }
      - { type: batchNormalization, id: norm, momentum: 2 }
      - { type: conv2d, id: image, filters: 3, kernelSize: 3, padding: same, activation: tanh }
    outputs: { image: [56, 56, 3] }
`;

test('a mistake of every family behind an earlier error in the same model is reported in the same run', () => {
  const result = check([{ path: 'specs/hidden.yaml', text: hidden }]);
  const locator = new Locator(new Map([['specs/hidden.yaml', hidden]]));
  const found = result.diagnostics.map((d) => `${locator.locate(d.span!).line} ${d.code} ${hidden.slice(d.span!.start, d.span!.end)}`);
  expect(found).toEqual([
    '7 NS4003 skip', // the first error: 7x7 meets 8x8, so every shape after it is unknown
    '8 NS4008 2', // outputPadding 2 with strides 2, whatever up1 receives
    '9 NS3002 ngff', // an unknown name in an expression
    '10 NS5001 3', // kernel 3 with strides 2: checkerboard artifacts
    '11 NS2001 2', // momentum 2 is not in [0, 1]
  ]);
});
