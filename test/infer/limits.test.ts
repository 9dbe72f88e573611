import { describe, expect, test } from 'vitest';
import { compile } from '../../src/index.js';
import { maxCount, maxTensorElements } from '../../src/infer/limits.js';
import { checkText } from '../helpers/found.js';

/** A spec with one model `m`: `inputs` on line 5, layers from line 7 (`      - ` then the flow mapping at column 9). */
function spec(inputs: string, layers: readonly string[], head = ''): string {
  return `netspec: 1\nname: limits\n${head}models:\n  m:\n    inputs: ${inputs}\n    layers:\n${layers.map((l) => `      - ${l}\n`).join('')}`;
}

const cases: [string, { given: string; want: [code: string, at: string, message: string][] }][] = [
  ['two upsamplings of 10**200 are out of range as values', {
    given: spec('{ x: [4, 4, 1] }', ["{ type: upSampling2d, size: '10**200' }", "{ type: upSampling2d, size: '10**200' }"]),
    want: [['NS3003', '7:38', "10**200"], ['NS3003', '8:38', "10**200"]],
  }],
  ['upsampling within range that still overflows the tensor', {
    given: spec('{ x: [4, 4, 1] }', ['{ type: upSampling2d, size: 100000 }']),
    want: [['NS4018', '7:17', "layer 'upSampling2d_1': its output [null, 400000, 400000, 1] would hold more than 2,147,483,647 elements per sample"]],
  }],
  ['a dimension beyond 2^31 - 1 is reported without printing an inexact number', {
    given: spec('{ x: [2147483647, 1] }', ['{ type: upSampling1d, size: 2 }']),
    want: [['NS4018', '7:17', "layer 'upSampling1d_1': its output would have a dimension (axis 1) of more than 2,147,483,647"]],
  }],
  ['a repeat of stride-2 transposed convolutions stops at the first layer too large', {
    given: spec('{ x: [4, 4, 1] }', ['{ repeat: 3000, layers: [{ type: conv2dTranspose, filters: 1, kernelSize: 2, strides: 2 }] }']),
    want: [['NS4018', '7:42', "layer 'conv2dTranspose_14': its output [null, 65536, 65536, 1] would hold more than"]],
  }],
  ['a dense kernel that no backend can allocate', {
    given: spec('{ x: [123456789] }', ['{ type: dense, units: 987654321 }']),
    want: [['NS4018', '7:17', "layer 'dense_1': its kernel [123456789, 987654321] would hold more than 2,147,483,647 elements"]],
  }],
  ['units: 1e300 is out of the schema range', {
    given: spec('{ x: [4] }', ['{ type: dense, units: 1e300 }']),
    want: [['NS2001', '7:31', "'units' of layer 'dense_1' (dense) must be a value <= 2147483647; received a number larger than 9,007,199,254,740,991"]],
  }],
  ['an input too large to allocate', {
    given: spec('{ x: [65536, 65536, 3] }', ['{ type: flatten }']),
    want: [['NS4018', '5:15', "input 'x' [null, 65536, 65536, 3] would hold more than 2,147,483,647 elements per sample"]],
  }],
  ['a fixed batch counts: the whole tensor must fit', {
    given: spec('{ x: { shape: [1024, 1024], batchSize: 4096 } }', ['{ type: flatten }']),
    want: [['NS4018', '5:15', "input 'x' [4096, 1024, 1024] would hold more than 2,147,483,647 elements, the largest"]],
  }],
  ['multiply-adds beyond 2^53 per sample', {
    given: spec('{ x: [46340, 46340, 1] }', ['{ type: conv2d, filters: 1, kernelSize: 1 }', '{ type: conv2d, filters: 1, kernelSize: 46340, padding: same }']),
    want: [['NS4018', '8:17', "layer 'conv2d_2': it would take more than 9,007,199,254,740,991 multiply-adds per sample"]],
  }],
  ['a symbol divided beyond any size a tensor can have', {
    given: spec('{ x: [H, 4, 1] }', ['{ type: conv2d, filters: 1, kernelSize: 1, strides: 1000000007 }', '{ type: conv2d, filters: 1, kernelSize: 1, strides: 1000000007 }'], 'symbols: { H: { multipleOf: 1000000007 } }\n'),
    want: [['NS4018', '9:17', "layer 'conv2d_2': its output has a size (axis 1) whose factor, offset or divisor is more than 2,147,483,647"]],
  }],
  ['two branches whose strides need a multiple larger than any dimension', {
    given: spec('{ x: [H, 4, 1] }', ['{ type: conv2d, filters: 1, kernelSize: 1, strides: [65521, 1] }', '{ type: conv2d, filters: 1, kernelSize: 1, strides: [65519, 1], from: x }'], 'symbols: [H]\n'),
    want: [['NS4018', '8:61', "H would have to be a multiple of more than 2,147,483,647 for 'conv2d_1' (strides [65521, 1]) to divide H evenly"]],
  }],
];

describe('sizes beyond what tfjs allocates or netspec counts exactly are located errors', () => {
  test.each(cases)('%s', (_, { given, want }) => {
    const { result, found } = checkText(given);
    expect(found.map((f) => [f.code, f.at])).toEqual(want.map(([code, at]) => [code, at]));
    want.forEach(([, , message], i) => expect(found[i]!.message).toContain(message));
    // Nothing printed is inexact: no exponent notation, no Infinity.
    for (const f of found) expect(f.message).not.toMatch(/e\+\d|Infinity|NaN/);
    expect(result.models).toEqual([]);
    expect(compile([{ path: 'specs/test.yaml', text: given }]).modules).toEqual([]);
  });
});

test('the largest sizes that fit are accepted, and their counts are exact', () => {
  const text = spec('{ x: [46340] }', ['{ type: dense, units: 46340, useBias: false }']);
  const { result, found } = checkText(text);
  expect(found).toEqual([]);
  const [model] = result.models;
  expect(model!.params.trainable).toBe(46340 * 46340);
  expect(46340 * 46340).toBeLessThanOrEqual(maxTensorElements);
  expect(Number.isSafeInteger(model!.macs)).toBe(true);
  expect(maxCount).toBe(2 ** 53 - 1);
});
