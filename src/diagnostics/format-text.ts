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

/** Longer source lines are cut to a window around the underline: a minified or binary file can be one 10 MB line. */
export const maxExcerptWidth = 240;

/**
 * Control characters would drive the terminal (or vanish, shifting the
 * underline), and bidi controls reorder what is shown; each becomes one
 * U+FFFD so columns stay aligned. Tab stays: the underline's indent repeats
 * it, so it lines up whatever the tab width.
 */
export function printable(line: string): string {
  return line.replace(/[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '\uFFFD');
}

/**
 * A path (or any short text from outside netspec) as it is printed: control
 * characters, bidi controls and line separators become `\xNN` or `\uNNNN`,
 * so a file name cannot drive the terminal or a CI log, reorder what is
 * shown, or start a new line, and the user can still tell which file it is.
 * The one place paths are escaped for display; JSON output escapes on its own.
 * `keepLineBreaks` leaves `\n` and `\r` to a format that escapes them itself (GitHub's `%0A`).
 */
export function escapeControls(text: string, keepLineBreaks = false): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (keepLineBreaks && (c === '\n' || c === '\r')) return c;
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A source line and its underline, `from`..`to` as 0-based columns (`to` exclusive, > `from`). */
export interface ExcerptLine {
  readonly text: string;
  /** What goes under `text` before the underline: spaces, and tabs where `text` has them. */
  readonly indent: string;
  readonly width: number;
}

/** Cuts a long line to `maxWidth` characters around `from`, marking each cut side with `…`. */
export function clipLine(line: string, from: number, to: number, maxWidth = maxExcerptWidth): ExcerptLine {
  const indentOf = (text: string) => text.replace(/[^\t]/g, ' ');
  if (line.length <= maxWidth) return { text: line, indent: indentOf(line.slice(0, from)), width: Math.max(1, to - from) };
  // A third of the window before the underline keeps the start of the marked text in view with some context.
  const begin = Math.max(0, Math.min(from - Math.floor(maxWidth / 3), line.length - maxWidth));
  const end = begin + maxWidth;
  const head = begin > 0 ? '…' : '';
  const tail = end < line.length ? '…' : '';
  return {
    text: head + line.slice(begin, end) + tail,
    indent: ' '.repeat(head.length) + indentOf(line.slice(begin, from)),
    width: Math.max(1, Math.min(to, end) - from),
  };
}

/** The source line of a span with a `^~~~` underline, indented under a gutter. */
function excerpt(locator: Locator, span: Span, options: TextOptions, colour: keyof typeof ansi): string[] {
  const loc = locator.locate(span);
  const source = locator.line(span.file, loc.line);
  const gutter = String(loc.line).padStart(5);
  const endColumn = loc.endLine === loc.line ? loc.endColumn : source.length + 1;
  const line = clipLine(printable(source), loc.column - 1, endColumn - 1);
  const underline = '^' + '~'.repeat(line.width - 1);
  return [`${gutter} | ${line.text}`, `${' '.repeat(5)} | ${line.indent}${paint(options.color, colour, underline)}`];
}

function where(locator: Locator, span: Span): string {
  const loc = locator.locate(span);
  return `${escapeControls(loc.file)}:${loc.line}:${loc.column}`;
}

/** One diagnostic the way compilers print them: `file:line:col: error NS4003: message`, source, notes, fix. */
export function formatDiagnostic(d: Diagnostic, locator: Locator, options: TextOptions): string {
  const colour = severityColour(d.severity);
  const head = `${d.span ? `${where(locator, d.span)}: ` : ''}${paint(options.color, colour, `${d.severity} ${d.code}`)}: ${printable(d.message)}`;
  const lines = [paint(options.color, 'bold', head)];
  if (d.span && locator.text(d.span.file) !== undefined) lines.push(...excerpt(locator, d.span, options, colour));
  for (const note of d.notes) {
    lines.push(`  ${paint(options.color, 'cyan', 'note')}: ${note.span ? `${where(locator, note.span)}: ` : ''}${printable(note.message)}`);
    if (note.span && locator.text(note.span.file) !== undefined) lines.push(...excerpt(locator, note.span, options, 'cyan'));
  }
  if (d.fix) lines.push(`  ${paint(options.color, 'green', 'fix')}: ${printable(d.fix)}`);
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
