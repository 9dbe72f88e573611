/**
 * The fix for a spec without `netspec:`: the format version, 1 (docs/spec-format.md), as the
 * spec's first key, so that comments and a `# yaml-language-server:` line above it stay first.
 */
import type { FixEdits } from '../diagnostics/diagnostic.js';
import type { ParsedSpec } from '../parse/parse-spec.js';
import { mappingLayout } from '../resolve/mapping-layout.js';
import { lineStart } from './map-layout.js';

export function missingVersionFix(spec: ParsedSpec): FixEdits | undefined {
  const layout = mappingLayout(spec, []);
  const first = layout?.entries[0];
  if (!layout || !first) return undefined;
  const at = layout.flow ? first.keySpan.start : lineStart(spec.source.text, first.keySpan.start);
  const newText = layout.flow ? 'netspec: 1, ' : `${' '.repeat(layout.indent)}netspec: 1\n`;
  return { description: 'add `netspec: 1`', edits: [{ span: { file: spec.source.path, start: at, end: at }, newText }] };
}
