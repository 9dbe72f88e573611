import { IndentationText, NewLineKind, Project, QuoteKind, SyntaxKind } from 'ts-morph';
import { describe, expect, test } from 'vitest';
import { Call, Cast, Ident, writeCode, type Code } from '../../src/emit/code.js';
import { stringLiteral } from '../../src/emit/escape.js';
import { compile } from '../../src/index.js';

/** A project with the printer settings emitModule pins; it also parses what the tests print. */
const project = new Project({
  useInMemoryFileSystem: true,
  compilerOptions: { noLib: true },
  manipulationSettings: { indentationText: IndentationText.TwoSpaces, newLineKind: NewLineKind.LineFeed, quoteKind: QuoteKind.Single, useTrailingCommas: true },
});

function print(code: Code): string {
  const writer = project.createWriter();
  writeCode(writer, code);
  return writer.toString();
}

let files = 0;

/** `const x = <text>;` parsed as TypeScript: its syntax errors and the initializer node. */
function parse(text: string) {
  const file = project.createSourceFile(`case${++files}.ts`, `export const x = ${text};\n`);
  const errors = project.getProgram().compilerObject.getSyntacticDiagnostics(file.compilerNode).map((d) => d.messageText);
  const initializer = file.getVariableDeclarationOrThrow('x').getInitializerOrThrow();
  return { errors, initializer };
}

type Case = [string, { given: Code; want: string }];

const numbers: Case[] = [
  ['zero', { given: 0, want: '0' }],
  ['a positive integer', { given: 1024, want: '1024' }],
  ['a negative integer', { given: -3, want: '-3' }],
  ['the largest safe integer', { given: Number.MAX_SAFE_INTEGER, want: '9007199254740991' }],
  ['a float', { given: 0.02, want: '0.02' }],
  ['a negative float', { given: -2.5, want: '-2.5' }],
  ['a float in shortest round-trip form', { given: 0.1 + 0.2, want: '0.30000000000000004' }],
  ['a tiny float', { given: 1e-7, want: '1e-7' }],
  ['a huge float', { given: 1e21, want: '1e+21' }],
  ['-0 prints as 0', { given: -0, want: '0' }],
];

const scalars: Case[] = [
  ['null', { given: null, want: 'null' }],
  ['true', { given: true, want: 'true' }],
  ['false', { given: false, want: 'false' }],
  ['a plain string', { given: 'relu', want: "'relu'" }],
  ['an empty string', { given: '', want: "''" }],
  ['a single quote', { given: "it's", want: "'it\\'s'" }],
  ['double quotes stay as they are', { given: 'say "hi"', want: `'say "hi"'` }],
  ['a backslash', { given: 'a\\b', want: "'a\\\\b'" }],
  ['a backslash before a quote', { given: "\\'", want: "'\\\\\\''" }],
  ['a newline', { given: 'a\nb', want: "'a\\u{A}b'" }],
  ['a carriage return', { given: 'a\rb', want: "'a\\u{D}b'" }],
  ['CRLF', { given: 'a\r\nb', want: "'a\\u{D}\\u{A}b'" }],
  ['a line separator', { given: 'a\u2028b', want: "'a\\u{2028}b'" }],
  ['a bidi override', { given: 'a\u202eb', want: "'a\\u{202E}b'" }],
  ['a template-literal lookalike stays literal', { given: '${x}`', want: "'${x}`'" }],
];

const collections: Case[] = [
  ['an empty array', { given: [], want: '[]' }],
  ['an array of numbers', { given: [1, 2, 3], want: '[1, 2, 3]' }],
  ['nested arrays', { given: [[1, 1], [0, 2]], want: '[[1, 1], [0, 2]]' }],
  ['empty nested arrays', { given: [[], [[]]], want: '[[], [[]]]' }],
  ['a shape with unknown dims', { given: [null, 4, null], want: '[null, 4, null]' }],
  ['an empty object', { given: {}, want: '{}' }],
  ['an object', { given: { units: 3, useBias: false }, want: '{ units: 3, useBias: false }' }],
  ['nested objects and arrays', { given: { a: { b: [1, { c: 'd' }] }, e: [] }, want: "{ a: { b: [1, { c: 'd' }] }, e: [] }" }],
  ['keys in insertion order', { given: { z: 1, a: 2, m: 3 }, want: '{ z: 1, a: 2, m: 3 }' }],
  ['identifier keys stay bare', { given: { $ok: 1, _ok: 2, gelu_new: 3, a1: 4 }, want: '{ $ok: 1, _ok: 2, gelu_new: 3, a1: 4 }' }],
  [
    'keys that are not identifiers are quoted',
    { given: { 'a-b': 1, '1x': 2, 'a b': 3, '': 4, "it's": 5, 'a\nb': 6 }, want: "{ 'a-b': 1, '1x': 2, 'a b': 3, '': 4, 'it\\'s': 5, 'a\\u{A}b': 6 }" },
  ],
  // JavaScript itself puts integer-like keys first, so the order is still deterministic.
  ['integer-like keys are quoted and come first', { given: { b: 1, 7: 2 }, want: "{ '7': 2, b: 1 }" }],
  ['undefined entries are skipped', { given: { a: undefined, b: 1, c: undefined }, want: '{ b: 1 }' }],
  ['an object of undefined entries is empty', { given: { a: undefined }, want: '{}' }],
  ['undefined entries are skipped in nested objects', { given: [{ a: undefined }, { b: { c: undefined, d: 2 } }], want: '[{}, { b: { d: 2 } }]' }],
];

const expressions: Case[] = [
  ['an identifier', { given: new Ident('dense_1'), want: 'dense_1' }],
  ['identifiers in a list', { given: [new Ident('a'), new Ident('b')], want: '[a, b]' }],
  ['a call without arguments', { given: new Call('tf.initializers.zeros'), want: 'tf.initializers.zeros()' }],
  ['a call with an empty object', { given: new Call('tf.constraints.maxNorm', [{}]), want: 'tf.constraints.maxNorm({})' }],
  ['a call with an object of undefined entries', { given: new Call('f', [{ a: undefined }]), want: 'f({})' }],
  ['a call with several arguments', { given: new Call('f', [1, 'a', [new Ident('x')], null]), want: "f(1, 'a', [x], null)" }],
  [
    'calls nested in an object',
    {
      given: new Call('tf.layers.dense', [{ name: 'd', units: 2, kernelInitializer: new Call('tf.initializers.randomNormal', [{ mean: 0, stddev: 0.02 }]) }]),
      want: "tf.layers.dense({ name: 'd', units: 2, kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.02 }) })",
    },
  ],
  ['a call as a call argument', { given: new Call('f', [new Call('g', [new Call('h')])]), want: 'f(g(h()))' }],
  ['a cast', { given: { noiseShape: new Cast([null, 1, 2], 'number[]') }, want: '{ noiseShape: [null, 1, 2] as number[] }' }],
];

describe('writeCode', () => {
  describe.each([
    ['numbers', numbers],
    ['scalars and strings', scalars],
    ['arrays and objects', collections],
    ['identifiers, calls and casts', expressions],
  ] as const)('%s', (_, cases) => {
    test.each(cases)('%s', (_, { given, want }) => {
      expect(print(given)).toBe(want);
    });

    test.each(cases)('%s is valid TypeScript', (_, { given }) => {
      expect(parse(print(given)).errors).toEqual([]);
    });
  });

  test.each(scalars.filter(([, c]) => typeof c.given === 'string'))('%s reads back as the same string', (_, { given }) => {
    const { initializer } = parse(print(given));
    expect(initializer.asKindOrThrow(SyntaxKind.StringLiteral).getLiteralValue()).toBe(given);
  });

  test.each([
    ['line and paragraph separators', 'a\u2028b\u2029c'],
    ['a tab and a NUL', 'a\tb\0c'],
    ['non-ASCII text', 'naïve 漢字 🙂'],
    ['every escape at once', `'"\\\n\r\t\u2028\``],
  ])('%s read back as the same string', (_, text) => {
    const { errors, initializer } = parse(stringLiteral(text));
    expect(errors).toEqual([]);
    expect(initializer.asKindOrThrow(SyntaxKind.StringLiteral).getLiteralValue()).toBe(text);
  });

  test('a printed number reads back as the same number', () => {
    for (const [, { given }] of numbers) {
      const { initializer } = parse(print(given));
      const text = initializer.getText();
      expect([given, Number(text)]).toEqual([given, Object.is(given, -0) ? 0 : given]);
    }
  });

  test.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('%s is never printed: it is a compiler bug, not a value', (_, n) => {
    expect(() => print(n)).toThrow(/non-finite/);
    expect(() => print({ alpha: n })).toThrow(/non-finite/);
    expect(() => print(new Call('f', [[1, n]]))).toThrow(/non-finite/);
  });
});

describe('a spec cannot make emit print a non-finite number', () => {
  const spec = (params: string, alpha: string) => ['netspec: 1', `params: ${params}`, 'models:', '  m:', '    inputs: { x: [4] }', `    layers: [{ type: leakyReLU, alpha: ${alpha} }]`, ''].join('\n');

  test('the spec compiles with a finite alpha', () => {
    const result = compile([{ path: 'specs/ok.yaml', text: spec('{ a: 0.5 }', 'a') }]);
    expect(result.diagnostics).toEqual([]);
    expect(result.modules[0]!.text).toContain('alpha: 0.5');
  });

  test.each([
    ['.nan', '{}', '.nan'],
    ['.inf', '{}', '.inf'],
    ['-.inf', '{}', '-.inf'],
    ['0 / 0', '{}', '"0 / 0"'],
    ['1 / 0', '{}', '"1 / 0"'],
    ['10 ** 400', '{}', '"10 ** 400"'],
    ['a param that overflows', '{ a: 10 ** 200 * 10 ** 200 }', 'a'],
  ])('%s is an error, and nothing is emitted', (_, params, alpha) => {
    const result = compile([{ path: 'specs/nan.yaml', text: spec(params, alpha) }]);
    expect(result.diagnostics.map((d) => d.severity)).toContain('error');
    expect(result.modules).toEqual([]);
  });
});
