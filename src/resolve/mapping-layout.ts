import { isAlias, isMap, isSeq } from 'yaml';
import { mapLayout } from '../fix/map-layout.js';
import type { MappingLayout } from '../ir.js';
import { nodeAt, type ParsedSpec, type PathSegment } from '../parse/parse-spec.js';

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
  if (!isMap(node) || node.anchor) return undefined;
  return mapLayout(spec.source, node);
}
