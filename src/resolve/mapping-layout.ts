import { isAlias, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { MappingLayout, Span } from '../ir.js';
import { nodeAt, type ParsedSpec, type PathSegment } from '../parse/parse-spec.js';
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

/**
 * How the layer mapping at `path` is written, for fixes as edits (src/fix/option-edits.ts).
 * Undefined when an edit there would not be an edit of this layer alone: a mapping reached
 * through an alias or carrying an anchor (the anchor's other users would change too) or one with a `<<` merge key
 * (its options may live in the merged mapping).
 */
export function mappingLayout(spec: ParsedSpec, path: readonly PathSegment[]): MappingLayout | undefined {
  const parent = nodeAt(spec.document, path.slice(0, -1))?.node;
  if (isSeq(parent) && isAlias(parent.items[Number(path[path.length - 1])])) return undefined;
  const node = nodeAt(spec.document, path)?.node;
  // An anchored mapping is also the mapping of every alias to it.
  if (!isMap(node) || node.items.length === 0 || node.anchor) return undefined;
  const text = spec.source.text;
  const file = spec.source.path;
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
