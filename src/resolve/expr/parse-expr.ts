import type { BinaryOp, Expr, ExprError } from './ast.js';
import { isExprError, maxExprDepth, maxExprLength } from './ast.js';

type Token =
  | { readonly kind: 'number'; readonly value: number; readonly start: number; readonly end: number }
  | { readonly kind: 'name'; readonly name: string; readonly start: number; readonly end: number }
  | { readonly kind: 'op'; readonly op: string; readonly start: number; readonly end: number }
  | { readonly kind: 'end'; readonly start: number; readonly end: number };

const operators = ['**', '//', '+', '-', '*', '/', '%', '(', ')', ','];

function tokenize(text: string): Token[] | ExprError {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const number = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), start: i, end: i + number[0].length });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (name) {
      tokens.push({ kind: 'name', name: name[0], start: i, end: i + name[0].length });
      i += name[0].length;
      continue;
    }
    const op = operators.find((o) => text.startsWith(o, i));
    if (!op) return { message: `unexpected character '${c}'`, start: i, end: i + 1 };
    tokens.push({ kind: 'op', op, start: i, end: i + op.length });
    i += op.length;
  }
  tokens.push({ kind: 'end', start: text.length, end: text.length });
  return tokens;
}

class Parser {
  #pos = 0;
  /** Open parentheses, signs, calls and powers around the token at #pos. */
  #depth = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly text: string,
  ) {}

  get #peek(): Token {
    return this.tokens[this.#pos]!;
  }

  #isOp(op: string): boolean {
    const t = this.#peek;
    return t.kind === 'op' && t.op === op;
  }

  #expect(op: string): void {
    if (!this.#isOp(op)) throw this.#unexpected(`'${op}'`);
    this.#pos++;
  }

  #unexpected(wanted: string): ExprError {
    const t = this.#peek;
    // The source text, not the parsed value: `.2` is reported as '.2', not '0.2'.
    const got = t.kind === 'end' ? 'end of expression' : `'${this.text.slice(t.start, t.end)}'`;
    return { message: `expected ${wanted}, found ${got}`, start: t.start, end: Math.max(t.end, t.start + 1) };
  }

  /** Runs `inside` one nesting level deeper, at most maxExprDepth: the parser recurses once per level. */
  #nested<T>(at: Token, inside: () => T): T {
    if (++this.#depth > maxExprDepth) {
      throw {
        message: `it nests more than ${maxExprDepth} levels deep here (parentheses, signs, calls and powers); the limit is ${maxExprDepth}`,
        start: at.start,
        end: Math.max(at.end, at.start + 1),
        kind: 'limit',
      } satisfies ExprError;
    }
    const result = inside();
    this.#depth--;
    return result;
  }

  parse(): Expr {
    const expr = this.#additive();
    if (this.#peek.kind !== 'end') throw this.#unexpected('an operator');
    return expr;
  }

  #binary(next: () => Expr, ops: readonly BinaryOp[]): Expr {
    let left = next();
    for (;;) {
      const t = this.#peek;
      if (t.kind !== 'op' || !ops.includes(t.op as BinaryOp)) return left;
      this.#pos++;
      const right = next();
      left = { kind: 'binary', op: t.op as BinaryOp, left, right, start: left.start, end: right.end };
    }
  }

  #additive(): Expr {
    return this.#binary(() => this.#multiplicative(), ['+', '-']);
  }

  #multiplicative(): Expr {
    return this.#binary(() => this.#unary(), ['*', '/', '//', '%']);
  }

  #unary(): Expr {
    const t = this.#peek;
    if (t.kind === 'op' && (t.op === '-' || t.op === '+')) {
      this.#pos++;
      const operand = this.#nested(t, () => this.#unary());
      return { kind: 'unary', op: t.op, operand, start: t.start, end: operand.end };
    }
    return this.#power();
  }

  /** `**` is right-associative and binds tighter than a unary minus on its left, as in Python. */
  #power(): Expr {
    const base = this.#primary();
    if (!this.#isOp('**')) return base;
    const op = this.#peek;
    this.#pos++;
    const exponent = this.#nested(op, () => this.#unary());
    return { kind: 'binary', op: '**', left: base, right: exponent, start: base.start, end: exponent.end };
  }

  #primary(): Expr {
    const t = this.#peek;
    if (t.kind === 'number') {
      this.#pos++;
      return t;
    }
    if (t.kind === 'name') {
      this.#pos++;
      if (!this.#isOp('(')) return t;
      this.#pos++;
      const args = this.#nested(t, () => this.#arguments());
      const close = this.#peek;
      this.#expect(')');
      return { kind: 'call', callee: t.name, args, start: t.start, end: close.end };
    }
    if (this.#isOp('(')) {
      this.#pos++;
      const inner = this.#nested(t, () => this.#additive());
      this.#expect(')');
      return inner;
    }
    throw this.#unexpected('a number, a name or (');
  }

  #arguments(): Expr[] {
    const args: Expr[] = [];
    if (this.#isOp(')')) return args;
    args.push(this.#additive());
    while (this.#isOp(',')) {
      this.#pos++;
      args.push(this.#additive());
    }
    return args;
  }
}

/**
 * Parses netspec's arithmetic: numbers, names, `+ - * / // % **`, parentheses,
 * min(), max(). Never eval. Text longer than maxExprLength, or nested deeper
 * than maxExprDepth, is an error of kind 'limit' at the part past the limit.
 */
export function parseExpr(text: string): { expr: Expr } | { error: ExprError } {
  if (text.length > maxExprLength) {
    return { error: { message: `it is ${text.length} characters long; the limit is ${maxExprLength}`, start: maxExprLength, end: text.length, kind: 'limit' } };
  }
  const tokens = tokenize(text);
  if (!Array.isArray(tokens)) return { error: tokens };
  try {
    return { expr: new Parser(tokens, text).parse() };
  } catch (e) {
    if (isExprError(e)) return { error: e };
    throw e;
  }
}
