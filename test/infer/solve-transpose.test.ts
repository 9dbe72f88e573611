import { describe, expect, test } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { check } from '../../src/index.js';

/**
 * The transposed-convolution solver suggests changes for NS4006 and NS4003.
 * Each case applies the suggested change to the YAML itself and checks the
 * result independently: the error must be gone and nothing new must appear.
 */

function errors(text: string): Diagnostic[] {
  return check([{ path: 'specs/s.yaml', text }]).diagnostics.filter((d) => d.severity === 'error');
}

function suggestions(d: Diagnostic): string[] {
  return d.notes.filter((n) => n.message.includes('checked by re-inferring')).map((n) => n.message);
}

const unet = (up: string) => `netspec: 1
models:
  unet:
    inputs: { x: [15, 15, 8] }
    layers:
      - { type: conv2d, id: down, filters: 16, kernelSize: 3, strides: 2, padding: same }
      - { type: conv2dTranspose, id: up, filters: 8, kernelSize: 4, strides: 2, ${up} }
      - { type: batchNormalization, id: norm }
      - { type: leakyReLU, id: act, alpha: 0.2 }
      - { type: concatenate, id: skip, from: [act, x] }
`;

describe('a merge of an odd skip with an upsampled path', () => {
  const [error] = errors(unet('padding: same'));

  test('walks back through normalization and activation to the transposed convolution', () => {
    expect(error?.code).toBe('NS4003');
    expect(suggestions(error!)).toEqual([
      "set `outputPadding: 1` on 'up': it then outputs [null, 15, 15, 8] and this error is gone (checked by re-inferring the model)",
      "set `padding: [[1, 2], [1, 2]]` on 'up': it then outputs [null, 15, 15, 8] and this error is gone (checked by re-inferring the model)",
      "set `outputShape: [15, 15]` on 'up': it then outputs [null, 15, 15, 8] and this error is gone (checked by re-inferring the model)",
    ]);
    expect(error?.fix).toBe("set `outputPadding: 1` on 'up', or another change the notes list");
  });

  test.each([['padding: same, outputPadding: 1'], ['padding: [[1, 2], [1, 2]]'], ['padding: same, outputShape: [15, 15]']])('applying %s leaves no error', (change) => {
    expect(errors(unet(change))).toEqual([]);
  });
});

const generator = (last: string, asserted: string) => `netspec: 1
models:
  generator:
    inputs: { z: [100] }
    layers:
      - { type: dense, units: 4 * 4 * 64 }
      - { type: reshape, targetShape: [4, 4, 64] }
      - { type: conv2dTranspose, id: up1, filters: 32, kernelSize: 4, strides: 2, padding: same }
      - { type: conv2dTranspose, id: up2, filters: 16, kernelSize: 4, strides: 2, padding: same }
      - { type: conv2dTranspose, id: image, filters: 3, kernelSize: 4, strides: 2, ${last}, activation: tanh }
    outputs: { image: ${asserted} }
`;

describe('an output assertion one pixel off', () => {
  test('an odd size a same-padded even kernel cannot reach gets explicit padding', () => {
    const [error] = errors(generator('padding: same', '[33, 33, 3]'));
    expect(error?.code).toBe('NS4006');
    expect(error?.fix).toBe("set `padding: [[0, 1], [0, 1]]` on 'image'; or if the layers are right, assert [32, 32, 3]");
    expect(errors(generator('padding: [[0, 1], [0, 1]]', '[33, 33, 3]'))).toEqual([]);
  });

  test('a smaller size is reached with outputShape, and nearer layers come first', () => {
    const [error] = errors(generator('padding: same', '[31, 31, 3]'));
    const found = suggestions(error!);
    expect(found[0]).toContain("`outputPadding: 1` on 'image'");
    expect(found.every((s) => s.includes("on 'image'"))).toBe(true);
    expect(errors(generator('padding: same, outputPadding: 1', '[31, 31, 3]'))).toEqual([]);
    expect(errors(generator('padding: same, outputShape: [31, 31]', '[31, 31, 3]'))).toEqual([]);
  });

  test('a wrong channel count is not a size error: no suggestion', () => {
    const [error] = errors(generator('padding: same', '[32, 32, 1]'));
    expect(error?.code).toBe('NS4006');
    expect(suggestions(error!)).toEqual([]);
    // Alone, asserting what the layers compute is advice: as an edit, check --fix would silence the assertion.
    expect(error?.fix).toBeUndefined();
    expect(error?.notes.map((n) => n.message)).toContain('if the layers are right, assert [32, 32, 3]');
  });
});

test('a change that would break another output is not suggested', () => {
  const spec = `netspec: 1
models:
  twoHeads:
    inputs: { z: [8, 8, 4] }
    layers:
      - { type: conv2dTranspose, id: up, filters: 4, kernelSize: 4, strides: 2, padding: same }
      - { type: conv2d, id: head, filters: 2, kernelSize: 3, padding: same }
    outputs: { up: [16, 16, 4], head: [17, 17, 2] }
`;
  const [error] = errors(spec);
  expect(error?.code).toBe('NS4006');
  expect(suggestions(error!)).toEqual([]);
});

test('conv1dTranspose and conv3dTranspose get suggestions that check out', () => {
  const wave = (op: string) => `netspec: 1
models:
  wave:
    inputs: { z: [16, 8], skip: [65, 4] }
    layers:
      - { type: conv1dTranspose, id: up, from: z, filters: 4, kernelSize: 8, strides: 4, padding: same${op} }
      - { type: add, from: [up, skip] }
`;
  const [e1] = errors(wave(''));
  expect(e1?.fix).toBe("set `padding: [[1, 2]]` on 'up'");
  expect(errors(wave('').replace('padding: same', 'padding: [[1, 2]]'))).toEqual([]);

  const voxels = (op: string) => `netspec: 1
models:
  voxels:
    inputs: { z: [4, 4, 4, 8] }
    layers:
      - { type: conv3dTranspose, id: up, filters: 1, kernelSize: 4, strides: 2, padding: same${op} }
    outputs: { up: [8, 7, 8, 1] }
`;
  const [e3] = errors(voxels(''));
  // No outputPadding reaches 8 and 7 from 4 with same padding; explicit pairs and outputShape do.
  expect(suggestions(e3!).map((s) => s.split(':  it')[0]!.split(': it then')[0])).toEqual(["set `padding: [[1, 1], [1, 2], [1, 1]]` on 'up'", "set `outputShape: [8, 7, 8]` on 'up'"]);
  expect(errors(voxels('').replace('padding: same', 'padding: [[1, 1], [1, 2], [1, 1]]'))).toEqual([]);
  expect(errors(voxels(', outputShape: [8, 7, 8]'))).toEqual([]);
});

test('a stray stride is undone together with the padding that makes the size', () => {
  const vae = (last: string) => `netspec: 1
models:
  decoder:
    inputs: { z: [2] }
    layers:
      - { type: dense, units: 7 * 7 * 64 }
      - { type: reshape, targetShape: [7, 7, 64] }
      - { type: conv2dTranspose, id: up1, filters: 64, kernelSize: 4, strides: 2, padding: same }
      - { type: conv2dTranspose, id: up2, filters: 32, kernelSize: 4, strides: 2, padding: same }
      - { type: conv2dTranspose, id: image, filters: 1, kernelSize: 3, ${last} }
    outputs: { image: [28, 28, 1] }
`;
  const [error] = errors(vae('strides: 2, padding: valid'));
  expect(error?.fix).toBe("set `strides: 1` and `padding: same` on 'image'; or if the layers are right, assert [57, 57, 1]");
  expect(errors(vae('strides: 1, padding: same'))).toEqual([]);
});

test('an outputPadding that overshoots is simply removed', () => {
  const spec = (op: string) => `netspec: 1
models:
  m:
    inputs: { z: [8, 8, 4] }
    layers:
      - { type: conv2dTranspose, id: up, filters: 4, kernelSize: 4, strides: 2, padding: same${op} }
    outputs: { up: [16, 16, 4] }
`;
  const [error] = errors(spec(', outputPadding: 1'));
  expect(error?.fix).toBe("remove outputPadding from 'up', or another change the notes list; or if the layers are right, assert [15, 15, 4]");
  expect(errors(spec(''))).toEqual([]);
});

describe('a transposed convolution made by a repeat', () => {
  const decoder = (skip: number, options = '') => `netspec: 1
models:
  decoder:
    inputs: { z: [4, 4, 8], skip: [${skip}, ${skip}, 8] }
    layers:
      - { type: conv2d, id: stem, from: z, filters: 8, kernelSize: 1 }
      - repeat: 2
        layers:
          - { type: conv2dTranspose, id: "up{i}", filters: 8, kernelSize: 4, strides: 2, padding: same${options} }
      - { type: concatenate, from: [up1, skip] }
`;

  test('an edit of its YAML changes every iteration, and is checked that way', () => {
    const [error] = errors(decoder(13));
    expect(error?.fix).toBe("set `outputPadding: 1` on 'up1' (in the repeat body: all 2 layers made from it), or another change the notes list");
    expect(errors(decoder(13, ', outputPadding: 1'))).toEqual([]);
  });

  test('a change that would fit one iteration only is not suggested', () => {
    // Only the last layer alone could reach 18 (valid padding); the same edit makes the first layer 10 and the last 22.
    const [error] = errors(decoder(18));
    expect(error?.code).toBe('NS4003');
    expect(suggestions(error!)).toEqual([]);
    expect(errors(decoder(18, '').replace('padding: same', 'padding: valid, outputPadding: 0'))).not.toEqual([]);
  });
});

test('candidates for a 3D layer with many choices per axis keep one entry per axis (found by the fuzzer: it threw)', () => {
  // Kernel 23 with dilation 2 gives 45 padding totals per axis: past the candidate cap after two axes.
  const text = `netspec: 1
models:
  m:
    inputs: { x: [4, 4, 4, 2] }
    layers:
      - { type: conv3dTranspose, id: up, filters: 6, kernelSize: 23, dilationRate: 2 }
    outputs:
      up: [60, 60, 60, 6]
`;
  const [error] = errors(text);
  expect(error?.code).toBe('NS4006');
  for (const s of suggestions(error!)) expect(s).toMatch(/^set `/);
});

describe('issue 13: fixes that exist are offered', () => {
  const skip = (up: string, tail: string) => unet(up) + tail;
  const reshape = '      - { type: reshape, id: flat, targetShape: [100] }\n';

  test('an error behind the merge does not take its fixes away; applying one uncovers it', () => {
    const [error] = errors(skip('padding: same', reshape));
    expect(suggestions(error!)).toEqual(suggestions(errors(unet('padding: same'))[0]!));
    // Applied, the merge is fixed and the reshape, which could not be checked before, is reported.
    expect(errors(skip('padding: same, outputPadding: 1', reshape)).map((d) => d.code)).toEqual(['NS4005']);
    expect(errors(skip('padding: same, outputPadding: 1', reshape))[0]!.message).toContain("layer 'flat'");
  });

  const wave = (s2: number, asserted = 1024) => `netspec: 1
models:
  wave:
    inputs: { z: [16, 64] }
    layers:
      - { type: conv1dTranspose, id: up1, filters: 32, kernelSize: 8, strides: 4, padding: same }
      - { type: conv1dTranspose, id: up2, filters: 16, kernelSize: 8, strides: ${s2}, padding: same }
      - { type: conv1dTranspose, id: audio, filters: 1, kernelSize: 8, strides: 4, padding: same }
    outputs: { audio: [${asserted}, 1] }
`;

  test('a stride larger than any written one is found, and each checks out', () => {
    const [error] = errors(wave(2));
    const found = suggestions(error!);
    expect(found.some((s) => s.startsWith("set `strides: 4` on 'up2'"))).toBe(true);
    expect(errors(wave(4))).toEqual([]);
  });

  const pair = (s1: number, s2: number) => `netspec: 1
models:
  g:
    inputs: { z: [4, 4, 64] }
    layers:
      - { type: conv2dTranspose, id: up1, filters: 32, kernelSize: 2, strides: ${s1}, padding: same }
      - { type: conv2dTranspose, id: up2, filters: 16, kernelSize: 2, strides: ${s2}, padding: same }
    outputs: { up2: [16, 16, 16] }
`;

  test('a pair without lint comes before single changes that earn NS5001', () => {
    const [error] = errors(pair(1, 1));
    expect(error?.fix?.startsWith("set `strides: 2` on 'up2', and set `strides: 2` on 'up1'")).toBe(true);
    const all = check([{ path: 'specs/s.yaml', text: pair(2, 2) }]).diagnostics;
    expect(all).toEqual([]);
    expect(check([{ path: 'specs/s.yaml', text: pair(1, 4) }]).diagnostics.map((d) => d.code)).toEqual(['NS5001']);
  });
});
