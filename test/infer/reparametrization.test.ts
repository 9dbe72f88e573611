import { describe, expect, test } from 'vitest';
import { check as checkSpec } from '../../src/index.js';
import { symbolic } from '../../src/infer/affine.js';
import { check, type Case } from './helpers.js';

describe('weight reparametrizations: the weights they add, per the Keras kernel\'s last axis', () => {
  const H = symbolic('H');
  const table: [string, string, Case[1]][] = [
    ['dense', 'weightNormalization: dense 80 -> 512 has g [512] (80*512 + 512 + 512)', { given: { args: { units: 512, weightNormalization: true }, input: [null, 80] }, want: { shape: [null, 512], weights: [['kernel', [80, 512]], ['bias', [512]], ['g', [512]]], macs: 80 * 512 } }],
    ['dense', 'spectralNormalization: vector_u [1, units], non-trainable', { given: { args: { units: 4, spectralNormalization: true }, input: [null, 3, 6] }, want: { shape: [null, 3, 4], weights: [['kernel', [6, 4]], ['bias', [4]], ['vector_u', [1, 4], false]] } }],
    ['dense', 'equalizedLearningRate adds nothing', { given: { args: { units: 4, equalizedLearningRate: { lrMultiplier: 0.01 } }, input: [null, 6] }, want: { shape: [null, 4], weights: [['kernel', [6, 4]], ['bias', [4]]] } }],
    ['dense', 'false (overriding a default) adds nothing', { given: { args: { units: 4, spectralNormalization: false, weightNormalization: false }, input: [null, 6] }, want: { shape: [null, 4], weights: [['kernel', [6, 4]], ['bias', [4]]] } }],
    ['conv2d', 'Keras conv2d 3 -> 64 kernel 3 with spectral normalization: u [1, 64], 64 non-trainable', { given: { args: { filters: 64, kernelSize: 3, spectralNormalization: true }, input: [null, 8, 8, 3] }, want: { shape: [null, 6, 6, 64], weights: [['kernel', [3, 3, 3, 64]], ['bias', [64]], ['vector_u', [1, 64], false]] } }],
    ['conv2d', 'weightNormalization without bias: g per filter', { given: { args: { filters: 5, kernelSize: 3, useBias: false, padding: 'same', weightNormalization: true }, input: [null, H, H, 2] }, want: { shape: [null, H, H, 5], weights: [['kernel', [3, 3, 2, 5]], ['g', [5]]] } }],
    ['conv1d', 'spectralNormalization { powerIterations: 4 }', { given: { args: { filters: 2, kernelSize: 3, spectralNormalization: { powerIterations: 4 } }, input: [null, 10, 3] }, want: { shape: [null, 8, 2], weights: [['kernel', [3, 3, 2]], ['bias', [2]], ['vector_u', [1, 2], false]] } }],
    ['conv3d', 'channelsFirst weightNormalization', { given: { args: { filters: 2, kernelSize: 2, dataFormat: 'channelsFirst', weightNormalization: true }, input: [null, 3, 4, 4, 4] }, want: { shape: [null, 2, 3, 3, 3], weights: [['kernel', [2, 2, 2, 3, 2]], ['bias', [2]], ['g', [2]]] } }],
    [
      'conv1dTranspose',
      'weightNormalization 512 -> 256 kernel 16: g per input channel (PyTorch dim 0), 16*256*512 + 512 + 256',
      { given: { args: { filters: 256, kernelSize: 16, strides: 4, padding: 'same', weightNormalization: true }, input: [null, 16, 512] }, want: { shape: [null, 64, 256], weights: [['kernel', [16, 256, 512]], ['bias', [256]], ['g', [512]]] } },
    ],
    ['conv2dTranspose', 'spectralNormalization: u over the input channels, as Keras (PyTorch\'s default counts the 8 outputs)', { given: { args: { filters: 8, kernelSize: 4, strides: 2, padding: 'same', spectralNormalization: true }, input: [null, 4, 4, 16] }, want: { shape: [null, 8, 8, 8], weights: [['kernel', [4, 4, 8, 16]], ['bias', [8]], ['vector_u', [1, 16], false]] } }],
    ['conv3dTranspose', 'equalizedLearningRate adds nothing', { given: { args: { filters: 2, kernelSize: 2, strides: 2, equalizedLearningRate: true }, input: [null, 2, 2, 2, 3] }, want: { shape: [null, 4, 4, 4, 2], weights: [['kernel', [2, 2, 2, 2, 3]], ['bias', [2]]] } }],
    [
      'conv2d',
      'two reparametrizations: NS4022 at the second',
      {
        given: { args: { filters: 2, kernelSize: 3, spectralNormalization: true, weightNormalization: true }, input: [null, 8, 8, 3] },
        want: { code: 'NS4022', option: 'weightNormalization', message: 'spectralNormalization and weightNormalization both rescale the kernel; a layer can use only one weight reparametrization' },
      },
    ],
    [
      'dense',
      'spectralNormalization with a kernelConstraint: NS4023',
      {
        given: { args: { units: 2, spectralNormalization: true, kernelConstraint: 'nonNeg' }, input: [null, 3] },
        want: { code: 'NS4023', option: 'kernelConstraint', message: 'kernelConstraint cannot be combined with spectralNormalization: the layer uses kernel / sigma, recomputed on every call, so a constraint on the stored kernel does not hold for the kernel the layer uses' },
      },
    ],
    [
      'conv2dTranspose',
      'equalizedLearningRate with a kernelInitializer: NS4023',
      {
        given: { args: { filters: 2, kernelSize: 2, equalizedLearningRate: true, kernelInitializer: 'heNormal' }, input: [null, 4, 4, 3] },
        want: {
          code: 'NS4023',
          option: 'kernelInitializer',
          message: 'kernelInitializer cannot be combined with equalizedLearningRate: the kernel is drawn from a normal of stddev 1 / lrMultiplier and scaled by sqrt(2 / fanIn) * lrMultiplier at run time; another initializer would undo the equalization',
        },
      },
    ],
    ['conv2d', 'weightNormalization leaves a biasConstraint alone', { given: { args: { filters: 1, kernelSize: 1, weightNormalization: true, biasConstraint: 'nonNeg' }, input: [null, 2, 2, 3] }, want: { shape: [null, 2, 2, 1], weights: [['kernel', [1, 1, 3, 1]], ['bias', [1]], ['g', [1]]] } }],
  ];
  test.each(table)('%s: %s', (type, _, { given, want }) => check(type, given, want));
});

/** The counts of a one-model spec, through the whole pipeline. */
function counts(text: string) {
  const result = checkSpec([{ path: 'specs/t.yaml', text }]);
  return { codes: result.diagnostics.map((d) => d.code), params: result.models[0]?.params, layers: result.models[0]?.layers.map((l) => l.weights.map((w) => w.name)) };
}

const discriminator = (defaults: string, layerOptions = '') => `netspec: 1
name: t
defaults: ${defaults}
models:
  d:
    inputs: { x: [8, 8, 3] }
    layers:
      - { type: conv2d, filters: 4, kernelSize: 3${layerOptions} }
      - { type: conv2dTranspose, filters: 2, kernelSize: 2 }
      - { type: flatten }
      - { type: dense, units: 1 }
`;

describe('reparametrizations under `defaults:`, global and per layer type', () => {
  test('a global default reaches every dense, conv and transposed conv', () => {
    expect(counts(discriminator('{ spectralNormalization: true }'))).toEqual({
      codes: [],
      params: { trainable: 3 * 3 * 3 * 4 + 4 + 2 * 2 * 2 * 4 + 2 + 7 * 7 * 2 + 1, nonTrainable: 4 + 4 + 1 },
      layers: [['kernel', 'bias', 'vector_u'], ['kernel', 'bias', 'vector_u'], [], ['kernel', 'bias', 'vector_u']],
    });
  });

  test('a per-type default reaches that type only', () => {
    expect(counts(discriminator('{ conv2d: { weightNormalization: true } }')).layers).toEqual([['kernel', 'bias', 'g'], ['kernel', 'bias'], [], ['kernel', 'bias']]);
  });

  test('a layer overrides the default with false, or picks another reparametrization', () => {
    expect(counts(discriminator('{ spectralNormalization: true }', ', spectralNormalization: false')).layers![0]).toEqual(['kernel', 'bias']);
    expect(counts(discriminator('{ conv2d: { spectralNormalization: true } }', ', spectralNormalization: false, equalizedLearningRate: true')).codes).toEqual([]);
    expect(counts(discriminator('{ conv2d: { spectralNormalization: true } }', ', weightNormalization: true')).codes).toEqual(['NS4022']);
  });

  test('a bad default is reported at the default', () => {
    const result = checkSpec([{ path: 'specs/t.yaml', text: discriminator('{ spectralNormalization: { powerIterations: 0 } }') }]);
    expect(result.diagnostics.map((d) => [d.code, d.span?.start])).toEqual([['NS2001', discriminator('{ spectralNormalization: { powerIterations: 0 } }').indexOf('0 }')]]);
  });
});
