import { CodeActionKind, type CodeAction, type Range, type TextEdit } from 'vscode-languageserver';
import type { Analysis } from './analysis.js';
import { lspDiagnostic } from './diagnostics.js';
import { positionsOf, touches } from './positions.js';

/**
 * Quick fixes: every fix of every diagnostic that touches `range`, one
 * action per alternative. A diagnostic's only fix is the one `check --fix`
 * applies, so it is the preferred action; alternatives (the solver's) are
 * offered side by side with none preferred. A fix that would edit another
 * file is left out: the edit is for this document, at its checked version.
 */
export function codeActions(analysis: Analysis, range: Range): CodeAction[] {
  const at = positionsOf(analysis);
  const wanted = { start: at.offset(range.start), end: at.offset(range.end) };
  return analysis.result.diagnostics.flatMap((d) => {
    if (!at.here(d.span) || !touches(d.span, wanted) || !d.fixes) return [];
    const fixes = d.fixes.filter((f) => f.edits.every((e) => at.here(e.span)));
    return fixes.map((fix): CodeAction => {
      const edits: TextEdit[] = fix.edits.map((e) => ({ range: at.range(e.span), newText: e.newText }));
      return {
        title: fix.description,
        kind: CodeActionKind.QuickFix,
        diagnostics: [lspDiagnostic(analysis, d)],
        edit: { changes: { [analysis.uri]: edits } },
        ...(d.fixes!.length === 1 ? { isPreferred: true } : {}),
      };
    });
  });
}
