import { diagnostic, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { spanAt, type ParsedSpec } from '../parse/parse-spec.js';
import { schemaDiagnostics } from './errors.js';
import { layerTypes, optionsOf, validateCollecting, validatorFor, type ExprSlot } from './schema.js';

/** A spec that matches schemas/netspec.schema.json. */
export interface ValidatedSpec {
  readonly parsed: ParsedSpec;
  /** Where expressions may stand (JSON pointers into the data), with their kind and bounds. */
  readonly exprSlots: ReadonlyMap<string, ExprSlot>;
  /** For each layer type, the defaults that apply to it: option -> JSON pointer of the default's value. */
  readonly defaults: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

type Defaults = Record<string, unknown>;

/** The layer types that accept an option, e.g. `dataFormat` -> every conv, pooling, padding... */
function typesWithOption(option: string): string[] {
  return layerTypes.filter((t) => optionsOf(t).includes(option));
}

/**
 * Defaults are checked against every layer type they apply to, with the same
 * schema as the options themselves, so a bad default is reported once, at the default.
 */
function validateDefaults(spec: ParsedSpec, defaults: Defaults, slots: Map<string, ExprSlot>, applicable: Map<string, Map<string, string>>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const apply = (layerType: string, option: string, pointer: string) => {
    const options = applicable.get(layerType) ?? new Map<string, string>();
    options.set(option, pointer);
    applicable.set(layerType, options);
  };
  const allOptions = new Set(layerTypes.flatMap(optionsOf));
  const check = (layerType: string, option: string, value: unknown, pointer: string): readonly Diagnostic[] => {
    const validate = validatorFor(`/$defs/${layerType}`);
    const { valid, slots: found } = validateCollecting(validate, { type: layerType, [option]: value });
    if (valid) {
      for (const [p, slot] of found) if (p.startsWith(`/${option}`)) slots.set(pointer + p.slice(option.length + 1), slot);
      return [];
    }
    const errors = (validate.errors ?? []).filter((e) => e.instancePath.startsWith(`/${option}`) || (e.keyword === 'unevaluatedProperties' && e.params['unevaluatedProperty'] === option));
    const base = pointer.slice(1).split('/').slice(0, -1);
    return schemaDiagnostics(spec, errors.map((e) => ({ ...e, instancePath: e.instancePath.replace(/^\/[^/]+/, `/${pointer.split('/').pop()!}`) })), base);
  };
  for (const [key, value] of Object.entries(defaults)) {
    const at = `/defaults/${key}`;
    if (layerTypes.includes(key)) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        diagnostics.push(diagnostic('NS3011', spanAt(spec, ['defaults', key]), `defaults for layer type '${key}' must be a mapping of its options`));
        continue;
      }
      for (const [option, v] of Object.entries(value)) {
        if (option === 'type' || !optionsOf(key).includes(option)) {
          const hint = didYouMean(option, optionsOf(key));
          diagnostics.push(diagnostic('NS3011', spanAt(spec, ['defaults', key, option], 'key'), `'${option}' is not an option of ${key}`, hint ? { fix: hint } : {}));
          continue;
        }
        const found = check(key, option, v, `${at}/${option}`);
        diagnostics.push(...found);
        if (found.length === 0) apply(key, option, `${at}/${option}`);
      }
      continue;
    }
    if (key === 'type' || key === 'id' || key === 'name' || key === 'from' || !allOptions.has(key)) {
      const hint = didYouMean(key, [...allOptions, ...layerTypes].filter((k) => !['type', 'id', 'name', 'from'].includes(k)));
      diagnostics.push(diagnostic('NS3011', spanAt(spec, ['defaults', key], 'key'), `'${key}' is neither an option of any layer type nor a layer type`, hint ? { fix: hint } : {}));
      continue;
    }
    // A default applies to every layer type whose schema accepts it; it is an error only if none does.
    const types = typesWithOption(key);
    const perType = types.map((t) => check(t, key, value, at));
    perType.forEach((found, i) => found.length === 0 && apply(types[i]!, key, at));
    if (perType.every((d) => d.length > 0)) diagnostics.push(...perType[0]!);
  }
  return diagnostics;
}

/** Validates a parsed spec against the JSON Schema; every error is located at its YAML node. */
export function validateSpec(spec: ParsedSpec): Result<ValidatedSpec> {
  const validate = validatorFor('');
  const { valid, slots } = validateCollecting(validate, spec.data);
  const diagnostics = valid ? [] : schemaDiagnostics(spec, validate.errors ?? []);
  const data = spec.data as { defaults?: Defaults } | null;
  const defaults = new Map<string, Map<string, string>>();
  if (data && typeof data === 'object' && data.defaults && typeof data.defaults === 'object' && !Array.isArray(data.defaults)) {
    diagnostics.push(...validateDefaults(spec, data.defaults, slots, defaults));
  }
  if (diagnostics.length > 0) return { diagnostics };
  return { value: { parsed: spec, exprSlots: slots, defaults }, diagnostics };
}
