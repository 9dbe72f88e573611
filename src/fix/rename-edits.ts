/**
 * Renames as edits: a name changes where it is declared and everywhere it is used, or the fix
 * would trade one error for another (an id renamed without its `from:` readers is NS3005).
 * Works on the parsed document, so every place is found as written, before repeats and defaults.
 */
import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { FixEdits, TextEdit } from '../diagnostics/diagnostic.js';
import { isMapping, nodeAt, type ParsedSpec, type PathSegment } from '../parse/parse-spec.js';
import { lineEnd, mapLayout } from './map-layout.js';

/**
 * Where a kind of name is written. `scope`: the subtree it lives in; `declaredIn`: mappings whose keys
 * are such names; `usedBy`: options whose value (or list items) name one.
 */
export interface NameRole {
  readonly scope: readonly PathSegment[];
  readonly declaredIn: ReadonlySet<string>;
  readonly usedBy: ReadonlySet<string>;
}

/** Input and layer ids of one model: input and output keys, `id:`/`name:` of layers and `from:`. */
export function idRole(model: string): NameRole {
  return { scope: ['models', model], declaredIn: new Set(['inputs', 'outputs']), usedBy: new Set(['id', 'name', 'from']) };
}

/** Model names: the keys of `models:` and the `model:` of layers that use one. */
export const modelRole: NameRole = { scope: [], declaredIn: new Set(['models']), usedBy: new Set(['model']) };

/** Every scalar under `node` with the key of the mapping (or list) it stands in, iteratively. */
function scalars(node: Node): { scalar: Scalar; under: string | undefined; isKey: boolean }[] {
  const found: { scalar: Scalar; under: string | undefined; isKey: boolean }[] = [];
  const stack: { node: unknown; under: string | undefined }[] = [{ node, under: undefined }];
  while (stack.length > 0) {
    const { node, under } = stack.pop()!;
    if (isScalar(node)) found.push({ scalar: node, under, isKey: false });
    else if (isSeq(node)) for (const item of node.items) stack.push({ node: item, under });
    else if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (isScalar(pair.key)) found.push({ scalar: pair.key, under, isKey: true });
        stack.push({ node: pair.value, under: key });
      }
    }
  }
  return found;
}

/** Contracts name models and their ports as text (`generator.image == critic.x`); a rename there is not a scalar's. */
function contractsMention(spec: ParsedSpec, name: string): boolean {
  const contracts = isMapping(spec.data) ? spec.data['contracts'] : undefined;
  return JSON.stringify(contracts ?? null).includes(name);
}

/** `wanted`, or `wanted2`, `wanted3`... whichever no scalar in `taken` is. */
export function freeName(wanted: string, taken: ReadonlySet<string>): string {
  if (!taken.has(wanted)) return wanted;
  let n = 2;
  while (taken.has(`${wanted}${n}`)) n++;
  return `${wanted}${n}`;
}

/** The names every scalar in a role's scope spells, for `freeName`. */
export function namesIn(spec: ParsedSpec, role: NameRole): Set<string> {
  const scope = nodeAt(spec.document, role.scope)?.node ?? (role.scope.length === 0 ? (spec.document.contents as Node | null) : undefined);
  return new Set(scope ? scalars(scope).map((s) => String(s.scalar.value)) : []);
}

/**
 * The edits that rename `name` to `to` in a role's scope: where it is declared and every use written
 * as exactly that name. Undefined when contracts mention it, or no place spells it (an interpolated id).
 */
export function renameFix(spec: ParsedSpec, role: NameRole, name: string, to: string): FixEdits | undefined {
  if (contractsMention(spec, name)) return undefined;
  const scope = role.scope.length === 0 ? (spec.document.contents as Node | null) : nodeAt(spec.document, role.scope)?.node;
  if (!scope) return undefined;
  const file = spec.source.path;
  const edits: TextEdit[] = [];
  for (const { scalar, under, isKey } of scalars(scope)) {
    if (scalar.value !== name || !scalar.range || under === undefined) continue;
    if (isKey ? role.declaredIn.has(under) : role.usedBy.has(under)) edits.push({ span: { file, start: scalar.range[0], end: scalar.range[1] }, newText: to });
  }
  return edits.length > 0 ? { description: `rename '${name}' to '${to}'`, edits: edits.sort((a, b) => a.span.start - b.span.start) } : undefined;
}

/**
 * `name: <name>` for the spec, on the line after `netspec:` (or after the last top-level entry),
 * so the module is no longer named after its file. Undefined for a spec that is not a block mapping.
 */
export function moduleNameFix(spec: ParsedSpec, name: string): FixEdits | undefined {
  const root = spec.document.contents;
  const layout = isMap(root) && !root.flow ? mapLayout(spec.source, root) : undefined;
  if (!layout) return undefined;
  const version = layout.entries.find((e) => e.key === 'netspec');
  const at = version ? lineEnd(spec.source.text, version.valueSpan?.end ?? version.keySpan.end) : layout.insertAt;
  return { description: `set \`name: ${name}\``, edits: [{ span: { file: spec.source.path, start: at, end: at }, newText: `\n${' '.repeat(layout.indent)}name: ${name}` }] };
}
