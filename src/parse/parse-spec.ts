import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type YAMLError, type YAMLMap } from 'yaml';
import { shorten } from '../diagnostics/describe.js';
import { diagnostic, sortDiagnostics, uniqueDiagnostics, type Diagnostic, type FixEdits, type Result } from '../diagnostics/diagnostic.js';
import { fixOrNote } from '../fix/fix-or-note.js';
import { closeBracketFix, duplicateKeyFixes, emptySpecFix } from '../fix/parse-edits.js';
import { lineEnd, lineStart } from '../fix/map-layout.js';
import type { SourceFile, Span } from '../ir.js';
import { binaryDiagnostic, leadingCodes, utf16ByteOrder, utf16Diagnostic } from './encoding.js';
import { maxNestingDepth, readYaml } from './read-yaml.js';
import { tagDiagnostics, tagWarningCodes } from './tags.js';
import { depthAdvice, toData } from './to-data.js';
import { aliasTarget, childNodes, isMergeKey, rangeSpan } from './yaml-nodes.js';

/** A spec parsed into a YAML document that keeps every node's source range. */
export interface ParsedSpec {
  readonly source: SourceFile;
  readonly document: Document.Parsed;
  /** The document as plain data, for schema validation. */
  readonly data: unknown;
}

/** A YAML mapping in the spec's plain data. */
export type Data = Record<string, unknown>;

export function isMapping(value: unknown): value is Data {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Specs are small; anything longer (in UTF-16 units) is almost surely the wrong file, and parsing it would be slow. */
export const maxSpecLength = 1 << 20;

function spanOf(source: SourceFile, start: number, end: number): Span {
  return { file: source.path, start, end: Math.max(end, start + 1) };
}

/**
 * What the text alone shows is not a spec: its size, or a NUL character
 * (binary data, or UTF-16 read as if it were UTF-8). The size comes first, so a
 * huge binary file is "too large", not "binary". A U+FFFD is a character like
 * any other here: only the bytes can tell an invalid sequence (see decodeSource).
 */
export function checkText(source: SourceFile): Diagnostic | undefined {
  const { text } = source;
  if (text.length > maxSpecLength) {
    return diagnostic('NS1005', spanOf(source, 0, 1), `spec is ${text.length} characters long; the limit is ${maxSpecLength}`);
  }
  const nul = text.indexOf('\0');
  if (nul < 0) return undefined;
  const order = utf16ByteOrder(leadingCodes(text));
  return order ? utf16Diagnostic(source, order) : binaryDiagnostic(source, nul);
}

/** No content at all: a document of only comments, `---` or `...` holds a zero-width null scalar, not `null`. */
function isEmpty(document: Document.Parsed): boolean {
  const contents = document.contents;
  return contents === null || (isScalar(contents) && contents.value === null && contents.range !== undefined && contents.range[0] === contents.range[1]);
}

interface Duplicate {
  readonly map: YAMLMap;
  readonly key: unknown;
  readonly first: Node;
  readonly second: Node;
}

/** A scalar key as the data names it: `12` and `'12'` are the same key there. */
function keyName(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/**
 * Every repeated scalar key, in document order, with the key it repeats. yaml's
 * own `uniqueKeys` check compares each key with all before it, which takes
 * seconds for a large mapping; this is one pass, iterative (no nesting can
 * exhaust the stack) and without yaml's `visit`, which copies the path to
 * every node it visits. Equal means the same key in the data (`1` and `"1"`
 * are), and merge keys (`<<`) may repeat, as in yaml. Keys inside keys are
 * visited too, as `visit` does.
 */
function duplicateKeys(document: Document.Parsed): Duplicate[] {
  const duplicates: Duplicate[] = [];
  const stack: unknown[] = [document.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Map<string, Node>();
      for (const pair of node.items) {
        if (!isScalar(pair.key) || isMergeKey(pair.key)) continue;
        const name = keyName(pair.key.value);
        const first = seen.get(name);
        if (first) duplicates.push({ map: node, key: pair.key.value, first, second: pair.key });
        else seen.set(name, pair.key);
      }
    }
    // Pushed in reverse, popped in document order.
    const children = childNodes(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return duplicates;
}

/** NS1002 naming the key, with a note at its first occurrence. */
function duplicateKey(source: SourceFile, found: Duplicate): Diagnostic {
  const name = `'${shorten(String(found.key))}'`;
  return diagnostic('NS1002', nodeSpan(source, found.second), `duplicate key ${name}: the keys of a mapping must be unique`, {
    ...fixOrNote(`remove one of the two ${name} keys`, duplicateKeyFixes(source, found.map, found.first, found.second), [{ message: `${name} is first set here`, span: nodeSpan(source, found.first) }]),
  });
}

type Advice = Partial<Record<YAMLError['code'], string>>;

/**
 * Advice, as a note, for the yaml errors whose message does not already say what to write:
 * what to change depends on what was meant (how deep a tab indents, which document is the spec).
 */
const syntaxAdvice: Advice = {
  TAB_AS_INDENT: 'indent with spaces; YAML does not allow tabs in indentation',
  MULTIPLE_DOCS: 'keep one document per spec: remove the `---` line and what follows it, or move that part to a file of its own',
};

/** The same for yaml's warnings, whose codes errors share with other meanings. */
const warningAdvice: Advice = {
  BAD_ALIAS: 'put a space before the `:`, or end the anchor or alias name with a letter or digit',
  BAD_INDENT: 'indent the closing bracket further than the key the flow collection belongs to',
};

/** A `%` directive line, which a spec never needs: removing it is the fix. */
function directiveFix(source: SourceFile, at: number): { fix: string; fixes: FixEdits[] } {
  const start = lineStart(source.text, at);
  const stop = lineEnd(source.text, at);
  const end = source.text[stop] === '\r' ? stop + 2 : stop + 1;
  return { fix: 'remove the directive line: a spec needs no `%` directives', fixes: [{ description: 'remove the directive line', edits: [{ span: { file: source.path, start, end: Math.min(end, source.text.length) }, newText: '' }] }] };
}

/**
 * The offset of the last `open` bracket before `end` that no bracket closes,
 * skipping quoted scalars and comments: where an unclosed flow collection
 * starts. yaml reports it where the next line fails to continue it.
 */
function unclosedBracket(text: string, end: number, open: '{' | '['): number | undefined {
  const stack: { char: string; at: number }[] = [];
  for (let i = 0; i < end; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      // A quote closes at the next unescaped same quote ('' escapes in single quotes).
      for (i++; i < end && text[i] !== c; i++) if (c === '"' && text[i] === '\\') i++;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i < end && text[i] !== '\n') i++;
    } else if (c === '{' || c === '[') stack.push({ char: c, at: i });
    else if (c === '}' || c === ']') stack.pop();
  }
  for (let n = stack.length - 1; n >= 0; n--) if (stack[n]!.char === open) return stack[n]!.at;
  return undefined;
}

function yamlDiagnostic(source: SourceFile, error: YAMLError, advice: Advice = syntaxAdvice): Diagnostic {
  const note = advice[error.code];
  const message = error.message.replace(/\s+/g, ' ').trim();
  const unclosed = /^Flow (map|sequence) in block collection must be sufficiently indented and end with a ([}\]])/.exec(message);
  const opener = unclosed ? unclosedBracket(source.text, error.pos[0], unclosed[2] === '}' ? '{' : '[') : undefined;
  if (unclosed && opener !== undefined) {
    const [open, close] = unclosed[2] === '}' ? (['{', '}'] as const) : (['[', ']'] as const);
    const edit = closeBracketFix(source, opener, error.pos[0], close);
    const next = { message: 'the next entry starts here', span: spanOf(source, error.pos[0], error.pos[1]) };
    const where = `add \`${close}\` at the end of the ${unclosed[1]}`;
    return diagnostic('NS1001', spanOf(source, opener, opener + 1), `this \`${open}\` is never closed: a flow ${unclosed[1]} must end with \`${close}\` before the next entry`, {
      // With a bracket inside left open too, where each one ends is for the user to say.
      ...(edit ? { notes: [next], fix: where, fixes: [edit] } : { notes: [next, { message: where }] }),
    });
  }
  if (advice === warningAdvice && error.code === 'BAD_DIRECTIVE') return diagnostic('NS1001', spanOf(source, error.pos[0], error.pos[1]), message, directiveFix(source, error.pos[0]));
  return diagnostic('NS1001', spanOf(source, error.pos[0], error.pos[1]), message, note ? { notes: [{ message: note }] } : {});
}

/**
 * After its first syntax error the parser recovers by guessing, and what it
 * reports next mostly follows from that guess (a tab-indented line gives
 * dozens), so only the first is worth reading.
 */
function firstSyntaxError(source: SourceFile, errors: readonly YAMLError[]): Diagnostic[] {
  const first = [...errors].sort((a, b) => a.pos[0] - b.pos[0])[0];
  return first ? [yamlDiagnostic(source, first)] : [];
}

/**
 * YAML errors as diagnostics: the first syntax error, every duplicate key and
 * every warning (each independent of the others). yaml's warnings are errors
 * here: it parsed something ambiguous (`*a:`), ignored something (an unknown
 * directive) or accepted what YAML forbids (a flow collection indented too
 * little), and a spec must mean one thing. Tag warnings are NS1006 (tags.ts).
 */
function yamlErrors(source: SourceFile, document: Document.Parsed): Diagnostic[] {
  const duplicates = duplicateKeys(document).map((d) => duplicateKey(source, d));
  const warnings = document.warnings.filter((w) => !tagWarningCodes.has(w.code)).map((w) => yamlDiagnostic(source, w, warningAdvice));
  return uniqueDiagnostics(sortDiagnostics([...firstSyntaxError(source, document.errors), ...duplicates, ...warnings]));
}

/** NS1008 where readYaml stopped: yaml's composer recurses once per level, so a deeper document is never composed. */
function tooDeep(source: SourceFile, at: { offset: number; kind: 'list' | 'mapping' }): Diagnostic {
  return diagnostic('NS1008', spanOf(source, at.offset, at.offset + 1), `this ${at.kind} is nested more than ${maxNestingDepth} levels deep; the limit is ${maxNestingDepth}`, {
    notes: [{ message: depthAdvice }],
  });
}

/**
 * Parses YAML text into a document and its plain data. Everything a spec's
 * YAML must not do becomes a located diagnostic: syntax errors (the first),
 * duplicate keys, yaml's warnings, nesting deeper than maxNestingDepth
 * (checked before anything recursive runs), tags outside the core schema,
 * keys that are not plain values, numbers that are not finite, and aliases
 * that are unknown, circular or expand past maxAliasValues.
 */
export function parseSpec(source: SourceFile): Result<ParsedSpec> {
  const bad = checkText(source);
  if (bad) return { diagnostics: [bad] };

  const read = readYaml(source.text);
  if ('tooDeep' in read) return { diagnostics: [tooDeep(source, read.tooDeep)] };
  const { document, tokens } = read;
  const diagnostics = yamlErrors(source, document);
  if (diagnostics.length > 0) return { diagnostics };

  if (isEmpty(document)) {
    return { diagnostics: [diagnostic('NS1003', spanOf(source, 0, source.text.length), 'spec is empty', { fix: 'start with `netspec: 1` and a `models:` mapping', fixes: [emptySpecFix(source)] })] };
  }
  const data = toData(source, document);
  const problems = [...tagDiagnostics(source, document, tokens), ...data.diagnostics];
  if (problems.length > 0) return { diagnostics: uniqueDiagnostics(sortDiagnostics(problems)) };
  return { value: { source, document, data: data.value }, diagnostics: [] };
}

export type PathSegment = string | number;

/** The JSON pointer (RFC 6901) of a data path: `~` and `/` in a segment are escaped as `~0` and `~1`. */
export function pointerOf(path: readonly PathSegment[]): string {
  let pointer = '';
  for (const segment of path) {
    const s = String(segment);
    // Most segments (names, indices) need no escape; resolve makes a pointer for every option of every layer.
    pointer += '/' + (s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s);
  }
  return pointer;
}

/** The data path of a JSON pointer; the inverse of pointerOf (numeric segments stay strings). */
export function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Each mapping's own entries by key (the first of repeated keys) and its merge entries, built once per mapping. */
const mapIndexes = new WeakMap<YAMLMap, { readonly own: ReadonlyMap<string, Pair>; readonly merges: readonly Pair[] }>();

function mapIndex(map: YAMLMap): { readonly own: ReadonlyMap<string, Pair>; readonly merges: readonly Pair[] } {
  let index = mapIndexes.get(map);
  if (!index) {
    const own = new Map<string, Pair>();
    const merges: Pair[] = [];
    for (const p of map.items) {
      if (!isPair(p)) continue;
      if (isMergeKey(p.key)) merges.push(p);
      else if (isScalar(p.key) && !own.has(keyName(p.key.value))) own.set(keyName(p.key.value), p);
    }
    index = { own, merges };
    mapIndexes.set(map, index);
  }
  return index;
}

/**
 * The entry for `key`: the map's own, else the first from its `<<` merges (own keys win, earlier merges win, as in toJS).
 * Indexed per mapping: spans are looked up for every param and layer, and a mapping may have thousands of keys.
 */
function pairAt(document: Document.Parsed, map: YAMLMap, key: string, depth = 0): Pair | undefined {
  const { own: ownPairs, merges } = mapIndex(map);
  const own = ownPairs.get(key);
  if (own || depth > 100) return own;
  for (const merge of merges) {
    const value = merge.value as Node | null;
    for (const item of isSeq(value) ? value.items : [value]) {
      const source = isAlias(item) ? aliasTarget(document, item) : item;
      const found = isMap(source) ? pairAt(document, source, key, depth + 1) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

interface Step {
  readonly node: Node | null | undefined;
  readonly keyNode?: Node;
}

/**
 * The last path each document was walked along, with where each of its
 * segments led. Lookups come in runs that share a prefix (every option of one
 * layer, then of the next), so a walk starts where it parts from the last one
 * instead of at the root. Documents are never changed after parsing.
 */
const lastWalks = new WeakMap<Document.Parsed, { segments: string[]; steps: Step[] }>();

/** The YAML node a data path leads to, following aliases; undefined if the path leaves the document. */
export function nodeAt(document: Document.Parsed, path: readonly PathSegment[]): { node: Node; keyNode?: Node } | undefined {
  let walk = lastWalks.get(document);
  if (!walk) lastWalks.set(document, (walk = { segments: [], steps: [{ node: document.contents as Node | null }] }));
  let shared = 0;
  while (shared < path.length && shared < walk.segments.length && walk.segments[shared] === String(path[shared])) shared++;
  walk.segments.length = shared;
  walk.steps.length = shared + 1;
  let { node, keyNode } = walk.steps[shared]!;
  for (let i = shared; i < path.length; i++) {
    const segment = String(path[i]);
    if (isAlias(node)) node = aliasTarget(document, node);
    if (isMap(node)) {
      const pair = pairAt(document, node, segment);
      if (!pair) return undefined;
      keyNode = pair.key as Node;
      node = pair.value as Node | null;
      if (node === null) return { node: keyNode, keyNode };
    } else if (isSeq(node) && /^\d+$/.test(segment)) {
      node = node.items[Number(segment)] as Node | undefined;
      keyNode = undefined;
    } else {
      return undefined;
    }
    walk.segments.push(segment);
    walk.steps.push(keyNode ? { node, keyNode } : { node });
  }
  if (isAlias(node)) node = aliasTarget(document, node) ?? node;
  return node ? { node, ...(keyNode ? { keyNode } : {}) } : undefined;
}

/** The source span of a YAML node (value range only, without trailing comments). */
export function nodeSpan(source: SourceFile, node: Node): Span {
  return rangeSpan(source, node);
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
