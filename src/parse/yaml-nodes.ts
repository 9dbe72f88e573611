import { isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Document, type Node } from 'yaml';
import type { SourceFile, Span } from '../ir.js';

/** The source span of a YAML node (value range only, without trailing comments), at least one character long. */
export function rangeSpan(source: SourceFile, node: Node): Span {
  const [start, valueEnd] = node.range ?? [0, 1];
  return { file: source.path, start, end: Math.max(valueEnd, start + 1) };
}

/** A `<<` merge key: plain `<<` (yaml resolves it to a symbol with `merge: true`); a quoted '<<' is an ordinary key. */
export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (typeof key.value === 'symbol' || (key.value === '<<' && (key.type === undefined || key.type === 'PLAIN')));
}

/** The nodes directly inside a node, in document order: the key and value of each entry, or the items. */
export function childNodes(node: unknown): Node[] {
  if (!isMap(node) && !isSeq(node)) return [];
  const children: Node[] = [];
  for (const item of node.items as unknown[]) {
    if (isPair(item)) {
      if (item.key !== null && typeof item.key === 'object') children.push(item.key as Node);
      if (item.value !== null && typeof item.value === 'object') children.push(item.value as Node);
    } else if (item !== null && typeof item === 'object') children.push(item as Node);
  }
  return children;
}

const targetsOf = new WeakMap<Document, ReadonlyMap<Alias, Node>>();

/**
 * The node each alias refers to: the closest anchor of its name before it in
 * document order, as YAML says (an anchor may be redefined, and an anchor on a
 * node that contains the alias comes before it). One walk per document, kept
 * for the next call: yaml's own `Alias.resolve` walks the whole document for
 * every alias, which made 10,000 aliases take seconds. The walk is iterative,
 * so no nesting can exhaust the stack. Aliases to unknown anchors are absent.
 */
export function aliasTargets(document: Document): ReadonlyMap<Alias, Node> {
  const known = targetsOf.get(document);
  if (known) return known;
  const targets = new Map<Alias, Node>();
  const anchors = new Map<string, Node>();
  const stack: unknown[] = [document.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) targets.set(node, target);
      continue;
    }
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) continue;
    if (node.anchor) anchors.set(node.anchor, node);
    // Pushed in reverse, popped in document order (one at a time: spreading 100,000 items would overflow).
    const children = childNodes(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  targetsOf.set(document, targets);
  return targets;
}

/** The node an alias refers to, or undefined for an unknown anchor. */
export function aliasTarget(document: Document, alias: Alias): Node | undefined {
  return aliasTargets(document).get(alias);
}
