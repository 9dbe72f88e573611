/**
 * `check`: parse, validate, resolve and infer, without the emitter, so that
 * `netspec check` never loads it (or ts-morph, which it builds code with).
 * Pure: sources in, results out; the CLI does the I/O. See index.ts for the API.
 */
import { diagnostic, hasErrors, sortDiagnostics, uniqueDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { withLayerOrigins } from './diagnostics/layer-origin.js';
import { unsupportedOption } from './emit/layer-call.js';
import { fixParts, withNotes } from './fix/alternatives.js';
import { optionFix } from './fix/option-edits.js';
import { inferShapes } from './infer/infer-shapes.js';
import { lintSpec } from './lint/lint-spec.js';
import { liveIds } from './infer/live.js';
import type { LayerShapes, ModelShapes, SourceFile, SpecIR } from './ir.js';
import { parseSpec } from './parse/parse-spec.js';
import { resolveSpec } from './resolve/resolve-spec.js';
import type { ReadFile } from './resolve/values.js';
import { validateSpec } from './validate/validate-spec.js';

export interface CheckResult {
  /** Sorted by file and position. */
  readonly diagnostics: readonly Diagnostic[];
  readonly specs: readonly SpecIR[];
  /** Every model whose shapes could be inferred, even when others have errors. */
  readonly models: readonly ModelShapes[];
}

/** What `checkSource` finds in one spec: its diagnostics, and its IR and shapes as far as it got. */
export interface SpecResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly spec?: SpecIR;
  readonly models: readonly ModelShapes[];
}

/**
 * Configurations netspec cannot build yet, in every layer a model builds, also
 * in a model with errors elsewhere: a layer whose weights are known (it
 * inferred) is checked whole, any other by its options alone.
 */
function unsupported(spec: SpecIR, inferred: readonly LayerShapes[]): Diagnostic[] {
  const weights = new Map(inferred.map((l) => [l.layer, l.weights]));
  return spec.models.flatMap((model) => {
    const live = liveIds(model);
    return model.layers.flatMap((layer) => {
      const found = live.has(layer.id) ? unsupportedOption(layer, weights.get(layer)) : undefined;
      if (!found) return [];
      // An unsupported option's fix is to leave it out.
      const removal = found.fix ? optionFix(layer, `remove ${found.option}`, [{ option: found.option, value: undefined }]) : undefined;
      const extras = found.fix ? withNotes(fixParts([{ text: found.fix, edits: removal }])) : {};
      return [diagnostic('NS4010', layer.argSpans[found.option] ?? layer.idSpan, `layer '${layer.id}': ${found.message}`, extras)];
    });
  });
}

export interface CheckOptions {
  /**
   * Reads files specs refer to (`weights:`), by project-relative path, or says
   * why it did not (see `ReadFailure`). Default: none can be read. The library
   * itself refuses absolute paths and paths that leave the project with `..`
   * before asking; the reader must refuse what only the file system can tell:
   * links that lead out of the project, files that are not regular, sizes.
   */
  readonly readFile?: ReadFile;
}

/** Runs parse -> validate -> resolve -> infer on one spec. */
/**
 * A diagnostic's `fix` is a change it can make (docs/cli.md): prose that no edit
 * carries is advice, shown as a note. Most stages already write it so; this holds
 * it for the rest, e.g. NS4006's "assert the inferred shape" when the solver found
 * no change to the layers (as an edit `check --fix` would apply it and silence the
 * assertion it is there to keep).
 */
function adviceAsNotes(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.map((d) => {
    if (!d.fix || d.fixes) return d;
    const { fix, ...rest } = d;
    return { ...rest, notes: [...d.notes, { message: fix }] };
  });
}

export function checkSource(source: SourceFile, options: CheckOptions = {}): SpecResult {
  const result = checkStages(source, options);
  return { ...result, diagnostics: adviceAsNotes(result.diagnostics) };
}

function checkStages(source: SourceFile, options: CheckOptions): SpecResult {
  const parsed = parseSpec(source);
  if (!parsed.value) return { diagnostics: parsed.diagnostics, models: [] };
  // Every stage runs on whatever the one before could make sense of, so one run reports every error.
  const validated = validateSpec(parsed.value);
  if (!validated.value) return { diagnostics: validated.diagnostics, models: [] };
  const resolved = resolveSpec(validated.value, options.readFile);
  if (!resolved.value) return { diagnostics: [...validated.diagnostics, ...resolved.diagnostics], models: [] };
  const inferred = inferShapes(resolved.value);
  const models = inferred.value ?? [];
  const lints = lintSpec(resolved.value, models, !hasErrors([...validated.diagnostics, ...resolved.diagnostics]));
  // Layers a repeat made are named by id; their diagnostics also say which iteration made them.
  const later = withLayerOrigins([...inferred.diagnostics, ...unsupported(resolved.value, inferred.layers), ...lints], resolved.value);
  return { diagnostics: [...validated.diagnostics, ...resolved.diagnostics, ...later], spec: resolved.value, models };
}

/** Two specs must not write the same generated file, on a file system that ignores case (macOS, Windows) too. */
function duplicateModules(specs: readonly SpecIR[]): Diagnostic[] {
  const first = new Map<string, SpecIR>();
  const diagnostics: Diagnostic[] = [];
  for (const spec of specs) {
    const key = spec.name.toLowerCase();
    const other = first.get(key);
    if (!other) first.set(key, spec);
    else {
      const also = other.name === spec.name ? `is also used by ${other.file}; both would write ${spec.name}.ts` : `differs only in case from '${other.name}' of ${other.file}; both would write ${other.name}.ts where case is ignored (macOS, Windows)`;
      diagnostics.push(
        diagnostic('NS3010', spec.nameSpan, `module name '${spec.name}' ${also}`, {
          // Which spec to rename, and to what, is the user's to say: advice.
          notes: [{ message: `'${spec.name}' is first used here`, span: other.nameSpan }, { message: 'set a distinct `name:` in one of the specs' }],
        }),
      );
    }
  }
  return diagnostics;
}

/**
 * Validates and infers every spec; no files are produced. Sources are text:
 * for a file's bytes, `decodeSource` first tells UTF-16 and invalid UTF-8 apart.
 */
export function check(sources: readonly SourceFile[], options: CheckOptions = {}): CheckResult {
  const results = sources.map((source) => checkSource(source, options));
  const specs = results.flatMap((r) => (r.spec ? [r.spec] : []));
  return {
    diagnostics: uniqueDiagnostics(sortDiagnostics([...results.flatMap((r) => r.diagnostics), ...duplicateModules(specs)])),
    specs,
    models: results.flatMap((r) => r.models),
  };
}
