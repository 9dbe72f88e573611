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

/** The keys every .npy header has, in netspec's words for when one is missing. */
const npyKeys = {
  descr: /'descr':\s*'([<>|=])([a-z]\d{1,2})'/,
  fortran_order: /'fortran_order':\s*(True|False)/,
  shape: /'shape':\s*\(([^)]*)\)/,
} as const;

/**
 * Reads a `.npy` file (format versions 1-3, C order). See numpy.lib.format.
 * Errors say what is wrong and where in netspec's words, never quoting the
 * header: the bytes may be any file at all.
 */
export function decodeNpy(bytes: Uint8Array): Decoded<DecodedArray> {
  if (bytes.length < 10 || !npyMagic.every((b, i) => bytes[i] === b)) return { error: 'not a .npy file (no \\x93NUMPY header)' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3) return { error: `unsupported .npy format version ${major}; numpy writes versions 1 to 3` };
  const start = major === 1 ? 10 : 12;
  if (bytes.length < start) return { error: `the .npy file is cut short inside its header (byte ${bytes.length})` };
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (bytes.length < start + headerLength) return { error: `the .npy header is cut short: it declares ${headerLength} bytes from byte ${start}, the file ends at byte ${bytes.length}` };
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLength));
  const descr = npyKeys.descr.exec(header);
  const fortran = npyKeys.fortran_order.exec(header);
  const shapeText = npyKeys.shape.exec(header);
  const missing = Object.entries({ descr, fortran_order: fortran, shape: shapeText }).filter(([, found]) => !found).map(([key]) => `'${key}'`);
  if (missing.length > 0 || !descr || !fortran || !shapeText) {
    return { error: `the .npy header (bytes ${start} to ${start + headerLength}) lacks ${missing.join(', ')} in the form numpy writes (a simple dtype such as '<f4', True or False, a tuple of sizes)` };
  }
  const reader = readers[descr[2]!];
  if (!reader) return { error: `unsupported .npy dtype '${descr[1]}${descr[2]}'; use float32` };
  if (fortran[1] === 'True') return { error: 'the .npy array is in Fortran order; save it with numpy.ascontiguousarray' };
  const sizes = shapeText[1]!.split(',').map((s) => s.trim()).filter(Boolean);
  if (!sizes.every((s) => /^\d{1,15}$/.test(s))) return { error: `the .npy header (bytes ${start} to ${start + headerLength}) has a 'shape' that is not a tuple of sizes` };
  const shape = sizes.map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLength;
  if (bytes.length - dataStart < count * reader.size) return { error: `the .npy file is truncated: shape [${shape.join(', ')}] needs ${count * reader.size} bytes of data, found ${bytes.length - dataStart}` };
  const little = descr[1] !== '>';
  const values = new Float32Array(count);
  for (let n = 0; n < count; n++) values[n] = reader.read(view, dataStart + n * reader.size, little);
  return { value: { shape, values } };
}

/** The rest of a JSON number at its first character (RFC 8259); sticky, so it matches only there. */
const jsonNumber = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * The offset at which `text` stops being JSON (RFC 8259): the first character
 * that cannot continue it, or `text.length` when it ends early; undefined when
 * it is JSON. JSON.parse says where only in words that change between Node
 * versions, and it quotes the text; this scanner says it in numbers. It keeps
 * its own stack, so deep nesting cannot overflow the call stack.
 */
export function jsonSyntaxOffset(text: string): number | undefined {
  const n = text.length;
  let i = 0;
  const skipSpace = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  /** A string at `i`; false with `i` at the offending character. */
  const string = (): boolean => {
    if (text[i] !== '"') return false;
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) return (i++, true);
      if (c < 0x20) return false;
      if (c !== 0x5c) i++;
      else if (text[i + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
      else if (text[i + 1] !== undefined && '"\\/bfnrt'.includes(text[i + 1]!)) i += 2;
      else return (i++, false);
    }
    return false;
  };
  /** `"key":` at `i`, after `{` or a comma. */
  const key = (): boolean => {
    skipSpace();
    if (!string()) return false;
    skipSpace();
    return text[i] === ':' && (i++, true);
  };
  const stack: ('{' | '[')[] = [];
  let wantValue = true;
  for (;;) {
    skipSpace();
    if (i >= n) return wantValue || stack.length > 0 ? n : undefined;
    const c = text[i]!;
    if (wantValue) {
      if (c === '{' || c === '[') {
        i++;
        skipSpace();
        if (text[i] === (c === '{' ? '}' : ']')) (i++, (wantValue = false));
        else if (c === '[') stack.push('[');
        else if (!key()) return Math.min(i, n);
        else stack.push('{');
        continue;
      }
      if (c === '"') {
        if (!string()) return Math.min(i, n);
      } else if (text.startsWith('true', i) || text.startsWith('null', i)) {
        i += 4;
      } else if (text.startsWith('false', i)) {
        i += 5;
      } else {
        jsonNumber.lastIndex = i;
        const number = jsonNumber.exec(text);
        if (!number || number[0] === '' || number[0] === '-') return i;
        i += number[0].length;
      }
      wantValue = false;
      continue;
    }
    const top = stack[stack.length - 1];
    if (top === undefined) return i;
    if (c === ',') {
      i++;
      if (top === '{' && !key()) return Math.min(i, n);
      wantValue = true;
    } else if (c === (top === '{' ? '}' : ']')) {
      i++;
      stack.pop();
    } else {
      return i;
    }
  }
}

/**
 * Why text is not JSON, in netspec's words: where it fails (line and column,
 * 1-based), or that it ends early. Never the text itself: a file named as
 * weights may be any file, and its bytes must not reach a CI log.
 */
export function jsonSyntaxError(text: string): string {
  if (text.trim() === '') return 'it is empty';
  const offset = jsonSyntaxOffset(text);
  if (offset === undefined) return 'it is not JSON';
  if (offset >= text.length) return 'it ends before its value is complete';
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `it stops being JSON at line ${line}, column ${column}`;
}

/** Weights of the layers netspec builds have rank 5 at most (conv3dTranspose kernels); 16 leaves room and bounds the recursion. */
const maxRank = 16;

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
  for (let level: unknown = json; Array.isArray(level) && shape.length <= maxRank; level = level[0]) shape.push(level.length);
  // The walk below recurses once per level: a file of a million `[` must be an error, not a stack overflow.
  if (shape.length > maxRank) return { error: `the lists are nested more than ${maxRank} levels deep; a weight has at most ${maxRank} dimensions` };
  const flat: number[] = [];
  const walk = (node: unknown, depth: number): boolean => {
    if (depth === shape.length) return typeof node === 'number' && (flat.push(node), true);
    return Array.isArray(node) && node.length === shape[depth] && node.every((child) => walk(child, depth + 1));
  };
  if (shape.length === 0 || !walk(json, 0)) return { error: 'expected nested lists of numbers with equal lengths at each level (a regular array)' };
  return { value: { shape, values: Float32Array.from(flat) } };
}
