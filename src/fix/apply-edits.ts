import type { Diagnostic, TextEdit } from '../diagnostics/diagnostic.js';

/** The edits of every unambiguous fix (a diagnostic with exactly one `fixes` entry) in one file. */
export function unambiguousEdits(diagnostics: readonly Diagnostic[], file: string): TextEdit[] {
  return diagnostics.flatMap((d) => (d.fixes?.length === 1 ? d.fixes[0]!.edits.filter((e) => e.span.file === file) : []));
}

export interface Applied {
  readonly text: string;
  /** Edits applied, in source order. */
  readonly applied: readonly TextEdit[];
  /** Edits left out because they overlap one applied before them; a re-check after this round offers them again. */
  readonly skipped: readonly TextEdit[];
}

const same = (a: TextEdit, b: TextEdit) => a.span.start === b.span.start && a.span.end === b.span.end && a.newText === b.newText;

/**
 * Applies non-overlapping edits to `text`. Repeats of one edit (two diagnostics with the
 * same fix) count once; of two overlapping edits the one that starts first wins, as eslint --fix does.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): Applied {
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const applied: TextEdit[] = [];
  const skipped: TextEdit[] = [];
  for (const edit of sorted) {
    const last = applied[applied.length - 1];
    if (last && same(last, edit)) continue;
    // Two insertions at one place are ambiguous in order, so the later one waits too.
    if (last && (edit.span.start < last.span.end || (edit.span.start === last.span.start && edit.span.start === last.span.end))) skipped.push(edit);
    else applied.push(edit);
  }
  let result = '';
  let at = 0;
  for (const edit of applied) {
    result += text.slice(at, edit.span.start) + edit.newText;
    at = edit.span.end;
  }
  return { text: result + text.slice(at), applied, skipped };
}
