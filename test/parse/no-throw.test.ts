import { describe, expect, test } from 'vitest';
import { codes } from '../../src/diagnostics/codes.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { checkSource } from '../../src/index.js';
import { parseSpec } from '../../src/parse/parse-spec.js';
import { random } from '../helpers/random.js';

/**
 * The parse stage never throws, whatever the text: every input comes back as
 * data or as diagnostics with a known code and a non-empty span inside the
 * file (or just past its end, for "the input ends here").
 */
function expectReported(text: string, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    expect(codes[d.code]).toBeDefined();
    expect(d.span).toBeDefined();
    expect(d.span!.start).toBeGreaterThanOrEqual(0);
    expect(d.span!.end).toBeGreaterThan(d.span!.start);
    expect(d.span!.end).toBeLessThanOrEqual(text.length + 1);
    expect(d.message).not.toMatch(/\n/);
  }
}

function survives(text: string): void {
  const parsed = parseSpec({ path: 'a.yaml', text });
  expectReported(text, parsed.diagnostics);
  expect(parsed.value === undefined).toBe(parsed.diagnostics.length > 0);
  expectReported(text, checkSource({ path: 'a.yaml', text }).diagnostics);
}

describe('parse never throws: inputs built to break it', () => {
  const head = 'netspec: 1\nmodels:\n  g:\n    inputs: { x: [4] }\n    layers:\n';
  const cases: [string, string][] = [
    ['an unterminated double quote', 'a: "abc\n'],
    ['an unterminated single quote at the end', "a: 'abc"],
    ['an unterminated quote as a key', '"a: 1\n'],
    ['lone surrogates', 'a: \ud800\nb: "\udc00"\n'],
    ['a byte order mark mid-file', 'a: 1\n\ufeffb: 2\n'],
    ['carriage returns only', 'a: 1\rb: 2\r'],
    ['an anchor without a value', 'a: &x\nb: *x\n'],
    ['an anchor alone', '&x'],
    ['an alias alone', '*'],
    ['a tag alone', '!'],
    ['an unclosed verbatim tag', 'a: !<tag:yaml.org,2002:str 1\n'],
    ['an empty verbatim tag', 'a: !<> 1\n'],
    ['an undeclared tag handle', 'a: !e!x 1\n'],
    ['a bad %TAG directive', '%TAG\n---\na: 1\n'],
    ['a %YAML directive of another version', '%YAML 1.1\n---\na: yes\n'],
    ['two %YAML directives', '%YAML 1.2\n%YAML 1.2\n---\na: 1\n'],
    ['a directive without a document', '%YAML 1.2\n'],
    ['a document end marker first', '...\na: 1\n'],
    ['an alias with properties', 'a: &x 1\nb: !!str *x\n'],
    ['a merge key alone', '<<\n'],
    ['a merge of itself', 'a: &a { <<: *a }\n'],
    ['a merge in a list', '- <<: 1\n'],
    ['a cycle in layers', head.replace('    layers:\n', '    layers: &l [*l]\n')],
    ['a cycle through a merge', 'a: &a { b: { <<: *a } }\n'],
    ['20,000 distinct anchors', `x: [${Array.from({ length: 20000 }, (_, i) => `&a${i} ${i}`).join(', ')}]\n`],
    ['an anchor redefined 20,000 times', `x: [${Array.from({ length: 20000 }, (_, i) => `&a ${i}, *a`).join(', ')}]\n`],
    ['100,000 unclosed braces', `a: ${'{'.repeat(100000)}`],
    ['100,000 closing brackets', `a: ${']'.repeat(100000)}`],
    ['100,000 nested quotes and brackets', `a: ${'["'.repeat(50000)}`],
    ['64 levels in every option', head + `      - { type: dense, units: ${'['.repeat(58)}1${']'.repeat(58)}, from: ${'['.repeat(58)}x${']'.repeat(58)} }\n`],
    ['a line of 500,000 characters', `a: ${'x'.repeat(500000)}\n`],
    ['a key of 100,000 characters', `${'k'.repeat(100000)}: 1\n`],
    ['tabs and spaces mixed', 'a:\n \tb: 1\n'],
    ['a block scalar with a bad indicator', 'a: |9\n  x\n'],
    ['an expression of 1,000 nested parentheses', head + `      - { type: dense, units: "${'('.repeat(1000)}1${')'.repeat(1000)}" }\n`],
    ['a sum of 10,000 terms', head + `      - { type: dense, units: "${Array(10000).fill('1').join('+')}" }\n`],
    ['a repeat with a huge count', head + '      - { repeat: 10 ** 400, layers: [ { type: dense, units: 2 } ] }\n'],
    ['__proto__ everywhere', 'netspec: 1\nparams: { __proto__: 1 }\nmodels: { __proto__: { inputs: { __proto__: [1] }, layers: [ { __proto__: 1 } ] } }\n'],
  ];
  test.each(cases)('%s', (_name, text) => survives(text));
});

describe('parse never throws: random text', () => {
  const pieces = ['a', 'b', ':', ' ', '  ', '\n', '- ', '[', ']', '{', '}', ',', '&a ', '*a', '&b ', '*b', '!', '!!', '!!str ', '!x ', '? ', '|', '>', '"', "'", '#', '%TAG ! tag:x:\n', '---\n', '...\n', '<<: ', '1', '.inf', '.nan', '1e400', '__proto__', '\t', '\r', '\\', '\ud800', '\ufeff', 'netspec: 1\n', 'models:\n', 'layers:', 'type: dense', 'units: '];
  const kinds: [string, (next: () => number) => string][] = [
    ['YAML pieces', (next) => Array.from({ length: Math.floor(next() * 60) }, () => pieces[Math.floor(next() * pieces.length)]!).join('')],
    ['random bytes as Latin-1', (next) => Array.from({ length: Math.floor(next() * 200) }, () => String.fromCharCode(Math.floor(next() * 256))).join('')],
    ['random UTF-16 units', (next) => Array.from({ length: Math.floor(next() * 100) }, () => String.fromCharCode(Math.floor(next() * 65536))).join('')],
    ['deep openings', (next) => 'a: ' + ['[', '{a: ', '- ', '? ', '[{a: ', '&x [', '!!seq ['][Math.floor(next() * 7)]!.repeat(Math.floor(next() * 150)) + ['1', '*x', '.inf', ''][Math.floor(next() * 4)]! + [']', '}', ''][Math.floor(next() * 3)]!.repeat(Math.floor(next() * 150))],
  ];
  test.each(kinds)('%s: 300 inputs', (_name, make) => {
    const next = random(7);
    for (let i = 0; i < 300; i++) survives(make(next));
  });
});
