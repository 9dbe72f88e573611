/** Expression syntax tree. Offsets are relative to the start of the expression text. */
export type Expr =
  | { readonly kind: 'number'; readonly value: number; readonly start: number; readonly end: number }
  | { readonly kind: 'name'; readonly name: string; readonly start: number; readonly end: number }
  | { readonly kind: 'unary'; readonly op: '-' | '+'; readonly operand: Expr; readonly start: number; readonly end: number }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly start: number; readonly end: number }
  | { readonly kind: 'call'; readonly callee: string; readonly args: readonly Expr[]; readonly start: number; readonly end: number };

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**';

/**
 * A problem at a range of the expression text. `kind` says which code reports
 * it: 'limit' an expression too long or nested too deep (NS3028), 'value' a
 * value that is not a finite, exact number (NS3003); else a bad expression.
 */
export interface ExprError {
  readonly message: string;
  readonly start: number;
  readonly end: number;
  readonly kind?: 'limit' | 'value';
}

export const functions = ['min', 'max'] as const;

/**
 * Longest expression text netspec parses, in UTF-16 units. Real expressions
 * are a few dozen characters (`4 * 4 * ngf * 8`); a longer one is almost
 * surely generated or pasted by mistake, and the bound keeps parsing and
 * evaluation cheap.
 */
export const maxExprLength = 1000;

/**
 * How deep parentheses, signs, calls and powers (`2 ** 3 ** 2` nests) may
 * nest. The parser recurses once per level; 32 is far past what anyone writes
 * and far from the stack limit. Long chains at one level (`1 + 1 + ... + 1`)
 * are loops, not recursion, and every walk over the tree is iterative.
 */
export const maxExprDepth = 32;

/** Thrown by evaluation to stop at the first error; caught where evaluation starts. */
export function isExprError(e: unknown): e is ExprError {
  return e !== null && typeof e === 'object' && 'message' in e && 'start' in e && 'end' in e;
}

/** The operands of a node, left to right. */
function operandsOf(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'unary':
      return [e.operand];
    case 'binary':
      return [e.left, e.right];
    case 'call':
      return e.args;
    default:
      return [];
  }
}

/**
 * Folds a tree bottom-up, operands left to right, with an explicit stack: a
 * sum of many terms is a tree as deep as it is long, which recursion could not
 * walk. `enter` sees each node before its operands (checks that come first,
 * and names in order of appearance); `exit` combines the operands' values.
 */
export function fold<T>(expr: Expr, exit: (e: Expr, operands: T[]) => T, enter?: (e: Expr) => void): T {
  const values: T[] = [];
  const stack: { expr: Expr; entered: boolean }[] = [{ expr, entered: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const operands = operandsOf(top.expr);
    if (!top.entered) {
      top.entered = true;
      enter?.(top.expr);
      for (let i = operands.length - 1; i >= 0; i--) stack.push({ expr: operands[i]!, entered: false });
      continue;
    }
    stack.pop();
    values.push(exit(top.expr, values.splice(values.length - operands.length, operands.length)));
  }
  return values[0]!;
}
