/**
 * Decoders for the array files `weights:` names: NumPy `.npy` and JSON.
 * Pure: bytes in, a float32 array and its shape (or a message) out.
 */

export interface DecodedArray {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export type Decoded<T> = { readonly value: T } | { readonly error: string };

const npyMagic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Element readers by NumPy type code, e.g. `f4` (the byte order comes from the descr's first character). */
const readers: Record<string, { size: number; read: (view: DataView, at: number, little: boolean) => number }> = {
  f2: { size: 2, read: (v, at, le) => halfToFloat(v.getUint16(at, le)) },
  f4: { size: 4, read: (v, at, le) => v.getFloat32(at, le) },
  f8: { size: 8, read: (v, at, le) => v.getFloat64(at, le) },
  i1: { size: 1, read: (v, at) => v.getInt8(at) },
  u1: { size: 1, read: (v, at) => v.getUint8(at) },
  i2: { size: 2, read: (v, at, le) => v.getInt16(at, le) },
  u2: { size: 2, read: (v, at, le) => v.getUint16(at, le) },
  i4: { size: 4, read: (v, at, le) => v.getInt32(at, le) },
  u4: { size: 4, read: (v, at, le) => v.getUint32(at, le) },
  i8: { size: 8, read: (v, at, le) => Number(v.getBigInt64(at, le)) },
  u8: { size: 8, read: (v, at, le) => Number(v.getBigUint64(at, le)) },
};

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Reads a `.npy` file (format versions 1-3, C order). See numpy.lib.format. */
export function decodeNpy(bytes: Uint8Array): Decoded<DecodedArray> {
  if (bytes.length < 10 || !npyMagic.every((b, i) => bytes[i] === b)) return { error: 'not a .npy file (no \\x93NUMPY header)' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([<>|=])([a-z]\d+)'/.exec(header);
  const fortran = /'fortran_order':\s*(True|False)/.exec(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeText) return { error: `unreadable .npy header: ${header.trim()}` };
  const reader = readers[descr[2]!];
  if (!reader) return { error: `unsupported .npy dtype '${descr[1]}${descr[2]}'; use float32` };
  if (fortran[1] === 'True') return { error: 'the .npy array is in Fortran order; save it with numpy.ascontiguousarray' };
  const shape = shapeText[1]!.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLength;
  if (bytes.length - dataStart < count * reader.size) return { error: `the .npy file is truncated: shape [${shape.join(', ')}] needs ${count * reader.size} bytes of data, found ${bytes.length - dataStart}` };
  const little = descr[1] !== '>';
  const values = new Float32Array(count);
  for (let n = 0; n < count; n++) values[n] = reader.read(view, dataStart + n * reader.size, little);
  return { value: { shape, values } };
}

/** A JSON array: nested lists of numbers, or `{ shape, data }` with `data` flat. */
export function arrayFromJson(json: unknown): Decoded<DecodedArray> {
  if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
    const { shape, data } = json as { shape?: unknown; data?: unknown };
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0) || !Array.isArray(data)) return { error: 'expected nested lists of numbers, or { "shape": [...], "data": [...] }' };
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (data.length !== count || !data.every((v) => typeof v === 'number')) return { error: `"data" must hold ${count} numbers for shape [${shape.join(', ')}], found ${data.length} entries` };
    return { value: { shape: shape as number[], values: Float32Array.from(data as number[]) } };
  }
  const shape: number[] = [];
  for (let level: unknown = json; Array.isArray(level); level = level[0]) shape.push(level.length);
  const flat: number[] = [];
  const walk = (node: unknown, depth: number): boolean => {
    if (depth === shape.length) return typeof node === 'number' && (flat.push(node), true);
    return Array.isArray(node) && node.length === shape[depth] && node.every((child) => walk(child, depth + 1));
  };
  if (shape.length === 0 || !walk(json, 0)) return { error: 'expected nested lists of numbers with equal lengths at each level (a regular array)' };
  return { value: { shape, values: Float32Array.from(flat) } };
}
