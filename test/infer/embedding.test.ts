import { describe, expect, test } from 'vitest';
import { symbolic } from '../../src/infer/affine.js';
import { inferModel } from '../../src/infer/infer-shapes.js';
import { check, input, layer, model, type Case } from './helpers.js';

describe('embedding: the input shape plus outputDim; embeddings [inputDim, outputDim]', () => {
  const H = symbolic('H');
  const table: Case[] = [
    ['class labels [batch, 1]', { given: { args: { inputDim: 10, outputDim: 50 }, input: [null, 1] }, want: { shape: [null, 1, 50], weights: [['embeddings', [10, 50]]], macs: 0 } }],
    ['one index per sample [batch]', { given: { args: { inputDim: 10, outputDim: 4 }, input: [null] }, want: { shape: [null, 4], weights: [['embeddings', [10, 4]]] } }],
    ['sequences of unknown length', { given: { args: { inputDim: 1000, outputDim: 8 }, input: [null, null] }, want: { shape: [null, null, 8], weights: [['embeddings', [1000, 8]]] } }],
    ['rank 3 with a fixed batch', { given: { args: { inputDim: 5, outputDim: 2 }, input: [4, 3, 2] }, want: { shape: [4, 3, 2, 2], weights: [['embeddings', [5, 2]]] } }],
    ['symbolic lengths stay symbolic (the weights do not depend on them)', { given: { args: { inputDim: 5, outputDim: 2 }, input: [null, H] }, want: { shape: [null, H, 2], weights: [['embeddings', [5, 2]]] } }],
  ];
  test.each(table)('%s', (_, { given, want }) => check('embedding', given, want));
});

describe('inputLength is checked like inputShape', () => {
  const infer = (args: Record<string, number | number[]>, shape: (number | null)[]) => {
    const result = inferModel('t.yaml', model([{ ...input('ids', shape), dtype: 'int32' }], [layer('embedding', { inputDim: 4, outputDim: 2, ...args }, ['ids'])]));
    return { shape: result.value?.outputs[0]?.shape, errors: result.diagnostics.map((d) => `${d.code} ${d.message}`) };
  };
  test.each([
    ['a number for one axis', { inputLength: 3 }, [3], { shape: [null, 3, 2], errors: [] }],
    ['a list, one entry per axis', { inputLength: [3, 2] }, [3, 2], { shape: [null, 3, 2, 2], errors: [] }],
    ['a different length', { inputLength: 4 }, [3], { errors: ["NS4006 inputLength says the layer receives [null, 4], but it receives [null, 3] from 'ids'"] }],
    ['too few entries', { inputLength: 3 }, [3, 2], { errors: ["NS4006 inputLength says the layer receives [null, 3], but it receives [null, 3, 2] from 'ids'"] }],
    ['an unknown length does not match a fixed one', { inputLength: 3 }, [null], { errors: ["NS4006 inputLength says the layer receives [null, 3], but it receives [null, null] from 'ids'"] }],
  ] as const)('%s', (_, args, shape, want) => {
    expect(infer(args as Record<string, number | number[]>, shape.slice())).toEqual(want);
  });
});
