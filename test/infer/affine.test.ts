/**
 * The algebra of symbolic sizes: canonical forms (so that equal expressions
 * are equal structurally), exact and ceiling division, printing, and the
 * factor a symbol's `multipleOf` needs for an expression to be whole.
 */
import { describe, expect, test } from 'vitest';
import {
  add,
  ceilDivide,
  constantPart,
  divide,
  evaluateAffine,
  factorNeeded,
  isAffine,
  linearPart,
  multiply,
  runtimeDim,
  sameDim,
  showDim,
  substitute,
  subtract,
  symbolic,
  type Sized,
} from '../../src/infer/affine.js';

const H = symbolic('H');
const W = symbolic('W');

describe('canonical forms print as written', () => {
  const table: [string, { given: () => Sized; want: string }][] = [
    ['a symbol', { given: () => H, want: 'H' }],
    ['2 * H + 1', { given: () => add(multiply(H, 2), 1), want: '2*H + 1' }],
    ['H / 16', { given: () => divide(H, 16), want: 'H/16' }],
    ['3 * H / 4', { given: () => divide(multiply(H, 3), 4), want: '3*H/4' }],
    ['H / 2 - 1', { given: () => subtract(divide(H, 2), 1), want: 'H/2 - 1' }],
    ['(H + 1) / 2 keeps the fraction on the constant', { given: () => divide(add(H, 1), 2), want: 'H/2 + 1/2' }],
    ['-H + 4', { given: () => add(multiply(H, -1), 4), want: '-H + 4' }],
    ['terms sorted by symbol', { given: () => add(W, multiply(H, 2)), want: '2*H + W' }],
    ['W/4 - H/2 over a common denominator', { given: () => subtract(divide(W, 4), divide(H, 2)), want: '-H/2 + W/4' }],
    ['H - H is the number 0', { given: () => subtract(H, H), want: '0' }],
    ['2H/2 is H again', { given: () => divide(multiply(H, 2), 2), want: 'H' }],
    ['numbers stay numbers', { given: () => add(3, 4), want: '7' }],
  ];
  test.each(table)('%s', (_, { given, want }) => expect(showDim(given())).toBe(want));
});

describe('equality is structural', () => {
  const table: [string, { given: [Sized | null, Sized | null]; want: boolean }][] = [
    ['H/8*2 == H/4', { given: [multiply(divide(H, 8), 2), divide(H, 4)], want: true }],
    ['(H/2 - 1)*2 + 2 == H', { given: [add(multiply(subtract(divide(H, 2), 1), 2), 2), H], want: true }],
    ['H/4 != H/4 + 1', { given: [divide(H, 4), add(divide(H, 4), 1)], want: false }],
    ['H != W', { given: [H, W], want: false }],
    ['H + W == W + H', { given: [add(H, W), add(W, H)], want: true }],
    ['H != 8', { given: [H, 8], want: false }],
    ['null == null', { given: [null, null], want: true }],
    ['H != null', { given: [H, null], want: false }],
  ];
  test.each(table)('%s', (_, { given, want }) => expect(sameDim(...given)).toBe(want));
});

describe('ceilDivide: the symbolic part divides (the caller requires it), the constant rounds up', () => {
  const table: [string, { given: [Sized, number]; want: string }][] = [
    ['ceil(H / 2)', { given: [H, 2], want: 'H/2' }],
    ['ceil((H - 2) / 2): valid k=3 s=2', { given: [subtract(H, 2), 2], want: 'H/2 - 1' }],
    ['ceil((H - 1) / 2): valid k=2 s=2', { given: [subtract(H, 1), 2], want: 'H/2' }],
    ['ceil((2H + 1) / 2)', { given: [add(multiply(H, 2), 1), 2], want: 'H + 1' }],
    ['numbers', { given: [7, 2], want: '4' }],
  ];
  test.each(table)('%s', (_, { given, want }) => expect(showDim(ceilDivide(...given))).toBe(want));

  test('agrees with Math.ceil at every multiple of the stride', () => {
    for (const s of [2, 3, 4]) {
      for (const c of [-5, -2, -1, 0, 1, 3]) {
        const x = add(H, c);
        for (const h of [s, 2 * s, 5 * s, 16 * s]) expect([s, c, h, evaluateAffine(ceilDivide(x, s), () => h)]).toEqual([s, c, h, Math.ceil((h + c) / s) + 0]);
      }
    }
  });
});

describe('parts, evaluation and substitution', () => {
  const x = subtract(divide(multiply(H, 3), 4), 2) as Exclude<Sized, number>;
  test('linear and constant parts', () => {
    expect(showDim(linearPart(x))).toBe('3*H/4');
    expect(constantPart(x)).toBe(-2);
  });
  test('evaluation', () => expect(evaluateAffine(x, () => 16)).toBe(10));
  test('substitution leaves the other symbols', () => {
    expect(showDim(substitute(add(H, multiply(W, 2)), 'W', 5))).toBe('H + 10');
    expect(substitute(divide(H, 4), 'H', 32)).toBe(8);
  });
  test('what tfjs sees', () => {
    expect(runtimeDim(H)).toBe(null);
    expect(runtimeDim(7)).toBe(7);
    expect(isAffine(runtimeDim(H))).toBe(false);
  });
});

describe('factorNeeded: the multiple a symbol must be for an expression to be whole', () => {
  const table: [string, { given: [Sized, string]; want: number }][] = [
    ['H/16 needs 16', { given: [divide(H, 16), 'H'], want: 16 }],
    ['3*H/4 needs 4', { given: [divide(multiply(H, 3), 4), 'H'], want: 4 }],
    ['2*H/4 = H/2 needs 2', { given: [divide(multiply(H, 2), 4), 'H'], want: 2 }],
    ['H/4 + W/6 needs 6 of W', { given: [add(divide(H, 4), divide(W, 6)), 'W'], want: 6 }],
    ['H + 1 needs nothing', { given: [add(H, 1), 'H'], want: 1 }],
    ['an absent symbol needs nothing', { given: [divide(H, 8), 'W'], want: 1 }],
  ];
  test.each(table)('%s', (_, { given: [x, s], want }) => expect(factorNeeded(x as Exclude<Sized, number>, s)).toBe(want));
});
