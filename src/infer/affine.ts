/**
 * Affine expressions over symbolic dimensions (`2*H + 1`, `H/16`), the sizes
 * of a model that runs at every legal input size. An expression is
 * `(sum of coefficient * symbol + constant) / denominator` with integers only,
 * kept canonical so that equal expressions are equal structurally:
 * denominator > 0, no factor common to all of coefficients, constant and
 * denominator, terms sorted by symbol, no zero coefficient. An expression
 * without terms is a plain number. Pure arithmetic: only a type import.
 */
import type { Affine, Dim } from '../ir.js';

/** A known length: a number, or an affine expression over symbols. */
export type Sized = number | Affine;

export function isAffine(d: unknown): d is Affine {
  return typeof d === 'object' && d !== null && (d as { kind?: unknown }).kind === 'affine';
}

export function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

export function lcm(a: number, b: number): number {
  // Dividing first keeps the result exact as long as it is a safe integer.
  return a === 0 || b === 0 ? 0 : Math.abs((a / gcd(a, b)) * b);
}

/**
 * A number as a rational `[numerator, denominator]` (denominator > 0): exact
 * for the quotients of small integers that sizes are, else the closest
 * fraction with a denominator up to a million (continued fractions).
 */
function rational(value: number): [number, number] {
  if (Number.isInteger(value)) return [value, 1];
  let [p0, q0, p1, q1] = [0, 1, 1, 0];
  let x = value;
  for (let step = 0; step < 64; step++) {
    const a = Math.floor(x);
    const [p2, q2] = [a * p1 + p0, a * q1 + q0];
    if (q2 > 1e6) break;
    [p0, q0, p1, q1] = [p1, q1, p2, q2];
    if (Math.abs(p1 / q1 - value) <= 1e-12 * Math.max(1, Math.abs(value))) break;
    x = 1 / (x - a);
  }
  return [p1, q1];
}

/** The canonical form of `(sum of terms + constant) / denominator`: a number when no term is left. */
function normal(coefficients: ReadonlyMap<string, number>, constant: number, denominator: number): Sized {
  const terms = [...coefficients].filter(([, c]) => c !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const sign = denominator < 0 ? -1 : 1;
  const common = terms.reduce((g, [, c]) => gcd(g, c), gcd(constant, denominator));
  if (terms.length === 0) return constant / denominator + 0;
  return {
    kind: 'affine',
    terms: terms.map(([symbol, c]) => ({ symbol, coefficient: (sign * c) / common })),
    constant: (sign * constant) / common,
    denominator: Math.abs(denominator) / common,
  };
}

/** Numerators over a shared denominator, for adding two expressions. */
function parts(x: Sized): { coefficients: Map<string, number>; constant: number; denominator: number } {
  if (!isAffine(x)) {
    const [p, q] = rational(x);
    return { coefficients: new Map(), constant: p, denominator: q };
  }
  return { coefficients: new Map(x.terms.map((t) => [t.symbol, t.coefficient])), constant: x.constant, denominator: x.denominator };
}

/** The symbol itself, as a dimension. */
export function symbolic(name: string): Affine {
  return { kind: 'affine', terms: [{ symbol: name, coefficient: 1 }], constant: 0, denominator: 1 };
}

export function add(a: Sized, b: Sized): Sized {
  if (!isAffine(a) && !isAffine(b)) return a + b;
  const x = parts(a);
  const y = parts(b);
  const coefficients = new Map<string, number>();
  for (const [s, c] of x.coefficients) coefficients.set(s, c * y.denominator);
  for (const [s, c] of y.coefficients) coefficients.set(s, (coefficients.get(s) ?? 0) + c * x.denominator);
  return normal(coefficients, x.constant * y.denominator + y.constant * x.denominator, x.denominator * y.denominator);
}

/** `a * k` for a number `k`. */
export function multiply(a: Sized, k: number): Sized {
  if (!isAffine(a)) return a * k;
  const [p, q] = rational(k);
  return normal(new Map(a.terms.map((t) => [t.symbol, t.coefficient * p])), a.constant * p, a.denominator * q);
}

export function subtract(a: Sized, b: Sized): Sized {
  return add(a, multiply(b, -1));
}

/** `a / k`, exactly (a rational result; see `wholeness` for when it is a whole number). */
export function divide(a: Sized, k: number): Sized {
  if (!isAffine(a)) return a / k;
  const [p, q] = rational(k);
  return normal(new Map(a.terms.map((t) => [t.symbol, t.coefficient * q])), a.constant * q, a.denominator * p);
}

/** The expression without its constant: `H/2` of `H/2 - 1`. */
export function linearPart(a: Affine): Affine {
  return normal(new Map(a.terms.map((t) => [t.symbol, t.coefficient])), 0, a.denominator) as Affine;
}

/** The constant of the expression, as a (possibly fractional) number: `-1` of `H/2 - 1`. */
export function constantPart(a: Affine): number {
  return a.constant / a.denominator;
}

/**
 * `ceil(a / s)`. For an expression whose symbolic part divided by `s` is a
 * whole number at every legal size (the caller records that requirement),
 * that is the symbolic part over `s` plus the ceiling of the constant over `s`.
 */
export function ceilDivide(a: Sized, s: number): Sized {
  if (!isAffine(a)) return Math.ceil(a / s);
  // `+ 0` turns Math.ceil's -0 into 0.
  return add(divide(linearPart(a), s), Math.ceil(constantPart(a) / s) + 0);
}

/** Structural equality of dimensions; `null` equals only `null`. */
export function sameDim(a: Dim | undefined, b: Dim | undefined): boolean {
  if (!isAffine(a) || !isAffine(b)) return a === b;
  return (
    a.constant === b.constant &&
    a.denominator === b.denominator &&
    a.terms.length === b.terms.length &&
    a.terms.every((t, i) => t.symbol === b.terms[i]!.symbol && t.coefficient === b.terms[i]!.coefficient)
  );
}

/** The symbols an expression uses, sorted. */
export function symbolsOf(a: Affine): string[] {
  return a.terms.map((t) => t.symbol);
}

/** The value at given symbol values; a missing symbol is an error of the caller. */
export function evaluateAffine(a: Sized, values: (symbol: string) => number): number {
  if (!isAffine(a)) return a;
  return (a.terms.reduce((sum, t) => sum + t.coefficient * values(t.symbol), 0) + a.constant) / a.denominator;
}

/** `p/q` or `p`, for a rational `numerator / denominator`. */
function fraction(numerator: number, denominator: number): string {
  const g = gcd(numerator, denominator);
  return denominator / g === 1 ? String(numerator / g) : `${numerator / g}/${denominator / g}`;
}

/** `2*H + 1`, `H/16`, `3*W/2 - 1`: each term over its own reduced denominator. */
export function showAffine(a: Affine): string {
  const pieces: [sign: 1 | -1, text: string][] = a.terms.map((t) => {
    const g = gcd(t.coefficient, a.denominator);
    const p = Math.abs(t.coefficient) / g;
    const q = a.denominator / g;
    return [t.coefficient < 0 ? -1 : 1, `${p === 1 ? '' : `${p}*`}${t.symbol}${q === 1 ? '' : `/${q}`}`];
  });
  if (a.constant !== 0) pieces.push([a.constant < 0 ? -1 : 1, fraction(Math.abs(a.constant), a.denominator)]);
  return pieces.map(([sign, text], i) => (i === 0 ? (sign < 0 ? `-${text}` : text) : `${sign < 0 ? ' - ' : ' + '}${text}`)).join('');
}

/** A dimension in messages and tables: `64`, `2*H + 1`, `null`. */
export function showDim(d: Dim | undefined): string {
  return d === null || d === undefined ? 'null' : isAffine(d) ? showAffine(d) : String(d);
}

/** What tfjs sees of a dimension: a symbolic size is unknown until run time. */
export function runtimeDim(d: Dim): number | null {
  return isAffine(d) ? null : d;
}

/**
 * For a symbol `S` declared a multiple of `m`, the factor its multiple must
 * have for `a` to be a whole number whatever the other symbols are:
 * with `S = m*k`, the coefficient `c/d` of `S` times `m` must be whole,
 * so `m` must be a multiple of `d / gcd(c, d)`.
 */
export function factorNeeded(a: Affine, symbol: string): number {
  const term = a.terms.find((t) => t.symbol === symbol);
  return term ? a.denominator / gcd(term.coefficient, a.denominator) : 1;
}

/** The expression with `symbol` replaced by `value`: a number once no symbol is left. */
export function substitute(a: Sized, symbol: string, value: number): Sized {
  if (!isAffine(a)) return a;
  const term = a.terms.find((t) => t.symbol === symbol);
  if (!term) return a;
  const rest = new Map(a.terms.filter((t) => t !== term).map((t) => [t.symbol, t.coefficient]));
  return normal(rest, a.constant + term.coefficient * value, a.denominator);
}
