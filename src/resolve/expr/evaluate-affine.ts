import { add, divide, isAffine, multiply, showDim, subtract, symbolic, type Sized } from '../../infer/affine.js';
import type { Expr, ExprError } from './ast.js';
import { fold, isExprError } from './ast.js';
import { arithmetic, exact, tooLarge, type Fail } from './arithmetic.js';

/** The value of a name: a param's number, `'symbol'` for a declared symbol, or undefined. */
export type DimLookup = (name: string) => number | 'symbol' | undefined;

/** The names an expression uses, in order of appearance (iterative: see fold). */
export function namesIn(expr: Expr): { name: string; start: number; end: number }[] {
  const names: { name: string; start: number; end: number }[] = [];
  fold<null>(
    expr,
    () => null,
    (e) => {
      if (e.kind === 'name') names.push({ name: e.name, start: e.start, end: e.end });
    },
  );
  return names;
}

/** An affine value's integers must be exact too: `H * 2 ** 52 * 4` has a coefficient past 2^53. */
function exactSized(value: Sized, at: Expr, fail: Fail): Sized {
  if (!isAffine(value)) return exact(value, at, fail);
  const parts = [...value.terms.map((t) => t.coefficient), value.constant, value.denominator];
  if (parts.some((p) => !(Math.abs(p) <= Number.MAX_SAFE_INTEGER))) return fail(tooLarge, at, 'value');
  return value;
}

/**
 * Evaluates a dimension written over params and symbols to a number or an
 * affine expression. Symbols may be added, subtracted, and multiplied or
 * divided (exactly) by numbers; anything else is an error at its range, as is
 * a number that is not finite and exact (kind 'value'). Every name must be
 * known (the caller reports unknown ones first). Iterative: see fold.
 */
export function evaluateDim(expr: Expr, lookup: DimLookup): { value: Sized } | { error: ExprError } {
  const fail: Fail = (message, at, kind) => {
    throw { message, start: at.start, end: at.end, ...(kind ? { kind } : {}) } satisfies ExprError;
  };
  const value = (e: Expr, operands: Sized[]): Sized => {
    switch (e.kind) {
      case 'number':
        return exact(e.value, e, fail);
      case 'name': {
        const found = lookup(e.name);
        if (found === undefined) return fail(`unknown name '${e.name}'`, e);
        return found === 'symbol' ? symbolic(e.name) : exact(found, e, fail);
      }
      case 'unary':
        return e.op === '-' ? exactSized(multiply(operands[0]!, -1), e, fail) : operands[0]!;
      case 'call': {
        if (operands.some(isAffine)) return fail(`${e.callee}() of a symbol depends on which argument is larger at each size`, e);
        if (operands.length === 0) return fail(`${e.callee}() needs at least one argument`, e);
        if (e.callee !== 'min' && e.callee !== 'max') return fail(`unknown function '${e.callee}'`, e);
        return e.callee === 'min' ? Math.min(...(operands as number[])) : Math.max(...(operands as number[]));
      }
      case 'binary':
        return binary(e, operands[0]!, operands[1]!, fail);
    }
  };
  try {
    return { value: fold(expr, value) };
  } catch (e) {
    if (isExprError(e)) return { error: e };
    throw e;
  }
}

function binary(e: Extract<Expr, { kind: 'binary' }>, a: Sized, b: Sized, fail: Fail): Sized {
  if (!isAffine(a) && !isAffine(b)) return arithmetic(e, a, b, fail);
  switch (e.op) {
    case '+':
      return exactSized(add(a, b), e, fail);
    case '-':
      return exactSized(subtract(a, b), e, fail);
    case '*':
      if (isAffine(a) && isAffine(b)) return fail(`${showDim(a)} * ${showDim(b)} multiplies symbols; a symbol can only be multiplied by a number`, e);
      return exactSized(isAffine(a) ? multiply(a, b as number) : multiply(b, a as number), e, fail);
    case '/':
      if (isAffine(b)) return fail(`it divides by ${showDim(b)}; a symbol can only be divided by a number`, e);
      if (b === 0) return fail('division by zero', e.right);
      return exactSized(divide(a, b), e, fail);
    case '//':
      return fail("'//' rounds down; write '/' (netspec then checks that the size divides)", e);
    case '%':
      return fail("'%' takes the remainder of a symbolic size", e);
    case '**':
      return fail("'**' raises a symbolic size to a power", e);
  }
}
