/**
 * Fixes as edits for what the parser reports (NS1xxx): there is no data yet, so they work on the
 * text and the YAML nodes. Each is offered only where the edit makes the text parse as meant.
 */
import { isMap, isScalar, visit, type Document, type Node, type YAMLMap } from 'yaml';
import { shorten } from '../diagnostics/describe.js';
import type { FixEdits, TextEdit } from '../diagnostics/diagnostic.js';
import type { SourceFile, Span } from '../ir.js';
import { mapLayout } from './map-layout.js';

/**
 * Closes the flow collection opened at `opener`: `close` goes after its last content before `end`
 * (where the next entry starts), outside comments. Undefined when a bracket inside it is left open
 * too, since one closing bracket would then not be enough.
 */
export function closeBracketFix(source: SourceFile, opener: number, end: number, close: '}' | ']'): FixEdits | undefined {
  const { text } = source;
  let open = 0;
  let contentEnd = opener + 1;
  for (let i = opener; i < end; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      for (i++; i < end && text[i] !== c; i++) if (c === '"' && text[i] === '\\') i++;
      contentEnd = i + 1;
    } else if (c === '#' && /\s/.test(text[i - 1] ?? ' ')) {
      while (i < end && text[i] !== '\n') i++;
    } else {
      if (c === '{' || c === '[') open++;
      else if (c === '}' || c === ']') open--;
      if (!/\s/.test(c)) contentEnd = i + 1;
    }
  }
  if (open !== 1) return undefined;
  // `{ a: 1` gets ` }`, `{a: 1` gets `}`: the style of the opening bracket.
  const newText = text[opener + 1] === ' ' ? ` ${close}` : close;
  return { description: `add \`${close}\``, edits: [{ span: { file: source.path, start: contentEnd, end: contentEnd }, newText }] };
}

/**
 * Removing one of two entries with the same key. When both are written alike, removing the
 * second is the one fix; otherwise each removal is an alternative (which value was meant is the user's choice).
 */
export function duplicateKeyFixes(source: SourceFile, map: YAMLMap, first: Node, second: Node): FixEdits[] {
  const layout = mapLayout(source, map);
  const entryAt = (node: Node) => layout?.entries.find((e) => e.keySpan.start === node.range?.[0]);
  const entries = [entryAt(first), entryAt(second)];
  if (entries.some((e) => e?.removal === undefined)) return [];
  const written = entries.map((e) => source.text.slice(e!.keySpan.start, e!.valueSpan?.end ?? e!.keySpan.end));
  const removal = (i: number, description: string): FixEdits => ({ description, edits: [{ span: entries[i]!.removal!, newText: '' }] });
  if (written[0] === written[1]) return [removal(1, `remove the repeated \`${shorten(written[1]!)}\``)];
  return [removal(0, `remove the first, \`${shorten(written[0]!)}\``), removal(1, `remove the second, \`${shorten(written[1]!)}\``)];
}

/** The smallest spec that checks: a start to write the real one from, after what the file holds (its comments). */
const skeleton = ['netspec: 1', 'models:', '  model:', '    inputs:', '      x: [1]', '    layers:', '      - { type: dense, units: 1 }', ''].join('\n');

export function emptySpecFix(source: SourceFile): FixEdits {
  // Before a document end marker `...`: after it, the skeleton would be a second document.
  const end = /^\.\.\.(?:[ \t#\r\n]|$)/m.exec(source.text);
  const at = end ? end.index : source.text.length;
  const newText = (at > 0 && source.text[at - 1] !== '\n' ? '\n' : '') + skeleton;
  return { description: 'start the spec: `netspec: 1` and a model', edits: [{ span: { file: source.path, start: at, end: at }, newText }] };
}

/** Removes a tag and the spaces after it: `!!python/tuple [4, 4]` becomes `[4, 4]`. */
export function removeTagFix(source: SourceFile, tag: Span, written: string): FixEdits {
  let end = tag.end;
  while (source.text[end] === ' ' || source.text[end] === '\t') end++;
  return { description: `remove the tag '${written}'`, edits: [{ span: { ...tag, end }, newText: '' }] };
}

/** `__proto__` as a name in an expression (or `from:`): only a param can be named so, and the fix renames it there too. */
const protoToken = /(?<![A-Za-z0-9_$])__proto__(?![A-Za-z0-9_$])/g;

/**
 * `__proto__` renamed to `proto`, or `proto1`, ... when the mapping has that key already. A param
 * (`map` is the spec's `params:`) is renamed in the expressions that use it too.
 */
export function renameProtoFix(source: SourceFile, document: Document.Parsed, span: Span, map: YAMLMap): FixEdits {
  const keys = new Set(map.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')));
  let name = 'proto';
  for (let n = 1; keys.has(name); n++) name = `proto${n}`;
  const root = document.contents;
  const isParams = isMap(root) && root.items.some((p) => isScalar(p.key) && p.key.value === 'params' && p.value === map);
  const uses: TextEdit[] = [];
  if (isParams) {
    visit(document, {
      Scalar(key, node) {
        const [start, end] = node.range ?? [0, 0];
        const written = source.text.slice(start, end);
        if (key !== 'key' && typeof node.value === 'string' && start !== span.start && protoToken.test(written)) {
          uses.push({ span: { file: source.path, start, end }, newText: written.replace(protoToken, name) });
        }
        protoToken.lastIndex = 0;
      },
    });
  }
  return { description: `rename the key to '${name}'`, edits: [{ span, newText: name }, ...uses] };
}

/**
 * `{{ a: 1 }}` becomes `{ a: 1 }`: the outer mapping, whose only key is the inner one, loses its braces.
 * Undefined when the outer mapping's braces are not where its range says.
 */
export function unwrapBracesFix(source: SourceFile, outer: YAMLMap): FixEdits | undefined {
  const [start, end] = outer.range ?? [0, 0];
  const close = source.text.lastIndexOf('}', end - 1);
  if (source.text[start] !== '{' || close <= start) return undefined;
  const file = source.path;
  return {
    description: 'remove the outer pair of braces',
    edits: [
      { span: { file, start, end: start + 1 }, newText: '' },
      { span: { file, start: close, end: close + 1 }, newText: '' },
    ],
  };
}
