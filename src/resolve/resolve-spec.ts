import { createHash } from 'node:crypto';
import { diagnostic, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { ModelIR, Span, SpecIR, SymbolIR } from '../ir.js';
import { isMapping, pointerOf, spanAt, type Data } from '../parse/parse-spec.js';
import type { ValidatedSpec } from '../validate/validate-spec.js';
import { fixOrNote } from '../fix/fix-or-note.js';
import { freeName, modelRole, moduleNameFix, namesIn, renameFix } from '../fix/rename-edits.js';
import { checkIdentifier } from './ids.js';
import { composeModels } from './compose.js';
import { resolveContracts } from './contracts.js';
import { lintSettings } from './lint-settings.js';
import { mappingLayout } from './mapping-layout.js';
import { resolveModel } from './model.js';
import { resolveSymbols } from './symbols.js';
import { emptyScope, evaluateAt, rejected, scopeOf, type ReadFile, type ResolveContext, type Scope } from './values.js';

/** The file name without folders and extension: `specs/dcgan.yaml` -> `dcgan`. */
export function fileStem(path: string): string {
  return path.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
}

/**
 * The module name: `name:`, else the file stem. Both become a file name and
 * TypeScript names, so the stem is held to the rule `name:` is (`my-spec.yaml`
 * cannot name a module), reported at the start of the file with `name:` as the fix.
 */
function moduleName(ctx: ResolveContext, data: Data): { name: string; nameSpan: Span } {
  const written = data['name'];
  const name = fileStem(ctx.spec.source.path);
  if (written !== undefined) {
    const nameSpan = spanAt(ctx.spec, ['name']);
    // The schema holds `name:` to the identifier pattern (and reported it if not); this adds the reserved names.
    if (typeof written !== 'string' || rejected(ctx, '/name')) return { name, nameSpan };
    checkIdentifier(ctx, written, nameSpan, 'module name');
    return { name: written, nameSpan };
  }
  const nameSpan = { file: ctx.spec.source.path, start: 0, end: 1 };
  checkIdentifier(ctx, name, nameSpan, 'module name (from the file name)', 'other', {
    fix: (suggested) => `set \`name: ${suggested}\` in the spec, or rename the file`,
    edit: (suggested) => moduleNameFix(ctx.spec, suggested),
  });
  return { name, nameSpan };
}

/** A scope that notes every name looked up, for the unused-param lint. */
function recording(scope: Scope, used: Set<string>): Scope {
  return { ...scope, lookup: (name) => (used.add(name), scope.lookup(name)) };
}

/** Params in order; each may use the params before it. A param with an error is `broken`: using it is not another error. */
function resolveParams(ctx: ResolveContext, raw: Data, used: Set<string>): Scope {
  const params = new Map<string, number>();
  const broken = new Set<string>();
  for (const [name, value] of Object.entries(raw)) {
    const path = ['params', name];
    if (!checkIdentifier(ctx, name, spanAt(ctx.spec, path, 'key'), 'param')) {
      broken.add(name);
      continue;
    }
    if (rejected(ctx, pointerOf(path))) {
      broken.add(name);
      continue;
    }
    const scope = { ...recording(scopeOf(params, emptyScope, broken), used), explain: (used: string) => (used in raw ? `param '${used}' is defined after '${name}'; a param can only use the params above it` : undefined) };
    const number = typeof value === 'number' ? value : evaluateAt(ctx, String(value), path, { kind: 'number' }, scope);
    if (number !== undefined) params.set(name, number);
    else broken.add(name);
  }
  return scopeOf(params, emptyScope, broken);
}

/** A bad default is evaluated for every layer it fills; report it once. */
function unique(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code} ${d.span?.start} ${d.span?.end} ${d.message}`;
    return !seen.has(key) && (seen.add(key), true);
  });
}

/** Params, expressions, defaults, ids and `from` graphs: the spec as IR. */
export function resolveSpec(validated: ValidatedSpec, readFile: ReadFile = () => undefined): Result<SpecIR> {
  const spec = validated.parsed;
  const symbols = new Map<string, SymbolIR | undefined>();
  const ctx: ResolveContext = { spec, slots: validated.exprSlots, diagnostics: [], readFile, invalid: validated.invalid, rejectedDefaults: validated.rejectedDefaults, renamed: validated.renamed, symbols, expansion: { spent: 0 }, names: new Map(), repeats: new Map() };
  const data = spec.data as Data;
  const rawParams = isMapping(data['params']) ? data['params'] : {};
  const used = new Set<string>();
  const paramValues = resolveParams(ctx, rawParams, used);
  const scope = recording(paramValues, used);
  const paramSpans = new Map(Object.keys(rawParams).map((p) => [p, spanAt(spec, ['params', p], 'key')]));
  for (const [name, symbol] of resolveSymbols(ctx, data['symbols'], scope, paramSpans)) symbols.set(name, symbol);
  const models: ModelIR[] = [];
  // `gen` and `Gen` would both export `buildGen` and `GenInputs`.
  const exported = new Map<string, string>();
  for (const [name, raw] of Object.entries(data['models'] as Data)) {
    if (!isMapping(raw)) continue;
    const pascal = name.charAt(0).toUpperCase() + name.slice(1);
    const clash = exported.get(pascal);
    if (clash !== undefined) {
      const to = freeName(`${name}2`, namesIn(spec, modelRole));
      const rename = renameFix(spec, modelRole, name, to);
      ctx.diagnostics.push(
        diagnostic('NS3013', spanAt(spec, ['models', name], 'key'), `models '${clash}' and '${name}' would both generate build${pascal}()`, {
          ...fixOrNote(`rename '${name}', e.g. to '${to}'`, rename ? [rename] : undefined, [{ message: `'${clash}' is defined here`, span: spanAt(spec, ['models', clash], 'key') }]),
        }),
      );
    }
    exported.set(pascal, name);
    const model = resolveModel(ctx, name, raw as Data, ['models', name], scope, validated.defaults);
    if (model) models.push(model);
  }
  // Composition needs every model resolved: a model may use one defined after it.
  const composed = composeModels(ctx, models, data['models'] as Data);
  const contracts = resolveContracts(ctx, data['contracts'], data['models'] as Data, composed);
  const { name, nameSpan } = moduleName(ctx, data);
  const sourceHash = createHash('sha256').update(spec.source.text).digest('hex');
  const paramsLayout = mappingLayout(spec, ['params']);
  // The only param goes with its `params:` key.
  const onlyParam = paramsLayout?.entries.length === 1 ? mappingLayout(spec, [])?.entries.find((e) => e.key === 'params')?.removal : undefined;
  const params = [...paramSpans].map(([param, span]) => {
    const value = paramValues.lookup(param);
    const removal = onlyParam ?? paramsLayout?.entries.find((e) => e.key === param)?.removal;
    return { name: param, span, used: used.has(param), ...(value !== undefined ? { value } : {}), ...(removal ? { removal } : {}) };
  });
  const names = [...ctx.names!.values()].flat().sort((a, b) => a.span.start - b.span.start);
  const repeats = [...ctx.repeats!.values()].sort((a, b) => a.span.start - b.span.start);
  const written = { ...(names.length > 0 ? { names } : {}), ...(repeats.length > 0 ? { repeats } : {}) };
  return { value: { file: spec.source.path, name, nameSpan, sourceHash, params, lint: lintSettings(data['lint']), models: composed, ...(contracts.length > 0 ? { contracts } : {}), ...written }, diagnostics: unique(ctx.diagnostics) };
}
