/**
 * How one YAML mapping is written, for fixes as edits: each entry's key and value spans and the
 * text that removing it deletes, and where a new entry goes. Works on the parsed node, so the
 * parser can use it (a duplicate key, before there is data) as well as resolve (a layer's mapping).
 */
import { isPair, isScalar, type Node, type YAMLMap } from 'yaml';
import type { MappingLayout, SourceFile, Span } from '../ir.js';
import { isMergeKey } from '../parse/yaml-nodes.js';

/** The offset of the start of the line `offset` is on. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset of the line break ending the line a text ending at `end` is on (a collection's range may end past it). */
export function lineEnd(text: string, end: number): number {
  if (end > 0 && text[end - 1] === '\n') end--;
  const at = text.indexOf('\n', end);
  const stop = at < 0 ? text.length : at;
  return text[stop - 1] === '\r' ? stop - 1 : stop;
}

/** The layout of a mapping whose keys are all plain scalars, or undefined (a `<<` merge, a complex key, an empty mapping). */
export function mapLayout(source: SourceFile, node: YAMLMap): MappingLayout | undefined {
  if (node.items.length === 0) return undefined;
  const { text, path: file } = source;
  const span = (start: number, end: number): Span => ({ file, start, end });
  const written: { key: string; keySpan: Span; valueSpan?: Span; end: number }[] = [];
  for (const pair of node.items) {
    if (!isPair(pair) || !isScalar(pair.key) || isMergeKey(pair.key) || !pair.key.range) return undefined;
    const [start, keyEnd] = pair.key.range;
    const value = pair.value as Node | null;
    const valueSpan = value?.range ? span(value.range[0], value.range[1]) : undefined;
    written.push({ key: String(pair.key.value), keySpan: span(start, keyEnd), ...(valueSpan ? { valueSpan } : {}), end: valueSpan?.end ?? keyEnd });
  }
  const flow = node.flow === true;
  const entries = written.map(({ key, keySpan, valueSpan, end }, i) => {
    const next = written[i + 1];
    const previous = written[i - 1];
    let removal: Span | undefined;
    if (written.length > 1) {
      if (flow) removal = previous ? span(previous.end, end) : span(keySpan.start, next!.keySpan.start);
      else if (text.slice(lineStart(text, keySpan.start), keySpan.start).trim() === '') {
        // The whole line, with a comment after the value; the line break before it when it is the last line.
        const stop = lineEnd(text, end);
        const start = lineStart(text, keySpan.start);
        removal = stop < text.length ? span(start, text.indexOf('\n', stop) + 1) : span(Math.max(0, start - 1), stop);
      } else if (next) removal = span(keySpan.start, next.keySpan.start); // `- key: v` on the sequence's line: the next key moves up
    }
    return { key, keySpan, ...(valueSpan ? { valueSpan } : {}), ...(removal ? { removal } : {}) };
  });
  const lastEnd = written[written.length - 1]!.end;
  const insertAt = flow ? lastEnd : lineEnd(text, lastEnd);
  return { flow, insertAt, indent: entries[0]!.keySpan.start - lineStart(text, entries[0]!.keySpan.start), entries };
}
