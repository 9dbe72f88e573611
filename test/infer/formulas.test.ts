/**
 * Every length formula, with expected values worked out by hand from docs/semantics.md
 * (Keras 3 `compute_conv_transpose_output_shape`, `tf.nn.conv_transpose`) and
 * Keras `conv_utils.conv_output_length`; never by calling the function under test.
 */
import { describe, expect, test } from 'vitest';
import {
  convOutputLength,
  convTransposeCropBefore,
  convTransposeOutputFormula,
  convTransposeOutputLength,
  convTransposeOutputRange,
  croppedLength,
  effectiveKernel,
  fullTransposeLength,
  paddedLength,
  poolOutputLength,
  product,
  causalPadding,
  samePadding,
  samePaddingBefore,
  upSampledLength,
  type Length,
  type PadPair,
  type PaddingMode,
} from '../../src/infer/formulas.js';

type TransposePadding = 'valid' | 'same' | PadPair;

describe('effectiveKernel', () => {
  const table: [string, { given: [k: number, d: number]; want: number }][] = [
    ['no dilation', { given: [3, 1], want: 3 }],
    ['k=3 d=2 (one hole)', { given: [3, 2], want: 5 }],
    ['k=5 d=3', { given: [5, 3], want: 13 }],
    ['k=1 ignores dilation', { given: [1, 4], want: 1 }],
    ['k=2 d=4', { given: [2, 4], want: 5 }],
  ];
  test.each(table)('%s', (_, { given, want }) => expect(effectiveKernel(...given)).toBe(want));
});

describe('convOutputLength', () => {
  const table: [string, { given: [i: number | null, k: number, s: number, d: number, p: PaddingMode | PadPair]; want: Length }][] = [
    ['valid k=3 s=1: i - k + 1', { given: [7, 3, 1, 1, 'valid'], want: 5 }],
    // PyTorch Conv2d: floor((i + b + e - d*(k - 1) - 1) / s) + 1.
    ['explicit [1, 1] k=3 s=1 keeps the length (Conv2d(padding=1))', { given: [7, 3, 1, 1, [1, 1]], want: 7 }],
    ['explicit [2, 0] k=3 s=1', { given: [7, 3, 1, 1, [2, 0]], want: 7 }],
    ['explicit [1, 1] k=3 s=2: floor(6 / 2) + 1', { given: [7, 3, 2, 1, [1, 1]], want: 4 }],
    ['explicit [1, 0] k=4 s=2: floor(4 / 2) + 1', { given: [7, 4, 2, 1, [1, 0]], want: 3 }],
    ['explicit [2, 2] k=3 d=2 (ek 5) s=1', { given: [5, 3, 1, 2, [2, 2]], want: 5 }],
    ['explicit [0, 0] is valid', { given: [7, 3, 2, 1, [0, 0]], want: 3 }],
    ['explicit too little for the kernel: empty', { given: [1, 4, 1, 1, [1, 1]], want: 0 }],
    ['explicit unknown stays unknown', { given: [null, 3, 1, 1, [1, 1]], want: null }],
    ['valid k=3 s=2: ceil(5 / 2)', { given: [7, 3, 2, 1, 'valid'], want: 3 }],
    ['valid k=3 s=2 even: ceil(6 / 2)', { given: [8, 3, 2, 1, 'valid'], want: 3 }],
    ['valid k=4 s=3: ceil(9 / 3)', { given: [12, 4, 3, 1, 'valid'], want: 3 }],
    ['valid k=4 s=3 one more: ceil(10 / 3)', { given: [13, 4, 3, 1, 'valid'], want: 4 }],
    ['valid k=3 d=2 (ek 5)', { given: [7, 3, 1, 2, 'valid'], want: 3 }],
    ['valid k=3 d=3 (ek 7) exactly fits', { given: [7, 3, 1, 3, 'valid'], want: 1 }],
    ['valid kernel = input', { given: [5, 5, 1, 1, 'valid'], want: 1 }],
    ['valid kernel > input: empty', { given: [2, 3, 1, 1, 'valid'], want: 0 }],
    ['valid kernel much larger: negative', { given: [1, 4, 1, 1, 'valid'], want: -2 }],
    ['same s=1 keeps length', { given: [7, 3, 1, 1, 'same'], want: 7 }],
    ['same s=2: ceil(7 / 2)', { given: [7, 3, 2, 1, 'same'], want: 4 }],
    ['same s=2 even', { given: [8, 5, 2, 1, 'same'], want: 4 }],
    ['same s=3: ceil(10 / 3)', { given: [10, 1, 3, 1, 'same'], want: 4 }],
    ['same kernel > input', { given: [2, 7, 1, 1, 'same'], want: 2 }],
    ['same ignores dilation', { given: [9, 3, 1, 4, 'same'], want: 9 }],
    ['causal s=1 keeps length', { given: [10, 3, 1, 2, 'causal'], want: 10 }],
    ['causal s=2', { given: [9, 3, 2, 1, 'causal'], want: 5 }],
    ['unknown stays unknown (valid)', { given: [null, 3, 2, 1, 'valid'], want: null }],
    ['unknown stays unknown (same)', { given: [null, 3, 1, 1, 'same'], want: null }],
  ];
  test.each(table)('%s', (_, { given, want }) => expect(convOutputLength(...given)).toBe(want));
});

describe('samePadding and causalPadding: [begin, end]', () => {
  const same: [string, { given: [i: number, k: number, s: number, d: number]; want: PadPair }][] = [
    ['k=3 s=1: 1 each side (PyTorch padding=same)', { given: [7, 3, 1, 1], want: [1, 1] }],
    ['k=4 s=1: the smaller half first (PyTorch: total // 2 left)', { given: [7, 4, 1, 1], want: [1, 2] }],
    ['k=3 d=2 s=1: d*(k-1) = 4', { given: [7, 3, 1, 2], want: [2, 2] }],
    ['k=3 s=2 odd i: (4-1)*2 + 3 - 7 = 2', { given: [7, 3, 2, 1], want: [1, 1] }],
    ['k=3 s=2 even i: (4-1)*2 + 3 - 8 = 1', { given: [8, 3, 2, 1], want: [0, 1] }],
    ['k=1 s=2: nothing', { given: [8, 1, 2, 1], want: [0, 0] }],
    ['k=2 s=3 i=7: (3-1)*3 + 2 - 7 = 1', { given: [7, 2, 3, 1], want: [0, 1] }],
  ];
  test.each(same)('same %s', (_, { given, want }) => expect(samePadding(...given)).toEqual(want));
  const causal: [string, { given: [k: number, d: number]; want: PadPair }][] = [
    ['k=3: two before', { given: [3, 1], want: [2, 0] }],
    ['k=3 d=2: (k-1)*d = 4 before (Keras Conv1D causal)', { given: [3, 2], want: [4, 0] }],
    ['k=1: none', { given: [1, 5], want: [0, 0] }],
  ];
  test.each(causal)('causal %s', (_, { given, want }) => expect(causalPadding(...given)).toEqual(want));
});

describe('samePaddingBefore', () => {
  // TensorFlow: out = ceil(i / s); total = max(0, (out - 1) * s + ek - i); before = floor(total / 2).
  const table: [string, { given: [i: number, k: number, s: number, d: number]; want: number }][] = [
    ['k=3 s=1: one each side', { given: [7, 3, 1, 1], want: 1 }],
    ['k=4 s=1: total 3, smaller half first', { given: [7, 4, 1, 1], want: 1 }],
    ['k=5 s=1: total 4', { given: [7, 5, 1, 1], want: 2 }],
    ['k=2 s=1: total 1 goes after', { given: [7, 2, 1, 1], want: 0 }],
    ['k=3 s=2 odd input: total 2', { given: [7, 3, 2, 1], want: 1 }],
    ['k=3 s=2 even input: total 1', { given: [8, 3, 2, 1], want: 0 }],
    ['k=4 s=2 even input: total 2', { given: [8, 4, 2, 1], want: 1 }],
    ['k=1 s=2: no padding', { given: [8, 1, 2, 1], want: 0 }],
    ['k=3 d=2 (ek 5) s=1: total 4', { given: [9, 3, 1, 2], want: 2 }],
    ['kernel larger than input: total 6', { given: [2, 7, 1, 1], want: 3 }],
  ];
  test.each(table)('%s', (_, { given, want }) => expect(samePaddingBefore(...given)).toBe(want));
});

describe('fullTransposeLength', () => {
  const table: [string, { given: [i: number, k: number, s: number, d: number]; want: number }][] = [
    ['(i-1)*s + k', { given: [4, 3, 2, 1], want: 9 }],
    ['stride 1: i + k - 1', { given: [5, 3, 1, 1], want: 7 }],
    ['k < s leaves gaps', { given: [4, 1, 2, 1], want: 7 }],
    ['dilated kernel (ek 5)', { given: [4, 3, 1, 2], want: 8 }],
    ['single input position', { given: [1, 5, 3, 1], want: 5 }],
    ['DCGAN 4 -> k5 s2', { given: [4, 5, 2, 1], want: 11 }],
  ];
  test.each(table)('%s', (_, { given, want }) => expect(fullTransposeLength(...given)).toBe(want));
});

describe('convTransposeOutputLength (docs/semantics.md)', () => {
  type Given = [i: Length, k: number, s: number, d: number, padding: TransposePadding, op?: number];
  const table: [string, { given: Given; want: Length }][] = [
    // valid: (i-1)*s + ek + op, or (i-1)*s + max(ek, s) without op.
    ['valid k=3 s=2 no op: 3*2 + max(3, 2)', { given: [4, 3, 2, 1, 'valid'], want: 9 }],
    ['valid k=3 s=2 op=0', { given: [4, 3, 2, 1, 'valid', 0], want: 9 }],
    ['valid k=3 s=2 op=1', { given: [4, 3, 2, 1, 'valid', 1], want: 10 }],
    ['valid k=1 s=2 no op: max(ek, s) = s', { given: [4, 1, 2, 1, 'valid'], want: 8 }],
    ['valid k=1 s=2 op=0: only ek', { given: [4, 1, 2, 1, 'valid', 0], want: 7 }],
    ['valid k=2 s=3 no op: 1*3 + 3', { given: [2, 2, 3, 1, 'valid'], want: 6 }],
    ['valid k=2 s=3 op=2', { given: [2, 2, 3, 1, 'valid', 2], want: 7 }],
    ['valid k=4 s=4 no op: exact tiling', { given: [3, 4, 4, 1, 'valid'], want: 12 }],
    ['valid stride 1: i + k - 1', { given: [5, 3, 1, 1, 'valid'], want: 7 }],
    ['valid k=3 d=2 s=1 (ek 5)', { given: [5, 3, 1, 2, 'valid'], want: 9 }],
    ['valid k=3 d=3 s=1 (ek 7) op=0', { given: [2, 3, 1, 3, 'valid', 0], want: 8 }],
    ['valid i=1', { given: [1, 5, 2, 1, 'valid'], want: 5 }],
    // same: i*s without op, else (i-1)*s + ek%2 + op.
    ['same k=3 s=2 no op: i*s', { given: [4, 3, 2, 1, 'same'], want: 8 }],
    ['same k=5 s=2 no op (DCGAN)', { given: [4, 5, 2, 1, 'same'], want: 8 }],
    ['same k=3 s=2 op=1: 6 + 1 + 1', { given: [4, 3, 2, 1, 'same', 1], want: 8 }],
    ['same k=3 s=2 op=0: 6 + 1', { given: [4, 3, 2, 1, 'same', 0], want: 7 }],
    ['same k=4 s=2 op=1: even kernel, 6 + 0 + 1', { given: [4, 4, 2, 1, 'same', 1], want: 7 }],
    ['same k=4 s=2 op=0', { given: [4, 4, 2, 1, 'same', 0], want: 6 }],
    ['same k=1 s=3 op=2: 9 + 1 + 2', { given: [4, 1, 3, 1, 'same', 2], want: 12 }],
    ['same stride 1 keeps length', { given: [5, 3, 1, 1, 'same'], want: 5 }],
    ['same k=3 d=2 s=1 no op', { given: [5, 3, 1, 2, 'same'], want: 5 }],
    ['same k=2 d=2 s=1 op=0: ek 3 is odd', { given: [5, 2, 1, 2, 'same', 0], want: 5 }],
    ['same k=3 d=2 s=1 op=0: ek 5 is odd', { given: [5, 3, 1, 2, 'same', 0], want: 5 }],
    ['same k=2 s=1 op=0: ek 2 is even, one shorter', { given: [5, 2, 1, 1, 'same', 0], want: 4 }],
    // explicit [begin, end]: (i-1)*s + ek + op - begin - end.
    ['explicit [1, 1] k=3 s=2', { given: [4, 3, 2, 1, [1, 1]], want: 7 }],
    ['explicit [0, 2] k=3 s=2', { given: [4, 3, 2, 1, [0, 2]], want: 7 }],
    ['explicit [0, 0] = full length', { given: [4, 3, 2, 1, [0, 0]], want: 9 }],
    ['explicit [0, 0] k=1 s=2: no max(ek, s)', { given: [4, 1, 2, 1, [0, 0]], want: 7 }],
    ['explicit [1, 2] op=1', { given: [4, 3, 2, 1, [1, 2], 1], want: 7 }],
    ['explicit [1, 1] k=4 s=2 (PyTorch DCGAN doubling)', { given: [4, 4, 2, 1, [1, 1]], want: 8 }],
    ['explicit with dilation: ek 5', { given: [3, 3, 1, 2, [2, 2]], want: 3 }],
    ['explicit crops everything: 3 - 4', { given: [1, 3, 1, 1, [2, 2]], want: -1 }],
    // unknown lengths propagate whatever the padding.
    ['unknown, valid', { given: [null, 3, 2, 1, 'valid'], want: null }],
    ['unknown, same with op', { given: [null, 3, 2, 1, 'same', 1], want: null }],
    ['unknown, explicit', { given: [null, 3, 2, 1, [1, 1]], want: null }],
  ];
  test.each(table)('%s', (_, { given, want }) => expect(convTransposeOutputLength(...given)).toBe(want));
});

describe('convTransposeOutputFormula (the hover text of each case of convTransposeOutputLength)', () => {
  type Given = [i: Length, k: number, s: number, d: number, padding: TransposePadding, op?: number];
  const table: [string, { given: Given; want: string }][] = [
    ['valid no op', { given: [8, 5, 2, 1, 'valid'], want: '(8-1)*2 + max(5, 2) = 19' }],
    ['valid op=1', { given: [8, 5, 2, 1, 'valid', 1], want: '(8-1)*2 + 5 + 1 = 20' }],
    ['valid dilated: ek (3-1)*2+1 = 5', { given: [5, 3, 1, 2, 'valid'], want: '(5-1)*1 + max(5, 1) = 9' }],
    ['same no op', { given: [8, 5, 2, 1, 'same'], want: '8*2 = 16' }],
    ['same op=1', { given: [8, 3, 2, 1, 'same', 1], want: '(8-1)*2 + 3%2 + 1 = 16' }],
    ['explicit [2, 2] op=1', { given: [8, 5, 2, 1, [2, 2], 1], want: '(8-1)*2 + 5 + 1 - 2 - 2 = 16' }],
    ['explicit [1, 1]', { given: [4, 4, 2, 1, [1, 1]], want: '(4-1)*2 + 4 - 1 - 1 = 8' }],
    ['symbolic i', { given: [{ kind: 'affine', terms: [{ symbol: 'H', coefficient: 1 }], constant: 0, denominator: 4 }, 4, 2, 1, 'same'], want: '(H/4)*2 = H/2' }],
    ['unknown i', { given: [null, 3, 2, 1, 'valid'], want: '(null-1)*2 + max(3, 2) = null' }],
  ];
  test.each(table)('%s', (_, { given, want }) => expect(convTransposeOutputFormula(...given)).toBe(want));
});

describe('convTransposeOutputRange (outputShape, as in tf.nn.conv_transpose)', () => {
  // Legal outputs are those the forward convolution maps back to i:
  // valid [(i-1)s + ek, (i-1)s + ek + s - 1], same [(i-1)s + 1, i*s], explicit shifted down by begin + end.
  const table: [string, { given: [i: number, k: number, s: number, d: number, padding: TransposePadding]; want: [number, number] }][] = [
    ['valid k=3 s=2', { given: [4, 3, 2, 1, 'valid'], want: [9, 10] }],
    ['valid k=2 s=3', { given: [2, 2, 3, 1, 'valid'], want: [5, 7] }],
    ['valid k=1 s=2', { given: [4, 1, 2, 1, 'valid'], want: [7, 8] }],
    ['valid stride 1: one legal size', { given: [5, 3, 1, 1, 'valid'], want: [7, 7] }],
    ['valid dilation (ek 5)', { given: [3, 3, 1, 2, 'valid'], want: [7, 7] }],
    ['same k=3 s=2', { given: [4, 3, 2, 1, 'same'], want: [7, 8] }],
    ['same k=5 s=4', { given: [3, 5, 4, 1, 'same'], want: [9, 12] }],
    ['same stride 1: one legal size', { given: [5, 3, 1, 1, 'same'], want: [5, 5] }],
    ['explicit [1, 1] k=3 s=2', { given: [4, 3, 2, 1, [1, 1]], want: [7, 8] }],
    ['explicit [0, 3] k=4 s=3', { given: [2, 4, 3, 1, [0, 3]], want: [4, 6] }],
  ];
  test.each(table)('%s', (_, { given, want }) => expect(convTransposeOutputRange(...given)).toEqual(want));

  // Every legal size goes back to i through the forward convolution; one past either end does not.
  const grid: [i: number, k: number, s: number, d: number, p: 'valid' | 'same'][] = [];
  for (const i of [1, 2, 5]) for (const k of [1, 2, 3, 4, 5]) for (const s of [1, 2, 3]) for (const p of ['valid', 'same'] as const) grid.push([i, k, s, 1, p]);
  for (const i of [1, 4]) for (const k of [2, 3]) for (const d of [2, 3]) for (const p of ['valid', 'same'] as const) grid.push([i, k, 1, d, p]);
  test('the range is exactly the preimage of i under the forward convolution', () => {
    for (const [i, k, s, d, p] of grid) {
      const [low, high] = convTransposeOutputRange(i, k, s, d, p);
      for (let o = low; o <= high; o++) expect([i, k, s, d, p, o, convOutputLength(o, k, s, d, p)]).toEqual([i, k, s, d, p, o, i]);
      expect(convOutputLength(high + 1, k, s, d, p)).not.toBe(i);
      if (low - 1 >= 1) expect(convOutputLength(low - 1, k, s, d, p)).not.toBe(i);
    }
  });
  test('the default output length (no outputPadding) is always legal', () => {
    for (const [i, k, s, d, p] of grid) {
      const [low, high] = convTransposeOutputRange(i, k, s, d, p);
      const o = convTransposeOutputLength(i, k, s, d, p)!;
      expect(o >= low && o <= high, `${p} i=${i} k=${k} s=${s} d=${d}: ${o} not in ${low}..${high}`).toBe(true);
    }
  });
});

describe('convTransposeCropBefore (docs/semantics.md values)', () => {
  // same: floor(max(0, (i-1)*s + ek - o) / 2); valid: 0; explicit: begin.
  const table: [string, { given: [i: number, k: number, s: number, d: number, padding: TransposePadding, o: number]; want: number }][] = [
    ['valid never crops the start', { given: [4, 3, 2, 1, 'valid', 9], want: 0 }],
    ['valid with a longer output (op)', { given: [4, 3, 2, 1, 'valid', 10], want: 0 }],
    ['valid k<s extends the end only', { given: [4, 1, 2, 1, 'valid', 8], want: 0 }],
    ['same k=3 s=2 o=8: full 9, crop 0', { given: [4, 3, 2, 1, 'same', 8], want: 0 }],
    ['same k=3 s=2 o=7 (op=0): full 9, crop 1', { given: [4, 3, 2, 1, 'same', 7], want: 1 }],
    ['same k=5 s=2 o=8 (DCGAN): floor((5-2)/2)', { given: [4, 5, 2, 1, 'same', 8], want: 1 }],
    ['same k=4 s=2 o=8: floor((4-2)/2)', { given: [4, 4, 2, 1, 'same', 8], want: 1 }],
    ['same k=4 s=2 o=7 (op=1): full 10', { given: [4, 4, 2, 1, 'same', 7], want: 1 }],
    ['same k=6 s=2 o=8: floor((6-2)/2)', { given: [4, 6, 2, 1, 'same', 8], want: 2 }],
    ['same k=1 s=2 o=8: ek < s, nothing to crop', { given: [4, 1, 2, 1, 'same', 8], want: 0 }],
    ['same k=2 s=3 o=12 (op=2)', { given: [4, 2, 3, 1, 'same', 12], want: 0 }],
    ['same stride 1 k=3: centred', { given: [5, 3, 1, 1, 'same', 5], want: 1 }],
    ['same stride 1 k=3 d=2 (ek 5)', { given: [5, 3, 1, 2, 'same', 5], want: 2 }],
    ['explicit crops begin', { given: [4, 3, 2, 1, [2, 1], 6], want: 2 }],
    ['explicit [0, 3]', { given: [4, 3, 2, 1, [0, 3], 6], want: 0 }],
  ];
  test.each(table)('%s', (_, { given, want }) => expect(convTransposeCropBefore(...given)).toBe(want));

  test('same without outputPadding crops floor(max(0, ek - s) / 2), as docs/semantics.md states', () => {
    for (const i of [1, 3, 4]) {
      for (const k of [1, 2, 3, 4, 5, 6, 7]) {
        for (const s of [1, 2, 3, 4]) {
          const o = i * s;
          expect([i, k, s, convTransposeCropBefore(i, k, s, 1, 'same', o)]).toEqual([i, k, s, Math.floor(Math.max(0, k - s) / 2)]);
        }
      }
    }
  });
});

describe('poolOutputLength', () => {
  const table: [string, { given: [i: number | null, pool: number, s: number, p: 'valid' | 'same' | PadPair]; want: Length }][] = [
    ['valid 2/2 even', { given: [28, 2, 2, 'valid'], want: 14 }],
    // PyTorch MaxPool2d(ceil_mode=False): floor((i + b + e - k) / s) + 1.
    ['explicit [1, 1] pool 3 stride 2 (MaxPool2d(3, 2, padding=1))', { given: [7, 3, 2, [1, 1]], want: 4 }],
    ['explicit [1, 1] pool 2 stride 2', { given: [5, 2, 2, [1, 1]], want: 3 }],
    ['explicit [1, 0] pool 2 stride 1', { given: [4, 2, 1, [1, 0]], want: 4 }],
    ['explicit unknown', { given: [null, 2, 2, [1, 1]], want: null }],
    ['valid 2/2 odd drops the last position', { given: [7, 2, 2, 'valid'], want: 3 }],
    ['same 2/2 odd keeps it', { given: [7, 2, 2, 'same'], want: 4 }],
    ['valid 3/2', { given: [7, 3, 2, 'valid'], want: 3 }],
    ['valid 3/1', { given: [5, 3, 1, 'valid'], want: 3 }],
    ['same 3/1', { given: [5, 3, 1, 'same'], want: 5 }],
    ['valid window > input: empty', { given: [1, 2, 2, 'valid'], want: 0 }],
    ['same window > input', { given: [1, 2, 2, 'same'], want: 1 }],
    ['unknown', { given: [null, 2, 2, 'valid'], want: null }],
  ];
  test.each(table)('%s', (_, { given, want }) => expect(poolOutputLength(...given)).toBe(want));
});

describe('upSampledLength, paddedLength, croppedLength', () => {
  const table: [string, { given: () => Length; want: Length }][] = [
    ['upsample x2', { given: () => upSampledLength(4, 2), want: 8 }],
    ['upsample x3', { given: () => upSampledLength(5, 3), want: 15 }],
    ['upsample x1', { given: () => upSampledLength(5, 1), want: 5 }],
    ['upsample unknown', { given: () => upSampledLength(null, 2), want: null }],
    ['pad symmetric', { given: () => paddedLength(4, [1, 1]), want: 6 }],
    ['pad asymmetric', { given: () => paddedLength(5, [0, 3]), want: 8 }],
    ['pad nothing', { given: () => paddedLength(5, [0, 0]), want: 5 }],
    ['pad unknown', { given: () => paddedLength(null, [1, 2]), want: null }],
    ['crop symmetric', { given: () => croppedLength(8, [2, 2]), want: 4 }],
    ['crop asymmetric', { given: () => croppedLength(5, [1, 2]), want: 2 }],
    ['crop everything', { given: () => croppedLength(4, [2, 2]), want: 0 }],
    ['crop more than everything', { given: () => croppedLength(3, [2, 2]), want: -1 }],
    ['crop unknown', { given: () => croppedLength(null, [1, 1]), want: null }],
  ];
  test.each(table)('%s', (_, { given, want }) => expect(given()).toBe(want));
});

describe('product', () => {
  const table: [string, { given: readonly Length[]; want: Length }][] = [
    ['known lengths', { given: [2, 3, 4], want: 24 }],
    ['one length', { given: [7], want: 7 }],
    ['empty product is 1', { given: [], want: 1 }],
    ['a zero', { given: [4, 0, 2], want: 0 }],
    ['an unknown makes it unknown', { given: [2, null, 4], want: null }],
    ['only unknown', { given: [null], want: null }],
  ];
  test.each(table)('%s', (_, { given, want }) => expect(product(given)).toBe(want));
});
