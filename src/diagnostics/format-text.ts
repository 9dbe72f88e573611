import type { Span } from '../ir.js';
import type { Diagnostic, Severity } from './diagnostic.js';
import type { Locator } from './location.js';

export interface TextOptions {
  /** ANSI colours; the CLI turns them on only for a TTY without NO_COLOR. */
  readonly color: boolean;
}

const ansi = { red: '31', yellow: '33', cyan: '36', green: '32', bold: '1', dim: '2' } as const;

function paint(on: boolean, style: keyof typeof ansi, text: string): string {
  return on ? `\x1b[${ansi[style]}m${text}\x1b[0m` : text;
}

function severityColour(severity: Severity): keyof typeof ansi {
  return severity === 'error' ? 'red' : 'yellow';
}

/** The source line of a span with a `^~~~` underline, indented under a gutter. */
function excerpt(locator: Locator, span: Span, options: TextOptions, colour: keyof typeof ansi): string[] {
  const loc = locator.locate(span);
  const source = locator.line(span.file, loc.line);
  const gutter = String(loc.line).padStart(5);
  const endColumn = loc.endLine === loc.line ? loc.endColumn : source.length + 1;
  const width = Math.max(1, endColumn - loc.column);
  const prefix = source.slice(0, loc.column - 1).replace(/[^\t]/g, ' ');
  const underline = '^' + '~'.repeat(width - 1);
  return [`${gutter} | ${source}`, `${' '.repeat(5)} | ${prefix}${paint(options.color, colour, underline)}`];
}

function where(locator: Locator, span: Span): string {
  const loc = locator.locate(span);
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/** One diagnostic the way compilers print them: `file:line:col: error NS4003: message`, source, notes, fix. */
export function formatDiagnostic(d: Diagnostic, locator: Locator, options: TextOptions): string {
  const colour = severityColour(d.severity);
  const head = `${d.span ? `${where(locator, d.span)}: ` : ''}${paint(options.color, colour, `${d.severity} ${d.code}`)}: ${d.message}`;
  const lines = [paint(options.color, 'bold', head)];
  if (d.span && locator.text(d.span.file) !== undefined) lines.push(...excerpt(locator, d.span, options, colour));
  for (const note of d.notes) {
    lines.push(`  ${paint(options.color, 'cyan', 'note')}: ${note.span ? `${where(locator, note.span)}: ` : ''}${note.message}`);
    if (note.span && locator.text(note.span.file) !== undefined) lines.push(...excerpt(locator, note.span, options, 'cyan'));
  }
  if (d.fix) lines.push(`  ${paint(options.color, 'green', 'fix')}: ${d.fix}`);
  return lines.join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summaryLine(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return `${plural(errors, 'error')}, ${plural(diagnostics.length - errors, 'warning')}`;
}

/** All diagnostics, a blank line between them, and the count line. */
export function formatText(diagnostics: readonly Diagnostic[], locator: Locator, options: TextOptions): string {
  const blocks = diagnostics.map((d) => formatDiagnostic(d, locator, options));
  return [...blocks, summaryLine(diagnostics)].join('\n\n') + '\n';
}
