/**
 * The weights of a tfjs `model.save`: the manifest's groups name files
 * (relative to model.json) whose bytes, concatenated, hold the weights of the
 * group one after the other, little endian (tfjs-core src/io/io_utils.ts
 * `decodeWeights`). Each becomes one .npy file for the layer's `weights:`.
 */
import { diagnostic } from '../diagnostics/diagnostic.js';
import type { ManifestGroup } from './forms.js';
import type { Importer } from './import-model.js';
import { encodeNpy } from './npy.js';

const sizes: Record<string, number> = { float32: 4, int32: 4 };

export function decodeWeights(importer: Importer, manifest: readonly ManifestGroup[], data: ReadonlyMap<string, Uint8Array>, folder: string): { path: string; bytes: Uint8Array }[] {
  const files: { path: string; bytes: Uint8Array }[] = [];
  const fail = (path: readonly (string | number)[], message: string, fix?: string) => importer.diagnostics.push(diagnostic('NS6005', importer.doc.spanAt(path), message, fix ? { fix } : {}));
  for (const group of manifest) {
    const parts = group.paths.map((p) => data.get(p));
    const missing = group.paths.filter((_, i) => !parts[i]);
    if (missing.length > 0) {
      fail([...group.path, 'paths'], `weights file${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')} not found beside the model.json`, 'copy the .bin files model.save wrote beside model.json');
      continue;
    }
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p!.length, 0));
    let at = 0;
    for (const p of parts) bytes.set(p!, at), (at += p!.length);
    let offset = 0;
    for (const entry of group.weights) {
      const size = sizes[entry.dtype];
      const count = entry.shape.reduce((a, b) => a * b, 1);
      if (entry.quantized || !size) {
        fail(entry.path, `weight '${entry.name}' is ${entry.quantized ? 'quantized' : entry.dtype}; netspec imports float32 and int32 weights`, 'save the model without quantization (tfjs-converter without --quantize_*)');
        return files;
      }
      if (offset + count * size > bytes.length) {
        fail(entry.path, `weight '${entry.name}' needs ${count * size} bytes at byte ${offset} of its group, the files hold ${bytes.length}`);
        return files;
      }
      const view = new DataView(bytes.buffer, offset, count * size);
      const values = entry.dtype === 'float32' ? new Float32Array(count) : new Int32Array(count);
      for (let i = 0; i < count; i++) values[i] = entry.dtype === 'float32' ? view.getFloat32(4 * i, true) : view.getInt32(4 * i, true);
      offset += count * size;
      const parts = entry.name.split('/');
      const weight = parts[parts.length - 1]!;
      const placed = importer.byName.get(parts[parts.length - 2] ?? '')?.find((p) => !(weight in ((p.layer['weights'] as Record<string, string> | undefined) ?? {})));
      if (!placed) {
        fail(entry.path, `weight '${entry.name}' belongs to no layer of the model`);
        continue;
      }
      const id = String(placed.layer['id'] ?? placed.layer['model']);
      const path = `${folder}/${placed.model}.${id}.${weight}.npy`;
      files.push({ path, bytes: encodeNpy(values, entry.shape) });
      const previous = (placed.layer['weights'] as Record<string, string> | undefined) ?? {};
      placed.layer['weights'] = { ...previous, [weight]: path };
    }
  }
  return files;
}
