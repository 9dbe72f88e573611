import { describe, expect, test } from 'vitest';
import type { FixEdits } from '../../src/diagnostics/diagnostic.js';
import { applyEdits } from '../../src/fix/apply-edits.js';
import { floorDivisionFix, wordFix } from '../../src/fix/fix-or-note.js';
import { closeBracketFix } from '../../src/fix/parse-edits.js';
import { listLengthFix, moveBeforeFix } from '../../src/fix/reorder-edits.js';
import { idRole, modelRole, renameFix } from '../../src/fix/rename-edits.js';
import { parseSpec } from '../../src/parse/parse-spec.js';

const file = 'specs/t.yaml';
const applied = (text: string, fixes: readonly FixEdits[] | FixEdits | undefined) => (fixes === undefined ? undefined : (Array.isArray(fixes) ? fixes : [fixes]).map((f: FixEdits) => applyEdits(text, f.edits).text));
const whole = (text: string) => ({ file, start: 0, end: text.length });

describe('the edit helpers, on text', () => {
  const divisions: [string, { given: string; want: string[] | undefined }][] = [
    ['one division', { given: 'ngf / 3', want: ['ngf // 3'] }],
    ['quoted', { given: '"(a + b) / 2"', want: ['"(a + b) // 2"'] }],
    ['already integer division and one more: only the lone /', { given: 'a // 2 / 3', want: ['a // 2 // 3'] }],
    ['two divisions: which one rounds is the user\'s choice', { given: 'a / 2 / 3', want: undefined }],
    ['none', { given: 'a * 2', want: undefined }],
  ];
  test.each(divisions)('// for %s', (_name, { given, want }) => expect(applied(given, floorDivisionFix(given, whole(given)))).toEqual(want));

  const words: [string, { given: string; written: string; meant?: string; want: string[] | undefined }][] = [
    ['a plain name', { given: 'nfg', written: 'nfg', meant: 'ngf', want: ['ngf'] }],
    ['a quoted name keeps its quotes', { given: "'discriminater'", written: 'discriminater', meant: 'discriminator', want: ["'discriminator'"] }],
    ['a template is not the name', { given: '"down{2 - i}"', written: 'down2', meant: 'down0', want: undefined }],
    ['nothing meant', { given: 'x', written: 'x', want: undefined }],
  ];
  test.each(words)('did you mean: %s', (_name, { given, written, meant, want }) => expect(applied(given, wordFix(given, whole(given), written, meant))).toEqual(want));

  const brackets: [string, { given: string; close: '}' | ']'; want: string | undefined }][] = [
    ['a padded flow map: ` }` after the last value', { given: 'a: { b: 1, c: 2\nd: 3\n', close: '}', want: 'a: { b: 1, c: 2 }\nd: 3\n' }],
    ['before a comment', { given: 'a: [1, 2  # two\nd: 3\n', close: ']', want: 'a: [1, 2]  # two\nd: 3\n' }],
    ['a quoted value with a bracket inside', { given: 'a: {b: "x}"\nd: 3\n', close: '}', want: 'a: {b: "x}"}\nd: 3\n' }],
    ['another bracket left open inside: no edit', { given: 'a: { b: [1\nd: 3\n', close: '}', want: undefined }],
  ];
  test.each(brackets)('close a bracket: %s', (_name, { given, close, want }) => {
    const fix = closeBracketFix({ path: file, text: given }, given.indexOf(close === '}' ? '{' : '['), given.indexOf('\nd') + 1, close);
    expect(fix ? applyEdits(given, fix.edits).text : undefined).toBe(want);
  });
});

describe('the edit helpers, on a parsed spec', () => {
  const parsed = (text: string) => parseSpec({ path: file, text }).value!;

  test('an id is renamed where it is declared and wherever a layer or output reads it, and nowhere else', () => {
    const text = 'models:\n  g:\n    inputs: { up-1: [2] }\n    layers:\n      - { type: dense, id: a, from: up-1, units: 2 }\n      - { type: add, from: [a, up-1] }\n    outputs: { up-1: [2] }\n  h:\n    inputs: { up-1: [2] }\n';
    expect(applied(text, renameFix(parsed(text), idRole('g'), 'up-1', 'up_1'))).toEqual([
      'models:\n  g:\n    inputs: { up_1: [2] }\n    layers:\n      - { type: dense, id: a, from: up_1, units: 2 }\n      - { type: add, from: [a, up_1] }\n    outputs: { up_1: [2] }\n  h:\n    inputs: { up-1: [2] }\n',
    ]);
  });

  test('a model is renamed with the layers that use it; a contract naming it leaves the rename to the user', () => {
    const text = 'models:\n  Gen:\n    layers: []\n  gan:\n    layers:\n      - { type: model, model: Gen }\n';
    expect(applied(text, renameFix(parsed(text), modelRole, 'Gen', 'Gen2'))).toEqual(['models:\n  Gen2:\n    layers: []\n  gan:\n    layers:\n      - { type: model, model: Gen2 }\n']);
    expect(renameFix(parsed(`${text}contracts: [Gen.x == gan.x]\n`), modelRole, 'Gen', 'Gen2')).toBeUndefined();
  });

  test('a layer moves before another, its lines as written', () => {
    const text = 'layers:\n  - { id: a }\n  - { id: b }  # reads c\n  - type: c\n    units: 2\n  - { id: d }\n';
    expect(applied(text, moveBeforeFix(parsed(text), ['layers', 2], ['layers', 1], 'move'))).toEqual(['layers:\n  - { id: a }\n  - type: c\n    units: 2\n  - { id: b }  # reads c\n  - { id: d }\n']);
  });

  const lists: [string, { length: number; want: string }][] = [
    ['cut to the length', { length: 2, want: 'f: [8, 4]\n' }],
    ['extended with its last entry', { length: 5, want: 'f: [8, 4, ngf, ngf, ngf]\n' }],
  ];
  test.each(lists)('a zipped list %s', (_name, { length, want }) => {
    const text = 'f: [8, 4, ngf]\n';
    expect(applied(text, listLengthFix(parsed(text), ['f'], length, 'fit'))).toEqual([want]);
  });
});
