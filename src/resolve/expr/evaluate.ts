import type { Expr, ExprError } from './ast.js';
import { fold, functions, isExprError } from './ast.js';
import { arithmetic, exact, type Fail } from './arithmetic.js';

export type Lookup = (name: string) => number | undefined;

/**
 * Evaluates an expression, without recursion (see fold). Unknown names,
 * division by zero and values that are not finite, exact numbers (see exact)
 * are errors at their range; the first one, left to right, is returned.
 */
export function evaluate(expr: Expr, lookup: Lookup): { value: number } | { error: ExprError & { unknownName?: string } } {
  const fail: Fail = (message, at, kind) => {
    throw { message, start: at.start, end: at.end, ...(kind ? { kind } : {}) } satisfies ExprError;
  };
  const value = (e: Expr, operands: number[]): number => {
    switch (e.kind) {
      case 'number':
        return exact(e.value, e, fail);
      case 'name': {
        const found = lookup(e.name);
        if (found === undefined) throw { message: `unknown name '${e.name}'`, start: e.start, end: e.end, unknownName: e.name };
        return exact(found, e, fail);
      }
      case 'unary':
        return e.op === '-' ? exact(-operands[0]!, e, fail) : operands[0]!;
      case 'call':
        return e.callee === 'min' ? Math.min(...operands) : Math.max(...operands);
      case 'binary':
        return arithmetic(e, operands[0]!, operands[1]!, fail);
    }
  };
  // A call is checked before its arguments are evaluated: `floor(x)` is an unknown function, whatever x is.
  const enter = (e: Expr): void => {
    if (e.kind !== 'call') return;
    if (!(functions as readonly string[]).includes(e.callee)) fail(`unknown function '${e.callee}'; netspec has ${functions.map((f) => `${f}()`).join(' and ')}`, e);
    if (e.args.length === 0) fail(`${e.callee}() needs at least one argument`, e);
  };
  try {
    return { value: fold(expr, value, enter) };
  } catch (e) {
    if (isExprError(e)) return { error: e };
    throw e;
  }
}
