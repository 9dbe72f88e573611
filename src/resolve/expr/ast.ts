/** Expression syntax tree. Offsets are relative to the start of the expression text. */
export type Expr =
  | { readonly kind: 'number'; readonly value: number; readonly start: number; readonly end: number }
  | { readonly kind: 'name'; readonly name: string; readonly start: number; readonly end: number }
  | { readonly kind: 'unary'; readonly op: '-' | '+'; readonly operand: Expr; readonly start: number; readonly end: number }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly start: number; readonly end: number }
  | { readonly kind: 'call'; readonly callee: string; readonly args: readonly Expr[]; readonly start: number; readonly end: number };

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**';

/** A problem at a range of the expression text. */
export interface ExprError {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export const functions = ['min', 'max'] as const;
