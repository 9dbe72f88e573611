/**
 * `netspec import`: a tfjs Layers or Keras model.json as a netspec spec, and
 * its weights (when their files are given) as .npy files the spec names
 * under `weights:`. Pure: the file's text and the weight files' bytes in,
 * the spec's text, the files to write beside it, and diagnostics out.
 */
import { diagnostic, hasErrors, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { SourceFile } from '../ir.js';
import type { PathSegment } from '../parse/parse-spec.js';
import { validatorFor } from '../validate/schema.js';
import { convertArguments, isObject, type Json, type JsonObject } from './arguments.js';
import { isDefault } from './defaults.js';
import { readForm, type ManifestGroup } from './forms.js';
import { callsOf, endpoints } from './graph.js';
import { readJsonDocument, type JsonDocument } from './json-document.js';
import { isRuntimeClass, knownClasses, layerTypeOf, modelClasses } from './layer-types.js';
import { decodeWeights } from './weights.js';
import { writeSpec, type SpecModel } from './write-yaml.js';

export interface ImportOptions {
  /** The weight files' bytes by the path `weightsManifest` names them with (relative to model.json). Without them no weights are imported. */
  readonly weightData?: ReadonlyMap<string, Uint8Array>;
  /** Where the spec will be written, `/`-separated: names the spec (its stem) and the folder of its .npy files. */
  readonly specPath?: string;
}

export interface ImportedSpec {
  readonly spec: string;
  /** Files to write, relative to the spec's folder, as its `weights:` name them. */
  readonly weightFiles: readonly { readonly path: string; readonly bytes: Uint8Array }[];
}

const mergeTypes = new Set(['concatenate', 'add', 'multiply', 'subtract', 'average', 'maximum', 'minimum']);
const reservedNames = new Set(['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

/** A tfjs/Keras name as a spec identifier (a letter first, then letters, digits and _), unique among `taken`. */
function identifier(name: string, taken: Set<string>): string {
  let id = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z]/.test(id)) id = `l${id}`;
  if (reservedNames.has(id)) id = `${id}_`;
  let unique = id;
  for (let n = 2; taken.has(unique); n++) unique = `${id}_${n}`;
  taken.add(unique);
  return unique;
}

const bareClass = (name: string) => name.split('.').pop()!;

interface Placed {
  readonly model: string;
  readonly layer: Record<string, Json>;
}

class Importer {
  readonly diagnostics: Diagnostic[] = [];
  readonly models: SpecModel[] = [];
  readonly modelNames = new Set<string>();
  /**
   * Layers by their tfjs/Keras name, for the weights (named `layer/weight`). Two
   * models used as layers may each have a `batchNormalization_1`: the names are
   * listed in import order, which is the manifest's (tfjs saves a model's weights
   * before the next one's), and a weight goes to the first of them without it.
   */
  readonly byName = new Map<string, Placed[]>();

  constructor(readonly doc: JsonDocument) {}

  error(code: Diagnostic['code'], path: readonly PathSegment[], message: string, fix?: string, part: 'key' | 'value' = 'value'): void {
    this.diagnostics.push(diagnostic(code, this.doc.spanAt(path, part), message, fix ? { fix } : {}));
  }

  /** An input's declaration from an InputLayer's config or a first layer's batch_input_shape. */
  inputOf(config: JsonObject, path: readonly PathSegment[]): Json | undefined {
    const batchShape = config['batch_input_shape'] ?? config['batch_shape'];
    if (!Array.isArray(batchShape) || batchShape.length < 1) {
      this.error('NS6003', path, 'the input has no batch_input_shape (batch_shape in Keras 3)', 'build the model with an input shape (tf.input, or inputShape on the first layer) before saving it');
      return undefined;
    }
    const dtypeValue = config['dtype'];
    const dtype = isObject(dtypeValue) && isObject(dtypeValue['config']) ? dtypeValue['config']['name'] : (dtypeValue ?? 'float32');
    if (dtype !== 'float32' && dtype !== 'int32') {
      this.error('NS6003', [...path, 'dtype'], `input dtype ${JSON.stringify(dtype)} is not supported; inputs are float32 or int32`);
      return undefined;
    }
    const shape = batchShape.slice(1);
    const batch = batchShape[0];
    if (dtype === 'float32' && (batch === null || batch === undefined)) return shape;
    return { shape, ...(typeof batch === 'number' ? { batchSize: batch } : {}), ...(dtype === 'int32' ? { dtype } : {}) };
  }

  /** One layer's spec entry (without `from`), or undefined after reporting why it cannot be one. */
  layer(layer: JsonObject, path: readonly PathSegment[], ids: Set<string>): { entry: Record<string, Json>; name: string } | undefined {
    const className = typeof layer['class_name'] === 'string' ? bareClass(layer['class_name']) : undefined;
    const config = isObject(layer['config']) ? layer['config'] : {};
    const name = typeof config['name'] === 'string' ? config['name'] : typeof layer['name'] === 'string' ? layer['name'] : className ?? 'layer';
    if (!className) return this.error('NS6001', path, 'a layer needs a class_name'), undefined;
    if (modelClasses.has(className)) {
      const model = this.model(layer, path);
      if (!model) return undefined;
      const id = identifier(name, ids);
      return { entry: { type: 'model', ...(id !== model ? { id } : {}), model, ...(config['trainable'] === false ? { trainable: false } : {}) }, name };
    }
    const type = layerTypeOf(className, config);
    if (!type) {
      const lambda = className === 'Lambda' || className === 'TFOpLambda' || className === 'SlicingOpLambda';
      const near = didYouMean(className, knownClasses);
      this.error('NS6002', [...path, 'class_name'], `layer '${name}' is a ${className}, which netspec cannot import`, lambda ? 'a Lambda layer runs code that the JSON does not hold; replace it with layers netspec knows (docs/import.md) or write that part of the spec by hand' : near ? `${near}` : 'see docs/import.md for the classes netspec imports');
      return undefined;
    }
    const runtime = isRuntimeClass(className);
    const { options, unsupported } = convertArguments(type, config, runtime);
    for (const u of unsupported) this.error('NS6003', [...path, 'config', ...u.path], `layer '${name}' (${className}): ${u.message}`, u.fix, u.path.length === 1 ? 'key' : 'value');
    if (unsupported.length > 0) return undefined;
    for (const [option, value] of Object.entries(options)) if (isDefault(type, option, value, options)) delete options[option];
    const entry: Record<string, Json> = { type, id: identifier(name, ids), ...options };
    const validate = validatorFor(`/$defs/${type}`);
    if (!validate(entry)) {
      const bad = validate.errors?.find((e) => e.instancePath !== '') ?? validate.errors?.[0];
      const option = bad?.instancePath.split('/')[1];
      const key = option ? Object.keys(config).find((k) => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) === option) : undefined;
      this.error('NS6003', [...path, 'config', ...(key ? [key] : [])], `layer '${name}' (${className}): ${option ? `${option} ` : ''}${bad?.message ?? 'has options netspec does not accept'}${option ? ` (${JSON.stringify(entry[option])})` : ''}`, 'change the argument in the source model to a value docs/spec-format.md lists');
      return undefined;
    }
    return { entry, name };
  }

  /** A Sequential, Functional or Model as a spec model; returns its name. */
  model(model: JsonObject, path: readonly PathSegment[]): string | undefined {
    const className = bareClass(String(model['class_name']));
    if (!modelClasses.has(className)) {
      this.error('NS6001', [...path, 'class_name'], `the model is a ${className}; netspec imports Sequential, Functional and Model`);
      return undefined;
    }
    const config = model['config'];
    const layers = Array.isArray(config) ? config : isObject(config) && Array.isArray(config['layers']) ? config['layers'] : undefined;
    const layersPath = Array.isArray(config) ? [...path, 'config'] : [...path, 'config', 'layers'];
    if (!layers) return this.error('NS6001', [...path, 'config'], 'the model config has no layers list'), undefined;
    const modelName = identifier(isObject(config) && typeof config['name'] === 'string' ? config['name'] : 'model', this.modelNames);
    return className === 'Sequential' ? this.sequential(modelName, layers, layersPath) : this.functional(modelName, config as JsonObject, layers, layersPath, path);
  }

  sequential(modelName: string, layers: Json[], path: PathSegment[]): string | undefined {
    const ids = new Set<string>();
    const inputs: Record<string, Json> = {};
    const entries: Record<string, Json>[] = [];
    let start = 0;
    const first = layers[0];
    if (!isObject(first)) return this.error('NS6001', path, 'the Sequential model has no layers'), undefined;
    const firstConfig = isObject(first['config']) ? first['config'] : {};
    const firstIsInput = first['class_name'] === 'InputLayer';
    const input = this.inputOf(firstConfig, [...path, 0, 'config']);
    if (input === undefined) return undefined;
    const inputName = firstIsInput && typeof firstConfig['name'] === 'string' ? firstConfig['name'] : `${typeof firstConfig['name'] === 'string' ? firstConfig['name'] : 'model'}_input`;
    inputs[identifier(inputName, ids)] = input;
    if (firstIsInput) start = 1;
    for (let i = start; i < layers.length; i++) {
      const layer = layers[i];
      if (!isObject(layer)) continue;
      const made = this.layer(layer, [...path, i], ids);
      if (made) this.place(modelName, made, entries);
    }
    this.models.push({ name: modelName, inputs, layers: entries });
    return modelName;
  }

  place(model: string, made: { entry: Record<string, Json>; name: string }, entries: Record<string, Json>[]): void {
    entries.push(made.entry);
    this.byName.set(made.name, [...(this.byName.get(made.name) ?? []), { model, layer: made.entry }]);
  }

  functional(modelName: string, config: JsonObject, layers: Json[], path: PathSegment[], modelPath: readonly PathSegment[]): string | undefined {
    const ids = new Set<string>();
    const idOf = new Map<string, string>();
    const inputs: Record<string, Json> = {};
    const entries: Record<string, Json>[] = [];
    const modelLayers = new Set<string>();
    const nameOf = (layer: JsonObject, i: number) => (typeof layer['name'] === 'string' ? layer['name'] : String((isObject(layer['config']) ? layer['config']['name'] : undefined) ?? `layer_${i}`));
    // Inputs first: tfjs may list an input after layers that read another one, and `from` defaults depend on how many there are.
    for (const [i, layer] of layers.entries()) {
      if (!isObject(layer) || layer['class_name'] !== 'InputLayer') continue;
      const input = this.inputOf(isObject(layer['config']) ? layer['config'] : {}, [...path, i, 'config']);
      if (input === undefined) continue;
      const id = identifier(nameOf(layer, i), ids);
      idOf.set(nameOf(layer, i), id);
      inputs[id] = input;
    }
    for (const [i, layer] of layers.entries()) {
      if (!isObject(layer) || layer['class_name'] === 'InputLayer') continue;
      const name = nameOf(layer, i);
      const calls = callsOf(layer['inbound_nodes']);
      if ('error' in calls) {
        this.error('NS6004', [...path, i, ...calls.error.path], calls.error.message);
        continue;
      }
      if (calls.calls.length !== 1) {
        this.error('NS6004', [...path, i, 'inbound_nodes'], `layer '${name}' is called ${calls.calls.length} times; a spec layer is called once`, 'give each call its own layer in the source model');
        continue;
      }
      const refs = calls.calls[0]!;
      const from: string[] = [];
      let ok = true;
      for (const ref of refs) {
        const id = idOf.get(ref.layer);
        // A model used as a layer has a node of its own construction first: its call here may be any node.
        if (id === undefined || (ref.node !== 0 && !modelLayers.has(ref.layer)) || ref.tensor !== 0) {
          this.error('NS6004', [...path, i, ...ref.path], id === undefined ? `layer '${name}' reads '${ref.layer}', which is not an earlier layer or input of the model` : `layer '${name}' reads call ${ref.node}, output ${ref.tensor} of '${ref.layer}'; a spec layer reads the only call and output of a layer`);
          ok = false;
        } else from.push(id);
      }
      const made = ok ? this.layer(layer, [...path, i], ids) : undefined;
      if (!made) continue;
      idOf.set(name, String(made.entry['id'] ?? made.entry['model']));
      const previous = entries.length > 0 ? String(entries[entries.length - 1]!['id'] ?? entries[entries.length - 1]!['model']) : Object.keys(inputs).length === 1 ? Object.keys(inputs)[0] : undefined;
      const type = String(made.entry['type']);
      const implicit = from.length === 1 && from[0] === previous && !mergeTypes.has(type);
      if (!implicit) made.entry = withFrom(made.entry, from.length === 1 && !mergeTypes.has(type) ? from[0]! : from);
      this.place(modelName, made, entries);
      if (made.entry['type'] === 'model') modelLayers.add(name);
    }
    const outs = endpoints(config['output_layers']);
    const lastId = entries.length > 0 ? String(entries[entries.length - 1]!['id'] ?? entries[entries.length - 1]!['model']) : undefined;
    const outIds = outs.map((o) => idOf.get(o.layer));
    // An output whose layer could not be imported is already reported there.
    if (!hasErrors(this.diagnostics) && outs.some((o, k) => outIds[k] === undefined || o.tensor !== 0)) {
      this.error('NS6004', [...modelPath, 'config', 'output_layers'], 'an output names a layer the model does not define, or a second output of a layer');
    }
    const outputs = outIds.length === 1 && outIds[0] === lastId ? undefined : Object.fromEntries(outIds.filter((id): id is string => id !== undefined).map((id) => [id, null]));
    this.models.push({ name: modelName, inputs, layers: entries, ...(outputs ? { outputs } : {}) });
    return modelName;
  }
}

/** `from` placed after `type` and `id`, as a person writes it. */
function withFrom(entry: Record<string, Json>, from: Json): Record<string, Json> {
  const { type, id, model, ...rest } = entry;
  return { type: type!, ...(id !== undefined ? { id } : {}), ...(model !== undefined ? { model } : {}), from, ...rest };
}

function specName(options: ImportOptions, fallback: string): string {
  const stem = options.specPath?.split('/').pop()?.replace(/\.ya?ml$/, '');
  return stem && /^[A-Za-z_][A-Za-z0-9_]*$/.test(stem) && !reservedNames.has(stem) ? stem : fallback;
}

/** Imports a model.json (tfjs `model.save`, tfjs `model.toJSON()`, Keras `to_json()`) as a spec. */
export function importModel(source: SourceFile, options: ImportOptions = {}): Result<ImportedSpec> {
  const read = readJsonDocument(source);
  if (!read.value) return { diagnostics: read.diagnostics };
  const doc = read.value;
  const form = readForm(doc.value);
  if ('error' in form) return { diagnostics: [diagnostic('NS6001', doc.spanAt(form.path), form.error, { fix: 'import the model.json that model.save, model.toJSON() or Keras model.to_json() wrote' })] };
  const importer = new Importer(doc);
  const root = importer.model(form.model, form.path);
  if (root === undefined || hasErrors(importer.diagnostics)) return { diagnostics: importer.diagnostics };
  const name = specName(options, root);
  const stem = options.specPath?.split('/').pop()?.replace(/\.ya?ml$/, '') ?? name;
  const weightFiles = form.manifest && options.weightData ? decodeWeights(importer, form.manifest as ManifestGroup[], options.weightData, `${stem}-weights`) : [];
  if (hasErrors(importer.diagnostics)) return { diagnostics: importer.diagnostics };
  // The model a user imported comes first; the models it uses as layers follow.
  const models = [...importer.models].sort((a, b) => (a.name === root ? -1 : b.name === root ? 1 : 0));
  const header = `Imported by \`netspec import\` from ${source.path.split('/').pop()} (${form.form === 'saved' ? 'tfjs model.save' : form.form === 'toJSON' ? 'tfjs model.toJSON()' : 'Keras model.to_json()'}).`;
  return { value: { spec: writeSpec(name, models, header), weightFiles }, diagnostics: importer.diagnostics };
}

export type { Importer };
