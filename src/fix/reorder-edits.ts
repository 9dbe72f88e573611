/**
 * Moving a layer as an edit: its lines go before another layer of the same block list, as they are
 * written (comments after it, its style). Whether the move keeps every other layer's input is the
 * caller's to check; this only moves text.
 */
import { isMap, isSeq, type Node } from 'yaml';
import type { FixEdits } from '../diagnostics/diagnostic.js';
import type { Span } from '../ir.js';
import { nodeAt, type ParsedSpec, type PathSegment } from '../parse/parse-spec.js';
import { lineEnd, lineStart, mapLayout } from './map-layout.js';

/** The whole lines of a list item `- ...` (its line break included), or undefined when it shares a line with another item. */
function itemLines(spec: ParsedSpec, path: readonly PathSegment[]): Span | undefined {
  const list = nodeAt(spec.document, path.slice(0, -1))?.node;
  const node = isSeq(list) && !list.flow ? (list.items[Number(path[path.length - 1])] as Node | undefined) : undefined;
  if (!isMap(node) || !node.range) return undefined;
  const text = spec.source.text;
  const start = lineStart(text, node.range[0]);
  if (!/^ *- +$/.test(text.slice(start, node.range[0]))) return undefined;
  const layout = mapLayout(spec.source, node);
  const last = layout?.entries[layout.entries.length - 1];
  if (!last) return undefined;
  const stop = lineEnd(text, node.flow ? node.range[1] : (last.valueSpan ?? last.keySpan).end);
  if (stop >= text.length) return undefined;
  return { file: spec.source.path, start, end: text.indexOf('\n', stop) + 1 };
}

/** Moves the list item at `moved` to just before the item at `before` (an earlier item of the same list). */
export function moveBeforeFix(spec: ParsedSpec, moved: readonly PathSegment[], before: readonly PathSegment[], description: string): FixEdits | undefined {
  const from = itemLines(spec, moved);
  const to = itemLines(spec, before);
  if (!from || !to || to.end > from.start) return undefined;
  const lines = spec.source.text.slice(from.start, from.end);
  return { description, edits: [{ span: { ...to, end: to.start }, newText: lines }, { span: from, newText: '' }] };
}

/**
 * A flow list (`[a, b, c]`) made `length` long: the entries past it removed, or the last one
 * repeated. Undefined for a block list, or an empty one.
 */
export function listLengthFix(spec: ParsedSpec, path: readonly PathSegment[], length: number, description: string): FixEdits | undefined {
  const node = nodeAt(spec.document, path)?.node;
  if (!isSeq(node) || !node.flow || node.items.length === 0 || length < 1) return undefined;
  const ranges = (node.items as Node[]).map((item) => item.range);
  if (ranges.some((r) => !r)) return undefined;
  const file = spec.source.path;
  const last = ranges[ranges.length - 1]!;
  if (length < ranges.length) return { description, edits: [{ span: { file, start: ranges[length - 1]![1], end: last[1] }, newText: '' }] };
  const repeated = spec.source.text.slice(last[0], last[1]);
  return { description, edits: [{ span: { file, start: last[1], end: last[1] }, newText: `, ${repeated}`.repeat(length - ranges.length) }] };
}
