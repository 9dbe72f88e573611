import type { Span } from '../ir.js';

/** 1-based line and column of an offset; computed only when a diagnostic is printed. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface Location {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** Whether `inner` lies within `outer` (same file): e.g. a diagnostic inside a layer's mapping. */
export function spanWithin(inner: Span | undefined, outer: Span): boolean {
  return inner !== undefined && inner.file === outer.file && inner.start >= outer.start && inner.end <= outer.end;
}

/** Offsets at which each line starts, for binary search. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function positionOf(starts: readonly number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/** Resolves spans to line/column against the texts of the files they point into. */
export class Locator {
  readonly #texts: ReadonlyMap<string, string>;
  readonly #starts = new Map<string, number[]>();

  constructor(texts: ReadonlyMap<string, string>) {
    this.#texts = texts;
  }

  /** The locator of the sources a run checked: what every formatter needs to turn spans into lines and columns. */
  static fromSources(sources: readonly { readonly path: string; readonly text: string }[]): Locator {
    return new Locator(new Map(sources.map((s) => [s.path, s.text])));
  }

  text(file: string): string | undefined {
    return this.#texts.get(file);
  }

  #lineStarts(file: string): number[] {
    let starts = this.#starts.get(file);
    if (!starts) {
      starts = lineStarts(this.#texts.get(file) ?? '');
      this.#starts.set(file, starts);
    }
    return starts;
  }

  locate(span: Span): Location {
    const starts = this.#lineStarts(span.file);
    const start = positionOf(starts, span.start);
    const end = positionOf(starts, Math.max(span.start, span.end));
    return { file: span.file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  }

  /** The text of a 1-based line, without its line break. */
  line(file: string, line: number): string {
    const text = this.#texts.get(file) ?? '';
    const starts = this.#lineStarts(file);
    const start = starts[line - 1] ?? text.length;
    const next = starts[line] ?? text.length + 1;
    return text.slice(start, next - 1).replace(/\r$/, '');
  }
}
