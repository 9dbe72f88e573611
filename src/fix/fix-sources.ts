import { sortDiagnostics, type Diagnostic, type FixEdits, type TextEdit } from '../diagnostics/diagnostic.js';
import { Locator } from '../diagnostics/location.js';
import type { SourceFile } from '../ir.js';
import { applyEdits } from './apply-edits.js';

/** One fix `check --fix` applied: where its diagnostic was in the text of its round, and what it did. */
export interface FixChange {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly code: string;
  readonly description: string;
}

export interface Fixed {
  /** Every source, fixed or not, in the order given. */
  readonly sources: readonly SourceFile[];
  readonly changes: readonly FixChange[];
  /** The diagnostics of the fixed sources: what is left. */
  readonly diagnostics: readonly Diagnostic[];
}

/** At most this many rounds of fix and re-check, as eslint --fix stops after 10 passes: a fix that undoes another cannot loop. */
export const maxFixRounds = 10;

const same = (a: TextEdit, b: TextEdit) => a.span.file === b.span.file && a.span.start === b.span.start && a.span.end === b.span.end && a.newText === b.newText;

/** Whether two edits cannot both be applied: they overlap, or are two insertions at one place (their order would be a guess). */
function clash(a: TextEdit, b: TextEdit): boolean {
  if (a.span.file !== b.span.file || same(a, b)) return false;
  if (a.span.start === a.span.end && b.span.start === b.span.end) return a.span.start === b.span.start;
  return (a.span.start < b.span.end && b.span.start < a.span.end) || (a.span.start === b.span.start && (a.span.start === a.span.end || b.span.start === b.span.end));
}

/**
 * The unambiguous fixes of one round that can be applied together: whole fixes
 * only (a fix with one edit left out could make things worse), in source order;
 * one that clashes with a fix taken before it waits for the next round.
 */
function chooseFixes(diagnostics: readonly Diagnostic[], files: ReadonlySet<string>): { diagnostic: Diagnostic; fix: FixEdits }[] {
  const taken: { diagnostic: Diagnostic; fix: FixEdits }[] = [];
  const edits: TextEdit[] = [];
  for (const d of sortDiagnostics(diagnostics)) {
    const fix = d.fixes?.length === 1 ? d.fixes[0]! : undefined;
    if (!fix || fix.edits.length === 0 || !fix.edits.every((e) => files.has(e.span.file))) continue;
    if (fix.edits.some((e) => edits.some((t) => clash(e, t)))) continue;
    taken.push({ diagnostic: d, fix });
    edits.push(...fix.edits);
  }
  return taken;
}

/**
 * `check --fix`: applies every unambiguous fix, checks again and repeats until
 * no fix applies, the text stops changing, or `maxFixRounds` have run. Only the
 * edited ranges change, so comments and formatting elsewhere are kept.
 */
export function fixSources(sources: readonly SourceFile[], checkSources: (sources: readonly SourceFile[]) => readonly Diagnostic[], rounds = maxFixRounds): Fixed {
  let current = [...sources];
  let diagnostics = checkSources(current);
  const changes: FixChange[] = [];
  const seen = new Set([JSON.stringify(current.map((s) => s.text))]);
  for (let round = 0; round < rounds; round++) {
    const chosen = chooseFixes(diagnostics, new Set(current.map((s) => s.path)));
    if (chosen.length === 0) break;
    const edits = chosen.flatMap((c) => c.fix.edits);
    const next = current.map((s) => {
      const mine = edits.filter((e) => e.span.file === s.path);
      return mine.length === 0 ? s : { path: s.path, text: applyEdits(s.text, mine).text };
    });
    const key = JSON.stringify(next.map((s) => s.text));
    if (seen.has(key)) break;
    seen.add(key);
    const locator = new Locator(new Map(current.map((s) => [s.path, s.text])));
    for (const { diagnostic, fix } of chosen) {
      const at = locator.locate(diagnostic.span ?? fix.edits[0]!.span);
      changes.push({ file: at.file, line: at.line, column: at.column, code: diagnostic.code, description: fix.description });
    }
    current = next;
    diagnostics = checkSources(current);
  }
  return { sources: current, changes, diagnostics };
}
