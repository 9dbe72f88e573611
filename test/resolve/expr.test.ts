import { describe, expect, test } from 'vitest';
import type { Expr } from '../../src/resolve/expr/ast.js';
import { evaluateDim, namesIn } from '../../src/resolve/expr/evaluate-affine.js';
import { evaluate } from '../../src/resolve/expr/evaluate.js';
import { parseExpr } from '../../src/resolve/expr/parse-expr.js';

const names: Record<string, number> = { ngf: 64, zDim: 100, i: 2, zero: 0, x_1: 3, half: 0.5, huge: 1e30 };
const lookup = (name: string) => names[name];

/** Parses and evaluates; a value, or the error with its offsets. */
function run(text: string): number | { stage: 'parse' | 'evaluate'; message: string; start: number; end: number; unknownName?: string } {
  const parsed = parseExpr(text);
  if ('error' in parsed) return { stage: 'parse', ...parsed.error };
  const result = evaluate(parsed.expr, lookup);
  return 'error' in result ? { stage: 'evaluate', ...result.error } : result.value;
}

describe('expressions: values', () => {
  const cases: [string, { given: string; want: number }][] = [
    // precedence and associativity
    ['* before +', { given: '2 + 3 * 4', want: 14 }],
    ['* before + on the left', { given: '2 * 3 + 4', want: 10 }],
    ['- is left-associative', { given: '10 - 4 - 3', want: 3 }],
    ['/ is left-associative', { given: '8 / 4 / 2', want: 1 }],
    ['// and * share a level, left to right', { given: '2 * 3 // 4', want: 1 }],
    ['* and // the other way round', { given: '7 // 2 * 2', want: 6 }],
    ['% and * share a level', { given: '7 % 4 * 2', want: 6 }],
    ['** before unary minus: -2 ** 2 == -4', { given: '-2 ** 2', want: -4 }],
    ['** is right-associative: 2 ** 3 ** 2 == 512', { given: '2 ** 3 ** 2', want: 512 }],
    ['a unary minus in an exponent', { given: '2 ** -1', want: 0.5 }],
    ['a unary minus in a right-nested exponent', { given: '2 ** -2 ** 2', want: 0.0625 }],
    ['** before *', { given: '3 * 2 ** 2', want: 12 }],
    ['a negated name to a power', { given: '-x_1 ** 2', want: -9 }],
    ['parenthesised base', { given: '(-2) ** 2', want: 4 }],
    ['parentheses override precedence', { given: '(2 + 3) * 4', want: 20 }],
    ['nested parentheses', { given: '((1 + 2) * (3 + 4))', want: 21 }],
    ['double negation', { given: '- -3', want: 3 }],
    ['unary plus', { given: '+3', want: 3 }],
    ['minus minus without a space', { given: '3 -- 2', want: 5 }],
    ['a unary minus after an operator', { given: 'ngf*-1', want: -64 }],
    // floor division, Python semantics
    ['7 // 2', { given: '7 // 2', want: 3 }],
    ['-7 // 2 floors toward -infinity', { given: '-7 // 2', want: -4 }],
    ['7 // -2 floors toward -infinity', { given: '7 // -2', want: -4 }],
    ['-7 // -2', { given: '-7 // -2', want: 3 }],
    ['// of floats', { given: '5.5 // 2', want: 2 }],
    ['// without spaces', { given: '9//2', want: 4 }],
    ['/ is true division', { given: '7 / 2', want: 3.5 }],
    // modulo, Python semantics: the sign of the divisor
    ['7 % 3', { given: '7 % 3', want: 1 }],
    ['-7 % 3 is positive', { given: '-7 % 3', want: 2 }],
    ['7 % -3 is negative', { given: '7 % -3', want: -2 }],
    ['-7 % -3', { given: '-7 % -3', want: -1 }],
    ['-1 % 4', { given: '-1 % 4', want: 3 }],
    ['% of floats', { given: '7.5 % 2', want: 1.5 }],
    // functions
    ['min of three', { given: 'min(3, 1, 2)', want: 1 }],
    ['max with expressions', { given: 'max(i, ngf // 2)', want: 32 }],
    ['min of one', { given: 'min(4)', want: 4 }],
    ['nested calls', { given: 'max(min(8, ngf), 2) * 2', want: 16 }],
    ['a call with negative arguments', { given: 'min(-1, -5)', want: -5 }],
    ['a space before the parenthesis', { given: 'max (1, 2)', want: 2 }],
    // numbers and names
    ['a float', { given: '0.02', want: 0.02 }],
    ['a leading dot', { given: '.5', want: 0.5 }],
    ['a trailing dot', { given: '5.', want: 5 }],
    ['an exponent', { given: '1e3', want: 1000 }],
    ['a negative exponent', { given: '1.5e-2', want: 0.015 }],
    ['an upper-case exponent with a sign', { given: '1E+2', want: 100 }],
    ['names', { given: '4 * 4 * ngf * 8', want: 8192 }],
    ['a name with an underscore and a digit', { given: 'x_1 + zDim', want: 103 }],
    ['whitespace everywhere', { given: '  ( ngf\t//  2 )  ', want: 32 }],
    ['a fractional param', { given: 'half * 4', want: 2 }],
    ['a fractional power', { given: '4 ** 0.5', want: 2 }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    expect(run(given)).toBe(want);
  });
});

describe('expressions: syntax errors with exact offsets', () => {
  const cases: [string, { given: string; want: { message: string; start: number; end: number } }][] = [
    ['an unexpected character', { given: '2 $ 3', want: { message: "unexpected character '$'", start: 2, end: 3 } }],
    ['a Python-only operator', { given: 'ngf & 1', want: { message: "unexpected character '&'", start: 4, end: 5 } }],
    ['a string quote', { given: "2 * 'a'", want: { message: "unexpected character '''", start: 4, end: 5 } }],
    ['a missing closing parenthesis', { given: '2 * (3 + 4', want: { message: "expected ')', found end of expression", start: 10, end: 11 } }],
    ['a missing closing parenthesis of a call', { given: 'min(1, 2', want: { message: "expected ')', found end of expression", start: 8, end: 9 } }],
    ['an extra closing parenthesis', { given: '(2 * 3))', want: { message: "expected an operator, found ')'", start: 7, end: 8 } }],
    ['a trailing operator', { given: '2 +', want: { message: 'expected a number, a name or (, found end of expression', start: 3, end: 4 } }],
    ['a trailing power', { given: 'ngf **', want: { message: 'expected a number, a name or (, found end of expression', start: 6, end: 7 } }],
    ['a leading operator', { given: '* 2', want: { message: "expected a number, a name or (, found '*'", start: 0, end: 1 } }],
    ['two operators', { given: '4 / / 2', want: { message: "expected a number, a name or (, found '/'", start: 4, end: 5 } }],
    ['two operands', { given: '2 3', want: { message: "expected an operator, found '3'", start: 2, end: 3 } }],
    ['a name after a number', { given: '2 ngf', want: { message: "expected an operator, found 'ngf'", start: 2, end: 5 } }],
    ['a trailing comma in a call', { given: 'max(1,)', want: { message: "expected a number, a name or (, found ')'", start: 6, end: 7 } }],
    ['a missing comma in a call', { given: 'min(1 2)', want: { message: "expected ')', found '2'", start: 6, end: 7 } }],
    ['empty parentheses', { given: '()', want: { message: "expected a number, a name or (, found ')'", start: 1, end: 2 } }],
    ['an empty expression', { given: '', want: { message: 'expected a number, a name or (, found end of expression', start: 0, end: 1 } }],
    ['only spaces', { given: '   ', want: { message: 'expected a number, a name or (, found end of expression', start: 3, end: 4 } }],
    ['a number quoted as written', { given: '1..2', want: { message: "expected an operator, found '.2'", start: 2, end: 4 } }],
    ['digit separators are not numbers', { given: '1_000', want: { message: "expected an operator, found '_000'", start: 1, end: 5 } }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    expect(run(given)).toEqual({ stage: 'parse', ...want });
  });
});

describe('expressions: evaluation errors with exact offsets', () => {
  const cases: [string, { given: string; want: { message: string; start: number; end: number; unknownName?: string } }][] = [
    ['an unknown name', { given: 'zzz + 1', want: { message: "unknown name 'zzz'", start: 0, end: 3, unknownName: 'zzz' } }],
    ['an unknown name on the right', { given: '4 * 4 * ngff', want: { message: "unknown name 'ngff'", start: 8, end: 12, unknownName: 'ngff' } }],
    ['an unknown name inside a call', { given: 'min(1, nope)', want: { message: "unknown name 'nope'", start: 7, end: 11, unknownName: 'nope' } }],
    ['an unknown name in an exponent', { given: '2 ** e', want: { message: "unknown name 'e'", start: 5, end: 6, unknownName: 'e' } }],
    ['a function name without a call', { given: 'max', want: { message: "unknown name 'max'", start: 0, end: 3, unknownName: 'max' } }],
    ['an unknown function: the whole call', { given: '1 + floor(2.5)', want: { message: "unknown function 'floor'; netspec has min() and max()", start: 4, end: 14 } }],
    ['a call without arguments', { given: 'min()', want: { message: 'min() needs at least one argument', start: 0, end: 5 } }],
    ['division by zero: at the divisor', { given: '1 / 0', want: { message: 'division by zero', start: 4, end: 5 } }],
    ['floor division by zero', { given: 'ngf // 0', want: { message: 'division by zero', start: 7, end: 8 } }],
    ['modulo by zero', { given: 'ngf % zero', want: { message: 'division by zero', start: 6, end: 10 } }],
    ['division by an expression that is zero', { given: '8 / (i - 2)', want: { message: 'division by zero', start: 5, end: 10 } }],
    ['zero to a negative power', { given: '0 ** -1', want: { message: 'division by zero: 0 to a negative power', start: 0, end: 7 } }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    expect(run(given)).toEqual({ stage: 'evaluate', ...want });
  });

  test('the first unknown name is reported, left to right', () => {
    expect(run('a + b')).toMatchObject({ unknownName: 'a', start: 0 });
  });
});

const tooLarge = 'too large: past ±9007199254740991 (2^53 - 1) numbers are not exact';

describe('expressions: every value is a finite, exact number (kind value, NS3003), at the part that makes it', () => {
  const cases: [string, { given: string; want: { message: string; start: number; end: number } }][] = [
    ['a power past Infinity', { given: '10 ** 400', want: { message: tooLarge, start: 0, end: 9 } }],
    ['2 ** 1024', { given: '2 ** 1024', want: { message: tooLarge, start: 0, end: 9 } }],
    ['2 ** 53, the first integer past the exact range', { given: '2 ** 53', want: { message: tooLarge, start: 0, end: 7 } }],
    ['a power inside a sum: at the power', { given: '1 + 2 ** 60', want: { message: tooLarge, start: 4, end: 11 } }],
    ['a sum one past the range: at the sum', { given: '9007199254740991 + 1', want: { message: tooLarge, start: 0, end: 20 } }],
    ['a product past the range', { given: '4294967296 * 4294967296', want: { message: tooLarge, start: 0, end: 23 } }],
    ['a negative value past the range', { given: '-9007199254740991 - 1', want: { message: tooLarge, start: 0, end: 21 } }],
    ['a literal too large for a double', { given: '1 + 1e400', want: { message: tooLarge, start: 4, end: 9 } }],
    ['a literal past the exact range', { given: '1e16', want: { message: tooLarge, start: 0, end: 4 } }],
    ['a param past the exact range: at the name', { given: '2 * huge', want: { message: tooLarge, start: 4, end: 8 } }],
    ['a division with a huge quotient', { given: '1 / 1e-300', want: { message: tooLarge, start: 0, end: 10 } }],
    ['a root of a negative number', { given: '(0 - 8) ** 0.5', want: { message: 'not a real number: a negative number has no fractional power', start: 1, end: 14 } }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    expect(run(given)).toEqual({ stage: 'evaluate', kind: 'value', ...want });
  });

  const exact: [string, { given: string; want: number }][] = [
    ['the largest exact integer', { given: '9007199254740991', want: Number.MAX_SAFE_INTEGER }],
    ['a power just inside the range', { given: '3 ** 33', want: 5559060566555523 }],
    ['2 ** 52', { given: '2 ** 52', want: 4503599627370496 }],
    ['powers of -1, 0 and 1 with a large exponent', { given: '(-1) ** 1000001 + 1 ** 999999 + 0 ** 12345', want: 0 }],
    ['floor division of large integers', { given: '9007199254740991 // 2', want: 4503599627370495 }],
    ['floor division of a large negative integer', { given: '-9007199254740991 // 2', want: -4503599627370496 }],
    ['modulo of a large integer', { given: '9007199254740991 % 10', want: 1 }],
    ['minus zero is zero', { given: '-0', want: 0 }],
    ['a remainder of minus zero is zero', { given: '-4 % 2', want: 0 }],
    ['a tiny fraction is fine', { given: '1e-300', want: 1e-300 }],
  ];
  test.each(exact)('%s', (_name, { given, want }) => {
    expect(run(given)).toBe(want);
  });
});

describe('expressions: length and nesting limits (kind limit, NS3028), at the part past the limit', () => {
  const nested = (open: string, close: string, n: number) => open.repeat(n) + '1' + close.repeat(n);
  const cases: [string, { given: string; want: { start: number; end: number; message: RegExp } }][] = [
    ['1,001 characters: the characters past 1,000', { given: '1' + ' '.repeat(1000), want: { start: 1000, end: 1001, message: /^it is 1001 characters long; the limit is 1000$/ } }],
    ['a sum of 10,000 terms', { given: Array(10000).fill('1').join('+'), want: { start: 1000, end: 19999, message: /19999 characters long/ } }],
    ['33 parentheses: at the 33rd', { given: nested('(', ')', 33), want: { start: 32, end: 33, message: /nests more than 32 levels deep here/ } }],
    ['1,000 parentheses: at the 33rd', { given: nested('(', ')', 1000).slice(0, 999), want: { start: 32, end: 33, message: /32 levels/ } }],
    ['33 signs', { given: '-'.repeat(33) + '1', want: { start: 32, end: 33, message: /32 levels/ } }],
    ['33 nested calls: at the 33rd name', { given: nested('min(', ')', 33), want: { start: 128, end: 131, message: /32 levels/ } }],
    ['a tower of 33 powers: at the 33rd **', { given: '2' + ' ** 1'.repeat(33), want: { start: 162, end: 164, message: /32 levels/ } }],
    ['levels of different kinds add up', { given: '-('.repeat(16) + '-1' + ')'.repeat(16), want: { start: 32, end: 33, message: /32 levels/ } }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    const result = run(given);
    expect(result).toMatchObject({ stage: 'parse', kind: 'limit', start: want.start, end: want.end });
    expect((result as { message: string }).message).toMatch(want.message);
  });

  const within: [string, { given: string; want: number }][] = [
    ['exactly 1,000 characters', { given: '1' + ' '.repeat(999), want: 1 }],
    ['a sum of 500 terms (999 characters)', { given: Array(500).fill('1').join('+'), want: 500 }],
    ['a difference of 500 terms', { given: Array(500).fill('1').join('-'), want: -498 }],
    ['32 parentheses', { given: nested('(', ')', 32), want: 1 }],
    ['32 signs', { given: '-'.repeat(32) + '1', want: 1 }],
    ['32 nested calls', { given: nested('max(', ')', 32), want: 1 }],
    ['a tower of 32 powers', { given: '2' + ' ** 1'.repeat(32), want: 2 }],
    ['many parentheses side by side', { given: Array(150).fill('(1)').join('+'), want: 150 }],
  ];
  test.each(within)('%s parses and evaluates', (_name, { given, want }) => {
    expect(run(given)).toBe(want);
  });
});

describe('expressions: walks over the tree are iterative', () => {
  // Deeper than any parse can make, to show that no walk recurses: a sum of 100,000 ones, nested to the left.
  const deepSum = (n: number): Expr => {
    let expr: Expr = { kind: 'name', name: 'one', start: 0, end: 3 };
    for (let i = 1; i < n; i++) expr = { kind: 'binary', op: '+', left: expr, right: { kind: 'number', value: 1, start: 0, end: 1 }, start: 0, end: 1 };
    return expr;
  };
  const expr = deepSum(100_000);

  test('evaluate', () => expect(evaluate(expr, (n) => (n === 'one' ? 1 : undefined))).toEqual({ value: 100_000 }));
  test('evaluateDim with a symbol', () => {
    const result = evaluateDim(expr, (n) => (n === 'one' ? 'symbol' : undefined));
    expect(result).toEqual({ value: { kind: 'affine', terms: [{ symbol: 'one', coefficient: 1 }], constant: 99_999, denominator: 1 } });
  });
  test('namesIn', () => expect(namesIn(expr)).toEqual([{ name: 'one', start: 0, end: 3 }]));
});

describe('evaluateDim: values are finite and exact too', () => {
  const dims: Record<string, number | 'symbol'> = { H: 'symbol', n: 4, huge: 1e20 };
  const cases: [string, { given: string; want: unknown }][] = [
    ['a coefficient past the range', { given: 'H * 2 ** 52 * 4', want: { message: tooLarge, start: 0, end: 15, kind: 'value' } }],
    ['a number part past the range', { given: 'H + 2 ** 60', want: { message: tooLarge, start: 4, end: 11, kind: 'value' } }],
    ['a param past the range', { given: 'H + huge', want: { message: tooLarge, start: 4, end: 8, kind: 'value' } }],
    ['a number dim past the range', { given: 'n * 10 ** 400', want: { message: tooLarge, start: 4, end: 13, kind: 'value' } }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    const parsed = parseExpr(given);
    if (!('expr' in parsed)) throw new Error(parsed.error.message);
    expect(evaluateDim(parsed.expr, (name) => dims[name])).toEqual({ error: want });
  });

  test('within the range, a symbolic dim is exact', () => {
    const parsed = parseExpr('H * 2 ** 50 + 1');
    expect('expr' in parsed && evaluateDim(parsed.expr, (name) => dims[name])).toEqual({ value: { kind: 'affine', terms: [{ symbol: 'H', coefficient: 2 ** 50 }], constant: 1, denominator: 1 } });
  });
});

describe('parseExpr: the syntax tree', () => {
  test('a binary node spans its operands', () => {
    const parsed = parseExpr('ngf * 8');
    expect(parsed).toEqual({
      expr: {
        kind: 'binary', op: '*', start: 0, end: 7,
        left: { kind: 'name', name: 'ngf', start: 0, end: 3 },
        right: { kind: 'number', value: 8, start: 6, end: 7 },
      },
    });
  });

  test('** nests to the right and takes a unary exponent', () => {
    const parsed = parseExpr('2 ** -3 ** 2');
    expect('expr' in parsed && parsed.expr.kind === 'binary' && parsed.expr.op === '**' && parsed.expr.right.kind).toBe('unary');
  });

  test('a call keeps its callee and arguments', () => {
    const parsed = parseExpr('max(1, n)');
    expect(parsed).toEqual({
      expr: {
        kind: 'call', callee: 'max', start: 0, end: 9,
        args: [
          { kind: 'number', value: 1, start: 4, end: 5 },
          { kind: 'name', name: 'n', start: 7, end: 8 },
        ],
      },
    });
  });

  test('parsing never evaluates: names need no values to parse', () => {
    expect('expr' in parseExpr('unknown1 + unknown2 // 0')).toBe(true);
  });
});
