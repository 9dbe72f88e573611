import type { DiagnosticExtras, FixEdits, Note } from '../diagnostics/diagnostic.js';

/** One way to remove a diagnostic, in words, with its edits when it can be written as edits. */
export interface Alternative {
  readonly text: string;
  readonly edits?: FixEdits | undefined;
}

export interface FixParts {
  readonly fix?: string;
  readonly fixes?: readonly FixEdits[];
  readonly notes: readonly Note[];
}

/**
 * A diagnostic's fix from its alternatives: those with edits are the fix (one is unambiguous, several a
 * choice); the others, and advice no edit can express, become a note, so that the fix names only changes
 * `check --fix` and an editor can make. Notes print before the fix, so the note says what it is.
 */
export function fixParts(alternatives: readonly Alternative[], advice: readonly string[] = []): FixParts {
  const made = alternatives.filter((a) => a.edits !== undefined);
  const rest = [...alternatives.filter((a) => a.edits === undefined).map((a) => a.text), ...advice];
  const joined = (texts: readonly string[]) => texts.join(texts.some((t) => t.includes(',')) ? '; or ' : ', or ');
  const notes = rest.length === 0 ? [] : [{ message: made.length > 0 ? `another fix, to make by hand: ${joined(rest)}` : joined(rest) }];
  if (made.length === 0) return { notes };
  return { fix: joined(made.map((a) => a.text)), fixes: made.map((a) => a.edits!), notes };
}

/** A fix's parts as diagnostic extras, its notes after `notes`. */
export function withNotes(parts: FixParts, notes: readonly Note[] = []): DiagnosticExtras {
  return { notes: [...notes, ...parts.notes], ...(parts.fix ? { fix: parts.fix } : {}), ...(parts.fixes ? { fixes: parts.fixes } : {}) };
}

/**
 * Like `fixParts` for choices netspec enumerated (each id to keep, each legal size): those without
 * edits did not check out or cannot be written, and are left out, not noted. With none left, `words` is the note.
 */
export function choiceParts(choices: readonly Alternative[], words: readonly string[], advice: readonly string[] = []): FixParts {
  const made = choices.filter((c) => c.edits !== undefined);
  return made.length > 0 ? fixParts(made, advice) : fixParts([], words);
}
