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

export type { Diagnostic, Note, Severity } from './diagnostics/diagnostic.js';
export type { Code } from './diagnostics/codes.js';
export { codes } from './diagnostics/codes.js';
export { Locator } from './diagnostics/location.js';
export { formatText } from './diagnostics/format-text.js';
export { decodeSource, type DecodedSource } from './parse/decode-source.js';
export type { EmittedModule } from './emit/emit-module.js';
export type * from './ir.js';
export type { ReadFailure, ReadFile } from './resolve/values.js';
export { importModel, type ImportOptions, type ImportedSpec } from './import/import-model.js';
