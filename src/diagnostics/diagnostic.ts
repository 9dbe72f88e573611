import type { Span } from '../ir.js';
import { codes, type Code } from './codes.js';

export type Severity = 'error' | 'warning';

/** Another place involved in a diagnostic, e.g. the layer a shape came from. */
export interface Note {
  readonly message: string;
  readonly span?: Span;
}

/**
 * One machine-applicable change: the text in `span` becomes `newText`
 * (an insertion when the span is empty, a deletion when `newText` is empty).
 */
export interface TextEdit {
  readonly span: Span;
  readonly newText: string;
}

/** A fix as edits: what it does, in words, and the edits that do it. */
export interface FixEdits {
  readonly description: string;
  readonly edits: readonly TextEdit[];
}

export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  readonly message: string;
  /** Absent only for diagnostics about the run itself, never for a spec. */
  readonly span?: Span;
  readonly notes: readonly Note[];
  /** A concrete change that would remove the diagnostic. */
  readonly fix?: string;
  /**
   * The fix as edits. One entry is an unambiguous fix (`check --fix` applies it);
   * several are alternatives to choose from (the solver's), which are never applied automatically.
   */
  readonly fixes?: readonly FixEdits[];
}

/** What every stage returns: a value when it could produce one, and what it found. */
export interface Result<T> {
  readonly value?: T;
  readonly diagnostics: readonly Diagnostic[];
}

export interface DiagnosticExtras {
  readonly notes?: readonly Note[];
  readonly fix?: string;
  readonly fixes?: readonly FixEdits[];
}

/** Builds a diagnostic whose severity comes from the code table. */
export function diagnostic(code: Code, span: Span | undefined, message: string, extras: DiagnosticExtras = {}): Diagnostic {
  return {
    code,
    severity: codes[code].severity,
    message,
    ...(span ? { span } : {}),
    notes: extras.notes ?? [],
    ...(extras.fix ? { fix: extras.fix } : {}),
    ...(extras.fixes && extras.fixes.length > 0 ? { fixes: extras.fixes } : {}),
  };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Orders diagnostics by file, then position, then code, so output is stable. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.span?.file ?? '').localeCompare(b.span?.file ?? '') ||
      (a.span?.start ?? -1) - (b.span?.start ?? -1) ||
      a.code.localeCompare(b.code),
  );
}

/** Drops repeats of a diagnostic (same code, place, message, notes and fix), keeping the first. */
export function uniqueDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  // Compared whole only when code, place and message agree: a repeat can make 20,000 diagnostics, each with its edits.
  const seen = new Map<string, Diagnostic[]>();
  return diagnostics.filter((d) => {
    const place = `${d.code}\0${d.span?.file}\0${d.span?.start}\0${d.span?.end}\0${d.message}`;
    const same = seen.get(place);
    if (!same) {
      seen.set(place, [d]);
      return true;
    }
    const key = whole(d);
    if (same.some((e) => whole(e) === key)) return false;
    same.push(d);
    return true;
  });
}

function whole(d: Diagnostic): string {
  return JSON.stringify([d.severity, d.notes, d.fix, d.fixes]);
}
