import { diagnostic, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { closest } from '../diagnostics/suggest.js';
import { fixOrNote, wordFix } from '../fix/fix-or-note.js';
import type { Span } from '../ir.js';
import { isMapping, pointerOf, spanAt, type Data, type ParsedSpec } from '../parse/parse-spec.js';
import { schemaDiagnostics, type RenamedOption } from './errors.js';
import { chosenAlternatives, itemKind, layerItems } from './layer-items.js';
import { layerSchemaPointer, layerTypes, optionsOf, validateCollecting, validatorFor, type ExprSlot } from './schema.js';

/** A spec that matches schemas/netspec.schema.json. */
export interface ValidatedSpec {
  readonly parsed: ParsedSpec;
  /**
   * Where expressions may stand (JSON pointers into the data), with their kind
   * and bounds; a default filled into a layer has its slot at the layer's
   * pointer, since whether it is an expression depends on the layer type.
   */
  readonly exprSlots: ReadonlyMap<string, ExprSlot>;
  /** For each layer type, the defaults that apply to it: option -> JSON pointer of the default's value. */
  readonly defaults: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /**
   * JSON pointers of the values that failed validation, already reported. Later
   * stages leave these out (or what depends on them) instead of reporting again.
   */
  readonly invalid: ReadonlySet<string>;
  /** For each layer type, the options whose default failed validation: a layer relying on one has no known meaning. */
  readonly rejectedDefaults: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Misspelled option keys (JSON pointer of the key as written) with the option each means, when the
   * value is valid as that option: resolve reads `kernel_size: k - 1` as `kernelSize`, so its expression
   * and its relations to the other options are checked in the same run as the NS2002 that names it.
   */
  readonly renamed: ReadonlyMap<string, string>;
}

type Defaults = Record<string, unknown>;

/** `kernel_size` and `kernelSize`: one name in another framework's spelling, whose value is then checked as the option. */
const sameWord = (a: string, b: string): boolean => a !== b && a.replace(/[_-]/g, '').toLowerCase() === b.replace(/[_-]/g, '').toLowerCase();

/** ajv's combinator errors, which stand beside the errors that say what is wrong. */
const structuralKeywords: ReadonlySet<string> = new Set(['if', 'then', 'else', 'anyOf', 'oneOf', 'allOf', 'not']);

/** Layer options that make no sense for every layer of a type, with why and what to write instead. */
const perLayerOnly: Readonly<Record<string, { readonly reason: string; readonly advice: string }>> = {
  weights: { reason: 'initial weights belong to one layer, whose weight shapes they must match', advice: 'set `weights:` on each layer that loads values' },
  lint: { reason: 'lint settings for every layer are the spec\'s own `lint:`', advice: 'move it to the top level of the spec: `lint: { ... }`' },
};

/** The layer types that accept an option, e.g. `dataFormat` -> every conv, pooling, padding... */
function typesWithOption(option: string): string[] {
  return layerTypes.filter((t) => optionsOf(t).includes(option));
}

/**
 * Defaults are checked against every layer type they apply to, with the same
 * schema as the options themselves, so a bad default is reported once, at the default.
 */
function validateDefaults(spec: ParsedSpec, defaults: Defaults, applicable: Map<string, Map<string, string>>, rejected: Map<string, Set<string>>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const apply = (layerType: string, option: string, pointer: string) => {
    const options = applicable.get(layerType) ?? new Map<string, string>();
    options.set(option, pointer);
    applicable.set(layerType, options);
  };
  const reject = (types: readonly string[], ...options: string[]) => {
    for (const t of types) rejected.set(t, new Set([...(rejected.get(t) ?? []), ...options]));
  };
  const allOptions = new Set(layerTypes.flatMap(optionsOf));
  const check = (layerType: string, option: string, value: unknown, pointer: string): readonly Diagnostic[] => {
    const validate = validatorFor(layerSchemaPointer(layerType));
    if (validate({ type: layerType, [option]: value })) return [];
    const errors = (validate.errors ?? []).filter((e) => e.instancePath.startsWith(`/${option}`) || (e.keyword === 'unevaluatedProperties' && e.params['unevaluatedProperty'] === option));
    const base = pointer.slice(1).split('/').slice(0, -1);
    return schemaDiagnostics(spec, errors.map((e) => ({ ...e, instancePath: e.instancePath.replace(/^\/[^/]+/, `/${pointer.split('/').pop()!}`) })), base);
  };
  // `activation: relu` is the option; `activation: { ... }` the layer type.
  const isTypeKey = (key: string, value: unknown) => layerTypes.includes(key) && (isMapping(value) || !allOptions.has(key));
  // Per-type defaults come last so that they override option-level ones wherever they are written.
  const entries = Object.entries(defaults).sort(([a, x], [b, y]) => Number(isTypeKey(a, x)) - Number(isTypeKey(b, y)));
  // Options that belong to one layer: a default for them would be ignored, so it is an error.
  const perLayer = (option: string, span: Span): boolean => {
    const why = perLayerOnly[option];
    // Where the option belongs instead is advice: moving it is the user's edit.
    if (why) diagnostics.push(diagnostic('NS3011', span, `'${option}' cannot be a default: ${why.reason}`, { notes: [{ message: why.advice }] }));
    return why !== undefined;
  };
  for (const [key, value] of entries) {
    const at = `/defaults/${key}`;
    if (isTypeKey(key, value)) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        diagnostics.push(diagnostic('NS3011', spanAt(spec, ['defaults', key]), `defaults for layer type '${key}' must be a mapping of its options`));
        continue;
      }
      for (const [option, v] of Object.entries(value)) {
        if (perLayer(option, spanAt(spec, ['defaults', key, option], 'key'))) continue;
        if (option === 'type' || !optionsOf(key).includes(option)) {
          const meant = closest(option, optionsOf(key));
          const span = spanAt(spec, ['defaults', key, option], 'key');
          diagnostics.push(diagnostic('NS3011', span, `'${option}' is not an option of ${key}`, meant ? fixOrNote(`did you mean '${meant}'?`, wordFix(spec.source.text, span, option, meant)) : {}));
          // The value is checked as the option meant, so its own mistakes show in the same run.
          if (meant && sameWord(option, meant)) diagnostics.push(...check(key, meant, v, `${at}/${option}`));
          if (meant) reject([key], meant);
          continue;
        }
        const found = check(key, option, v, `${at}/${option}`);
        diagnostics.push(...found);
        if (found.length === 0) apply(key, option, `${at}/${option}`);
        else reject([key], option);
      }
      continue;
    }
    if (perLayer(key, spanAt(spec, ['defaults', key], 'key'))) continue;
    if (key === 'type' || key === 'id' || key === 'name' || key === 'from' || !allOptions.has(key)) {
      const meant = closest(key, [...allOptions, ...layerTypes].filter((k) => !['type', 'id', 'name', 'from'].includes(k)));
      const span = spanAt(spec, ['defaults', key], 'key');
      diagnostics.push(diagnostic('NS3011', span, `'${key}' is neither an option of any layer type nor a layer type`, meant ? fixOrNote(`did you mean '${meant}'?`, wordFix(spec.source.text, span, key, meant)) : {}));
      // What the misspelled default was meant to give is missing; the layers that rely on it are not checked further.
      if (meant && layerTypes.includes(meant)) reject([meant], ...Object.keys(isMapping(value) ? value : {}));
      else if (meant && !sameWord(key, meant)) reject(typesWithOption(meant), meant);
      else if (meant) {
        // Checked as the option meant: an error every type taking it finds is reported with the misspelling.
        const perType = typesWithOption(meant).map((t) => check(t, meant, value, at));
        if (perType.length > 0 && perType.every((d) => d.length > 0)) diagnostics.push(...perType[0]!);
        reject(typesWithOption(meant), meant);
      }
      continue;
    }
    // A default applies to every layer type whose schema accepts it; it is an error only if none does.
    // A string some type takes literally (`padding: same`) is not also an expression for the others.
    const types = typesWithOption(key);
    const perType = types.map((t) => check(t, key, value, at));
    const literal = (t: string) => typeof value !== 'string' || !validateCollecting(validatorFor(layerSchemaPointer(t)), { type: t, [key]: value }).slots.has(`/${key}`);
    const accepted = types.filter((_, i) => perType[i]!.length === 0);
    const literally = accepted.filter(literal);
    // Taken only as an expression but one edit away from a literal elsewhere (`padding: sme`): a typo, not an expression.
    const typo = literally.length === 0 ? perType.find((d) => d[0]?.code === 'NS2005' && (d[0].fix !== undefined || d[0].notes.length > 0)) : undefined;
    if (typo || accepted.length === 0) {
      diagnostics.push(...(typo ?? perType[0]!));
      reject(types, key);
    } else for (const t of literally.length > 0 ? literally : accepted) apply(t, key, at);
  }
  return diagnostics;
}

/**
 * A copy of the data in which every layer mapping (in repeat bodies too) is
 * a copy, and so is every mapping and list on the way to it; everything else
 * is shared (validation never changes the data). Copying only that much is
 * what makes filling in defaults cost little next to copying the whole spec.
 */
function withLayersCopied(data: Data): Data {
  const copyList = (list: unknown): unknown =>
    Array.isArray(list) ? list.map((item) => (!isMapping(item) ? item : itemKind(item) === 'repeat' && 'layers' in item ? { ...item, layers: copyList(item['layers']) } : { ...item })) : list;
  const models = data['models'];
  if (!isMapping(models)) return { ...data };
  const copied: Data = {};
  for (const [name, model] of Object.entries(models)) copied[name] = isMapping(model) && 'layers' in model ? { ...model, layers: copyList(model['layers']) } : model;
  return { ...data, models: copied };
}

/**
 * A copy of the data with applicable defaults filled into the layers that
 * leave them out, so that a default can satisfy a required option. Returns
 * the pointers of the filled values: their errors belong to the default,
 * which was validated on its own.
 */
function fillDefaults(data: Data, applicable: ReadonlyMap<string, ReadonlyMap<string, string>>): { data: Data; filled: Set<string> } {
  const filled = new Set<string>();
  const copy = withLayersCopied(data);
  for (const [pointer, { kind, item: layer }] of layerItems(copy)) {
    if (kind !== 'layer' || !isMapping(layer)) continue;
    const options = typeof layer['type'] === 'string' ? applicable.get(layer['type']) : undefined;
    for (const [option, from] of options ?? []) {
      if (option in layer) continue;
      layer[option] = from.slice(1).split('/').reduce<unknown>((v, k) => (v as Data)[k], data);
      filled.add(`${pointer}/${option}`);
    }
  }
  return { data: copy, filled };
}

/** Whether `pointer` is one of `pointers` or inside one: a lookup per level of `pointer`, however many there are. */
function insideAny(pointer: string, pointers: ReadonlySet<string>): boolean {
  if (pointers.size === 0) return false;
  for (let at = pointer; at !== ''; at = at.slice(0, at.lastIndexOf('/'))) if (pointers.has(at)) return true;
  return false;
}

/** Whether the layer at `pointer` lacks `option` because the default meant to give it was rejected. */
function rejectedDefaultOf(data: unknown, pointer: string, option: string, rejected: ReadonlyMap<string, ReadonlySet<string>>): boolean {
  const layer = pointer.slice(1).split('/').reduce<unknown>((v, k) => (isMapping(v) || Array.isArray(v) ? (v as Data)[k] : undefined), data);
  return isMapping(layer) && typeof layer['type'] === 'string' && (rejected.get(layer['type'])?.has(option) ?? false);
}

/**
 * Validates a parsed spec against the JSON Schema; every error is located at
 * its YAML node. The spec is still returned when only parts of it are wrong,
 * with those parts listed, so later stages can check the rest.
 */
export function validateSpec(spec: ParsedSpec): Result<ValidatedSpec> {
  const diagnostics: Diagnostic[] = [];
  const defaults = new Map<string, Map<string, string>>();
  const rejectedDefaults = new Map<string, Set<string>>();
  const slots = new Map<string, ExprSlot>();
  let data = spec.data;
  let filled = new Set<string>();
  if (isMapping(spec.data) && isMapping(spec.data['defaults'])) {
    diagnostics.push(...validateDefaults(spec, spec.data['defaults'], defaults, rejectedDefaults));
    ({ data, filled } = fillDefaults(spec.data, defaults));
  }
  const validate = validatorFor('');
  const result = validateCollecting(validate, data);
  for (const [pointer, slot] of result.slots) slots.set(pointer, slot);
  const invalid = new Set<string>();
  const renames = new Map<string, RenamedOption>();
  if (!result.valid) {
    const own = chosenAlternatives(data, validate.errors ?? []).filter((e) => !insideAny(e.instancePath, filled));
    for (const e of own) invalid.add(e.instancePath);
    // A layer missing an option its (rejected) default was to give: the default's error says it already.
    const reported = own.filter((e) => !(e.keyword === 'required' && rejectedDefaultOf(data, e.instancePath, String(e.params['missingProperty']), rejectedDefaults)));
    diagnostics.unshift(...schemaDiagnostics(spec, reported, [], renames));
    for (const { slots: moved } of renames.values()) for (const [at, slot] of moved) slots.set(at, slot);
    // A layer whose only errors are misspelled keys is read with them renamed: its values are checked as the options they mean.
    for (const layer of new Set([...renames.keys()].map((p) => p.slice(0, p.lastIndexOf('/'))))) {
      const only = own.filter((e) => e.instancePath === layer && !structuralKeywords.has(e.keyword)).every((e) => {
        const key = String(e.params['additionalProperty'] ?? e.params['unevaluatedProperty'] ?? '');
        if (e.keyword === 'required') return [...renames].some(([p, r]) => p.startsWith(`${layer}/`) && r.option === e.params['missingProperty']);
        return (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties') && renames.has(`${layer}${pointerOf([key])}`);
      });
      if (only) invalid.delete(layer);
    }
  }
  // Later stages can work on the rest only if the spec has its overall shape.
  const usable = isMapping(spec.data) && isMapping(spec.data['models']) && !invalid.has('') && !invalid.has('/models');
  if (!usable) return { diagnostics };
  const renamed = new Map([...renames].map(([pointer, r]) => [pointer, r.option]));
  return { value: { parsed: spec, exprSlots: slots, defaults, invalid, rejectedDefaults, renamed }, diagnostics };
}
