import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { Locator } from '../../src/diagnostics/location.js';
import { applyEdits } from '../../src/fix/apply-edits.js';
import { checkSource } from '../../src/index.js';
import type { Span } from '../../src/ir.js';
import { nodeAt, parseSpec, spanAt } from '../../src/parse/parse-spec.js';
import { maxNestingDepth } from '../../src/parse/read-yaml.js';
import { maxAliasValues } from '../../src/parse/to-data.js';

const file = 'specs/test.yaml';

/** `code line:column text`: where each diagnostic starts, 1-based, and the text its span covers (first line). */
function located(text: string, diagnostics: readonly Diagnostic[]): string[] {
  const locator = new Locator(new Map([[file, text]]));
  return diagnostics.map((d) => {
    const span = d.span as Span;
    const { line, column } = locator.locate(span);
    return `${d.code} ${line}:${column} ${text.slice(span.start, span.end).split('\n')[0]}`;
  });
}

function diagnose(text: string): Diagnostic[] {
  const result = parseSpec({ path: file, text });
  if (result.diagnostics.length > 0) expect(result.value).toBeUndefined();
  return [...result.diagnostics];
}

function dataOf(text: string): unknown {
  const result = parseSpec({ path: file, text });
  expect(result.diagnostics).toEqual([]);
  return result.value!.data;
}

describe('tags: only the core schema tags, each on its kind of value (NS1006 at the tag)', () => {
  const rejected: [string, { given: string; want: string[]; message?: RegExp }][] = [
    ['a local tag', { given: 'a: !foo 8\n', want: ['NS1006 1:4 !foo'], message: /^tag '!foo' is not allowed: .* !!str, !!int, !!float, !!bool, !!null, !!map and !!seq$/ }],
    ['!!binary', { given: 'a: !!binary aGVsbG8=\n', want: ['NS1006 1:4 !!binary'], message: /'!!binary' \(tag:yaml.org,2002:binary\) is not allowed/ }],
    ['!!set', { given: 'a: !!set { x, y }\n', want: ['NS1006 1:4 !!set'] }],
    ['!!timestamp', { given: 'a: !!timestamp 2001-12-14\n', want: ['NS1006 1:4 !!timestamp'] }],
    ['!!omap', { given: 'a: !!omap [ x: 1 ]\n', want: ['NS1006 1:4 !!omap'] }],
    ['!!merge on a key', { given: 'b: &b { k: 1 }\nm: { !!merge <<: *b }\n', want: ['NS1006 2:6 !!merge'] }],
    ['a %TAG handle', { given: '%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\n', want: ['NS1006 3:4 !e!foo'], message: /\(tag:example.com,2000:foo\)/ }],
    ['!! redefined by %TAG', { given: '%TAG !! tag:example.com,2000:\n---\na: !!str 1\n', want: ['NS1006 3:4 !!str'] }],
    ['a verbatim tag of another schema', { given: 'a: !<tag:example.com,2000:x> 1\n', want: ['NS1006 1:4 !<tag:example.com,2000:x>'] }],
    ['PyYAML output', { given: 'kernelSize: !!python/tuple [3, 3]\n', want: ['NS1006 1:13 !!python/tuple'] }],
    ['a tag on a collection', { given: 'a: !custom [1, 2]\n', want: ['NS1006 1:4 !custom'] }],
    ['a tag on a key', { given: '!foo a: 1\n', want: ['NS1006 1:1 !foo'] }],
    ['a tag on a block scalar', { given: 'a: !foo |\n  text\n', want: ['NS1006 1:4 !foo'] }],
    ['every tag, each at its place', { given: 'a: !x 1\nb: [!y 2, !!int 3]\n', want: ['NS1006 1:4 !x', 'NS1006 2:5 !y'] }],
    ['!!int on text', { given: 'a: !!int abc\n', want: ['NS1006 1:4 !!int'], message: /^tag '!!int' does not fit its value: it tags an integer, like 12$/ }],
    ['!!map on a list', { given: 'a: !!map [1]\n', want: ['NS1006 1:4 !!map'], message: /it tags a mapping$/ }],
    ['!!seq on a mapping', { given: 'a: !!seq { b: 1 }\n', want: ['NS1006 1:4 !!seq'] }],
    ['!!bool on yes (YAML 1.1 only)', { given: 'a: !!bool yes\n', want: ['NS1006 1:4 !!bool'] }],
  ];
  test.each(rejected)('%s', (_name, { given, want, message }) => {
    const found = diagnose(given);
    expect(located(given, found)).toEqual(want);
    if (message) expect(found[0]!.message).toMatch(message);
    for (const d of found) expect(d.fix).toMatch(/remove the tag/);
    // The one fix takes the tag off, and what is left parses.
    const fixes = found.flatMap((d) => d.fixes ?? []);
    expect(fixes).toHaveLength(found.length);
    expect(diagnose(applyEdits(given, fixes.flatMap((f) => f.edits)).text)).toEqual([]);
  });

  const accepted: [string, { given: string; want: unknown }][] = [
    ['!!str on a number', { given: 'a: !!str 9\n', want: { a: '9' } }],
    ['!!int on a quoted number', { given: 'a: !!int "11"\n', want: { a: 11 } }],
    ['!!float', { given: 'a: !!float 0.5\n', want: { a: 0.5 } }],
    ['!!bool and !!null', { given: 'a: !!bool true\nb: !!null null\n', want: { a: true, b: null } }],
    ['!!map and !!seq', { given: 'a: !!map { b: !!seq [1] }\n', want: { a: { b: [1] } } }],
    ['the verbatim form of a core tag', { given: 'a: !<tag:yaml.org,2002:str> 3\n', want: { a: '3' } }],
    ['the non-specific tag: a string', { given: 'a: ! 10\n', want: { a: '10' } }],
    ['a core tag on a key', { given: '!!str 1: a\n', want: { '1': 'a' } }],
  ];
  test.each(accepted)('%s is accepted', (_name, { given, want }) => expect(dataOf(given)).toEqual(want));
});

describe('keys: plain values only, never __proto__ (NS1007 at the key)', () => {
  const cases: [string, { given: string; want: string[]; message?: RegExp; fix?: RegExp; note?: RegExp }][] = [
    ['template braces: a flow mapping as a key', { given: '- {{ type: dense }}\n', want: ['NS1007 1:4 { type: dense }'], message: /this key is a mapping$/, fix: /remove the outer pair of braces/ }],
    ['a flow mapping as a key with a value', { given: '{ type: dense }: 1\n', want: ['NS1007 1:1 { type: dense }'], note: /put a mapping under it/ }],
    ['an explicit list key', { given: '? [a, b]\n: 1\n', want: ['NS1007 1:3 [a, b]'], message: /this key is a list$/ }],
    ['a list key in a flow mapping', { given: 'a: { [1]: 2 }\n', want: ['NS1007 1:6 [1]'] }],
    ['an alias to a list as a key', { given: 'k: &k [1]\n*k : 2\n', want: ['NS1007 2:1 *k'], message: /this key is an alias to a list$/ }],
    ['__proto__ in params', { given: 'params: { __proto__: 3 }\n', want: ['NS1007 1:11 __proto__'], message: /^key '__proto__' is not allowed: .*prototype/, fix: /rename the key/ }],
    ['__proto__ in outputs', { given: 'outputs: { __proto__: [3] }\n', want: ['NS1007 1:12 __proto__'] }],
    ['__proto__ as a model', { given: 'models:\n  __proto__:\n    layers: []\n', want: ['NS1007 2:3 __proto__'] }],
    ['__proto__ quoted', { given: '"__proto__": 1\n', want: ['NS1007 1:1 "__proto__"'] }],
    ['__proto__ through an alias', { given: 'a: &p __proto__\nb: { *p : 1 }\n', want: ['NS1007 2:6 *p'] }],
    ['__proto__ in a merged mapping: where it is written', { given: 'b: &b { __proto__: 1 }\nm: { <<: *b }\n', want: ['NS1007 1:9 __proto__'] }],
    ['every such key, each at its place', { given: 'a: { __proto__: 1 }\nb: { [x]: 2 }\n', want: ['NS1007 1:6 __proto__', 'NS1007 2:6 [x]'] }],
  ];
  test.each(cases)('%s', (_name, { given, want, message, fix, note }) => {
    const found = diagnose(given);
    expect(located(given, found)).toEqual(want);
    if (message) expect(found[0]!.message).toMatch(message);
    if (fix) expect(found[0]!.fix).toMatch(fix);
    // Advice is a note: a fix is only what its edits do.
    if (note) expect([found[0]!.fix, found[0]!.notes.map((n) => n.message)]).toEqual([undefined, [expect.stringMatching(note)]]);
  });

  test('template braces: the fix removes the outer pair', () => {
    const given = '- {{ type: dense }}\n';
    const [d] = diagnose(given);
    expect(applyEdits(given, d!.fixes![0]!.edits).text).toBe('- { type: dense }\n');
  });

  test('__proto__ as a param: renamed where it is set and where expressions use it', () => {
    const given = 'params: { proto: 1, __proto__: 3 }\nunits: 2 * __proto__\nfrom: [__proto__x, "__proto__"]\n';
    const [d] = diagnose(given);
    expect(d!.fixes!.map((f) => f.description)).toEqual(["rename the key to 'proto1'"]);
    expect(applyEdits(given, d!.fixes![0]!.edits).text).toBe('params: { proto: 1, proto1: 3 }\nunits: 2 * proto1\nfrom: [__proto__x, "proto1"]\n');
  });

  test('__proto__ outside params: only the key is renamed', () => {
    const given = 'outputs: { __proto__: [3] }\nunits: __proto__\n';
    const [d] = diagnose(given);
    expect(applyEdits(given, d!.fixes![0]!.edits).text).toBe('outputs: { proto: [3] }\nunits: __proto__\n');
  });

  const accepted: [string, { given: string; want: unknown }][] = [
    ['numbers, booleans and null become names', { given: '1: a\ntrue: b\n~: c\n0x10: d\n', want: { '1': 'a', true: 'b', '': 'c', '16': 'd' } }],
    ['names a prototype also has', { given: 'constructor: 1\ntoString: 2\nhasOwnProperty: 3\n', want: { constructor: 1, toString: 2, hasOwnProperty: 3 } }],
    ['an alias to a scalar', { given: 'k: &k name\n*k : 2\n', want: { k: 'name', name: 2 } }],
    ['proto without the underscores', { given: 'proto: 1\n__proto: 2\n', want: { proto: 1, __proto: 2 } }],
  ];
  test.each(accepted)('%s', (_name, { given, want }) => {
    const data = dataOf(given) as object;
    expect(data).toEqual(want);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
  });

  test('the same key written as a number and as a string is a duplicate (NS1002)', () => {
    const given = 'a: { 1: x, "1": y }\n';
    expect(located(given, diagnose(given))).toEqual(['NS1002 1:12 "1"']);
  });
});

describe('numbers: finite only (NS1009 at the scalar)', () => {
  const cases: [string, { given: string; want: string[]; message?: RegExp }][] = [
    ['.inf', { given: 'a: .inf\n', want: ['NS1009 1:4 .inf'], message: /^'.inf' is infinity; a spec holds only finite numbers$/ }],
    ['-.inf', { given: 'a: -.inf\n', want: ['NS1009 1:4 -.inf'], message: /is minus infinity/ }],
    ['+.inf', { given: 'a: +.inf\n', want: ['NS1009 1:4 +.inf'] }],
    ['.Inf and .INF', { given: 'a: [.Inf, .INF]\n', want: ['NS1009 1:5 .Inf', 'NS1009 1:11 .INF'] }],
    ['.nan, .NaN and .NAN', { given: 'a: [.nan, .NaN, .NAN]\n', want: ['NS1009 1:5 .nan', 'NS1009 1:11 .NaN', 'NS1009 1:17 .NAN'], message: /not a number/ }],
    ['a number too large for a double', { given: 'a: 1e400\n', want: ['NS1009 1:4 1e400'], message: /too large for a number: it reads as Infinity/ }],
    ['a negative one', { given: 'a: -1e400\n', want: ['NS1009 1:4 -1e400'], message: /-Infinity/ }],
    ['!!float .inf', { given: 'a: !!float .inf\n', want: ['NS1009 1:12 .inf'] }],
    ['in a block mapping deep down', { given: 'models:\n  g:\n    layers:\n      - units: .inf\n', want: ['NS1009 4:16 .inf'] }],
    ['as a key', { given: '.inf: 1\n', want: ['NS1009 1:1 .inf'] }],
    ['behind an alias: once, where it is written', { given: 'a: &x .nan\nb: *x\n', want: ['NS1009 1:7 .nan'] }],
  ];
  test.each(cases)('%s', (_name, { given, want, message }) => {
    const found = diagnose(given);
    expect(located(given, found)).toEqual(want);
    if (message) expect(found[0]!.message).toMatch(message);
    expect([found[0]!.fix, found[0]!.notes.map((n) => n.message)]).toEqual([undefined, [expect.stringMatching(/finite number/)]]);
  });

  const accepted: [string, { given: string; want: unknown }][] = [
    ['quoted, they are text', { given: 'a: ".inf"\nb: \'.nan\'\n', want: { a: '.inf', b: '.nan' } }],
    ['spellings YAML does not read as numbers are text', { given: 'a: .iNf\nb: inf\nc: nan\n', want: { a: '.iNf', b: 'inf', c: 'nan' } }],
    ['large finite numbers', { given: 'a: 1e308\nb: -1.7e308\n', want: { a: 1e308, b: -1.7e308 } }],
  ];
  test.each(accepted)('%s', (_name, { given, want }) => expect(dataOf(given)).toEqual(want));
});

describe(`nesting: at most ${maxNestingDepth} levels (NS1008 at the node past the limit)`, () => {
  // Each makes a document whose collections nest `n` levels, the document's own mapping or list included.
  const flowSeq = (n: number) => `a: ${'['.repeat(n - 1)}1${']'.repeat(n - 1)}\n`;
  const flowMap = (n: number) => `a: ${'{a: '.repeat(n - 1)}1${'}'.repeat(n - 1)}\n`;
  const blockSeq = (n: number) => `${'- '.repeat(n)}1\n`;
  const blockMap = (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1\n';
  const mixed = (n: number) => `${'- '.repeat(Math.ceil(n / 2))}${'['.repeat(Math.floor(n / 2))}1${']'.repeat(Math.floor(n / 2))}\n`;
  const explicitKeys = (n: number) => `${'? '.repeat(n)}1\n`;
  const styles: [string, (n: number) => string][] = [
    ['flow lists', flowSeq],
    ['flow mappings', flowMap],
    ['block lists', blockSeq],
    ['block mappings', blockMap],
    ['block lists of flow lists', mixed],
    ['explicit keys', explicitKeys],
  ];

  test('the limit is 64', () => expect(maxNestingDepth).toBe(64));

  test.each(styles)('%s: 64 levels are not too deep', (_name, make) => {
    // Explicit keys nest as keys, which are NS1007; only the depth matters here.
    expect(diagnose(make(64)).filter((d) => d.code !== 'NS1007')).toEqual([]);
  });

  const tooDeep: [string, { given: string; want: string[] }][] = [
    ['65 levels of flow lists: at the 64th bracket', { given: flowSeq(65), want: ['NS1008 1:67 ['] }],
    ['65 levels of flow mappings', { given: flowMap(65), want: ['NS1008 1:256 {'] }],
    ['65 levels of block lists', { given: blockSeq(65), want: ['NS1008 1:129 -'] }],
    ['65 levels of block mappings', { given: blockMap(65), want: ['NS1008 65:65 a'] }],
    ['65 levels of block and flow lists', { given: mixed(65), want: ['NS1008 1:98 ['] }],
    ['65 levels of explicit keys', { given: explicitKeys(65), want: ['NS1008 1:129 ?'] }],
    ['an unclosed flow list: the nesting, not the missing bracket', { given: `a: ${'['.repeat(100)}\n`, want: ['NS1008 1:67 ['] }],
  ];
  test.each(tooDeep)('%s', (_name, { given, want }) => {
    const found = diagnose(given);
    expect(located(given, found)).toEqual(want);
    expect(found[0]!.message).toMatch(/nested more than 64 levels deep; the limit is 64$/);
    expect([found[0]!.fix, found[0]!.notes.map((n) => n.message)]).toEqual([undefined, [expect.stringMatching(/^flatten/)]]);
  });

  test.each(styles)('%s 100,000 deep: NS1008, quickly and without exhausting the stack', (_name, make) => {
    // 1,400 levels of block mappings, indented one space each, are nearly 1 MiB.
    const text = make === blockMap ? blockMap(1400) : make(100_000);
    const started = performance.now();
    const found = diagnose(text);
    expect(found.map((d) => d.code)).toEqual(['NS1008']);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(checkSource({ path: file, text }).diagnostics.map((d) => d.code)).toEqual(['NS1008']);
  });

  test('pairs in a flow list are mappings: the data nesting counts', () => {
    // 40 brackets, each holding a one-pair mapping: 80 levels of data.
    const text = `a: ${'[k: '.repeat(40)}1${']'.repeat(40)}\n`;
    const found = diagnose(text);
    expect(found.map((d) => d.code)).toEqual(['NS1008']);
    expect(found[0]!.message).toMatch(/^a mapping nested 65 levels deep; the limit is 64$/);
  });

  test('aliases add the nesting of their anchor: NS1008 at the alias, with a note at the anchor', () => {
    const text = [`a0: &a0 ${'['.repeat(40)}1${']'.repeat(40)}`, `a1: &a1 ${'['.repeat(30)}*a0${']'.repeat(30)}`, ''].join('\n');
    const found = diagnose(text);
    expect(located(text, found)).toEqual(['NS1008 2:39 *a0']);
    expect(found[0]!.message).toBe('alias *a0 stands at level 32 and its value nests 40 levels, 71 in all; the limit is 64');
    expect(located(text, [{ ...found[0]!, span: found[0]!.notes[0]!.span! }])).toEqual(['NS1008 1:9 [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]']);
  });

  test('aliases of aliases, each within the limit, nest past it', () => {
    const lines = [`a0: &a0 ${'['.repeat(20)}1${']'.repeat(20)}`];
    for (let i = 1; i < 5; i++) lines.push(`a${i}: &a${i} ${'['.repeat(20)}*a${i - 1}${']'.repeat(20)}`);
    const found = diagnose(lines.join('\n') + '\n');
    expect(found.map((d) => d.code)).toEqual(['NS1008']);
    expect(located(lines.join('\n'), found)).toEqual(['NS1008 4:29 *a2']);
  });
});

describe('aliases: resolved in one pass, bounded, located', () => {
  const cases: [string, { given: string; want: unknown }][] = [
    ['an anchor may be redefined: an alias takes the closest before it', { given: 'a: &x 1\nb: *x\nc: &x 2\nd: *x\n', want: { a: 1, b: 1, c: 2, d: 2 } }],
    ['an anchor inside a redefined one is closer', { given: 'a: &x [&x 1, *x]\nb: *x\n', want: { a: [1, 1], b: 1 } }],
    ['an alias of a mapping with merges', { given: 'b: &b { k: 1 }\nm: &m { <<: *b, s: 2 }\nn: *m\n', want: { b: { k: 1 }, m: { k: 1, s: 2 }, n: { k: 1, s: 2 } } }],
    ['a merge of an alias to a list of mappings', { given: 'x: &x { k: 1 }\ny: &y { k: 2, w: 3 }\nl: &l [*x, *y]\nm: { <<: *l }\n', want: { x: { k: 1 }, y: { k: 2, w: 3 }, l: [{ k: 1 }, { k: 2, w: 3 }], m: { k: 1, w: 3 } } }],
    ['an own key after a merge wins', { given: 'b: &b { k: 1 }\nm: { <<: *b, k: 2 }\n', want: { b: { k: 1 }, m: { k: 2 } } }],
    ['an inline merge', { given: 'm: { <<: { k: 1 }, s: 2 }\n', want: { m: { k: 1, s: 2 } } }],
    ['a quoted << is a key', { given: 'm: { "<<": 1 }\n', want: { m: { '<<': 1 } } }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => expect(dataOf(given)).toEqual(want));

  const errors: [string, { given: string; want: string[]; message: RegExp }][] = [
    ['an alias inside its own anchor (a cycle)', { given: 'a: &x [1, *x]\n', want: ['NS1001 1:11 *x'], message: /^alias \*x is inside the value anchored &x, so that value would contain itself$/ }],
    ['a cycle through a mapping', { given: 'layers: &l { next: [*l] }\n', want: ['NS1001 1:21 *l'], message: /would contain itself/ }],
    ['a merge of a number', { given: 'm:\n  <<: 1\n', want: ['NS1001 2:7 1'], message: /^a merge \(<<\) takes a mapping or a list of mappings; this is the value 1$/ }],
    ['a merge of nothing: at the key', { given: 'm:\n  <<:\n', want: ['NS1001 2:3 <<'], message: /this is empty$/ }],
    ['a merge of an alias to a list of lists', { given: 'a: &a [1]\nm:\n  <<: [*a]\n', want: ['NS1001 3:8 *a'], message: /this is a list$/ }],
    ['a merge of an unknown anchor: the anchor only', { given: 'm:\n  <<: *nope\n', want: ['NS1001 2:7 *nope'], message: /^unknown anchor 'nope'/ }],
  ];
  test.each(errors)('%s', (_name, { given, want, message }) => {
    const found = diagnose(given);
    expect(located(given, found)).toEqual(want);
    expect(found[0]!.message).toMatch(message);
  });

  test('20,000 aliases of one anchor: linear time, and data', () => {
    const text = `x: &a 1\ny: [${Array(20_000).fill('*a').join(', ')}]\n`;
    const started = performance.now();
    const data = dataOf(text) as { y: number[] };
    expect(performance.now() - started).toBeLessThan(3000);
    expect(data.y.length).toBe(20_000);
    expect(data.y.every((v) => v === 1)).toBe(true);
  });

  test('spans through aliases and merges need no walk per alias', () => {
    const n = 5000;
    const text = `b: &b { k: 1 }\nl: [${Array(n).fill('{ <<: *b }').join(', ')}]\n`;
    const spec = parseSpec({ path: file, text }).value!;
    const started = performance.now();
    for (let i = 0; i < n; i++) spanAt(spec, ['l', i, 'k']);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(located(text, [{ code: 'NS1001', severity: 'error', message: '', notes: [], span: spanAt(spec, ['l', n - 1, 'k']) }])).toEqual(['NS1001 1:12 1']);
    expect(nodeAt(spec.document, ['l', 0, 'nope'])).toBeUndefined();
  });

  test(`"billion laughs": NS1001 at the alias that passes ${maxAliasValues} values, with a note at its anchor`, () => {
    const lines = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 9; i++) lines.push(`${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(9).fill(`*${'abcdefghi'[i - 1]}`).join(', ')}]`);
    const text = lines.join('\n') + '\n';
    const started = performance.now();
    const found = diagnose(text);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(located(text, found)).toEqual(['NS1001 6:8 *e']);
    expect(found[0]!.message).toBe('aliases add more than 100000 values to the spec by here (*e adds 66430); a spec that large is almost surely aliases of aliases multiplying');
    expect(located(text, [{ ...found[0]!, span: found[0]!.notes[0]!.span! }])).toEqual(['NS1001 5:7 [*d, *d, *d, *d, *d, *d, *d, *d, *d]']);
  });

  test('merges of aliased mappings count too', () => {
    const text = `b: &b { ${Array.from({ length: 100 }, (_, i) => `k${i}: ${i}`).join(', ')} }\nl: [${Array(1000).fill('{ <<: *b }').join(', ')}]\n`;
    expect(diagnose(text).map((d) => d.code)).toEqual(['NS1001']);
  });
});

describe('yaml never writes to the console: its warnings are diagnostics', () => {
  const spies: { mockRestore(): void; mock: { calls: unknown[][] } }[] = [];
  beforeEach(() => {
    spies.push(vi.spyOn(process, 'emitWarning').mockImplementation(() => {}));
    spies.push(vi.spyOn(process.stderr, 'write').mockImplementation(() => true));
    spies.push(vi.spyOn(process.stdout, 'write').mockImplementation(() => true));
    spies.push(vi.spyOn(console, 'warn').mockImplementation(() => {}));
    spies.push(vi.spyOn(console, 'log').mockImplementation(() => {}));
  });
  afterEach(() => {
    const calls = spies.map((s) => s.mock.calls.length);
    for (const s of spies.splice(0)) s.mockRestore();
    expect(calls).toEqual([0, 0, 0, 0, 0]);
  });

  const cases: [string, { given: string; want: string[]; message?: RegExp; fix?: RegExp; note?: RegExp }][] = [
    ['a complex key, which yaml warns it stringifies', { given: 'netspec: 1\n{{ type: dense }}: 1\n', want: ['NS1007 2:1 {{ type: dense }}'] }],
    ['an alias ending in a colon', { given: 'a: &b 1\nc: *b:\n', want: ['NS1001 2:6 :'], message: /^Alias ending in : is ambiguous$/, note: /space before/ }],
    ['an anchor ending in a colon', { given: 'a: &b: 1\n', want: ['NS1001 1:6 :'], message: /^Anchor ending in : is ambiguous$/ }],
    ['an unknown directive', { given: '%FOO bar\n---\na: 1\n', want: ['NS1001 1:1 %FOO bar'], message: /^Unknown directive %FOO$/, fix: /remove the directive/ }],
    ['an unresolved tag', { given: 'a: !foo 8\n', want: ['NS1006 1:4 !foo'] }],
  ];
  test.each(cases)('%s', (_name, { given, want, message, fix, note }) => {
    const found = diagnose(given);
    expect(located(given, found)).toEqual(want);
    if (message) expect(found[0]!.message).toMatch(message);
    if (fix) expect(found[0]!.fix).toMatch(fix);
    if (note) expect([found[0]!.fix, found[0]!.notes.map((n) => n.message)]).toEqual([undefined, [expect.stringMatching(note)]]);
    checkSource({ path: file, text: given });
  });

  test('an unknown directive: the fix removes its line', () => {
    const given = '%FOO bar\n---\na: 1\n';
    const [d] = diagnose(given);
    expect(applyEdits(given, d!.fixes![0]!.edits).text).toBe('---\na: 1\n');
    expect(diagnose('---\na: 1\n')).toEqual([]);
  });
});
