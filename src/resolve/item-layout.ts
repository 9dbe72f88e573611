import { isAlias, isSeq, type Node } from 'yaml';
import type { ItemLayout, Span } from '../ir.js';
import { nodeAt, type ParsedSpec, type PathSegment } from '../parse/parse-spec.js';
import { lineEnd, lineStart } from '../fix/map-layout.js';

/**
 * How the item at `path` (the last segment an index) is written in its sequence, for fixes
 * that remove a layer or insert one before it (src/fix/layer-edits.ts). Undefined when the
 * item is an alias, or a block item shares its line with something other than its `- `.
 */
export function itemLayout(spec: ParsedSpec, path: readonly PathSegment[]): ItemLayout | undefined {
  const sequence = nodeAt(spec.document, path.slice(0, -1))?.node;
  if (!isSeq(sequence)) return undefined;
  const index = Number(path[path.length - 1]);
  const items = sequence.items as (Node | null)[];
  const range = (i: number) => {
    const item = items[i];
    return item && !isAlias(item) && item.range ? item.range : undefined;
  };
  const own = range(index);
  if (!own) return undefined;
  const text = spec.source.text;
  const file = spec.source.path;
  const span = (start: number, end: number): Span => ({ file, start, end });
  const only = items.length === 1;
  if (sequence.flow) {
    const previous = range(index - 1);
    const next = range(index + 1);
    // The comma after the item goes with it; the last item takes the comma before it.
    const removal = only ? undefined : next ? span(own[0], next[0]) : previous ? span(previous[1], own[1]) : undefined;
    return { flow: true, insertAt: own[0], indent: 0, ...(removal ? { removal } : {}) };
  }
  const start = lineStart(text, own[0]);
  const before = text.slice(start, own[0]);
  if (!/^[ \t]*-[ \t]+$/.test(before)) return undefined;
  const stop = lineEnd(text, own[1]);
  const removal = only ? undefined : stop < text.length ? span(start, text.indexOf('\n', stop) + 1) : span(Math.max(0, start - 1), stop);
  return { flow: false, insertAt: start, indent: before.indexOf('-'), ...(removal ? { removal } : {}) };
}
