import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runCli, type Run } from '../helpers/cli.js';
import { Locator } from '../../src/diagnostics/location.js';
import { check, type Code } from '../../src/index.js';

/**
 * The lints NS5001-NS5005 through the library's `check`, each at its line, and
 * the `lint:` settings that turn them off, back on, or into errors.
 */

const file = 'specs/lint.yaml';

interface Found {
  readonly code: Code;
  readonly severity: 'error' | 'warning';
  readonly line: number | undefined;
  readonly message: string;
  readonly fix: string | undefined;
  readonly notes: readonly { readonly message: string; readonly line: number | undefined }[];
}

/** Every diagnostic of one spec, with 1-based lines. */
function diagnose(text: string): Found[] {
  const result = check([{ path: file, text }]);
  const locator = new Locator(new Map([[file, text]]));
  const lineOf = (span: { file: string; start: number; end: number } | undefined) => (span ? locator.locate(span).line : undefined);
  return result.diagnostics.map((d) => ({
    code: d.code,
    severity: d.severity,
    line: lineOf(d.span),
    message: d.message,
    fix: d.fix,
    notes: d.notes.map((n) => ({ message: n.message, line: lineOf(n.span) })),
  }));
}

/** Diagnostics of one code. */
function only(text: string, code: Code): Found[] {
  return diagnose(text).filter((d) => d.code === code);
}

/** The 1-based line of the first line of `text` containing `marker`. */
function lineOf(text: string, marker: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(marker));
  if (index < 0) throw new Error(`marker '${marker}' not in spec`);
  return index + 1;
}

const inputOfRank = { 1: '[5, 2]', 2: '[4, 4, 2]', 3: '[4, 4, 4, 2]' } as const;

/** One transposed convolution `up` of the given rank on input `x`. */
function transposed(rank: 1 | 2 | 3, options: string, input: string = inputOfRank[rank], head = ''): string {
  return `netspec: 1
${head}models:
  m:
    inputs: { x: ${input} }
    layers:
      - { type: conv${rank}dTranspose, id: up, filters: 2, ${options} }
`;
}

describe('NS5001 checkerboard', () => {
  const warns: [string, { rank: 1 | 2 | 3; options: string; message: RegExp; fix: string }][] = [
    ['2D kernel 3 stride 2', { rank: 2, options: 'kernelSize: 3, strides: 2, padding: same', message: /kernelSize 3 is not a multiple of strides 2: /, fix: 'use kernelSize 4' }],
    ['2D kernel 5 stride 3', { rank: 2, options: 'kernelSize: 5, strides: 3, padding: same', message: /kernelSize 5 is not a multiple of strides 3: /, fix: 'use kernelSize 6' }],
    ['2D kernelSize [4, 3] stride 2 names axis 1', { rank: 2, options: 'kernelSize: [4, 3], strides: 2, padding: same', message: /kernelSize 3 is not a multiple of strides 2 on axis 1/, fix: 'use kernelSize 4' }],
    ['2D kernel 3 strides [1, 2] names axis 1', { rank: 2, options: 'kernelSize: 3, strides: [1, 2], padding: same', message: /kernelSize 3 is not a multiple of strides 2 on axis 1/, fix: 'use kernelSize 4' }],
    ['1D kernel 3 stride 2 (no axis named)', { rank: 1, options: 'kernelSize: 3, strides: 2, padding: same', message: /kernelSize 3 is not a multiple of strides 2: the kernels overlap unevenly/, fix: 'use kernelSize 4' }],
    ['3D kernelSize [4, 4, 3] stride 2 names axis 2', { rank: 3, options: 'kernelSize: [4, 4, 3], strides: 2, padding: same', message: /kernelSize 3 is not a multiple of strides 2 on axis 2/, fix: 'use kernelSize 4' }],
    ['3D kernel 3 stride 2', { rank: 3, options: 'kernelSize: 3, strides: 2, padding: same', message: /kernelSize 3 is not a multiple of strides 2: /, fix: 'use kernelSize 4' }],
  ];
  test.each(warns)('%s warns at kernelSize', (_, { rank, options, message, fix }) => {
    const text = transposed(rank, options);
    const found = only(text, 'NS5001');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', line: lineOf(text, 'id: up') });
    expect(found[0]!.message).toMatch(/^layer 'up': /);
    expect(found[0]!.message).toMatch(message);
    expect(found[0]!.message).toContain('checkerboard');
    expect(found[0]!.fix).toContain(fix);
    // A lint alone is no error.
    expect(diagnose(text).filter((d) => d.severity === 'error')).toEqual([]);
  });

  const silent: [string, { rank: 1 | 2 | 3; options: string }][] = [
    ['2D kernel 4 stride 2', { rank: 2, options: 'kernelSize: 4, strides: 2, padding: same' }],
    ['2D kernel 6 stride 3', { rank: 2, options: 'kernelSize: 6, strides: 3, padding: same' }],
    ['2D kernel 3 stride 1', { rank: 2, options: 'kernelSize: 3, strides: 1, padding: same' }],
    ['2D kernel 5, strides default (1)', { rank: 2, options: 'kernelSize: 5, padding: same' }],
    ['2D kernelSize [3, 4] strides [1, 2]', { rank: 2, options: 'kernelSize: [3, 4], strides: [1, 2], padding: same' }],
    ['1D kernel 4 stride 2', { rank: 1, options: 'kernelSize: 4, strides: 2, padding: same' }],
    ['1D kernel 3 stride 1', { rank: 1, options: 'kernelSize: 3, strides: 1' }],
    ['3D kernel 4 stride 2', { rank: 3, options: 'kernelSize: 4, strides: 2, padding: same' }],
    ['3D kernel 3 stride 1', { rank: 3, options: 'kernelSize: 3, strides: 1, padding: same' }],
  ];
  test.each(silent)('%s does not warn', (_, { rank, options }) => {
    expect(diagnose(transposed(rank, options))).toEqual([]);
  });

  test('a plain (forward) convolution never warns', () => {
    expect(diagnose(transposed(2, 'kernelSize: 3, strides: 2, padding: same').replace('conv2dTranspose', 'conv2d'))).toEqual([]);
  });
});

describe('NS5002 ambiguousSize', () => {
  const warns: [string, { rank: 1 | 2 | 3; options: string; input?: string; parts: string[] }][] = [
    ['input 4, kernel 4, stride 2', { rank: 2, options: 'kernelSize: 4, strides: 2', parts: ['stride 2 has an ambiguous output size', 'it picks [null, 10, 10, 2]', 'sizes 10..11 all map back to 4', '(kernel 4)'] }],
    ['padding: valid stated', { rank: 2, options: 'kernelSize: 4, strides: 2, padding: valid', parts: ['sizes 10..11 all map back to 4'] }],
    ['input 4, kernel 3, stride 3', { rank: 2, options: 'kernelSize: 3, strides: 3', parts: ['stride 3', 'it picks [null, 12, 12, 2]', 'sizes 12..14 all map back to 4'] }],
    ['strides [1, 2] names axis 1', { rank: 2, options: 'kernelSize: 2, strides: [1, 2]', parts: ['stride 2 on axis 1', 'it picks [null, 5, 8, 2]', 'sizes 8..9 all map back to 4'] }],
    ['channelsFirst reads the spatial axes after the channels', { rank: 2, input: '[2, 4, 6]', options: 'kernelSize: [2, 3], strides: [1, 3], dataFormat: channelsFirst', parts: ['stride 3 on axis 1', 'it picks [null, 2, 5, 18]', 'sizes 18..20 all map back to 6'] }],
    ['1D, no axis named', { rank: 1, options: 'kernelSize: 4, strides: 2', parts: ['valid transposed convolution with stride 2 has an ambiguous output size', 'it picks [null, 12, 2]', 'sizes 12..13 all map back to 5'] }],
    ['3D', { rank: 3, options: 'kernelSize: 2, strides: 2', parts: ['stride 2 has', 'it picks [null, 8, 8, 8, 2]', 'sizes 8..9 all map back to 4'] }],
  ];
  test.each(warns)('%s warns at strides with the legal range', (_, { rank, options, input, parts }) => {
    const text = transposed(rank, options, input);
    const found = only(text, 'NS5002');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', line: lineOf(text, 'id: up') });
    expect(found[0]!.message).toMatch(/^layer 'up': a valid transposed convolution with stride \d/);
    for (const part of parts) expect(found[0]!.message).toContain(part);
    expect(found[0]!.fix).toContain('outputPadding');
    expect(diagnose(text).filter((d) => d.severity === 'error')).toEqual([]);
  });

  test('stride 1 with dilation is not ambiguous', () => {
    expect(diagnose(transposed(2, 'kernelSize: 2, strides: 1, dilationRate: 2'))).toEqual([]);
  });

  const silent: [string, string][] = [
    ['outputPadding: 0', 'kernelSize: 4, strides: 2, outputPadding: 0'],
    ['outputPadding: 1', 'kernelSize: 4, strides: 2, outputPadding: 1'],
    ['padding: same', 'kernelSize: 4, strides: 2, padding: same'],
    ['outputShape', 'kernelSize: 4, strides: 2, outputShape: [11, 10]'],
    ['stride 1', 'kernelSize: 3, strides: 1'],
  ];
  test.each(silent)('%s silences it', (_, options) => {
    expect(diagnose(transposed(2, options))).toEqual([]);
  });

  test('checkerboard and ambiguous size are reported together, each at its option', () => {
    const text = transposed(2, 'kernelSize: 3, strides: 2');
    const found = diagnose(text);
    expect(found.map((d) => d.code)).toEqual(['NS5001', 'NS5002']);
    expect(found.every((d) => d.severity === 'warning' && d.line === lineOf(text, 'id: up'))).toBe(true);
    expect(found[1]!.message).toContain('sizes 9..10 all map back to 4 (kernel 3)');
  });

  test('a model whose shapes cannot be inferred still gets the lint, without a range', () => {
    // conv1dTranspose on a rank-4 input is a shape error; the kernel and stride are still readable.
    const text = transposed(1, 'kernelSize: 4, strides: 2', '[4, 4, 2]');
    const found = diagnose(text);
    expect(found.map((d) => `${d.code} ${d.severity}`)).toEqual(['NS4001 error', 'NS5002 warning']);
    expect(found[1]!.message).toContain('2 sizes map back to each input size');
  });

  test('an error later in the model does not hide the range of a layer before it', () => {
    const text = transposed(2, 'kernelSize: 4, strides: 2', '[4, 4, 2]') + '    outputs: { up: [11, 11, 2] }\n';
    const found = diagnose(text);
    expect(found.map((d) => `${d.code} ${d.severity}`)).toEqual(['NS5002 warning', 'NS4006 error']);
    expect(found[0]!.message).toContain('it picks [null, 10, 10, 2]; sizes 10..11 all map back to 4');
  });
});

describe('NS5003 unusedParam', () => {
  const spec = (params: string, units: string, extra = '') => `netspec: 1
params:
${params}
${extra}models:
  m:
    inputs: { z: [8] }
    layers:
      - { type: dense, units: ${units} }
`;

  test('a param nothing uses warns at its key; a used one does not', () => {
    const text = spec('  width: 4\n  spare: 3', 'width');
    const found = diagnose(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'NS5003', severity: 'warning', line: lineOf(text, 'spare: 3'), message: "param 'spare' is never used" });
    expect(found[0]!.fix).toContain("remove 'spare' from params");
  });

  const used: [string, { params: string; units: string; extra?: string; text?: (t: string) => string }][] = [
    ['in a layer option', { params: '  width: 4', units: 'width * 2' }],
    ['only inside another param', { params: '  base: 2\n  width: base * 4', units: 'width' }],
    ['through a chain of params', { params: '  a: 2\n  b: a + 1\n  c: max(b, 3)', units: 'c' }],
    ['in an input shape', { params: '  zDim: 8', units: '2', text: (t) => t.replace('z: [8]', 'z: [zDim]') }],
    ['in an output assertion', { params: '  n: 2', units: 'n', text: (t) => t + '    outputs: { dense_1: [n] }\n' }],
    ['in defaults', { params: '  n: 2', units: '2', extra: 'defaults: { dense: { units: n } }\n', text: (t) => t.replace(', units: 2', '') }],
  ];
  test.each(used)('a param used %s does not warn', (_, { params, units, extra, text }) => {
    const base = spec(params, units, extra);
    expect(diagnose(text ? text(base) : base)).toEqual([]);
  });

  test('a param used only by an unused param: only the unused one warns', () => {
    const text = spec('  a: 2\n  b: a * 2\n  width: 4', 'width');
    expect(diagnose(text).map((d) => `${d.line} ${d.code} ${d.message}`)).toEqual([`${lineOf(text, 'b: a')} NS5003 param 'b' is never used`]);
  });

  test('a param used only by a default that fills no layer counts as unused', () => {
    const text = spec('  width: 4\n  convFilters: 8', 'width', 'defaults: { conv2d: { filters: convFilters } }\n');
    expect(diagnose(text).map((d) => `${d.line} ${d.code}`)).toEqual([`${lineOf(text, 'convFilters: 8')} NS5003`]);
  });
});

describe('NS5004 unusedLayer', () => {
  const text = `netspec: 1
models:
  m:
    inputs:
      z: [8]
    layers:
      - { type: dense, id: trunk, from: z, units: 4 }
      - { type: dense, id: dangling, from: trunk, units: 2 }
      - { type: dense, id: twig, from: dangling, units: 2 }
      - { type: dense, id: head, from: trunk, units: 1 }
      - { type: dense, id: side, from: trunk, units: 5 }
    outputs: { head: [1], side: null }
`;

  test('a layer no output depends on warns, also when another such layer reads it; layers on the way to outputs do not', () => {
    const found = diagnose(text);
    expect(found.map((d) => `${d.line} ${d.code} ${d.severity}`)).toEqual([`${lineOf(text, 'id: dangling')} NS5004 warning`, `${lineOf(text, 'id: twig')} NS5004 warning`]);
    expect(found[0]!.message).toBe("layer 'dangling' of model 'm' is computed but never used");
    expect(found[0]!.fix).toContain('outputs');
    expect(found[1]!.message).toBe("layer 'twig' of model 'm' is computed but never used");
  });

  test('an input no output depends on is an error (NS4019), not this lint: tfjs drops it on save', () => {
    const withExtra = text.replace('      z: [8]\n', '      z: [8]\n      extra: [3]\n');
    expect(diagnose(withExtra).map((d) => `${d.line} ${d.code} ${d.severity}`)).toContain(`${lineOf(withExtra, 'extra: [3]')} NS4019 error`);
  });

  test('without outputs the last layer is the output', () => {
    const text = `netspec: 1
models:
  m:
    inputs: { z: [8] }
    layers:
      - { type: dense, units: 4 }
      - { type: dense, units: 2 }
`;
    expect(diagnose(text)).toEqual([]);
  });

  test('an input listed as an output is used', () => {
    const text = `netspec: 1
models:
  m:
    inputs: { z: [8], passthrough: [3] }
    layers:
      - { type: dense, from: z, units: 4 }
    outputs: { dense_1: null, passthrough: null }
`;
    expect(diagnose(text)).toEqual([]);
  });

  test('a layer read only by a merge is used', () => {
    const text = `netspec: 1
models:
  m:
    inputs: { z: [8] }
    layers:
      - { type: dense, id: a, units: 4 }
      - { type: dense, id: b, from: z, units: 4 }
      - { type: add, from: [a, b] }
`;
    expect(diagnose(text)).toEqual([]);
  });

  test('a model with errors gets no NS5004', () => {
    const broken = text.replace('id: head, from: trunk', 'id: head, from: trunkk');
    const found = diagnose(broken);
    expect(found.map((d) => d.code)).toEqual(['NS3005']);
    expect(found[0]).toMatchObject({ severity: 'error', line: lineOf(broken, 'trunkk') });
  });

  test('a layer-level setting turns it off for that layer only', () => {
    const off = text.replace('id: dangling, from: trunk, units: 2', 'id: dangling, from: trunk, units: 2, lint: { unusedLayer: off }');
    expect(diagnose(off).map((d) => `${d.line} ${d.code}`)).toEqual([`${lineOf(off, 'id: twig')} NS5004`]);
  });
});

describe('NS5005 doubleActivation', () => {
  const spec = (first: string, second: string) => `netspec: 1
models:
  m:
    inputs: { z: [8] }
    layers:
      - { type: dense, id: d, ${first} }
      - { ${second} }
`;

  const warns: [string, { first: string; second: string; message: string; note: string }][] = [
    ['dense relu then activation relu', { first: 'units: 4, activation: relu', second: 'type: activation, id: act, activation: relu', message: "layer 'act' applies relu to 'd', which already applies relu", note: "'d' applies relu" }],
    ['dense relu then activation sigmoid', { first: 'units: 4, activation: relu', second: 'type: activation, id: act, activation: sigmoid', message: "layer 'act' applies sigmoid to 'd', which already applies relu", note: "'d' applies relu" }],
    ['dense relu then leakyReLU', { first: 'units: 4, activation: relu', second: 'type: leakyReLU, id: act', message: "layer 'act' applies leakyReLU to 'd', which already applies relu", note: "'d' applies relu" }],
    ['dense tanh then reLU', { first: 'units: 4, activation: tanh', second: 'type: reLU, id: act', message: "layer 'act' applies reLU to 'd', which already applies tanh", note: "'d' applies tanh" }],
    ['dense relu then softmax', { first: 'units: 4, activation: relu', second: 'type: softmax, id: act', message: "layer 'act' applies softmax to 'd', which already applies relu", note: "'d' applies relu" }],
    ['dense relu then elu', { first: 'units: 4, activation: relu', second: 'type: elu, id: act', message: "layer 'act' applies elu to 'd', which already applies relu", note: "'d' applies relu" }],
  ];
  test.each(warns)('%s warns, with a note at the first layer', (_, { first, second, message, note }) => {
    const text = spec(first, second);
    const found = diagnose(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'NS5005', severity: 'warning', line: lineOf(text, 'id: act'), message });
    // 'act' is the model's output: removing it would rename the output to 'd', so that is left to the user.
    expect(found[0]!.notes).toEqual([
      { message: note, line: lineOf(text, 'id: d') },
      { message: "another fix, to make by hand: remove 'act'", line: undefined },
    ]);
    expect(found[0]!.fix).toBe("remove the activation of 'd'");
  });

  test('the note points at the first layer on its own line, away from the warning', () => {
    const text = `netspec: 1
models:
  m:
    inputs: { z: [8] }
    layers:
      - type: dense
        id: d
        units: 4
        activation: relu
      - type: activation
        activation: relu
`;
    const found = diagnose(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'NS5005', severity: 'warning', line: 11, fix: "remove the activation of 'd'" });
    expect(found[0]!.notes.map((n) => n.line)).toEqual([9, undefined]);
  });

  test('an activation layer after an activation layer warns', () => {
    const text = `netspec: 1
models:
  m:
    inputs: { z: [8] }
    layers:
      - { type: leakyReLU, id: d }
      - { type: activation, id: act, activation: tanh }
`;
    // The first activation is a layer of its own: removing it is the fix, since 'act' is the output.
    expect(diagnose(text)).toMatchObject([
      { code: 'NS5005', line: 7, message: "layer 'act' applies tanh to 'd', which already applies leakyReLU", notes: [{ line: 6 }, { message: "another fix, to make by hand: remove 'act'" }], fix: "remove 'd'" },
    ]);
  });

  const silent: [string, { first: string; second: string }][] = [
    ['dense without activation then leakyReLU', { first: 'units: 4', second: 'type: leakyReLU' }],
    ['dense linear then reLU', { first: 'units: 4, activation: linear', second: 'type: reLU' }],
    ['dense relu then activation linear (a no-op, not a second activation)', { first: 'units: 4, activation: relu', second: 'type: activation, activation: linear' }],
    ['dense relu then dense', { first: 'units: 4, activation: relu', second: 'type: dense, units: 2' }],
  ];
  test.each(silent)('%s does not warn', (_, { first, second }) => {
    expect(diagnose(spec(first, second))).toEqual([]);
  });

  test('activation linear followed by an activation layer does not warn', () => {
    const text = `netspec: 1
models:
  m:
    inputs: { z: [8] }
    layers:
      - { type: activation, activation: linear }
      - { type: reLU }
`;
    expect(diagnose(text)).toEqual([]);
  });
});

/** A spec with every lint once (NS5004 twice: a layer no output reads, and a layer only it reads). */
const everyLint = `netspec: 1
params:
  spare: 1
models:
  m:
    inputs:
      z: [16]
    layers:
      - { type: dense, id: d, from: z, units: 16, activation: relu }
      - { type: activation, id: act, activation: relu }
      - { type: reshape, id: r, targetShape: [2, 2, 4] }
      - { type: conv2dTranspose, id: up, filters: 2, kernelSize: 3, strides: 2 }
      - { type: conv2dTranspose, id: up2, from: r, filters: 2, kernelSize: 3, strides: 2, padding: same }
      - { type: dense, id: dangling, from: d, units: 2 }
      - { type: dense, id: twig, from: dangling, units: 2 }
    outputs: { up: null, up2: null }
`;

/** `everyLint` with a spec-level `lint:` mapping. */
const withSpecLint = (settings: string) => everyLint.replace('models:\n', `lint: ${settings}\nmodels:\n`);
/** `everyLint` with a `lint:` mapping on layer `id`. */
const withLayerLint = (id: string, settings: string) => everyLint.replace(new RegExp(`(id: ${id}, [^\\n]*) }\\n`), `$1, lint: ${settings} }\n`);

const codesOf = (text: string) => diagnose(text).map((d) => `${d.code} ${d.severity}`);

describe('lint settings', () => {
  test('the reference spec has every lint as a warning', () => {
    expect(codesOf(everyLint)).toEqual(['NS5003 warning', 'NS5005 warning', 'NS5001 warning', 'NS5002 warning', 'NS5001 warning', 'NS5004 warning', 'NS5004 warning']);
  });

  const names: [string, Code][] = [
    ['checkerboard', 'NS5001'],
    ['ambiguousSize', 'NS5002'],
    ['unusedParam', 'NS5003'],
    ['unusedLayer', 'NS5004'],
    ['doubleActivation', 'NS5005'],
  ];
  test.each(names)('spec-level `%s: off` and `%s: off` turn off exactly that lint', (name, code) => {
    const all = codesOf(everyLint);
    const rest = all.filter((c) => !c.startsWith(code));
    expect(rest.length).toBeLessThan(all.length);
    expect(codesOf(withSpecLint(`{ ${name}: off }`))).toEqual(rest);
    expect(codesOf(withSpecLint(`{ ${code}: off }`))).toEqual(rest);
  });

  test('a layer-level setting silences only that layer', () => {
    const text = withLayerLint('up', '{ checkerboard: off }');
    const found = diagnose(text).filter((d) => d.code === 'NS5001');
    expect(found.map((d) => d.line)).toEqual([lineOf(text, 'id: up2')]);
    // Other lints of the same layer stay on.
    expect(diagnose(text).filter((d) => d.code === 'NS5002').map((d) => d.line)).toEqual([lineOf(text, 'id: up,')]);
  });

  test('a layer-level setting by code', () => {
    const text = withLayerLint('up2', '{ NS5001: off }');
    expect(diagnose(text).filter((d) => d.code === 'NS5001').map((d) => d.line)).toEqual([lineOf(text, 'id: up,')]);
  });

  test('doubleActivation is set on the layer that applies the second activation', () => {
    expect(codesOf(withLayerLint('act', '{ doubleActivation: off }'))).not.toContain('NS5005 warning');
  });

  test('layer-level `warning` overrides spec-level `off`', () => {
    const text = withLayerLint('up2', '{ checkerboard: warning }').replace('models:\n', 'lint: { checkerboard: off }\nmodels:\n');
    expect(diagnose(text).filter((d) => d.code === 'NS5001')).toMatchObject([{ severity: 'warning', line: lineOf(text, 'id: up2') }]);
  });

  test('layer-level `off` overrides spec-level `error`', () => {
    const text = withLayerLint('up2', '{ checkerboard: off }').replace('models:\n', 'lint: { checkerboard: error }\nmodels:\n');
    expect(diagnose(text).filter((d) => d.code === 'NS5001')).toMatchObject([{ severity: 'error', line: lineOf(text, 'id: up,') }]);
  });

  test('`error` makes the lint an error with the same code, place and message', () => {
    const warning = diagnose(everyLint).find((d) => d.code === 'NS5005')!;
    const text = withSpecLint('{ doubleActivation: error }');
    const error = diagnose(text).find((d) => d.code === 'NS5005')!;
    const raised = { message: "an error, not a warning, by the spec's lint settings" };
    expect(error).toEqual({ ...warning, severity: 'error', line: warning.line! + 1, notes: [...warning.notes.map((n) => ({ ...n, line: n.line! + 1 })), raised] });
    expect(diagnose(text).filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['NS5005']);
  });

  test('`error` on a layer escalates only that layer', () => {
    const text = withLayerLint('up2', '{ checkerboard: error }');
    expect(diagnose(text).filter((d) => d.code === 'NS5001').map((d) => `${d.line} ${d.severity}`)).toEqual([`${lineOf(text, 'id: up,')} warning`, `${lineOf(text, 'id: up2')} error`]);
  });

  test('`warning` is the default', () => {
    expect(codesOf(withSpecLint('{ checkerboard: warning, NS5004: warning }'))).toEqual(codesOf(everyLint));
  });

  // The schema error does not stop the run: the lints are still reported, as warnings.
  describe('unknown names and levels are schema errors', () => {
    test('an unknown lint name at spec level', () => {
      const text = withSpecLint('{ checkerbord: off }');
      const found = diagnose(text).filter((d) => d.severity === 'error');
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ severity: 'error', line: lineOf(text, 'checkerbord') });
      expect(found[0]!.code).toMatch(/^NS200[12]$/);
      expect(found[0]!.message).toContain('checkerbord');
    });

    test('an unknown lint name at layer level', () => {
      const text = withLayerLint('up', '{ chekerboard: off }');
      const found = diagnose(text).filter((d) => d.severity === 'error');
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ line: lineOf(text, 'chekerboard') });
      expect(found[0]!.code).toMatch(/^NS200[12]$/);
      expect(found[0]!.message).toContain('chekerboard');
    });

    test('an unknown code', () => {
      const found = diagnose(withSpecLint('{ NS5009: off }')).filter((d) => d.severity === 'error');
      expect(found).toHaveLength(1);
      expect(found[0]!.message).toContain('NS5009');
    });

    test('an unknown lint name is an unknown option with a did-you-mean', () => {
      const text = withSpecLint('{ checkerbord: off }');
      const found = diagnose(text).filter((d) => d.severity === 'error');
      expect(found).toMatchObject([{ code: 'NS2002', severity: 'error', line: lineOf(text, 'checkerbord'), fix: "did you mean 'checkerboard'?" }]);
      expect(found[0]!.message).toContain("unknown option 'checkerbord'");
    });

    test('an unknown level gets a did-you-mean', () => {
      const text = withSpecLint('{ checkerboard: of }');
      expect(diagnose(text).filter((d) => d.severity === 'error')).toMatchObject([{ code: 'NS2005', severity: 'error', line: lineOf(text, 'checkerboard: of'), fix: "did you mean 'off'?" }]);
    });
  });
});

describe('through the CLI', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'netspec-lint-'));
    mkdirSync(join(dir, 'specs'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...argv: string[]): Promise<Run> => runCli(dir, ...argv);

  test('warnings alone: check exits 0 and build still writes', async () => {
    writeFileSync(join(dir, 'specs', 'lint.yaml'), everyLint);
    const checked = await run('check');
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain(`specs/lint.yaml:${lineOf(everyLint, 'id: act')}:`);
    expect(checked.stdout).toMatch(/warning NS5005: /);
    expect(checked.stdout).toContain('0 errors, 7 warnings');
    const json = JSON.parse((await run('check', '--format', 'json')).stdout) as { ok: boolean; diagnostics: { severity: string }[] };
    expect(json.ok).toBe(true);
    expect(json.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
    const built = await run('build');
    expect(built.code).toBe(0);
    expect(built.stderr).toContain('warning NS5001');
    expect(readFileSync(join(dir, 'generated', 'lint.ts'), 'utf8')).toContain('export function buildM(): tf.LayersModel');
  });

  test('`error` escalates: check exits 1 and build writes nothing', async () => {
    const text = withSpecLint('{ unusedParam: error }');
    writeFileSync(join(dir, 'specs', 'lint.yaml'), text);
    const checked = await run('check');
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain(`specs/lint.yaml:${lineOf(text, 'spare: 1')}:3: error NS5003: param 'spare' is never used`);
    expect(checked.stdout).toContain('1 error, 6 warnings');
    const built = await run('build');
    expect(built.code).toBe(1);
    expect(built.stderr).toContain('nothing written');
    expect(existsSync(join(dir, 'generated'))).toBe(false);
  });
});
