import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Position, Range } from 'vscode-languageserver';
import { checkSource } from '../../../src/check.js';
import type { Analysis } from '../../../src/lsp/analysis.js';
import { root } from '../../helpers/gallery.js';

/** The analysis the server would hold for a text. */
export function analysisOf(file: string, text: string): Analysis {
  return { uri: `file:///project/${file}`, file, text, version: 1, result: checkSource({ path: file, text }) };
}

/** The analysis of a spec of the project, e.g. `specs/pix2pix.yaml`. */
export function specAnalysis(file: string): Analysis {
  return analysisOf(file, readFileSync(join(root, file), 'utf8'));
}

/** The LSP position of an offset: line and UTF-16 column, counted by hand here so the tests do not trust the code they test. */
export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

/** The offset of the `nth` (0-based) occurrence of `needle` after `after`; fails the test when absent. */
export function offsetOf(text: string, needle: string, nth = 0, after = 0): number {
  let at = text.indexOf(needle, after);
  for (let n = 0; n < nth && at >= 0; n++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`'${needle}' (${nth}) is not in the text`);
  return at;
}

/** The range of the `nth` occurrence of `needle`, or of the last `part` inside it. */
export function rangeOf(text: string, needle: string, nth = 0, part = needle, after = 0): Range {
  const start = offsetOf(text, needle, nth, after) + needle.lastIndexOf(part);
  return { start: positionAt(text, start), end: positionAt(text, start + part.length) };
}

/** The position inside the `nth` occurrence of `needle`, `delta` characters in. */
export function at(text: string, needle: string, nth = 0, delta = 1, after = 0): Position {
  return positionAt(text, offsetOf(text, needle, nth, after) + delta);
}

/** The text after a rename's edits (none overlap), applied from the last to the first. */
export function applyEdits(text: string, edits: readonly { range: Range; newText: string }[]): string {
  const lines = text.split('\n');
  const offset = (p: Position) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start)).reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}
