import type { Position, Range } from 'vscode-languageserver';
import { lineStarts } from '../../diagnostics/location.js';
import type { Span } from '../../ir.js';

/**
 * LSP positions count UTF-16 code units within a line, as the IR's offsets do
 * (JavaScript strings are UTF-16), so only the line needs finding. A position
 * past the end of its line or of the text is clamped, as the protocol asks.
 */
export class PositionMap {
  readonly #text: string;
  readonly #starts: readonly number[];

  constructor(text: string) {
    this.#text = text;
    this.#starts = lineStarts(text);
  }

  offsetAt(position: Position): number {
    const line = Math.min(Math.max(position.line, 0), this.#starts.length - 1);
    const start = this.#starts[line]!;
    let end = line + 1 < this.#starts.length ? this.#starts[line + 1]! - 1 : this.#text.length;
    // The `\r` of a CRLF line break is not part of the line either.
    if (end > start && line + 1 < this.#starts.length && this.#text.charCodeAt(end - 1) === 13) end--;
    return start + Math.min(Math.max(position.character, 0), end - start);
  }

  positionAt(offset: number): Position {
    const at = Math.min(Math.max(offset, 0), this.#text.length);
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: at - this.#starts[lo]! };
  }

  rangeOf(span: Pick<Span, 'start' | 'end'>): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }
}
