import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { diagnostic, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { SourceFile, Span } from '../ir.js';

/** A spec parsed into a YAML document that keeps every node's source range. */
export interface ParsedSpec {
  readonly source: SourceFile;
  readonly document: Document.Parsed;
  /** The document as plain data, for schema validation. */
  readonly data: unknown;
}

/** Specs are small; anything longer (in UTF-16 units) is almost surely the wrong file, and parsing it would be slow. */
export const maxSpecLength = 1 << 20;

function spanOf(source: SourceFile, start: number, end: number): Span {
  return { file: source.path, start, end: Math.max(end, start + 1) };
}

function precheck(source: SourceFile): Diagnostic | undefined {
  const { text } = source;
  if (text.length > maxSpecLength) {
    return diagnostic('NS1005', spanOf(source, 0, 1), `spec is ${text.length} characters long; the limit is ${maxSpecLength}`);
  }
  const nul = text.indexOf('\0');
  if (nul >= 0 || /[\uFFFD]/.test(text.slice(0, 4096))) {
    const at = nul >= 0 ? nul : text.indexOf('\uFFFD');
    return diagnostic('NS1004', spanOf(source, at, at + 1), 'file is not UTF-8 text (found a NUL byte or an invalid byte sequence)');
  }
  return undefined;
}

/** No content at all: a document of only comments, `---` or `...` holds a zero-width null scalar, not `null`. */
function isEmpty(document: Document.Parsed): boolean {
  const contents = document.contents;
  return contents === null || (isScalar(contents) && contents.value === null && contents.range !== undefined && contents.range[0] === contents.range[1]);
}

/** yaml reports an alias to an unknown anchor only when toJS throws, without a position; find it first. */
function unresolvedAliases(source: SourceFile, document: Document.Parsed): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  visit(document, {
    Alias(_key, alias) {
      if (alias.resolve(document) !== undefined) return;
      const [start, end] = alias.range ?? [0, 1];
      diagnostics.push(diagnostic('NS1001', spanOf(source, start, end), `unknown anchor '${alias.source}': an alias needs an anchor \`&${alias.source}\` earlier in the file`));
    },
  });
  return diagnostics;
}

/** Parses YAML text; every syntax error becomes a located diagnostic. */
export function parseSpec(source: SourceFile): Result<ParsedSpec> {
  const bad = precheck(source);
  if (bad) return { diagnostics: [bad] };

  const document = parseDocument(source.text, { prettyErrors: false, uniqueKeys: true, merge: true });
  const diagnostics = document.errors.map((e) =>
    diagnostic(e.code === 'DUPLICATE_KEY' ? 'NS1002' : 'NS1001', spanOf(source, e.pos[0], e.pos[1]), e.message.replace(/\s+/g, ' ').trim()),
  );
  if (diagnostics.length > 0) return { diagnostics };

  if (isEmpty(document)) {
    return { diagnostics: [diagnostic('NS1003', spanOf(source, 0, source.text.length), 'spec is empty', { fix: 'start with `netspec: 1` and a `models:` mapping' })] };
  }
  const unresolved = unresolvedAliases(source, document);
  if (unresolved.length > 0) return { diagnostics: unresolved };
  try {
    const data: unknown = document.toJS({ maxAliasCount: 1000 });
    return { value: { source, document, data }, diagnostics: [] };
  } catch (e) {
    // toJS throws only for alias expansion limits, which are the user's YAML, not our bug.
    return { diagnostics: [diagnostic('NS1001', spanOf(source, 0, 1), e instanceof Error ? e.message : String(e))] };
  }
}

export type PathSegment = string | number;

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (typeof key.value === 'symbol' || (key.value === '<<' && (key.type === undefined || key.type === 'PLAIN')));
}

/** The entry for `key`: the map's own, else the first from its `<<` merges (own keys win, earlier merges win, as in toJS). */
function pairAt(document: Document.Parsed, map: YAMLMap, key: string, depth = 0): Pair | undefined {
  const own = map.items.find((p) => isPair(p) && !isMergeKey(p.key) && isScalar(p.key) && String(p.key.value) === key);
  if (own || depth > 100) return own;
  for (const merge of map.items.filter((p) => isMergeKey(p.key))) {
    const value = merge.value as Node | null;
    for (const item of isSeq(value) ? value.items : [value]) {
      const source = isAlias(item) ? item.resolve(document) : item;
      const found = isMap(source) ? pairAt(document, source, key, depth + 1) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

/** The YAML node a data path leads to, following aliases; undefined if the path leaves the document. */
export function nodeAt(document: Document.Parsed, path: readonly PathSegment[]): { node: Node; keyNode?: Node } | undefined {
  let node: Node | null | undefined = document.contents as Node | null;
  let keyNode: Node | undefined;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(document) as Node | undefined;
    if (isMap(node)) {
      const pair = pairAt(document, node, String(segment));
      if (!pair) return undefined;
      keyNode = pair.key as Node;
      node = pair.value as Node | null;
      if (node === null) return { node: keyNode, keyNode };
    } else if (isSeq(node) && /^\d+$/.test(String(segment))) {
      node = node.items[Number(segment)] as Node | undefined;
      keyNode = undefined;
    } else {
      return undefined;
    }
  }
  if (isAlias(node)) node = (node.resolve(document) as Node | undefined) ?? node;
  return node ? { node, ...(keyNode ? { keyNode } : {}) } : undefined;
}

/** The source span of a YAML node (value range only, without trailing comments). */
export function nodeSpan(source: SourceFile, node: Node): Span {
  const [start, valueEnd] = node.range ?? [0, 1];
  return spanOf(source, start, valueEnd);
}

/**
 * The span of whatever a path leads to, or of the deepest ancestor that exists
 * (a missing key is reported on the mapping that lacks it). `part: 'key'`
 * selects the key of a mapping entry, e.g. to underline an unknown option.
 */
export function spanAt(spec: ParsedSpec, path: readonly PathSegment[], part: 'key' | 'value' = 'value'): Span {
  for (let n = path.length; n >= 0; n--) {
    const found = nodeAt(spec.document, path.slice(0, n));
    if (found) return nodeSpan(spec.source, part === 'key' && n === path.length && found.keyNode ? found.keyNode : found.node);
  }
  return spanOf(spec.source, 0, 1);
}

/**
 * Where the text of a scalar starts in the source: past the opening quote of a
 * quoted scalar, so that offsets inside an expression map to source offsets.
 * Undefined when they would not: escapes, folded lines and block scalars
 * (`>-`, `|`) change the text, so a caller falls back to the whole scalar.
 */
export function scalarTextStart(spec: ParsedSpec, path: readonly PathSegment[]): number | undefined {
  const found = nodeAt(spec.document, path);
  if (!found || !isScalar(found.node) || !found.node.range) return undefined;
  const quoted = found.node.type === 'QUOTE_DOUBLE' || found.node.type === 'QUOTE_SINGLE';
  const start = found.node.range[0] + (quoted ? 1 : 0);
  const value = found.node.value;
  if (typeof value === 'string' && spec.source.text.slice(start, start + value.length) !== value) return undefined;
  return start;
}
