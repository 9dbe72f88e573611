/**
 * `fix` only ever holds a change that comes with its edits. Where the edits cannot be written
 * (the text is an interpolation, no close name exists), the same words are advice: a note.
 */
import type { DiagnosticExtras, FixEdits, Note, TextEdit } from '../diagnostics/diagnostic.js';
import { closest } from '../diagnostics/suggest.js';

/** The fix with its edits, or the words as a note after `notes` when there are none. */
export function fixOrNote(fix: string | undefined, fixes: readonly FixEdits[] | undefined, notes: readonly Note[] = []): DiagnosticExtras {
  if (fix === undefined) return { notes };
  return fixes && fixes.length > 0 ? { notes, fix, fixes } : { notes: [...notes, { message: fix }] };
}

/**
 * The misspelled name at `span` replaced by the one meant, when the source there spells exactly the
 * name (plain or quoted): an expression's name, a key, a value. Undefined otherwise.
 */
export function wordFix(text: string, span: TextEdit['span'], written: string, meant: string | undefined): FixEdits[] | undefined {
  if (meant === undefined) return undefined;
  const at = text.slice(span.start, span.end);
  const quote = at.length === written.length + 2 && (at[0] === '"' || at[0] === "'") && at.endsWith(at[0]!) ? at[0]! : '';
  if (at !== `${quote}${written}${quote}`) return undefined;
  return [{ description: `change '${written}' to '${meant}'`, edits: [{ span, newText: `${quote}${meant}${quote}` }] }];
}

/**
 * `a / b` as `a // b` in the source text at `span`: the one integer division there is. Undefined when
 * the text has no `/` or several (which of them should round is the user's to say).
 */
export function floorDivisionFix(text: string, span: TextEdit['span']): FixEdits[] | undefined {
  const written = text.slice(span.start, span.end);
  const slashes = [...written.matchAll(/(?<!\/)\/(?!\/)/g)];
  if (slashes.length !== 1) return undefined;
  const at = span.start + slashes[0]!.index;
  return [{ description: 'use // for integer division', edits: [{ span: { file: span.file, start: at, end: at + 1 }, newText: '//' }] }];
}

/**
 * "Did you mean" as a fix with its edit when a candidate is close to `written` (at `span` in `text`);
 * otherwise `otherwise` (a list of names, say) is advice, a note after `notes`.
 */
export function didYouMeanFix(text: string, span: TextEdit['span'], written: string, candidates: readonly string[], otherwise: string, notes: readonly Note[] = []): DiagnosticExtras {
  const meant = closest(written, candidates);
  if (meant === undefined) return { notes: [...notes, { message: otherwise }] };
  return fixOrNote(`did you mean '${meant}'?`, wordFix(text, span, written, meant), notes);
}
