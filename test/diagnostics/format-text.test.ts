import { describe, expect, test } from 'vitest';
import { diagnostic } from '../../src/diagnostics/diagnostic.js';
import { clipLine, formatDiagnostic, maxExcerptWidth, printable } from '../../src/diagnostics/format-text.js';
import { Locator } from '../../src/diagnostics/location.js';

const file = 'specs/a.yaml';

/** The two excerpt lines (source, underline) of a diagnostic spanning `start`..`end` of `text`. */
function excerpt(text: string, start: number, end: number): [string, string] {
  const out = formatDiagnostic(diagnostic('NS1001', { file, start, end }, 'm'), new Locator(new Map([[file, text]])), { color: false });
  const [, source, underline] = out.split('\n');
  return [source!.slice(8), underline!.slice(8)];
}

/** Which characters of the shown source line the underline covers. */
function underlined([source, underline]: [string, string]): string {
  return source.slice(underline.indexOf('^'), underline.length);
}

describe('printable: one U+FFFD per control character, so columns stay put', () => {
  const cases: [string, { given: string; want: string }][] = [
    ['plain text is unchanged', { given: 'units: 4 * ngf', want: 'units: 4 * ngf' }],
    ['a tab stays', { given: '\tg: 1', want: '\tg: 1' }],
    ['NUL, ESC, CR and DEL', { given: 'a\0b\x1b[31mc\rd\x7f', want: 'a\uFFFDb\uFFFD[31mc\uFFFDd\uFFFD' }],
    ['C1 controls', { given: 'a\x85\x9bb', want: 'a\uFFFD\uFFFDb' }],
    ['bidi overrides', { given: 'a\u202eb\u2066c', want: 'a\uFFFDb\uFFFDc' }],
    ['non-ASCII text is unchanged', { given: 'name: Größe 16×16 𝄞', want: 'name: Größe 16×16 𝄞' }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    expect(printable(given)).toBe(want);
    expect(printable(given)).toHaveLength(given.length);
  });
});

describe('clipLine: long lines become a window around the underline', () => {
  const long = Array.from({ length: 1000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
  const cases: [string, { from: number; to: number; head: boolean; tail: boolean }][] = [
    ['underline at the start: cut at the end only', { from: 0, to: 3, head: false, tail: true }],
    ['underline in the middle: cut on both sides', { from: 500, to: 505, head: true, tail: true }],
    ['underline at the end: cut at the start only', { from: 998, to: 1000, head: true, tail: false }],
    ['underline just past the end of the line', { from: 1000, to: 1001, head: true, tail: false }],
  ];
  test.each(cases)('%s', (_name, { from, to, head, tail }) => {
    const clipped = clipLine(long, from, to);
    expect(clipped.text.startsWith('…')).toBe(head);
    expect(clipped.text.endsWith('…')).toBe(tail);
    expect(clipped.text.length).toBeLessThanOrEqual(maxExcerptWidth + 2);
    // The underline starts under the same character as in the whole line.
    expect(clipped.text.slice(clipped.indent.length, clipped.indent.length + clipped.width)).toBe(long.slice(from, to));
  });

  test('a line at the limit is not cut', () => {
    const line = 'x'.repeat(maxExcerptWidth);
    expect(clipLine(line, 5, 7)).toEqual({ text: line, indent: '     ', width: 2 });
  });

  test('an underline longer than the window ends at the window', () => {
    const clipped = clipLine(long, 10, 900);
    expect(clipped.indent.length + clipped.width).toBe(maxExcerptWidth);
  });

  test('tabs before the underline are kept in its indent', () => {
    expect(clipLine('\t\tkey: value', 2, 5).indent).toBe('\t\t');
  });
});

describe('the excerpt of a diagnostic', () => {
  test('underlines the span in a short line', () => {
    expect(excerpt('netspec: 1\nname: dcgan\n', 17, 22)).toEqual(['name: dcgan', '      ^~~~~']);
  });

  test('replaces control characters and keeps the underline under the span', () => {
    const text = 'a: "\x00\x01\x1b"\nb: x\x07yz\n';
    const shown = excerpt(text, text.indexOf('y'), text.indexOf('y') + 2);
    expect(shown[0]).toBe('b: x\uFFFDyz');
    expect(underlined(shown)).toBe('yz');
  });

  test('clips a 1 MB line around the span, aligned', () => {
    const text = 'k: ' + 'x'.repeat(500_000) + 'TARGET' + 'y'.repeat(500_000) + '\n';
    const start = text.indexOf('TARGET');
    const shown = excerpt(text, start, start + 6);
    expect(shown[0].length).toBeLessThanOrEqual(maxExcerptWidth + 2);
    expect(shown[0].startsWith('…') && shown[0].endsWith('…')).toBe(true);
    expect(underlined(shown)).toBe('TARGET');
  });

  test('the message, notes and fix print no control characters either', () => {
    const d = diagnostic('NS2001', { file, start: 0, end: 1 }, 'received \x1b[2J', { notes: [{ message: 'n\x00' }], fix: 'f\r' });
    const out = formatDiagnostic(d, new Locator(new Map([[file, 'a: 1\n']])), { color: false });
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });
});
