/**
 * The three JSON forms `netspec import` reads, reduced to one: the model's
 * `{ class_name, config }` (with its place in the file) and the weights
 * manifest when there is one.
 *
 * - tfjs `model.save` (tfjs-core src/io/types.ts `ModelJSON`): `{ modelTopology,
 *   weightsManifest, format, generatedBy, convertedBy }`; modelTopology is the
 *   model's JSON, or (from the Keras converter) `{ model_config, keras_version, backend }`.
 * - tfjs `model.toJSON(undefined, false)`: `{ class_name, config, keras_version, backend }`.
 * - Keras `model.to_json()`: the same shape, Keras 2 or Keras 3 class names.
 */
import type { PathSegment } from '../parse/parse-spec.js';
import { isObject, type Json, type JsonObject } from './arguments.js';

export interface ManifestEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly quantized: boolean;
  readonly path: readonly PathSegment[];
}

export interface ManifestGroup {
  readonly paths: readonly string[];
  readonly weights: readonly ManifestEntry[];
  readonly path: readonly PathSegment[];
}

export interface ModelForm {
  readonly model: JsonObject;
  readonly path: readonly PathSegment[];
  readonly manifest?: readonly ManifestGroup[];
  readonly form: 'saved' | 'toJSON' | 'keras';
}

function manifestOf(value: Json | undefined): ManifestGroup[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.flatMap((group, g) =>
    isObject(group) && Array.isArray(group['paths']) && Array.isArray(group['weights'])
      ? [
          {
            paths: group['paths'].filter((p): p is string => typeof p === 'string'),
            path: ['weightsManifest', g],
            weights: group['weights'].flatMap((w, i) =>
              isObject(w) && typeof w['name'] === 'string' && Array.isArray(w['shape'])
                ? [{ name: w['name'], shape: w['shape'].map(Number), dtype: typeof w['dtype'] === 'string' ? w['dtype'] : 'float32', quantized: isObject(w['quantization']), path: ['weightsManifest', g, 'weights', i] }]
                : [],
            ),
          },
        ]
      : [],
  );
}

const isModel = (v: Json | undefined): v is JsonObject => isObject(v) && typeof v['class_name'] === 'string' && (isObject(v['config']) || Array.isArray(v['config']));

/** The model of a model.json, or why there is none (at the path it names). */
export function readForm(value: unknown): ModelForm | { error: string; path: PathSegment[] } {
  if (!isObject(value as Json)) return { error: 'the file does not hold a JSON object', path: [] };
  const top = value as JsonObject;
  if ('modelTopology' in top) {
    const topology = top['modelTopology'];
    const manifest = manifestOf(top['weightsManifest']);
    const extras = manifest ? { manifest } : {};
    if (isModel(topology)) return { model: topology, path: ['modelTopology'], form: 'saved', ...extras };
    if (isObject(topology) && isModel(topology['model_config'])) return { model: topology['model_config'], path: ['modelTopology', 'model_config'], form: 'saved', ...extras };
    return { error: 'modelTopology is not a layers model ({ class_name, config }); a graph model (tf.saved_model converted with --output_format tfjs_graph_model) has no layers to import', path: ['modelTopology'] };
  }
  if (isModel(top)) return { model: top, path: [], form: typeof top['keras_version'] === 'string' && top['keras_version'].startsWith('tfjs') ? 'toJSON' : 'keras' };
  return { error: 'the object has neither modelTopology (tfjs model.save) nor class_name and config (model.toJSON(), Keras to_json())', path: [] };
}
