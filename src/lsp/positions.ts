import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver';
import type { Span } from '../ir.js';
import type { Analysis } from './analysis.js';

/**
 * Offsets <-> LSP positions for one analysed text. Spans are UTF-16 offsets
 * (src/ir.ts) and LSP positions count UTF-16 code units by default, so a
 * character past `é` or an emoji lands where the editor shows it; line breaks
 * are LF, CRLF or a lone CR, as in YAML and in the editor.
 */
export interface Positions {
  position(offset: number): Position;
  offset(position: Position): number;
  range(span: { readonly start: number; readonly end: number }): Range;
  /** Whether a span lies in the analysed document (not in a weights file). */
  here(span: Span | undefined): span is Span;
}

const cache = new WeakMap<Analysis, Positions>();

export function positionsOf(analysis: Analysis): Positions {
  let found = cache.get(analysis);
  if (!found) {
    const document = TextDocument.create(analysis.uri, 'yaml', analysis.version, analysis.text);
    found = {
      position: (offset) => document.positionAt(offset),
      offset: (position) => document.offsetAt(position),
      range: (span) => ({ start: document.positionAt(span.start), end: document.positionAt(Math.max(span.start, span.end)) }),
      here: (span): span is Span => span !== undefined && span.file === analysis.file,
    };
    cache.set(analysis, found);
  }
  return found;
}

/** Whether two offset ranges touch or overlap (a cursor at either end counts). */
export function touches(a: { readonly start: number; readonly end: number }, b: { readonly start: number; readonly end: number }): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Where a span's text really ends: before the line break and indentation a block node's span runs into. */
export function endOfText(text: string, end: number): number {
  let at = end;
  while (at > 0 && /\s/.test(text[at - 1]!)) at--;
  return at;
}
