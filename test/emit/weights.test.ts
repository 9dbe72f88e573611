import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { Locator } from '../../src/diagnostics/location.js';
import { compile, type ReadFailure, type ReadFile } from '../../src/index.js';
import { arrayFromJson, decodeNpy, jsonSyntaxError, jsonSyntaxOffset } from '../../src/resolve/array-file.js';
import { convTransposeRef, lcg, randomArray, type NdArray } from '../reference/conv-transpose.js';
import { root } from '../helpers/gallery.js';

/** A .npy file written here, byte by byte, from the format description (numpy.lib.format). */
function npy(shape: readonly number[], values: readonly number[], descr = '<f4', version = 1, fortran = false): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.length === 1 ? `${shape[0]},` : shape.join(', ')}), }`;
  const prefix = version === 1 ? 10 : 12;
  header += ' '.repeat((64 - ((prefix + header.length + 1) % 64)) % 64) + '\n';
  const size = Number(descr.slice(2));
  const body = new DataView(new ArrayBuffer(values.length * size));
  const little = descr[0] !== '>';
  values.forEach((v, i) => {
    const kind = descr[1];
    if (kind === 'f' && size === 4) body.setFloat32(i * size, v, little);
    else if (kind === 'f' && size === 8) body.setFloat64(i * size, v, little);
    else if (kind === 'i' && size === 4) body.setInt32(i * size, v, little);
    else if (kind === 'u' && size === 1) body.setUint8(i, v);
    else throw new Error(`test helper cannot write ${descr}`);
  });
  const head = new Uint8Array(prefix + header.length);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const lengths = new DataView(head.buffer);
  if (version === 1) lengths.setUint16(8, header.length, true);
  else lengths.setUint32(8, header.length, true);
  head.set(new TextEncoder().encode(header), prefix);
  const out = new Uint8Array(head.length + body.byteLength);
  out.set(head);
  out.set(new Uint8Array(body.buffer), head.length);
  return out;
}

describe('decodeNpy', () => {
  const cases: [string, { given: Uint8Array; want: { shape: number[]; values: number[] } | string }][] = [
    ['float32, version 1', { given: npy([2, 3], [1, 2, 3, 4, 5, 6]), want: { shape: [2, 3], values: [1, 2, 3, 4, 5, 6] } }],
    ['float32, version 2 header', { given: npy([2], [0.5, -0.5], '<f4', 2), want: { shape: [2], values: [0.5, -0.5] } }],
    ['big-endian float32', { given: npy([2], [1.5, -2], '>f4'), want: { shape: [2], values: [1.5, -2] } }],
    ['float64 is narrowed to float32', { given: npy([1, 2], [0.1, 0.2], '<f8'), want: { shape: [1, 2], values: [Math.fround(0.1), Math.fround(0.2)] } }],
    ['int32', { given: npy([3], [-1, 0, 7], '<i4'), want: { shape: [3], values: [-1, 0, 7] } }],
    ['uint8', { given: npy([2], [0, 255], '|u1'), want: { shape: [2], values: [0, 255] } }],
    ['a scalar shape ()', { given: npy([], [3]), want: { shape: [], values: [3] } }],
    ['not a .npy file', { given: new TextEncoder().encode('{"kernel": []}'), want: 'not a .npy file' }],
    ['Fortran order', { given: npy([2, 2], [1, 2, 3, 4], '<f4', 1, true), want: 'Fortran order' }],
    ['truncated data', { given: npy([4], [1, 2, 3, 4]).slice(0, -4), want: 'truncated' }],
    ['unsupported dtype', { given: npy([1], [1]).map((b, i, a) => (i > 10 && a[i - 1] === 0x3c && b === 0x66 ? 0x63 : b)), want: "unsupported .npy dtype '<c4'" }],
  ];
  test.each(cases)('%s', (_, { given, want }) => {
    const decoded = decodeNpy(given);
    if (typeof want === 'string') expect('error' in decoded && decoded.error).toContain(want);
    else expect('value' in decoded && { shape: [...decoded.value.shape], values: [...decoded.value.values] }).toEqual(want);
  });
});

/** Files that are not weights at all: the message says where they fail, never what they hold. */
describe('no file content in messages', () => {
  const secret = 'root:x:0:0:root:/root:/bin/bash';
  const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
  const npyText = new TextDecoder('latin1').decode(npy([2], [1, 2]));
  const cases: [string, { weights: string; bytes: Uint8Array | string; want: string }][] = [
    ['/etc/passwd named as .json', { weights: 'w.json', bytes: `${secret}\ndaemon:x:1:1\n`, want: 'is not valid JSON: it stops being JSON at line 1, column 1' }],
    ['a private key named as .json', { weights: 'w.json', bytes: `-----BEGIN ${secret} KEY-----\n`, want: 'at line 1, column 1' }],
    ['JSON with the secret after the error', { weights: 'w.json', bytes: `{"kernel": [1, 2], "${secret}" }`, want: 'at line 1, column 54' }],
    ['a valid JSON string', { weights: 'w.json', bytes: JSON.stringify(secret), want: 'must hold an object of weights by name' }],
    ['a .npy whose header is the secret', { weights: 'k.npy', bytes: latin1(`\x93NUMPY\x01\x00${String.fromCharCode(secret.length)}\x00${secret}`), want: "lacks 'descr', 'fortran_order', 'shape'" }],
    ['a .npy whose shape is the secret', { weights: 'k.npy', bytes: latin1(npyText.replace('(2,)', `(${secret.slice(0, 4)})`)), want: "has a 'shape' that is not a tuple of sizes" }],
    ['a .npy whose dtype is text', { weights: 'k.npy', bytes: latin1(npyText.replace("'<f4'", "'root'")), want: "lacks 'descr'" }],
  ];
  test.each(cases)('%s', (_, { weights, bytes, want }) => {
    const text = base.replace('WEIGHTS', `weights: ${weights}`);
    const result = compile([{ path: 'specs/a.yaml', text }], { readFile: files({ [`specs/${weights}`]: bytes }) });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.code)).toEqual(['NS3014']);
    expect(errors[0]!.message).toContain(want);
    for (const part of [errors[0]!.message, errors[0]!.fix ?? '', ...errors[0]!.notes.map((n) => n.message)]) {
      expect(part).not.toMatch(/root|daemon|BEGIN|bash/);
    }
  });
});

describe('jsonSyntaxOffset: where text stops being JSON, as JSON.parse decides', () => {
  const cases: [string, { given: string; want: number | undefined }][] = [
    ['an array', { given: '[1, 2.5, -3e-2, true, false, null, "a\\n\\u00e9"]', want: undefined }],
    ['an object with spaces around', { given: ' \n{ "a": [ ], "b": { }, "c": {"d": [[1]]} }\r\n', want: undefined }],
    ['a bare number', { given: '0', want: undefined }],
    ['a key without quotes', { given: '{ kernel: 1 }', want: 2 }],
    ['a trailing comma', { given: '[1, 2, ]', want: 7 }],
    ['a leading zero', { given: '[01]', want: 2 }],
    ['a lone minus', { given: '[-]', want: 1 }],
    ['a bad escape: at the character after the backslash', { given: '["a\\x"]', want: 4 }],
    ['a raw newline in a string', { given: '["a\nb"]', want: 3 }],
    ['two values', { given: '[1] [2]', want: 4 }],
    ['a missing colon', { given: '{"a" 1}', want: 5 }],
    ['cut short in an array', { given: '[1, [2', want: 6 }],
    ['cut short in a string', { given: '["abc', want: 5 }],
    ['cut short after a key', { given: '{"a":', want: 5 }],
    ['a mismatched bracket', { given: '[1}', want: 2 }],
    ['text', { given: 'root:x:0:0', want: 0 }],
    ['a million levels deep, closed', { given: '['.repeat(1e6) + ']'.repeat(1e6), want: undefined }],
  ];
  test.each(cases)('%s', (_, { given, want }) => {
    expect(jsonSyntaxOffset(given)).toBe(want);
    // The scanner agrees with JSON.parse on whether the text is JSON.
    expect(() => JSON.parse(given)).toSatisfy((parse: () => unknown) => {
      try {
        parse();
        return want === undefined;
      } catch {
        return want !== undefined;
      }
    });
  });

  test('the message gives line and column, or says the text ends early', () => {
    expect(jsonSyntaxError('{\n  "a": [1,\n  x]\n}')).toBe('it stops being JSON at line 3, column 3');
    expect(jsonSyntaxError('[1, 2')).toBe('it ends before its value is complete');
    expect(jsonSyntaxError('  \n')).toBe('it is empty');
  });
});

describe('arrayFromJson', () => {
  const cases: [string, { given: unknown; want: { shape: number[]; values: number[] } | string }][] = [
    ['nested lists', { given: [[1, 2], [3, 4], [5, 6]], want: { shape: [3, 2], values: [1, 2, 3, 4, 5, 6] } }],
    ['a flat list', { given: [1, 2, 3], want: { shape: [3], values: [1, 2, 3] } }],
    ['{ shape, data }', { given: { shape: [2, 1, 2], data: [1, 2, 3, 4] }, want: { shape: [2, 1, 2], values: [1, 2, 3, 4] } }],
    ['ragged lists', { given: [[1, 2], [3]], want: 'regular array' }],
    ['a string inside', { given: [[1, 'a']], want: 'regular array' }],
    ['data of the wrong length', { given: { shape: [2, 2], data: [1, 2, 3] }, want: 'must hold 4 numbers' }],
    ['a bare number', { given: 3, want: 'regular array' }],
  ];
  test.each(cases)('%s', (_, { given, want }) => {
    const decoded = arrayFromJson(given);
    if (typeof want === 'string') expect('error' in decoded && decoded.error).toContain(want);
    else expect('value' in decoded && { shape: [...decoded.value.shape], values: [...decoded.value.values] }).toEqual(want);
  });
});

const base = `netspec: 1
models:
  m:
    inputs: { x: [3, 2] }
    layers:
      - { type: conv1dTranspose, id: up, filters: 2, kernelSize: 2, strides: 2, WEIGHTS }
      - { type: activation, activation: relu }
`;

function files(entries: Record<string, Uint8Array | string | ReadFailure>): ReadFile {
  return (path) => {
    const found = entries[path];
    return typeof found === 'string' ? new TextEncoder().encode(found) : found;
  };
}

const kernel = npy([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);

/** Each way a weights file can be wrong: one located diagnostic. */
const bad: [string, { weights: string; files: Record<string, Uint8Array | string | ReadFailure>; want: [code: string, message: string, at: string] }][] = [
  ['a missing file', { weights: 'weights: k.npy', files: {}, want: ['NS3014', "cannot read weights file 'specs/k.npy'", '6:90'] }],
  ['neither .npy nor .json', { weights: 'weights: k.csv', files: { 'specs/k.csv': '1,2' }, want: ['NS3014', "weights file 'k.csv' must be a .npy or a .json file", '6:90'] }],
  ['bad JSON', { weights: 'weights: w.json', files: { 'specs/w.json': '{ kernel: ' }, want: ['NS3014', "weights file 'w.json' is not valid JSON: it stops being JSON at line 1, column 3", '6:90'] }],
  ['JSON cut short', { weights: 'weights: w.json', files: { 'specs/w.json': '{ "kernel": [1, ' }, want: ['NS3014', "weights file 'w.json' is not valid JSON: it ends before its value is complete", '6:90'] }],
  ['an absolute path, refused before any read', { weights: 'weights: /etc/passwd.json', files: { '/etc/passwd.json': '[1]' }, want: ['NS3014', "weights file '/etc/passwd.json' is an absolute path; netspec reads only files inside the project", '6:90'] }],
  ['a Windows absolute path', { weights: 'weights: "C:/Users/x/k.npy"', files: {}, want: ['NS3014', "weights file 'C:/Users/x/k.npy' is an absolute path", '6:90'] }],
  ['a path that climbs out of the project', { weights: 'weights: ../../x.json', files: { '../x.json': '[1]' }, want: ['NS3014', "weights file '../../x.json' is outside the project: from specs/a.yaml it climbs above the project root", '6:90'] }],
  ['the reader: outside through a link', { weights: 'weights: w.json', files: { 'specs/w.json': { reason: 'outside', detail: 'a symbolic link leads there' } }, want: ['NS3014', "cannot use weights file 'w.json' ('specs/w.json'): a symbolic link leads there", '6:90'] }],
  ['the reader: a FIFO', { weights: 'weights: w.json', files: { 'specs/w.json': { reason: 'not-a-file', detail: 'it is a FIFO (named pipe), not a regular file' } }, want: ['NS3014', "cannot use weights file 'w.json' ('specs/w.json'): it is a FIFO (named pipe), not a regular file", '6:90'] }],
  ['the reader: too large', { weights: 'weights: k.npy', files: { 'specs/k.npy': { reason: 'too-large', detail: 'it is 80 MiB, more than the limit of 64 MiB' } }, want: ['NS3014', "cannot use weights file 'k.npy' ('specs/k.npy'): it is 80 MiB, more than the limit of 64 MiB", '6:90'] }],
  ['the reader: unreadable', { weights: 'weights: k.npy', files: { 'specs/k.npy': { reason: 'unreadable', detail: 'permission denied' } }, want: ['NS3014', "cannot use weights file 'k.npy' ('specs/k.npy'): permission denied", '6:90'] }],
  ['lists nested a million deep', { weights: 'weights: w.json', files: { 'specs/w.json': '['.repeat(1e6) + ']'.repeat(1e6) }, want: ['NS3014', 'nested more than 16 levels deep', '6:90'] }],
  ['a ragged JSON weight', { weights: 'weights: w.json', files: { 'specs/w.json': '{ "kernel": [[1, 2], [3]] }' }, want: ['NS3014', "weights file 'w.json' (weight 'kernel'): expected nested lists", '6:90'] }],
  ['a broken .npy', { weights: 'weights: k.npy', files: { 'specs/k.npy': kernel.slice(0, -8) }, want: ['NS3014', "weights file 'k.npy': the .npy file is truncated", '6:90'] }],
  ['a misspelled weight name', { weights: 'weights: { kernal: k.npy }', files: { 'specs/k.npy': kernel }, want: ['NS4011', "layer 'up' has no weight 'kernal' for 'k.npy'; it has 2 weights: kernel, bias", '6:100'] }],
  ['more weights than the layer has', { weights: 'weights: w.json', files: { 'specs/w.json': '[[[[1, 2], [3, 4]], [[5, 6], [7, 8]]], [0, 0], [2]]' }, want: ['NS4011', "layer 'up' has no weight #3 for 'w.json'", '6:90'] }],
  ['the wrong kernel layout', { weights: 'weights: k.npy', files: { 'specs/k.npy': npy([2, 2, 1, 2], new Array(8).fill(0)) }, want: ['NS4011', "'k.npy' gives kernel of layer 'up' the shape [2, 2, 1, 2]; the layer's kernel is [2, 2, 2]", '6:90'] }],
];

describe('weights files that do not fit', () => {
  test.each(bad)('%s', (_, { weights, files: entries, want }) => {
    const text = base.replace('WEIGHTS', weights);
    const result = compile([{ path: 'specs/a.yaml', text }], { readFile: files(entries) });
    const locator = new Locator(new Map([['specs/a.yaml', text]]));
    const found = result.diagnostics.filter((d) => d.severity === 'error').map((d) => {
      const at = locator.locate(d.span!);
      return [d.code, d.message, `${at.line}:${at.column}`];
    });
    expect(found).toHaveLength(1);
    expect(found[0]![0]).toBe(want[0]);
    expect(found[0]![1]).toContain(want[1]);
    expect(found[0]![2]).toBe(want[2]);
    expect(result.modules).toEqual([]);
  });

  test('a layer without weights', () => {
    const text = base.replace('WEIGHTS', 'useBias: false').replace('activation: relu }', 'activation: relu, weights: k.npy }');
    const result = compile([{ path: 'specs/a.yaml', text }], { readFile: files({ 'specs/k.npy': kernel }) });
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual(["layer 'activation_1' has no weight #1 for 'k.npy'; it has no weights"]);
  });
});

/** The fixture spec, its weight files and the generated module committed beside them. */
const fixtureDir = join(root, 'test/fixtures/weights');
const specPath = 'test/fixtures/weights/decoder.yaml';
const readFromRoot: ReadFile = (path) => {
  try {
    return readFileSync(join(root, path));
  } catch {
    return undefined;
  }
};
const fixture = compile([{ path: specPath, text: readFileSync(join(root, specPath), 'utf8') }], { readFile: readFromRoot });

function fileArray(name: string): NdArray {
  const bytes = readFileSync(join(fixtureDir, name));
  const decoded = name.endsWith('.npy') ? decodeNpy(bytes) : arrayFromJson(JSON.parse(bytes.toString('utf8')));
  if (!('value' in decoded)) throw new Error(decoded.error);
  return { shape: decoded.value.shape, data: Float64Array.from(decoded.value.values) };
}

function jsonWeight(file: string, key: string | number): NdArray {
  const json = JSON.parse(readFileSync(join(fixtureDir, file), 'utf8')) as Record<string, unknown>;
  const decoded = arrayFromJson(json[key]);
  if (!('value' in decoded)) throw new Error(decoded.error);
  return { shape: decoded.value.shape, data: Float64Array.from(decoded.value.values) };
}

describe('a spec with weights files compiles to a module that starts from them', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  test('the generated module is the committed one', () => {
    expect(fixture.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const golden = join(fixtureDir, 'decoder.ts');
    if (process.env['NETSPEC_UPDATE_FIXTURES'] === '1') writeFileSync(golden, fixture.modules[0]!.text);
    expect(fixture.modules[0]!.text).toBe(readFileSync(golden, 'utf8'));
  });

  test('every layer starts from the file values, and predict computes with them', async () => {
    const { buildDecoder } = await import('../fixtures/weights/decoder.js');
    const model = buildDecoder();
    const value = (id: string, i: number) => Array.from(model.getLayer(id).getWeights()[i]!.dataSync());
    const up = { kernel: jsonWeight('up.json', 'kernel'), bias: jsonWeight('up.json', 'bias') };
    const out = { kernel: fileArray('out-kernel.npy'), bias: fileArray('out-bias.npy') };
    const head = { kernel: jsonWeight('head.json', 0), bias: jsonWeight('head.json', 1) };
    const f32 = (a: NdArray) => Array.from(Float32Array.from(a.data));
    expect([value('up', 0), value('up', 1), value('out', 0), value('out', 1), value('head', 0), value('head', 1)]).toEqual(
      [up.kernel, up.bias, out.kernel, out.bias, head.kernel, head.bias].map(f32),
    );

    const x = randomArray([2, 3, 4], lcg(7));
    const h = convTransposeRef(x, up.kernel, up.bias, { strides: [2], dilation: [1], padding: 'same' });
    const y = convTransposeRef(h, out.kernel, out.bias, { strides: [2], dilation: [1], padding: 'valid', outputPadding: [1] });
    const steps = y.shape[1]!;
    const want: number[] = [];
    for (let b = 0; b < 2; b++) for (let t = 0; t < steps; t++) for (let u = 0; u < 2; u++) want.push(y.data[b * steps + t]! * head.kernel.data[u]! + head.bias.data[u]!);
    const got = Array.from((model.predict(tf.tensor(Array.from(x.data), [2, 3, 4])) as tf.Tensor).dataSync());
    expect(got.length).toBe(want.length);
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 4));
  });
});
