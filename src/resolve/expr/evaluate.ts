import type { Expr, ExprError } from './ast.js';
import { functions } from './ast.js';

/** Python's `%`: the result has the sign of the divisor, so `-1 % 4 == 3`. */
function mod(a: number, b: number): number {
  return a - b * Math.floor(a / b);
}

export type Lookup = (name: string) => number | undefined;

/** Evaluates an expression; unknown names and division by zero are errors at their range. */
export function evaluate(expr: Expr, lookup: Lookup): { value: number } | { error: ExprError & { unknownName?: string } } {
  const fail = (message: string, at: Expr, unknownName?: string) => {
    throw { message, start: at.start, end: at.end, ...(unknownName ? { unknownName } : {}) };
  };
  const run = (e: Expr): number => {
    switch (e.kind) {
      case 'number':
        return e.value;
      case 'name': {
        const value = lookup(e.name);
        if (value === undefined) return fail(`unknown name '${e.name}'`, e, e.name);
        return value;
      }
      case 'unary':
        return e.op === '-' ? -run(e.operand) : run(e.operand);
      case 'call': {
        if (!(functions as readonly string[]).includes(e.callee)) return fail(`unknown function '${e.callee}'; netspec has ${functions.map((f) => `${f}()`).join(' and ')}`, e);
        if (e.args.length === 0) return fail(`${e.callee}() needs at least one argument`, e);
        const args = e.args.map(run);
        return e.callee === 'min' ? Math.min(...args) : Math.max(...args);
      }
      case 'binary': {
        const a = run(e.left);
        const b = run(e.right);
        if ((e.op === '/' || e.op === '//' || e.op === '%') && b === 0) return fail('division by zero', e.right);
        switch (e.op) {
          case '+': return a + b;
          case '-': return a - b;
          case '*': return a * b;
          case '/': return a / b;
          case '//': return Math.floor(a / b);
          case '%': return mod(a, b);
          case '**': return a ** b;
        }
      }
    }
  };
  try {
    const value = run(expr);
    if (!Number.isFinite(value)) return { error: { message: `the value is ${value}`, start: expr.start, end: expr.end } };
    return { value };
  } catch (e) {
    if (e && typeof e === 'object' && 'message' in e && 'start' in e) return { error: e as ExprError };
    throw e;
  }
}
