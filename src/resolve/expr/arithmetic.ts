import type { Expr, ExprError } from './ast.js';

/** Stops evaluation with an error at the range of `at`. */
export type Fail = (message: string, at: Expr, kind?: ExprError['kind']) => never;

/** Up to 2^53 - 1 every integer is a double; past it, sums and products are rounded. */
const largest = Number.MAX_SAFE_INTEGER;

/** What a value of kind 'value' is, as the predicate of a sentence about the part of the expression that made it. */
export const tooLarge = `too large: past ±${largest} (2^53 - 1) numbers are not exact`;

/**
 * Every value an expression computes, literals and params included, must be
 * a finite number within ±(2^53 - 1), where integer arithmetic is exact and
 * every integer prints as itself (no `1e+21`). `-0` becomes 0.
 */
export function exact(value: number, at: Expr, fail: Fail): number {
  if (Number.isNaN(value)) return fail('not a number', at, 'value');
  if (!(Math.abs(value) <= largest)) return fail(tooLarge, at, 'value');
  return value + 0;
}

/** Python's `%`: the result has the sign of the divisor, so `-1 % 4 == 3`. Exact, as JS's remainder is. */
export function mod(a: number, b: number): number {
  const r = a % b;
  return (r !== 0 && r < 0 !== b < 0 ? r + b : r) + 0;
}

/** Python's `//`: rounds toward -infinity; exact for integers, where `Math.floor(a / b)` could round wrong. */
export function floorDiv(a: number, b: number): number {
  return Number.isInteger(a) && Number.isInteger(b) ? (a - mod(a, b)) / b : Math.floor(a / b);
}

/** `a ** b`; an integer power is multiplied out, so a result in range is exact and one out of range stops early. */
function power(a: number, b: number, at: Expr, fail: Fail): number {
  if (a === 0 && b < 0) return fail('division by zero: 0 to a negative power', at);
  if (Number.isInteger(a) && Number.isInteger(b) && b >= 0 && Math.abs(a) > 1) {
    // |a| >= 2, so at most 53 steps before the value is out of range.
    let result = 1;
    for (let i = 0; i < b; i++) {
      result *= a;
      if (Math.abs(result) > largest) return fail(tooLarge, at, 'value');
    }
    return result;
  }
  const result = a ** b;
  if (Number.isNaN(result)) return fail('not a real number: a negative number has no fractional power', at, 'value');
  return exact(result, at, fail);
}

/** A binary operation on numbers, with Python's semantics; division by zero is an error at the divisor. */
export function arithmetic(e: Extract<Expr, { kind: 'binary' }>, a: number, b: number, fail: Fail): number {
  if ((e.op === '/' || e.op === '//' || e.op === '%') && b === 0) return fail('division by zero', e.right);
  switch (e.op) {
    case '+':
      return exact(a + b, e, fail);
    case '-':
      return exact(a - b, e, fail);
    case '*':
      return exact(a * b, e, fail);
    case '/':
      return exact(a / b, e, fail);
    case '//':
      return exact(floorDiv(a, b), e, fail);
    case '%':
      return exact(mod(a, b), e, fail);
    case '**':
      return power(a, b, e, fail);
  }
}
