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

test('seven independent mistakes, seven errors, each at its line', () => {
  const result = check([{ path: 'specs/many.yaml', text: spec }]);
  const locator = new Locator(new Map([['specs/many.yaml', spec]]));
  const found = result.diagnostics.map((d) => `${locator.locate(d.span!).line} ${d.code}`);
  expect(found).toEqual([
    '7 NS2005', // activation: relu7 (did you mean relu); the layer's shape is still checked
    '9 NS2002', // kernel_size (did you mean kernelSize); what depends on this layer is not checked
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
