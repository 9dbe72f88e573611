/**
 * The library API: `check` validates and infers, `compile` also emits the
 * generated modules. Both are pure: sources in, results out; the CLI does the I/O.
 */
import { check, type CheckOptions, type CheckResult } from './check.js';
import { hasErrors } from './diagnostics/diagnostic.js';
import { emitModule, type EmittedModule } from './emit/emit-module.js';
import type { SourceFile } from './ir.js';

export { check, checkSource, type CheckOptions, type CheckResult, type SpecResult } from './check.js';

export interface CompileResult extends CheckResult {
  /** One module per spec; empty when any spec has an error, so nothing partial is written. */
  readonly modules: readonly EmittedModule[];
}

/** Checks every spec and, when none has an error, emits one module per spec. */
export function compile(sources: readonly SourceFile[], options: CheckOptions = {}): CompileResult {
  const result = check(sources, options);
  if (hasErrors(result.diagnostics)) return { ...result, modules: [] };
  const modules = result.specs.map((spec) => emitModule(spec, result.models.filter((m) => m.file === spec.file)));
  return { ...result, modules };
}

export type { Diagnostic, FixEdits, Note, Severity, TextEdit } from './diagnostics/diagnostic.js';
export { hasErrors, sortDiagnostics } from './diagnostics/diagnostic.js';
export type { Code } from './diagnostics/codes.js';
export { codes } from './diagnostics/codes.js';
export { Locator, type Location, type Position } from './diagnostics/location.js';
// The formatters behind `check --format` and `summary --format`, so a tool can report as the CLI does.
export { formatText, summaryLine, type TextOptions } from './diagnostics/format-text.js';
export { checkJson as formatJson, modelsJson as summaryJson } from './report/check-json.js';
export { formatSarif } from './diagnostics/format-sarif.js';
export { formatGithub } from './diagnostics/format-github.js';
export { summaryText, summaryMarkdown } from './report/summary.js';
// Fixes as edits: what `check --fix` applies.
export { applyEdits, unambiguousEdits, type Applied } from './fix/apply-edits.js';
export { fixSources, type Fixed, type FixChange } from './fix/fix-sources.js';
export { decodeSource, type DecodedSource } from './parse/decode-source.js';
export type { EmittedModule } from './emit/emit-module.js';
export type * from './ir.js';
export type { ReadFailure, ReadFile } from './resolve/values.js';
export { importModel, type ImportOptions, type ImportedSpec } from './import/import-model.js';
