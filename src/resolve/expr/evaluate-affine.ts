import { add, divide, isAffine, multiply, showDim, subtract, symbolic, type Sized } from '../../infer/affine.js';
import type { Expr, ExprError } from './ast.js';

/** The value of a name: a param's number, `'symbol'` for a declared symbol, or undefined. */
export type DimLookup = (name: string) => number | 'symbol' | undefined;

/** The names an expression uses, in order of appearance. */
export function namesIn(expr: Expr): { name: string; start: number; end: number }[] {
  switch (expr.kind) {
    case 'number':
      return [];
    case 'name':
      return [{ name: expr.name, start: expr.start, end: expr.end }];
    case 'unary':
      return namesIn(expr.operand);
    case 'binary':
      return [...namesIn(expr.left), ...namesIn(expr.right)];
    case 'call':
      return expr.args.flatMap(namesIn);
  }
}

/**
 * Evaluates a dimension written over params and symbols to a number or an
 * affine expression. Symbols may be added, subtracted, and multiplied or
 * divided (exactly) by numbers; anything else is an error at its range.
 * Every name must be known (the caller reports unknown ones first).
 */
export function evaluateDim(expr: Expr, lookup: DimLookup): { value: Sized } | { error: ExprError } {
  const fail = (message: string, at: Expr): never => {
    throw { message, start: at.start, end: at.end } satisfies ExprError;
  };
  const run = (e: Expr): Sized => {
    switch (e.kind) {
      case 'number':
        return e.value;
      case 'name': {
        const value = lookup(e.name);
        if (value === undefined) return fail(`unknown name '${e.name}'`, e);
        return value === 'symbol' ? symbolic(e.name) : value;
      }
      case 'unary':
        return e.op === '-' ? multiply(run(e.operand), -1) : run(e.operand);
      case 'call': {
        const args = e.args.map(run);
        if (args.some(isAffine)) return fail(`${e.callee}() of a symbol depends on which argument is larger at each size`, e);
        if (args.length === 0) return fail(`${e.callee}() needs at least one argument`, e);
        if (e.callee !== 'min' && e.callee !== 'max') return fail(`unknown function '${e.callee}'`, e);
        return e.callee === 'min' ? Math.min(...(args as number[])) : Math.max(...(args as number[]));
      }
      case 'binary': {
        const a = run(e.left);
        const b = run(e.right);
        switch (e.op) {
          case '+':
            return add(a, b);
          case '-':
            return subtract(a, b);
          case '*':
            if (isAffine(a) && isAffine(b)) return fail(`${showDim(a)} * ${showDim(b)} multiplies symbols; a symbol can only be multiplied by a number`, e);
            return isAffine(a) ? multiply(a, b as number) : multiply(b, a);
          case '/': {
            if (isAffine(b)) return fail(`it divides by ${showDim(b)}; a symbol can only be divided by a number`, e);
            if (b === 0) return fail('division by zero', e.right);
            return divide(a, b);
          }
          default: {
            const why: Record<string, string> = {
              '//': "'//' rounds down; write '/' (netspec then checks that the size divides)",
              '%': "'%' takes the remainder of a symbolic size",
              '**': "'**' raises a symbolic size to a power",
            };
            if (isAffine(a) || isAffine(b)) return fail(why[e.op]!, e);
            if (e.op !== '**' && b === 0) return fail('division by zero', e.right);
            return e.op === '//' ? Math.floor(a / b) : e.op === '%' ? a - b * Math.floor(a / b) : a ** b;
          }
        }
      }
    }
  };
  try {
    return { value: run(expr) };
  } catch (e) {
    if (e && typeof e === 'object' && 'message' in e && 'start' in e) return { error: e as ExprError };
    throw e;
  }
}
