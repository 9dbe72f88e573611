import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Analysis } from './analysis.js';
import { positionsOf } from './positions.js';

/**
 * A netspec diagnostic as the editor shows it: at its span, code `NS4003`,
 * source `netspec`, the fix (in words) on a line of its own as `check` prints
 * it, and the notes that point into the document as related information.
 * A diagnostic about another file (none of checkSource's are: a weights
 * file's problems point at the `weights:` value) or about no place is shown
 * at the document's first character, naming the file; so is a note's place.
 */
export function lspDiagnostic(analysis: Analysis, d: Diagnostic): LspDiagnostic {
  const at = positionsOf(analysis);
  const elsewhere = d.span && d.span.file !== analysis.file ? `${d.span.file}: ` : '';
  const unplaced = d.notes.filter((n) => !at.here(n.span)).map((n) => `\nnote: ${n.span ? `${n.span.file}: ` : ''}${n.message}`);
  const related: DiagnosticRelatedInformation[] = d.notes.flatMap((n) => (at.here(n.span) ? [{ location: { uri: analysis.uri, range: at.range(n.span) }, message: n.message }] : []));
  return {
    range: at.here(d.span) ? at.range(d.span) : at.range({ start: 0, end: 0 }),
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: 'netspec',
    message: `${elsewhere}${d.message}${unplaced.join('')}${d.fix ? `\nfix: ${d.fix}` : ''}`,
    ...(related.length > 0 ? { relatedInformation: related } : {}),
  };
}

/** Every diagnostic of the document's last check, in checkSource's order. */
export function lspDiagnostics(analysis: Analysis): LspDiagnostic[] {
  return analysis.result.diagnostics.map((d) => lspDiagnostic(analysis, d));
}
