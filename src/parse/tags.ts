import type { CST, Document } from 'yaml';
import { shorten } from '../diagnostics/describe.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { removeTagFix } from '../fix/parse-edits.js';
import type { SourceFile, Span } from '../ir.js';

/** The YAML 1.2 core schema tags, by suffix, with what each tags. */
const coreTags: Readonly<Record<string, string>> = {
  str: 'text',
  int: 'an integer, like 12',
  float: 'a number, like 0.5',
  bool: 'true or false',
  null: 'null (null, ~ or nothing)',
  map: 'a mapping',
  seq: 'a list',
};

const corePrefix = 'tag:yaml.org,2002:';

const coreNames = Object.keys(coreTags).map((t) => `!!${t}`);

/** Shown in messages: `!!str, !!int, ... and !!seq`. */
const allowedList = `${coreNames.slice(0, -1).join(', ')} and ${coreNames[coreNames.length - 1]}`;

/** Tags yaml reports as warnings when a core tag does not fit what it tags (`!!int abc`, `!!map [1]`). */
export const tagWarningCodes: ReadonlySet<string> = new Set(['TAG_RESOLVE_FAILED', 'BAD_COLLECTION_TYPE']);

/**
 * Whether a resolved tag is one netspec reads: a core schema tag, however
 * written (`!!int`, `!<tag:yaml.org,2002:int>`), or the non-specific `!`,
 * which YAML 1.2 resolves to !!str, !!map or !!seq.
 */
export function isAllowedTag(name: string): boolean {
  return name === '!' || (name.startsWith(corePrefix) && Object.hasOwn(coreTags, name.slice(corePrefix.length)));
}

/** Every tag token in the CST, in document order; iterative, so no nesting can exhaust the stack. */
function tagTokens(tokens: readonly CST.Token[]): CST.SourceToken[] {
  const found: CST.SourceToken[] = [];
  const stack: unknown[] = [...tokens];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === null || typeof item !== 'object') continue;
    if (Array.isArray(item)) {
      for (const element of item) stack.push(element);
      continue;
    }
    const token = item as { type?: unknown; source?: unknown };
    if (token.type === 'tag' && typeof token.source === 'string') found.push(item as CST.SourceToken);
    else for (const value of Object.values(item)) if (value !== null && typeof value === 'object') stack.push(value);
  }
  return found.sort((a, b) => a.offset - b.offset);
}

function tagSpan(source: SourceFile, tag: CST.SourceToken): Span {
  return { file: source.path, start: tag.offset, end: tag.offset + Math.max(tag.source.length, 1) };
}

/**
 * Tags are NS1006 at the tag unless they are core schema tags that fit their
 * value: `!foo 8` was silently a string, `!!binary` a Buffer, `!!set` a Set,
 * `!!timestamp` a Date, none of which a spec can hold. A tag yaml cannot
 * resolve at all (an undeclared handle) is already a syntax error.
 */
export function tagDiagnostics(source: SourceFile, document: Document.Parsed, tokens: readonly CST.Token[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const byOffset = new Map<number, CST.SourceToken>();
  // Every tag starts with `!`: text without one has none, and the walk over every token is skipped.
  for (const tag of source.text.includes('!') ? tagTokens(tokens) : []) {
    byOffset.set(tag.offset, tag);
    const name = document.directives.tagName(tag.source, () => {});
    if (name === null || isAllowedTag(name)) continue;
    const written = shorten(tag.source);
    const resolved = name === tag.source ? '' : ` (${shorten(name)})`;
    diagnostics.push(
      diagnostic('NS1006', tagSpan(source, tag), `tag '${written}'${resolved} is not allowed: netspec reads plain YAML 1.2, whose tags are ${allowedList}`, {
        fix: `remove the tag '${written}': a value's type comes from how it is written (quote a value to make it text)`,
        fixes: [removeTagFix(source, tagSpan(source, tag), written)],
      }),
    );
  }
  const reported = new Set(diagnostics.map((d) => d.span!.start));
  for (const warning of document.warnings) {
    if (!tagWarningCodes.has(warning.code) || reported.has(warning.pos[0])) continue;
    const tag = byOffset.get(warning.pos[0]);
    const name = tag ? document.directives.tagName(tag.source, () => {}) : null;
    const what = name?.startsWith(corePrefix) ? coreTags[name.slice(corePrefix.length)] : undefined;
    const span = tag ? tagSpan(source, tag) : { file: source.path, start: warning.pos[0], end: Math.max(warning.pos[1], warning.pos[0] + 1) };
    const message = tag && what ? `tag '${shorten(tag.source)}' does not fit its value: it tags ${what}` : warning.message.replace(/\s+/g, ' ').trim();
    const fix = tag ? { fix: 'remove the tag: a value\'s type comes from how it is written', fixes: [removeTagFix(source, span, shorten(tag.source))] } : { notes: [{ message: 'remove the tag: a value\'s type comes from how it is written' }] };
    diagnostics.push(diagnostic('NS1006', span, message, fix));
  }
  return diagnostics;
}
