import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadFile } from '../../src/index.js';

/** A float32 `.npy` (format 1.0) of a shape, values 0.01, 0.02, ... */
function npy(shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.length === 1 ? `${shape[0]},` : shape.join(', ')}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + 4 * count);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const data = new DataView(out.buffer, 10 + header.length);
  for (let n = 0; n < count; n++) data.setFloat32(4 * n, (n + 1) / 100, true);
  return out;
}

function nested(shape: readonly number[], at = { n: 0 }): unknown {
  if (shape.length === 0) return ++at.n / 100;
  return Array.from({ length: shape[0]! }, () => nested(shape.slice(1), at));
}

/**
 * Weight files as specs name them: `.../f32_3x2.npy` or `.json` is a valid
 * array of that shape (so a generator that knows the layer's weight shapes can
 * write ones that fit), `bad.json` and `bad.npy` are broken, the real files
 * under test/fixtures/ are themselves (the weights fixture mutates well), and
 * every other name cannot be read.
 */
export function weightFiles(root: string): ReadFile {
  return (path) => {
    const m = /(?:^|\/)f32_(\d{1,3}(?:x\d{1,3}){0,4})\.(npy|json)$/.exec(path);
    if (m) {
      const shape = m[1]!.split('x').map(Number);
      if (shape.reduce((a, b) => a * b, 1) > 100_000) return undefined;
      return m[2] === 'npy' ? npy(shape) : new TextEncoder().encode(JSON.stringify(nested(shape)));
    }
    if (path.endsWith('/bad.json') || path === 'bad.json') return new TextEncoder().encode('{"kernel": [1, 2');
    if (path.endsWith('bad.npy')) return new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 200, 0, 123]);
    if (path.endsWith('/all.json')) return new TextEncoder().encode('[[[0.5]], [0]]');
    if (/^test\/fixtures\/[\w/-]+\.(npy|json)$/.test(path) && existsSync(join(root, path))) return readFileSync(join(root, path));
    return undefined;
  };
}
