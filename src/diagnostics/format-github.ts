import type { Span } from '../ir.js';
import type { Diagnostic } from './diagnostic.js';
import { escapeControls } from './format-text.js';
import type { Locator } from './location.js';

/** GitHub workflow commands escape these in data and, more strictly, in properties. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `specs/gan.yaml:12: `: where a note points, in the annotation's text. */
function noteWhere(locator: Locator, span: Span): string {
  const at = locator.locate(span);
  return `${escapeControls(at.file)}:${at.line}: `;
}

/** One `::error file=...,line=...::message` annotation per diagnostic, for GitHub Actions. */
export function formatGithub(diagnostics: readonly Diagnostic[], locator: Locator): string {
  return diagnostics
    .map((d) => {
      const properties: string[] = [];
      if (d.span) {
        const at = locator.locate(d.span);
        properties.push(`file=${escapeProperty(escapeControls(at.file))}`, `line=${at.line}`, `col=${at.column}`, `endLine=${at.endLine}`, `endColumn=${at.endColumn}`);
      }
      properties.push(`title=${escapeProperty(d.code)}`);
      // Messages quote paths and spec text; the runner renders ANSI codes in the log, so they are escaped like paths.
      const notes = d.notes.map((n) => `\nnote: ${n.span ? noteWhere(locator, n.span) : ''}${escapeControls(n.message, true)}`).join('');
      const body = `${escapeControls(d.message, true)}${notes}${d.fix ? `\nfix: ${escapeControls(d.fix, true)}` : ''}`;
      return `::${d.severity} ${properties.join(',')}::${escapeData(body)}\n`;
    })
    .join('');
}
