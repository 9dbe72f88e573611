import { describe, expect, test } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { Locator } from '../../src/diagnostics/location.js';
import { applyEdits } from '../../src/fix/apply-edits.js';
import { checkSource } from '../../src/index.js';
import type { Span } from '../../src/ir.js';
import { maxSpecLength, nodeAt, parseSpec, scalarTextStart, spanAt, type ParsedSpec, type PathSegment } from '../../src/parse/parse-spec.js';

const file = 'specs/test.yaml';

/** `line:column` of where a span starts, 1-based, as a user reads it. */
function at(text: string, span: Span): string {
  const loc = new Locator(new Map([[file, text]])).locate(span);
  return `${loc.line}:${loc.column}`;
}

/** `code line:column` for each diagnostic. */
function located(text: string, diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code} ${at(text, d.span!)}`);
}

function parsed(text: string): ParsedSpec {
  const result = parseSpec({ path: file, text });
  expect(result.diagnostics).toEqual([]);
  return result.value!;
}

describe('parseSpec: valid YAML becomes data', () => {
  const cases: [string, { given: string; want: unknown }][] = [
    ['block mapping', { given: 'netspec: 1\nname: dcgan\n', want: { netspec: 1, name: 'dcgan' } }],
    ['flow mapping and sequence', { given: 'params: { zDim: 100, ngf: 64 }\nshape: [4, 4, 3]\n', want: { params: { zDim: 100, ngf: 64 }, shape: [4, 4, 3] } }],
    ['block sequence of flow maps', { given: 'layers:\n  - { type: dense, units: 8 }\n  - type: flatten\n', want: { layers: [{ type: 'dense', units: 8 }, { type: 'flatten' }] } }],
    ['expressions stay strings', { given: 'units: 4 * 4 * ngf\nq: "ngf // 2"\n', want: { units: '4 * 4 * ngf', q: 'ngf // 2' } }],
    ['booleans, null, floats', { given: 'a: true\nb: false\nc: null\nd: ~\ne:\nf: 0.02\ng: 1e-3\n', want: { a: true, b: false, c: null, d: null, e: null, f: 0.02, g: 0.001 } }],
    ['comments and a document marker', { given: '# yaml-language-server: $schema=x\n---\nnetspec: 1 # version\n', want: { netspec: 1 } }],
    ['anchor and alias', { given: 'a: &k [5, 5]\nb: *k\n', want: { a: [5, 5], b: [5, 5] } }],
    ['merge key: own keys win', { given: 'base: &b { k: 1, s: 2 }\nm:\n  <<: *b\n  s: 3\n', want: { base: { k: 1, s: 2 }, m: { k: 1, s: 3 } } }],
    ['merge list: earlier sources win', { given: 'x: &x { k: 1 }\ny: &y { k: 2, w: 3 }\nm: { <<: [*x, *y] }\n', want: { x: { k: 1 }, y: { k: 2, w: 3 }, m: { k: 1, w: 3 } } }],
    ['CRLF line endings', { given: 'netspec: 1\r\nname: a\r\n', want: { netspec: 1, name: 'a' } }],
    ['a null document is data, not an empty spec', { given: 'null\n', want: null }],
    ['a top-level sequence is data; validate rejects it', { given: '- 1\n- 2\n', want: [1, 2] }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    const result = parseSpec({ path: file, text: given });
    expect(result.diagnostics).toEqual([]);
    expect(result.value!.data).toEqual(want);
    expect(result.value!.source).toEqual({ path: file, text: given });
  });
});

describe('parseSpec: YAML syntax errors (NS1001) are located', () => {
  const cases: [string, { given: string; want: string[]; message?: RegExp }][] = [
    ['a key with a nested mapping on one line', { given: 'netspec: 1\nname: a: b\n', want: ['NS1001 2:7'], message: /compact mappings/ }],
    ['an item indented less than its siblings', { given: 'models:\n  g:\n    inputs: 1\n   layers: 2\n', want: ['NS1001 4:1'], message: /same column/ }],
    ['a tab used as indentation', { given: 'models:\n\tg: 1\n', want: ['NS1001 2:1'], message: /Tabs/ }],
    ['an unclosed double quote (reported where the input ends)', { given: 'netspec: 1\nname: "dcgan\n', want: ['NS1001 3:1'], message: /closing "quote/ }],
    ['an unclosed flow sequence (reported at its `[`)', { given: 'shape: [4, 4\nname: x\n', want: ['NS1001 1:8'], message: /this `\[` is never closed/ }],
    ['an unclosed flow map after closed ones, braces in quotes and comments skipped', { given: 'a: { b: "}{" }\nlayers:\n  - { c: 1 }\n  - { d: \'{\', e: 2  # }\n  - { f: 3 }\n', want: ['NS1001 4:5'], message: /this `\{` is never closed/ }],
    ['a second document', { given: 'netspec: 1\n---\nnetspec: 1\n', want: ['NS1001 2:1'], message: /multiple documents/ }],
    ['an alias to an anchor that does not exist', { given: 'netspec: 1\nbase: &b 1\nx: *nope\n', want: ['NS1001 3:4'], message: /unknown anchor 'nope'/ }],
    ['an alias before its anchor', { given: 'a: *k\nb: &k 1\n', want: ['NS1001 1:4'], message: /unknown anchor 'k'/ }],
    ['every unknown alias, each at its place', { given: 'a: *p\nb:\n  - *q\n', want: ['NS1001 1:4', 'NS1001 3:5'] }],
    ['a block indented with tabs: the first error only, not the recovery after it', { given: 'models:\n\tg:\n\t\ta: 1\n\t\tb: [2\n\t\tc: 3\n', want: ['NS1001 2:1'], message: /Tabs/ }],
    ['an unclosed flow map: yaml reports it three times, netspec once, at the innermost `{`', { given: '{{{', want: ['NS1001 1:3'], message: /this `\{` is never closed/ }],
  ];
  test.each(cases)('%s', (_name, { given, want, message }) => {
    const result = parseSpec({ path: file, text: given });
    expect(result.value).toBeUndefined();
    expect(located(given, result.diagnostics)).toEqual(want);
    for (const d of result.diagnostics) {
      expect(d.severity).toBe('error');
      expect(d.span!.file).toBe(file);
      expect(d.message).not.toMatch(/\n/);
    }
    if (message) expect(result.diagnostics[0]!.message).toMatch(message);
  });

  test('messages are one line even when yaml pretty-prints them', () => {
    const result = parseSpec({ path: file, text: 'a: 1\n  b: 2\n' });
    expect(result.diagnostics.length).toBeGreaterThan(0);
    for (const d of result.diagnostics) expect(d.message).toBe(d.message.replace(/\s+/g, ' ').trim());
  });
});

describe('parseSpec: duplicate keys (NS1002) at the second key', () => {
  const cases: [string, { given: string; want: string[] }][] = [
    ['top level', { given: 'netspec: 1\nnetspec: 1\n', want: ['NS1002 2:1'] }],
    ['nested block mapping', { given: 'models:\n  g:\n    inputs: {}\n    layers: []\n    inputs: {}\n', want: ['NS1002 5:5'] }],
    ['inside a flow mapping', { given: 'layers:\n  - { type: dense, units: 4, units: 8 }\n', want: ['NS1002 2:30'] }],
    ['two different duplicates', { given: 'a: 1\nb: 2\na: 3\nb: 4\n', want: ['NS1002 3:1', 'NS1002 4:1'] }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    const result = parseSpec({ path: file, text: given });
    expect(result.value).toBeUndefined();
    expect(located(given, result.diagnostics)).toEqual(want);
    expect(result.diagnostics[0]!.message).toMatch(/unique/);
  });

  test('names the key, notes where it is first set, and says what to remove', () => {
    const text = 'layers:\n  - type: conv2dTranspose\n    padding: same\n    strides: 2\n    padding: valid\n';
    const [d, ...rest] = parseSpec({ path: file, text }).diagnostics;
    expect(rest).toEqual([]);
    expect(d!.message).toBe("duplicate key 'padding': the keys of a mapping must be unique");
    expect(at(text, d!.span!)).toBe('5:5');
    expect(text.slice(d!.span!.start, d!.span!.end)).toBe('padding');
    expect(d!.notes.map((n) => `${n.message} ${at(text, n.span!)}`)).toEqual(["'padding' is first set here 3:5"]);
    expect(d!.fix).toBe("remove one of the two 'padding' keys");
    // Which value was meant is the user's choice: two alternatives, each removing one line.
    expect(d!.fixes!.map((f) => [f.description, applyEdits(text, f.edits).text])).toEqual([
      ['remove the first, `padding: same`', 'layers:\n  - type: conv2dTranspose\n    strides: 2\n    padding: valid\n'],
      ['remove the second, `padding: valid`', 'layers:\n  - type: conv2dTranspose\n    padding: same\n    strides: 2\n'],
    ]);
  });

  test('the same entry twice: removing the second is the one fix', () => {
    const text = 'a: { k: 1, j: 2, k: 1 }\n';
    const [d] = parseSpec({ path: file, text }).diagnostics;
    expect(d!.fixes!.map((f) => [f.description, applyEdits(text, f.edits).text])).toEqual([['remove the repeated `k: 1`', 'a: { k: 1, j: 2 }\n']]);
  });

  test('a third occurrence also points at the first; keys of other mappings do not count', () => {
    const text = 'a: { k: 1 }\nb: { k: 1, k: 2, k: 3 }\n';
    const result = parseSpec({ path: file, text });
    expect(located(text, result.diagnostics)).toEqual(['NS1002 2:12', 'NS1002 2:18']);
    expect(result.diagnostics.map((d) => at(text, d.notes[0]!.span!))).toEqual(['2:6', '2:6']);
  });

  test('a numeric key and a very long key are named, the long one shortened', () => {
    const long = 'k'.repeat(300);
    expect(parseSpec({ path: file, text: '12: a\n12: b\n' }).diagnostics[0]!.message).toMatch(/^duplicate key '12'/);
    const message = parseSpec({ path: file, text: `${long}: 1\n${long}: 2\n` }).diagnostics[0]!.message;
    expect(message).toMatch(/^duplicate key 'k{39}…': /);
  });

  test('a key that only a merge also provides is not a duplicate', () => {
    expect(parseSpec({ path: file, text: 'b: &b { k: 1 }\nm:\n  <<: *b\n  k: 2\n' }).diagnostics).toEqual([]);
  });
});

describe('parseSpec: empty specs (NS1003)', () => {
  const cases: [string, { given: string }][] = [
    ['an empty file', { given: '' }],
    ['a single newline', { given: '\n' }],
    ['only spaces and newlines', { given: '  \n\n   \n' }],
    ['only comments', { given: '# a spec\n# to be written\n' }],
    ['only a document start marker', { given: '---\n' }],
    ['a marker and comments', { given: '--- # nothing yet\n# still nothing\n' }],
    ['only a document end marker', { given: '...\n' }],
  ];
  test.each(cases)('%s', (_name, { given }) => {
    const result = parseSpec({ path: file, text: given });
    expect(result.value).toBeUndefined();
    expect(located(given, result.diagnostics)).toEqual(['NS1003 1:1']);
    expect(result.diagnostics[0]!.message).toBe('spec is empty');
    expect(result.diagnostics[0]!.fix).toMatch(/netspec: 1/);
    // The edit inserts a spec that checks, keeping whatever the file holds (its comments).
    const edits = result.diagnostics[0]!.fixes![0]!.edits;
    expect(edits.map((e) => e.span.end - e.span.start)).toEqual([0]);
    const fixed = applyEdits(given, edits).text;
    expect(checkSource({ path: 'specs/empty.yaml', text: fixed }).diagnostics).toEqual([]);
    // The span is never empty, even for an empty file, so it can be underlined.
    expect(result.diagnostics[0]!.span!.end).toBeGreaterThan(result.diagnostics[0]!.span!.start);
  });
});

describe('parseSpec: binary files (NS1004) at the offending character', () => {
  const cases: [string, { given: string; want: string }][] = [
    ['a NUL byte at the end', { given: 'netspec: 1\n\0', want: 'NS1004 2:1' }],
    ['a NUL byte inside a value', { given: 'netspec: 1\nname: dc\0gan\n', want: 'NS1004 2:9' }],
    ['a NUL byte far into the file', { given: `netspec: 1\n${'# pad\n'.repeat(2000)}\0`, want: 'NS1004 2002:1' }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    const result = parseSpec({ path: file, text: given });
    expect(result.value).toBeUndefined();
    expect(located(given, result.diagnostics)).toEqual([want]);
    expect(result.diagnostics[0]!.message).toMatch(/not UTF-8 text/);
  });

  test('a NUL byte is reported before YAML errors in the same file', () => {
    expect(parseSpec({ path: file, text: 'a: [\0' }).diagnostics.map((d) => d.code)).toEqual(['NS1004']);
  });

  test('a NUL byte has advice, as a note', () => {
    const [d] = parseSpec({ path: file, text: 'netspec: 1\n\0' }).diagnostics;
    expect([d!.fix, d!.notes.map((n) => n.message)]).toEqual([undefined, ['check that the path names the YAML spec you meant']]);
  });

  // Only the bytes can tell an invalid sequence from a U+FFFD the author wrote; decodeSource does that.
  test('a U+FFFD in the text is a character like any other', () => {
    expect(parsed('netspec: 1\nname: \uFFFD\n').data).toEqual({ netspec: 1, name: '\uFFFD' });
  });

  const utf16: [string, { given: string; want: RegExp }][] = [
    // What TextDecoder('utf-8') makes of UTF-16LE bytes: the mark becomes two U+FFFD, each ASCII character is followed by a NUL.
    ['UTF-16LE decoded as UTF-8', { given: '\uFFFD\uFFFDn\0e\0t\0s\0p\0e\0c\0:\0 \x001\0\n\0', want: /UTF-16 \(little-endian\)/ }],
    ['UTF-16BE decoded as Latin-1', { given: '\xFE\xFF\0n\0e\0t\0s\0p\0e\0c\0:\0 \x001\0\n', want: /UTF-16 \(big-endian\)/ }],
  ];
  test.each(utf16)('%s: NS1004 at 1:1 saying so, with advice', (_name, { given, want }) => {
    const [d, ...rest] = parseSpec({ path: file, text: given }).diagnostics;
    expect(rest).toEqual([]);
    expect(located(given, [d!])).toEqual(['NS1004 1:1']);
    expect(d!.message).toMatch(want);
    expect(d!.message).toMatch(/save it as UTF-8$/);
    expect(d!.notes.map((n) => n.message)).toEqual([expect.stringMatching(/UTF-8/)]);
  });
});

describe('parseSpec: the size limit (NS1005)', () => {
  const padded = (length: number) => {
    const head = 'netspec: 1\n#';
    return head + 'x'.repeat(length - head.length - 1) + '\n';
  };

  test('the limit is 1 MiB', () => expect(maxSpecLength).toBe(1 << 20));

  test('a file one character over the limit is refused at 1:1', () => {
    const text = padded(maxSpecLength + 1);
    expect(text.length).toBe(maxSpecLength + 1);
    const result = parseSpec({ path: file, text });
    expect(result.value).toBeUndefined();
    expect(located(text, result.diagnostics)).toEqual(['NS1005 1:1']);
    expect(result.diagnostics[0]!.message).toContain(String(maxSpecLength));
    expect(result.diagnostics[0]!.message).toContain(String(maxSpecLength + 1));
  });

  test('a file exactly at the limit parses', () => {
    const text = padded(maxSpecLength);
    expect(text.length).toBe(maxSpecLength);
    expect(parsed(text).data).toEqual({ netspec: 1 });
  });

  test('the size check comes before the binary check', () => {
    const text = '\0' + padded(maxSpecLength);
    expect(parseSpec({ path: file, text }).diagnostics.map((d) => d.code)).toEqual(['NS1005']);
  });
});

// One fixture with every YAML style the locators must handle.
const fixture = [
  /*  1 */ '# a header comment',
  /*  2 */ 'netspec: 1',
  /*  3 */ 'params: { zDim: 100, ngf: 64 }',
  /*  4 */ 'base: &conv { type: conv2d, kernelSize: 5, strides: 2 }',
  /*  5 */ 'models:',
  /*  6 */ '  generator:',
  /*  7 */ '    inputs:',
  /*  8 */ '      z: [zDim]',
  /*  9 */ '    layers:',
  /* 10 */ '      - type: dense',
  /* 11 */ '        units: 4 * 4 * ngf   # a trailing comment',
  /* 12 */ '        empty:',
  /* 13 */ '        tilde: ~',
  /* 14 */ '      - { type: reshape, targetShape: [4, 4, "ngf * 8"] }',
  /* 15 */ "      - <<: *conv",
  /* 16 */ "        filters: 'ngf'",
  /* 17 */ '        strides: 1',
  /* 18 */ '      - *conv',
  /* 19 */ '      - folded: >-',
  /* 20 */ '          ngf * 2',
  /* 21 */ '        escaped: "ngf\\t* 2"',
  /* 22 */ '        multi: ngf *',
  /* 23 */ '          2',
  /* 24 */ '        12: twelve',
  '',
].join('\n');

const layer = (i: number, ...rest: PathSegment[]): PathSegment[] => ['models', 'generator', 'layers', i, ...rest];

/** `line:column text` of a span, the text cut at the first line break. */
function where(span: Span): string {
  return `${at(fixture, span)} ${fixture.slice(span.start, span.end).split('\n')[0]}`;
}

describe('nodeAt and spanAt: the YAML node at a data path', () => {
  const spec = parsed(fixture);
  const cases: [string, { given: PathSegment[]; want: { value: string; key: string } }][] = [
    ['the document', { given: [], want: { value: '2:1 netspec: 1', key: '2:1 netspec: 1' } }],
    ['a top-level scalar', { given: ['netspec'], want: { value: '2:10 1', key: '2:1 netspec' } }],
    ['a flow mapping', { given: ['params'], want: { value: '3:9 { zDim: 100, ngf: 64 }', key: '3:1 params' } }],
    ['an entry of a flow mapping', { given: ['params', 'ngf'], want: { value: '3:27 64', key: '3:22 ngf' } }],
    ['a block mapping', { given: ['models', 'generator'], want: { value: '7:5 inputs:', key: '6:3 generator' } }],
    ['a flow sequence item', { given: ['models', 'generator', 'inputs', 'z', 0], want: { value: '8:11 zDim', key: '8:11 zDim' } }],
    ['a block sequence item', { given: layer(0), want: { value: '10:9 type: dense', key: '10:9 type: dense' } }],
    ['a numeric index given as a string', { given: ['models', 'generator', 'layers', '1'], want: { value: '14:9 { type: reshape, targetShape: [4, 4, "ngf * 8"] }', key: '14:9 { type: reshape, targetShape: [4, 4, "ngf * 8"] }' } }],
    ['a plain scalar ends before its comment', { given: layer(0, 'units'), want: { value: '11:16 4 * 4 * ngf', key: '11:9 units' } }],
    ['a ~ null', { given: layer(0, 'tilde'), want: { value: '13:16 ~', key: '13:9 tilde' } }],
    ['a double-quoted scalar includes its quotes', { given: layer(1, 'targetShape', 2), want: { value: '14:46 "ngf * 8"', key: '14:46 "ngf * 8"' } }],
    ['a single-quoted scalar includes its quotes', { given: layer(2, 'filters'), want: { value: "16:18 'ngf'", key: '16:9 filters' } }],
    ['an own key beside a merge', { given: layer(2, 'strides'), want: { value: '17:18 1', key: '17:9 strides' } }],
    ['a key that comes from a merge: where it is written', { given: layer(2, 'kernelSize'), want: { value: '4:41 5', key: '4:29 kernelSize' } }],
    ['an alias item resolves to its anchor', { given: layer(3), want: { value: '4:13 { type: conv2d, kernelSize: 5, strides: 2 }', key: '4:13 { type: conv2d, kernelSize: 5, strides: 2 }' } }],
    ['a path through an alias', { given: layer(3, 'strides'), want: { value: '4:53 2', key: '4:44 strides' } }],
    ['a block scalar', { given: layer(4, 'folded'), want: { value: '19:17 >-', key: '19:9 folded' } }],
    ['a numeric key', { given: layer(4, 12), want: { value: '24:13 twelve', key: '24:9 12' } }],
    ['a missing key: the mapping that lacks it', { given: layer(0, 'filters'), want: { value: '10:9 type: dense', key: '10:9 type: dense' } }],
    ['a path past a scalar: the scalar', { given: ['netspec', 'deeper'], want: { value: '2:10 1', key: '2:10 1' } }],
    ['an index past the end: the sequence', { given: ['models', 'generator', 'inputs', 'z', 5], want: { value: '8:10 [zDim]', key: '8:10 [zDim]' } }],
    ['a key on a sequence: the sequence', { given: ['models', 'generator', 'inputs', 'z', 'x'], want: { value: '8:10 [zDim]', key: '8:10 [zDim]' } }],
    ['a missing top-level key: the document', { given: ['defaults', 'padding'], want: { value: '2:1 netspec: 1', key: '2:1 netspec: 1' } }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    expect({ value: where(spanAt(spec, given)), key: where(spanAt(spec, given, 'key')) }).toEqual(want);
    const span = spanAt(spec, given);
    expect(span.file).toBe(file);
    expect(span.end).toBeGreaterThan(span.start);
  });

  test('an empty value is found, with a span of at least one character', () => {
    const found = nodeAt(spec.document, layer(0, 'empty'));
    expect(found).toBeDefined();
    expect(found!.keyNode).toBeDefined();
    const span = spanAt(spec, layer(0, 'empty'));
    expect(span.end - span.start).toBeGreaterThanOrEqual(1);
    expect(at(fixture, span)).toBe('12:15');
  });

  const missing: [string, { given: PathSegment[] }][] = [
    ['a missing key', { given: layer(0, 'filters') }],
    ['an index past the end', { given: layer(9) }],
    ['a key on a sequence', { given: ['models', 'generator', 'layers', 'first'] }],
    ['a path past a scalar', { given: ['netspec', 0] }],
    ['a key a merge does not provide', { given: layer(2, 'padding') }],
  ];
  test.each(missing)('nodeAt is undefined for %s', (_name, { given }) => {
    expect(nodeAt(spec.document, given)).toBeUndefined();
  });

  test('nodeAt gives the key node of a mapping entry and none for a sequence item', () => {
    const entry = nodeAt(spec.document, ['params', 'zDim'])!;
    expect(fixture.slice(entry.keyNode!.range![0], entry.keyNode!.range![1])).toBe('zDim');
    expect(nodeAt(spec.document, layer(0))!.keyNode).toBeUndefined();
  });
});

describe('scalarTextStart: where the text of a scalar starts', () => {
  const spec = parsed(fixture);
  const cases: [string, { given: PathSegment[]; want: string | undefined }][] = [
    ['a plain scalar', { given: layer(0, 'units'), want: '11:16' }],
    ['a double-quoted scalar: after the quote', { given: layer(1, 'targetShape', 2), want: '14:47' }],
    ['a single-quoted scalar: after the quote', { given: layer(2, 'filters'), want: '16:19' }],
    ['a number', { given: ['params', 'ngf'], want: '3:27' }],
    ['a scalar behind an alias', { given: layer(3, 'type'), want: '4:21' }],
    ['a scalar from a merge', { given: layer(2, 'type'), want: '4:21' }],
    ['a mapping has no text', { given: ['params'], want: undefined }],
    ['a sequence has no text', { given: ['models', 'generator', 'inputs', 'z'], want: undefined }],
    ['a missing path', { given: layer(0, 'nope'), want: undefined }],
    // Offsets inside these would not map to the source, so callers must fall back to the whole scalar.
    ['a block scalar', { given: layer(4, 'folded'), want: undefined }],
    ['a double-quoted scalar with an escape', { given: layer(4, 'escaped'), want: undefined }],
    ['a plain scalar folded over two lines', { given: layer(4, 'multi'), want: undefined }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    const start = scalarTextStart(spec, given);
    expect(start === undefined ? undefined : at(fixture, { file, start, end: start + 1 })).toBe(want);
  });

  test('offsets from the text start index the expression text', () => {
    const start = scalarTextStart(spec, layer(1, 'targetShape', 2))!;
    const value = nodeAt(spec.document, layer(1, 'targetShape', 2))!.node.toJSON() as string;
    expect(value).toBe('ngf * 8');
    expect(fixture.slice(start, start + value.length)).toBe(value);
  });
});
