import type { ErrorObject } from 'ajv';
import { diagnostic, type Diagnostic, type FixEdits } from '../diagnostics/diagnostic.js';
import { oneOf, show } from '../diagnostics/describe.js';
import { closest, didYouMean } from '../diagnostics/suggest.js';
import { foreignActivation, foreignActivationFix, foreignActivationLayers, foreignName, foreignNameFix, isUnavailableActivation } from '../diagnostics/foreign-names.js';
import { fixOrNote } from '../fix/fix-or-note.js';
import { missingVersionFix } from '../fix/version-edit.js';
import { optionEdits } from '../fix/option-edits.js';
import { mappingLayout } from '../resolve/mapping-layout.js';
import { activationLayerFix, missingChannelsFix, wouldRewire } from '../fix/validate-layer-edits.js';
import { pointerOf, pointerToPath, spanAt, type ParsedSpec, type PathSegment } from '../parse/parse-spec.js';
import { idBase, idGenerator } from '../resolve/ids.js';
import { itemKind } from './layer-items.js';
import { discriminatorValues, layerSchemaPointer, layerTypes, optionsOf, propertiesOf, validateCollecting, validatorFor, type ExprSlot, type SchemaObject } from './schema.js';

/** The data at a path. */
function dataAt(data: unknown, path: readonly PathSegment[]): unknown {
  let value = data;
  for (const segment of path) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[String(segment)] : undefined;
  return value;
}

/** The path of the innermost layer mapping that contains `path`, if any. */
function layerPath(path: readonly PathSegment[]): PathSegment[] | undefined {
  for (let i = path.length - 2; i >= 0; i--) {
    if (path[i] === 'layers' && /^\d+$/.test(String(path[i + 1]))) return path.slice(0, i + 2);
  }
  return undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The id resolve will generate for an unnamed layer (`dense_2`, src/resolve/ids.ts), so
 * messages name it as every later one does. Known only for a model's own layer list
 * without repeat blocks or `{expr}` ids, whose ids resolve does not change.
 */
function generatedId(data: unknown, path: readonly PathSegment[]): string | undefined {
  if (path.length !== 4 || path[0] !== 'models' || path[2] !== 'layers') return undefined;
  const model = dataAt(data, path.slice(0, 2));
  if (!isRecord(model)) return undefined;
  const layers = model['layers'];
  const inputs = isRecord(model['inputs']) ? Object.keys(model['inputs']) : [];
  if (!Array.isArray(layers) || !layers.every((l) => isRecord(l) && itemKind(l) !== 'repeat' && typeof l['type'] === 'string')) return undefined;
  const written = (l: Record<string, unknown>) => l['id'] ?? l['name'];
  const explicit = (layers as Record<string, unknown>[]).map(written).filter((id) => id !== undefined);
  if (!explicit.every((id) => typeof id === 'string' && !id.includes('{'))) return undefined;
  const next = idGenerator(new Set([...inputs, ...(explicit as string[])]));
  let id: string | undefined;
  for (const layer of (layers as Record<string, unknown>[]).slice(0, Number(path[3]) + 1)) {
    id = written(layer) === undefined ? next(layer['type'] as string, idBase(layer['type'], layer)) : undefined;
  }
  return id;
}

/** The id of the layer at `path`: the one it writes, else the one resolve will generate; undefined when not known yet. */
function layerId(data: unknown, path: readonly PathSegment[]): string | undefined {
  const layer = dataAt(data, path);
  const written = isRecord(layer) ? (layer['id'] ?? layer['name']) : undefined;
  if (written !== undefined) return typeof written === 'string' && !written.includes('{') ? written : undefined;
  return generatedId(data, path);
}

function layerName(data: unknown, path: readonly PathSegment[]): string {
  const layer = dataAt(data, path);
  const fields = layer !== null && typeof layer === 'object' ? (layer as Record<string, unknown>) : {};
  if (itemKind(layer) === 'repeat') return `repeat block #${Number(path[path.length - 1]) + 1}`;
  const given = typeof fields['id'] === 'string' ? fields['id'] : typeof fields['name'] === 'string' ? fields['name'] : generatedId(data, path);
  const id = given !== undefined ? `'${given}' ` : '';
  const type = typeof fields['type'] === 'string' ? fields['type'] : `#${Number(path[path.length - 1]) + 1}`;
  return `layer ${id}(${type})`;
}

/** What a user calls the thing at a path: `layer 'up1' (conv2dTranspose)`, `'strides' of layer ...`, `model 'generator'`. */
function subject(data: unknown, path: readonly PathSegment[]): string {
  const layer = layerPath(path);
  if (layer) return layer.length === path.length ? layerName(data, layer) : `'${path.slice(layer.length).join('.')}' of ${layerName(data, layer)}`;
  if (path.length === 2 && path[0] === 'models') return `model '${String(path[1])}'`;
  if (path.length === 0) return 'the spec';
  return `'${path.join('.')}'`;
}

const typeWords: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  array: 'a list',
  object: 'a mapping',
  null: 'null',
  boolean: 'true or false',
};

/** What the failing errors at one path expected, in words. */
function expectations(errors: readonly ErrorObject[]): string[] {
  const words: string[] = [];
  for (const e of errors) {
    const parent = e.parentSchema as SchemaObject | undefined;
    switch (e.keyword) {
      case 'type': {
        const types = ([] as string[]).concat(e.params['type'] as string | string[]);
        for (const t of types) {
          words.push(t === 'string' && parent?.['x-expr'] ? 'an expression' : t === 'string' && parent?.['pattern'] ? 'an identifier' : typeWords[t] ?? t);
        }
        break;
      }
      case 'enum':
        words.push(`one of ${oneOf((e.params['allowedValues'] as unknown[]).map(String))}`);
        break;
      case 'const':
        words.push(show(e.params['allowedValue']));
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum': {
        const op = { minimum: '>=', maximum: '<=', exclusiveMinimum: '>', exclusiveMaximum: '<' }[e.keyword];
        words.push(`a value ${op} ${String(e.params['limit'])}`);
        break;
      }
      case 'minItems':
      case 'maxItems': {
        const min = parent?.['minItems'] as number | undefined;
        const max = parent?.['maxItems'] as number | undefined;
        words.push(min !== undefined && min === max ? `a list of ${min}` : min !== undefined && max !== undefined ? `a list of ${min} to ${max}` : e.keyword === 'minItems' ? `at least ${min} item${min === 1 ? '' : 's'}` : `at most ${max} items`);
        break;
      }
      case 'uniqueItems': {
        const [i, j] = [e.params['i'] as number, e.params['j'] as number].sort((a, b) => a - b);
        words.push(`a list without repeats (items ${i! + 1} and ${j! + 1} are the same)`);
        break;
      }
      case 'minLength':
        words.push('a non-empty string');
        break;
      case 'minProperties':
        words.push('a non-empty mapping');
        break;
      case 'pattern':
        words.push('an identifier (letters, digits and _, not starting with a digit)');
        break;
      default:
        words.push(e.message ?? e.keyword);
    }
  }
  return [...new Set(words)];
}

/**
 * The layer type an unknown one becomes: the foreign framework's equivalent
 * when that is a netspec layer type, else the did-you-mean match. Undefined
 * when the fix is advice (no such layer yet, or an option of another layer).
 */
export function suggestedType(given: string, allowed: readonly string[], foreign: boolean): string | undefined {
  if (foreign) {
    const found = foreignName(given);
    return found && !found.option && allowed.includes(found.type) && found.type !== 'activation' ? found.type : undefined;
  }
  return closest(given, allowed);
}

/**
 * The errors in a value as it would have them as option `option` of a `type` layer,
 * located where it is written (`path`, whose last key may be spelled otherwise:
 * `kernel_size` checked as `kernelSize`). A misspelled key or an unknown type is one
 * mistake; what its value holds is another, reported in the same run.
 */
function valueErrors(spec: ParsedSpec, type: string, option: string, value: unknown, path: readonly PathSegment[]): Diagnostic[] {
  const validate = validatorFor(layerSchemaPointer(type));
  if (validate({ type, [option]: value })) return [];
  const own = (validate.errors ?? []).filter((e) => e.instancePath === `/${option}` || e.instancePath.startsWith(`/${option}/`));
  const written = String(path[path.length - 1]).replace(/~/g, '~0').replace(/\//g, '~1');
  return schemaDiagnostics(spec, own.map((e) => ({ ...e, instancePath: `/${written}${e.instancePath.slice(option.length + 1)}` })), path.slice(0, -1));
}

/**
 * A misspelled key read as the option it means (`kernel_size` as `kernelSize`), so that later stages
 * check its value in the same run: evaluate its expression, compare it with the other options.
 * `slots` are the option's expression slots, at the written key's pointer.
 */
export interface RenamedOption {
  readonly option: string;
  readonly slots: ReadonlyMap<string, ExprSlot>;
}

/** The slots of `value` as option `option` of a `type` layer, moved to `pointer`; undefined when it is not valid there. */
function renamedSlots(type: string, option: string, value: unknown, pointer: string): ReadonlyMap<string, ExprSlot> | undefined {
  const validate = validatorFor(layerSchemaPointer(type));
  const { valid, slots } = validateCollecting(validate, { type, [option]: value });
  const prefix = `/${option}`;
  // The layer's other required options are missing from this one-option layer: only the option's own errors count.
  const own = (e: ErrorObject) => e.instancePath === prefix || e.instancePath.startsWith(`${prefix}/`) || e.params['unevaluatedProperty'] === option || e.params['additionalProperty'] === option;
  if (!valid && (validate.errors ?? []).some(own)) return undefined;
  return new Map([...slots].filter(([p]) => p === prefix || p.startsWith(`${prefix}/`)).map(([p, slot]) => [pointer + p.slice(prefix.length), slot]));
}

/** The option values of a layer of unknown type, checked as the type its fix suggests would check them. */
function optionErrorsAs(spec: ParsedSpec, layer: unknown, type: string, path: readonly PathSegment[]): Diagnostic[] {
  if (!isRecord(layer) || !layerTypes.includes(type)) return [];
  const options = new Set(optionsOf(type));
  return Object.entries(layer).flatMap(([key, value]) => (key !== 'type' && options.has(key) ? valueErrors(spec, type, key, value, [...path, key]) : []));
}

/** PyTorch's `Tanh` layer as netspec's `{ type: activation, activation: tanh }`: the type and the option it needs, in one fix. */
function activationTypeFix(spec: ParsedSpec, path: readonly PathSegment[], given: string): FixEdits[] | undefined {
  const found = foreignName(given);
  const activation = found?.type === 'activation' ? /`activation: (\w+)`/.exec(found.also ?? '')?.[1] : undefined;
  const mapping = mappingLayout(spec, path);
  if (activation === undefined || !mapping || mapping.entries.some((e) => e.key === 'activation')) return undefined;
  const option = optionEdits({ mapping, span: spanAt(spec, path), args: {} }, [{ option: 'activation', value: activation }]);
  if (!option) return undefined;
  return [{ description: `change the type '${given}' to \`activation\` with \`activation: ${activation}\``, edits: [{ span: spanAt(spec, [...path, 'type']), newText: 'activation' }, ...option] }];
}

/** `tf.nn.conv_transpose` names for the data formats. */
const tfNames: Readonly<Record<string, string>> = {
  NWC: 'channelsLast',
  NHWC: 'channelsLast',
  NDHWC: 'channelsLast',
  NCW: 'channelsFirst',
  NCHW: 'channelsFirst',
  NCDHW: 'channelsFirst',
};

/** `strides: [1, 2, 2, 1]` is the `tf.nn` form, with the batch and channel axes; netspec lists the spatial axes only. */
function withoutBatchAndChannels(errors: readonly ErrorObject[], value: unknown): string | undefined {
  const tooLong = errors.find((e) => e.keyword === 'maxItems');
  if (!tooLong || !Array.isArray(value)) return undefined;
  const axes = (tooLong.parentSchema as SchemaObject)['maxItems'] as number;
  if (value.length !== axes + 2 || value[0] !== 1 || value[value.length - 1] !== 1) return undefined;
  return `this looks like the tf.nn form with batch and channel entries; write the spatial entries only: ${show(value.slice(1, -1))}`;
}

/** The fix that writes `newText` in place of the key (`part: 'key'`) or the value at `path`. */
function replaceAt(spec: ParsedSpec, path: readonly PathSegment[], part: 'key' | 'value', newText: string, description: string): FixEdits[] {
  return [{ description, edits: [{ span: spanAt(spec, path, part), newText }] }];
}

/** `[1, 2, 2, 1]` -> `[2, 2]`, the value `withoutBatchAndChannels` suggests, in flow style. */
function spatialEntries(errors: readonly ErrorObject[], value: unknown): string | undefined {
  if (withoutBatchAndChannels(errors, value) === undefined || !Array.isArray(value) || !value.every((v) => typeof v === 'number')) return undefined;
  return `[${value.slice(1, -1).join(', ')}]`;
}

/** A renamed value (`silu` -> `swish`), or an activation moved into a layer of its own after this one (alternatives when it has options to choose). */
function foreignFixes(spec: ParsedSpec, path: readonly PathSegment[], value: string): FixEdits[] {
  const renamed = foreignActivation(value);
  if (renamed !== undefined) return replaceAt(spec, path, 'value', renamed, `change ${show(value)} to '${renamed}'`);
  const layers = foreignActivationLayers(value) ?? [];
  const layer = layerPath(path);
  if (!layer || layer.length !== path.length - 1) return [];
  const fixes = layers.flatMap((l) => {
    const type = /type: (\w+)/.exec(l.layer)![1]!;
    return activationLayerFix(spec, layer, l.layer, l.description, wouldRewire(spec, layer, layerId(spec.data, layer), type)) ?? [];
  });
  return fixes.length === layers.length ? fixes : [];
}

/** The did-you-mean value, or the spatial entries of a tf.nn form. */
function valueFix(spec: ParsedSpec, path: readonly PathSegment[], errors: readonly ErrorObject[], value: unknown, hint: string | undefined): FixEdits[] {
  const replacement = hint ?? spatialEntries(errors, value);
  return replacement !== undefined ? replaceAt(spec, path, 'value', replacement, `change ${show(value)} to ${replacement.startsWith('[') ? replacement : `'${replacement}'`}`) : [];
}

const structural = new Set(['if', 'then', 'else', 'anyOf', 'oneOf', 'allOf', 'not']);

/**
 * Turns ajv's raw error list into one diagnostic per problem and YAML node:
 * unknown options and types get "did you mean", combinator noise is dropped,
 * and alternative expectations at one node merge into one message.
 */
export function schemaDiagnostics(spec: ParsedSpec, errors: readonly ErrorObject[], base: readonly PathSegment[] = [], renamed?: Map<string, RenamedOption>): Diagnostic[] {
  const data = spec.data;
  const diagnostics: Diagnostic[] = [];
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    if (structural.has(e.keyword)) continue;
    const list = byPath.get(e.instancePath) ?? [];
    list.push(e);
    byPath.set(e.instancePath, list);
  }
  // The pointers that have an error below them: every proper prefix of an error's pointer.
  const containing = new Set<string>();
  for (const pointer of byPath.keys()) {
    for (let at = pointer; at !== ''; ) {
      at = at.slice(0, at.lastIndexOf('/'));
      if (containing.has(at)) break; // and so are its own prefixes
      containing.add(at);
    }
  }
  for (const [pointer, list] of byPath) {
    const path = [...base, ...pointerToPath(pointer)];
    const value = dataAt(data, path);
    const rest: ErrorObject[] = [];
    for (const e of list) {
      const parent = e.parentSchema as SchemaObject;
      if (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties') {
        const key = String(e.params['additionalProperty'] ?? e.params['unevaluatedProperty']);
        const allowed = Object.keys(propertiesOf(parent)).filter((k) => k !== 'type');
        // In a flow mapping `{ units: max(1, n) }` YAML splits the expression at its comma.
        const splitExpression = /[()*+/]/.test(key);
        const match = splitExpression ? undefined : closest(key, allowed);
        const hint = splitExpression ? 'an expression with a comma inside `{ }` must be quoted, e.g. `units: "max(1, n)"`' : match && `did you mean '${match}'?`;
        diagnostics.push(
          // The rename is the fix; the list of options, or how to quote a split expression, is advice.
          diagnostic('NS2002', spanAt(spec, [...path, key], 'key'), `unknown option '${key}' for ${subject(data, path)}`, fixOrNote(hint ?? `allowed: ${allowed.join(', ')}`, match ? replaceAt(spec, [...path, key], 'key', match, `rename '${key}' to '${match}'`) : undefined)),
        );
        const layerType = isRecord(value) ? value['type'] : undefined;
        if (match && typeof layerType === 'string' && layerTypes.includes(layerType) && layerPath(path)?.length === path.length) {
          const given = (value as Record<string, unknown>)[key];
          const found = valueErrors(spec, layerType, match, given, [...path, key]);
          diagnostics.push(...found);
          const slots = found.length === 0 && !Object.hasOwn(value as object, match) ? renamedSlots(layerType, match, given, pointerOf([...path, key])) : undefined;
          if (slots) renamed?.set(pointerOf([...path, key]), { option: match, slots });
        }
      } else if (e.keyword === 'required') {
        const key = String(e.params['missingProperty']);
        // `kernel_size` given, `kernelSize` missing: one mistake, reported once as the misspelling.
        const misspelled = list.some((u) => (u.keyword === 'unevaluatedProperties' || u.keyword === 'additionalProperties') && closest(String(u.params['unevaluatedProperty'] ?? u.params['additionalProperty']), [key]) === key);
        if (misspelled) continue;
        // A value the spec itself says (the channels of a declared output) is a fix; without one, what to add is advice.
        const filled = path.length === 0 && key === 'netspec' ? missingVersionFix(spec) : layerPath(path)?.length === path.length ? missingChannelsFix(spec, path, key, layerId(data, path)) : undefined;
        const add = filled ? { fix: filled.description, fixes: [filled] } : { notes: [{ message: `add \`${key}:\`` }] };
        diagnostics.push(diagnostic('NS2004', spanAt(spec, path), `${subject(data, path)} is missing required option '${key}'`, add));
      } else if (e.keyword === 'discriminator') {
        const tag = String(e.params['tag']);
        const given = dataAt(value, [tag]);
        if (given === undefined) continue; // a missing `type` is reported once, by `required`
        const allowed = discriminatorValues(parent, tag);
        if (layerPath(path)?.length === path.length) {
          // A name from PyTorch or Keras gets the type that means the same, never a lookalike that computes something else.
          const foreign = typeof given === 'string' ? foreignNameFix(given, allowed, optionsOf('dense')) : undefined;
          const hint = typeof given === 'string' ? (foreign ?? didYouMean(given, allowed)) : undefined;
          const type = typeof given === 'string' ? suggestedType(given, allowed, foreign !== undefined) : undefined;
          diagnostics.push(
            // A type to write instead is the fix; a list of types, or a foreign name netspec has no layer for, is advice.
            diagnostic('NS2003', spanAt(spec, [...path, tag]), `unknown layer type ${show(given)}`, fixOrNote(hint ?? `use one of: ${allowed.join(', ')}`, type ? replaceAt(spec, [...path, tag], 'value', type, `change the type '${String(given)}' to '${type}'`) : typeof given === 'string' ? activationTypeFix(spec, path, given) : undefined)),
          );
          if (type) diagnostics.push(...optionErrorsAs(spec, value, type, path));
        } else {
          const hint = typeof given === 'string' ? closest(given, allowed) : undefined;
          diagnostics.push(
            diagnostic(
              'NS2005',
              spanAt(spec, [...path, tag]),
              `unknown ${String(path[path.length - 1])} type ${show(given)}; expected ${oneOf(allowed)}`,
              hint ? { fix: `did you mean '${hint}'?`, fixes: replaceAt(spec, [...path, tag], 'value', hint, `change '${String(given)}' to '${hint}'`) } : {},
            ),
          );
        }
      } else {
        rest.push(e);
      }
    }
    // A deeper error means some alternative matched this node's type: the others' complaints are noise.
    const deeper = containing.has(pointer);
    const shallow = rest.filter((e) => !(deeper && (e.keyword === 'type' || e.keyword === 'enum')));
    if (shallow.length === 0) continue;
    if (path.length === 1 && path[0] === 'netspec') {
      diagnostics.push(diagnostic('NS2006', spanAt(spec, path), `unsupported spec version ${show(value)}; this netspec reads version 1`, { fix: 'set `netspec: 1`', fixes: replaceAt(spec, path, 'value', '1', 'set `netspec: 1`') }));
      continue;
    }
    const enums = shallow.filter((e) => e.keyword === 'enum').flatMap((e) => (e.params['allowedValues'] as unknown[]).map(String));
    const alias = typeof value === 'string' ? tfNames[value] : undefined;
    const hint = typeof value === 'string' && enums.length > 0 ? (alias && enums.includes(alias) ? alias : closest(value, enums)) : undefined;
    const code = enums.length > 0 && typeof value === 'string' ? 'NS2005' : 'NS2001';
    const foreign = typeof value === 'string' && path[path.length - 1] === 'activation' ? foreignActivationFix(value) : undefined;
    // Keras defines `causal` for forward convolutions only; a transposed convolution borrowing it gets why, not a lookalike.
    const causal = value === 'causal' && enums.length > 0 ? `causal padding exists only for forward convolutions (Keras Conv1D); use ${oneOf(enums)}` : undefined;
    const message = `${subject(data, path)} must be ${oneOf(expectations(shallow), false)}; received ${show(value)}`;
    if (foreign !== undefined && isUnavailableActivation(value as string)) {
      // News, not a fix: there is nothing to write instead.
      diagnostics.push(diagnostic(code, spanAt(spec, path), message, { notes: [{ message: foreign }] }));
      continue;
    }
    const fix = foreign ?? causal ?? (hint ? `did you mean '${hint}'?` : withoutBatchAndChannels(shallow, value));
    const fixes = foreign !== undefined ? foreignFixes(spec, path, value as string) : causal !== undefined ? enums.flatMap((v) => replaceAt(spec, path, 'value', v, `change 'causal' to '${v}'`)) : valueFix(spec, path, shallow, value, hint);
    // A fix is only what its edits do; where they cannot be written here, the same words are advice.
    diagnostics.push(diagnostic(code, spanAt(spec, path), message, fix ? (fixes.length > 0 ? { fix, fixes } : { notes: [{ message: fix }] }) : {}));
  }
  return diagnostics;
}
