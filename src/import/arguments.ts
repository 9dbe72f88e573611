/**
 * A layer's config (tfjs `getConfig()`, Keras `get_config()`: snake_case keys,
 * Keras objects `{ class_name, config }`) as spec options (camelCase, names
 * and `{ type, ... }` objects, docs/spec-format.md "Weights options").
 */
import type { PathSegment } from '../parse/parse-spec.js';
import { isDefault, optionSchemas, takesExpressions } from './defaults.js';

export const camelCase = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What cannot be expressed: the path (relative to the layer's config) and why, with a fix when there is one. */
export interface Unsupported {
  readonly path: readonly PathSegment[];
  readonly message: string;
  readonly fix?: string;
}

/** A Keras object's class without a package (`keras.initializers.GlorotUniform` -> `GlorotUniform`). */
const bareClass = (name: string) => name.split('.').pop()!;

/** Keras and tfjs activation names -> the spec's (schema `activationName`). */
const activations: Record<string, string> = {
  relu: 'relu', tanh: 'tanh', sigmoid: 'sigmoid', linear: 'linear', elu: 'elu', selu: 'selu', softmax: 'softmax', softplus: 'softplus',
  softsign: 'softsign', relu6: 'relu6', hard_sigmoid: 'hardSigmoid', hardSigmoid: 'hardSigmoid', swish: 'swish', silu: 'swish', mish: 'mish',
  gelu: 'gelu', gelu_new: 'gelu_new',
};

/** Keras / tfjs initializer classes -> the spec's initializer types (tfjs `tf.initializers.<name>`). */
const initializers: Record<string, string> = {
  Zeros: 'zeros', Ones: 'ones', Constant: 'constant', RandomNormal: 'randomNormal', RandomUniform: 'randomUniform', TruncatedNormal: 'truncatedNormal',
  VarianceScaling: 'varianceScaling', GlorotUniform: 'glorotUniform', GlorotNormal: 'glorotNormal', HeNormal: 'heNormal', HeUniform: 'heUniform',
  LecunNormal: 'leCunNormal', LeCunNormal: 'leCunNormal', LecunUniform: 'leCunUniform', LeCunUniform: 'leCunUniform', Orthogonal: 'orthogonal', Identity: 'identity',
  zeros: 'zeros', ones: 'ones', glorot_uniform: 'glorotUniform', glorot_normal: 'glorotNormal', he_normal: 'heNormal', he_uniform: 'heUniform',
  lecun_normal: 'leCunNormal', lecun_uniform: 'leCunUniform', random_normal: 'randomNormal', random_uniform: 'randomUniform', truncated_normal: 'truncatedNormal',
  orthogonal: 'orthogonal', identity: 'identity', uniform: 'randomUniform', normal: 'randomNormal',
};

/**
 * tfjs serializes glorotUniform and the others as VarianceScaling with their
 * parameters (tfjs-layers src/initializers.ts: GlorotUniform is scale 1,
 * fanAvg, uniform; HeNormal scale 2, fanIn, normal; LeCunNormal scale 1,
 * fanIn, normal), so those parameters read back as the name.
 */
const named: [string, number, string, string][] = [
  ['glorotUniform', 1, 'fanAvg', 'uniform'], ['glorotNormal', 1, 'fanAvg', 'normal'], ['heNormal', 2, 'fanIn', 'normal'],
  ['heUniform', 2, 'fanIn', 'uniform'], ['leCunNormal', 1, 'fanIn', 'normal'], ['leCunUniform', 1, 'fanIn', 'uniform'],
];

const enumValue = (v: Json): Json => (typeof v === 'string' ? camelCase(v.replace(/^untruncated_normal$/, 'normal')) : v);

/** Keys camelCased and nulls dropped, recursively (runtime layers' descriptors, initializer configs). */
export function camelKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [camelCase(k), camelKeys(v)]));
}

type Converted = { value?: Json; unsupported?: Unsupported };

function initializer(value: Json, path: PathSegment[]): Converted {
  if (typeof value === 'string') {
    const type = initializers[value] ?? (Object.values(initializers).includes(value) ? value : undefined);
    return type ? { value: type } : { unsupported: { path, message: `initializer '${value}' has no netspec equivalent` } };
  }
  if (!isObject(value) || typeof value['class_name'] !== 'string') return { unsupported: { path, message: 'an initializer must be a name or { class_name, config }' } };
  const cls = bareClass(value['class_name']);
  const type = initializers[cls];
  if (!type) return { unsupported: { path: [...path, 'class_name'], message: `initializer class '${cls}' has no netspec equivalent`, fix: 'use one of the initializers of docs/spec-format.md (glorotUniform, heNormal, randomNormal, ...)' } };
  const config = camelKeys(isObject(value['config']) ? value['config'] : {}) as JsonObject;
  for (const key of ['mode', 'distribution']) if (key in config) config[key] = enumValue(config[key]!);
  if (type === 'varianceScaling') {
    const match = named.find(([, scale, mode, distribution]) => config['scale'] === scale && config['mode'] === mode && config['distribution'] === distribution);
    if (match) {
      delete config['scale'], delete config['mode'], delete config['distribution'];
      return { value: Object.keys(config).length === 0 ? match[0] : { type: match[0], ...config } };
    }
  }
  // Parameters at their defaults (the schema's `init_<type>`, tfjs' own defaults) are left out, as a person would.
  for (const [key, v] of Object.entries(config)) if (isDefault(`init_${type}`, key, v)) delete config[key];
  return { value: Object.keys(config).length === 0 ? type : { type, ...config } };
}

function regularizer(value: Json, path: PathSegment[]): Converted {
  if (typeof value === 'string' && ['l1', 'l2', 'l1l2'].includes(value)) return { value };
  if (isObject(value) && typeof value['class_name'] === 'string') {
    const cls = bareClass(value['class_name']);
    if (['L1L2', 'L1', 'L2', 'l1_l2', 'L1l2'].includes(cls)) {
      const config = isObject(value['config']) ? value['config'] : {};
      const out: JsonObject = {};
      for (const key of ['l1', 'l2']) if (typeof config[key] === 'number' && config[key] !== 0) out[key] = config[key];
      return Object.keys(out).length === 0 ? {} : { value: out };
    }
    return { unsupported: { path: [...path, 'class_name'], message: `regularizer class '${cls}' has no netspec equivalent`, fix: 'use L1, L2 or L1L2' } };
  }
  if (isObject(value) && !('class_name' in value)) return { value: camelKeys(value) };
  return { unsupported: { path, message: 'a regularizer must be { class_name: L1L2, config: { l1, l2 } }' } };
}

const constraints: Record<string, string> = { MaxNorm: 'maxNorm', MinMaxNorm: 'minMaxNorm', NonNeg: 'nonNeg', UnitNorm: 'unitNorm', max_norm: 'maxNorm', min_max_norm: 'minMaxNorm', non_neg: 'nonNeg', unit_norm: 'unitNorm' };

function constraint(value: Json, path: PathSegment[]): Converted {
  if (typeof value === 'string') return constraints[value] ? { value: constraints[value] } : Object.values(constraints).includes(value) ? { value } : { unsupported: { path, message: `constraint '${value}' has no netspec equivalent` } };
  if (isObject(value) && typeof value['class_name'] === 'string') {
    const cls = bareClass(value['class_name']);
    const type = constraints[cls];
    if (!type) return { unsupported: { path: [...path, 'class_name'], message: `constraint class '${cls}' has no netspec equivalent`, fix: 'use MaxNorm, MinMaxNorm, NonNeg or UnitNorm' } };
    const config = camelKeys(isObject(value['config']) ? value['config'] : {}) as JsonObject;
    return { value: Object.keys(config).length === 0 ? type : { type, ...config } };
  }
  if (isObject(value)) return { value: camelKeys(value) };
  return { unsupported: { path, message: 'a constraint must be { class_name, config }' } };
}

function activation(value: Json, path: PathSegment[]): Converted {
  // Keras 3 may write an activation as a serialized function object.
  const name = isObject(value) && typeof value['config'] === 'string' ? value['config'] : value;
  if (typeof name === 'string' && activations[name]) return { value: activations[name] };
  const shown = typeof name === 'string' ? `'${name}'` : JSON.stringify(name);
  return { unsupported: { path, message: `activation ${shown} has no netspec equivalent`, fix: `use one of ${[...new Set(Object.values(activations))].join(', ')}, or a layer (leakyReLU, prelu) after the layer` } };
}

/** Arguments that Keras or tfjs write with a value netspec's layers always have; any other value of them is NS6003. */
const fixedValues: Record<string, readonly Json[]> = {
  groups: [1], threshold: [0], negative_slope_relu: [0], synchronized: [false], renorm: [false], sparse: [false], ragged: [false], fused: [true],
  virtual_batch_size: [], adjustment: [], renorm_clipping: [], lora_rank: [], noise_shape: [], input_length: [], mask_zero: [false], autocast: [true],
};

/** Per-axis options that take one number for every axis: `[5, 5]` is written `5`. */
const perAxis = new Set(['kernelSize', 'strides', 'dilationRate', 'poolSize', 'size', 'outputPadding']);

function single(value: Json): Json {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number' && v === value[0]) ? value[0]! : value;
}

/** Keys that never become options: the id, the graph and the input shape come from elsewhere. */
const structural = new Set(['name', 'batch_input_shape', 'batch_shape', 'input_shape', 'build_config', 'quantization_config', 'rank', 'mode', 'lora_alpha', 'dtype']);

export interface ConvertedOptions {
  readonly options: Record<string, Json>;
  readonly unsupported: Unsupported[];
}

/** Keras 3 renamed some arguments; these are their netspec (tfjs) names. */
function renamed(type: string, key: string): string {
  if (key === 'negative_slope' && type === 'leakyReLU') return 'alpha';
  if (key === 'dims' && type === 'permute') return 'dims';
  return camelCase(key);
}

/** The options of one layer from its config; `runtime` for netspec's own classes, whose config already holds spec values. */
export function convertArguments(type: string, config: JsonObject, runtime: boolean): ConvertedOptions {
  const schemas = optionSchemas(type) ?? new Map();
  const options: Record<string, Json> = {};
  const unsupported: Unsupported[] = [];
  for (const [key, raw] of Object.entries(config)) {
    if (key === 'dtype') {
      // Keras 3 writes a DTypePolicy object; netspec's layers compute in float32 only.
      const name = isObject(raw) && isObject(raw['config']) ? raw['config']['name'] : raw;
      if (name !== null && name !== undefined && name !== 'float32') unsupported.push({ path: [key], message: `dtype ${JSON.stringify(name)} is not supported; netspec layers compute in float32`, fix: 'save the model with the float32 dtype policy' });
      continue;
    }
    if (structural.has(key) && !(key === 'input_length' && type === 'embedding')) continue;
    if (key === 'trainable') {
      if (raw === false) options['trainable'] = false;
      continue;
    }
    const option = renamed(type, key);
    const fixedKey = key === 'negative_slope' && type === 'reLU' ? 'negative_slope_relu' : key;
    if (!schemas.has(option)) {
      const allowed = fixedValues[fixedKey];
      if (raw === null || raw === undefined || (allowed && allowed.some((v) => JSON.stringify(v) === JSON.stringify(raw)))) continue;
      if (raw === false && !allowed) continue;
      unsupported.push({ path: [key], message: `argument '${key}' = ${JSON.stringify(raw)} has no netspec option on ${type}`, fix: allowed?.length ? `netspec supports only ${key}: ${allowed.map((v) => JSON.stringify(v)).join(' or ')}` : `remove '${key}' in the source model` });
      continue;
    }
    if (raw === null) continue;
    // A spec reads a string in a numeric option as an expression; a model.json never means one.
    if (takesExpressions(type, option) && JSON.stringify(raw).includes('"')) {
      unsupported.push({ path: [key], message: `argument '${key}' = ${JSON.stringify(raw)} must be a number or numbers`, fix: 'save the model with numbers in this argument' });
      continue;
    }
    const converted: Converted = /Initializer$/.test(option)
      ? initializer(raw, [key])
      : /Regularizer$/.test(option)
        ? regularizer(raw, [key])
        : /Constraint$/.test(option)
          ? constraint(raw, [key])
          : option === 'activation'
            ? activation(raw, [key])
            : { value: runtime ? camelKeys(raw) : option === 'dataFormat' || option === 'interpolation' || option === 'paddingMode' ? enumValue(raw) : raw };
    if (converted.unsupported) unsupported.push(converted.unsupported);
    else if (converted.value !== undefined) options[option] = perAxis.has(option) ? single(converted.value) : converted.value;
  }
  return { options, unsupported };
}
