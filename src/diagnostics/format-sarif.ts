import { codes, type Code } from './codes.js';
import type { Diagnostic, FixEdits } from './diagnostic.js';
import type { Locator } from './location.js';

/** `NS4003` -> `IncompatibleShapes`: SARIF rule names are PascalCase words. */
function ruleName(code: Code): string {
  return codes[code].title.replace(/(^|[^A-Za-z0-9])([A-Za-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

const level = { error: 'error', warning: 'warning' } as const;

/**
 * `specs/my spec.yaml` -> `specs/my%20spec.yaml`: SARIF artifact locations are
 * URI references, so each path segment is percent-encoded (spaces, `%`, `#`,
 * `?`, `:` and non-ASCII would otherwise make the log invalid or point elsewhere).
 */
export function artifactUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** The message of a result: notes without a place have no related location, so they go into the text. */
function resultText(d: Diagnostic): string {
  const unplaced = d.notes.filter((n) => !n.span).map((n) => ` Note: ${n.message}.`);
  return `${d.message}${d.fix ? `. Fix: ${d.fix}` : ''}${unplaced.join('')}`;
}

/**
 * A fix as SARIF 2.1.0 §3.55-3.57: one artifact change per file, each edit a
 * replacement of its deleted region (empty for an insertion: §3.30.2 allows a
 * region whose end column equals its start) by its inserted content.
 */
function sarifFix(fix: FixEdits, locator: Locator) {
  const files = [...new Set(fix.edits.map((e) => e.span.file))];
  return {
    description: { text: fix.description },
    artifactChanges: files.map((file) => ({
      artifactLocation: { uri: artifactUri(file) },
      replacements: fix.edits
        .filter((e) => e.span.file === file)
        .map((e) => {
          const at = locator.locate(e.span);
          return { deletedRegion: { startLine: at.line, startColumn: at.column, endLine: at.endLine, endColumn: at.endColumn }, insertedContent: { text: e.newText } };
        }),
    })),
  };
}

/**
 * A SARIF 2.1.0 log for code scanning: one run, every netspec code as a rule
 * with its help, one result per diagnostic, notes as related locations.
 */
export function formatSarif(diagnostics: readonly Diagnostic[], locator: Locator, version: string): string {
  const ids = Object.keys(codes) as Code[];
  const region = (span: NonNullable<Diagnostic['span']>) => {
    const at = locator.locate(span);
    return {
      artifactLocation: { uri: artifactUri(at.file) },
      region: { startLine: at.line, startColumn: at.column, endLine: at.endLine, endColumn: Math.max(at.endColumn, at.endLine === at.line ? at.column + 1 : 1) },
    };
  };
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'netspec',
            version,
            rules: ids.map((code) => ({
              id: code,
              name: ruleName(code),
              shortDescription: { text: codes[code].title },
              fullDescription: { text: codes[code].help },
              help: { text: codes[code].help, markdown: `**${code}: ${codes[code].title}.** ${codes[code].help} See docs/diagnostics.md.` },
              defaultConfiguration: { level: level[codes[code].severity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: ids.indexOf(d.code),
          level: level[d.severity],
          message: { text: resultText(d) },
          ...(d.span ? { locations: [{ physicalLocation: region(d.span) }] } : {}),
          ...(d.fixes ? { fixes: d.fixes.map((f) => sarifFix(f, locator)) } : {}),
          ...(d.notes.some((n) => n.span)
            ? { relatedLocations: d.notes.flatMap((n, i) => (n.span ? [{ id: i + 1, physicalLocation: region(n.span), message: { text: n.message } }] : [])) }
            : {}),
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
