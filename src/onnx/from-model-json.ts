/**
 * `netspec export onnx`: a saved tfjs Layers model (model.json with its
 * weight files, read by the CLI) loaded into tfjs and exported. No file
 * system here; every user error is a diagnostic at its place in model.json.
 */
import * as tf from '@tensorflow/tfjs';
import '../runtime/index.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readJsonDocument, type JsonDocument } from '../import/json-document.js';
import type { SourceFile } from '../ir.js';
import type { PathSegment } from '../parse/parse-spec.js';
import { OnnxExportError } from './layer-call.js';
import { toOnnx } from './index.js';

interface WeightGroup {
  readonly paths: string[];
  readonly weights: tf.io.WeightsManifestEntry[];
}

/** The path of the first object in `value` (depth first) that `matches`, to its `class_name`. */
function classPath(value: unknown, matches: (record: Record<string, unknown>) => boolean, path: PathSegment[] = []): PathSegment[] | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record['class_name'] === 'string' && matches(record)) return [...path, 'class_name'];
  for (const [key, child] of Object.entries(record)) {
    const found = classPath(child, matches, [...path, Array.isArray(value) ? Number(key) : key]);
    if (found) return found;
  }
  return undefined;
}

/** A layer's config by its name (nested models searched too); the model's own config shares its name with none of its layers. */
const layerNamed = (name: string) => (record: Record<string, unknown>) => (record['config'] as Record<string, unknown> | undefined)?.['name'] === name && !('layers' in (record['config'] as object));

/** The model.save form, its weights concatenated in manifest order. */
function artifacts(doc: JsonDocument, weightData: ReadonlyMap<string, Uint8Array>): { value?: tf.io.ModelArtifacts; diagnostics: Diagnostic[] } {
  const json = doc.value as { modelTopology?: unknown; weightsManifest?: unknown };
  if (json === null || typeof json !== 'object' || typeof json.modelTopology !== 'object' || !Array.isArray(json.weightsManifest)) {
    return {
      diagnostics: [
        diagnostic('NS6006', doc.spanAt([]), `${doc.source.path} is not a saved tfjs model: it needs 'modelTopology' and 'weightsManifest'`, {
          fix: "save the model with model.save('file://folder') (or any tfjs IO handler) and export the model.json it writes",
        }),
      ],
    };
  }
  const groups = json.weightsManifest as WeightGroup[];
  const parts: Uint8Array[] = [];
  const diagnostics: Diagnostic[] = [];
  groups.forEach((group, g) =>
    (group.paths ?? []).forEach((path, p) => {
      const data = weightData.get(path);
      if (data) parts.push(data);
      else diagnostics.push(diagnostic('NS6005', doc.spanAt(['weightsManifest', g, 'paths', p]), `the weights file '${path}' is missing`, { fix: 'keep the weight files beside model.json, as model.save writes them' }));
    }),
  );
  if (diagnostics.length > 0) return { diagnostics };
  const bytes = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  parts.reduce((offset, part) => (bytes.set(part, offset), offset + part.length), 0);
  return {
    value: { modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'], weightSpecs: groups.flatMap((group) => group.weights ?? []), weightData: bytes.buffer },
    diagnostics: [],
  };
}

/** The ONNX bytes of the saved model, or the diagnostics that say why not. */
export async function onnxFromModelJson(source: SourceFile, weightData: ReadonlyMap<string, Uint8Array>): Promise<{ value?: Uint8Array; diagnostics: Diagnostic[] }> {
  const read = readJsonDocument(source);
  if (!read.value) return { diagnostics: read.diagnostics };
  const doc = read.value;
  const saved = artifacts(doc, weightData);
  if (!saved.value) return { diagnostics: saved.diagnostics };
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory(saved.value));
  } catch (e) {
    // tfjs names an unknown class "Unknown layer: X"; anything else is a topology or weights it cannot read.
    const message = e instanceof Error ? e.message : String(e);
    const unknown = /Unknown layer: ([\w.]+)/.exec(message);
    const at = unknown ? doc.spanAt(classPath(doc.value, (r) => r['class_name'] === unknown[1]) ?? ['modelTopology']) : doc.spanAt(['modelTopology']);
    return {
      diagnostics: [
        diagnostic('NS6006', at, `tfjs cannot load ${doc.source.path}: ${message.split('\n')[0]}`, {
          fix: unknown ? `'${unknown[1]}' is not a tfjs layer class nor one of netspec/runtime's; export a model built from them` : 'export a model.json that tf.loadLayersModel reads',
        }),
      ],
    };
  }
  try {
    return { value: toOnnx(model), diagnostics: [] };
  } catch (e) {
    if (!(e instanceof OnnxExportError)) throw e;
    const at = doc.spanAt(classPath(doc.value, layerNamed(e.layerName)) ?? ['modelTopology']);
    return { diagnostics: [diagnostic('NS6006', at, `layer '${e.layerName}' (${e.className}) has no ONNX form: ${e.reason}`, { fix: 'docs/onnx.md lists the layers and options that export; replace this one in the model' })] };
  } finally {
    model.dispose();
  }
}
