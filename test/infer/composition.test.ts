import { describe, expect, test } from 'vitest';
import type { ModelShapes } from '../../src/ir.js';
import { summaryText } from '../../src/report/summary.js';
import { checkText, type Found } from '../helpers/found.js';

/**
 * `{ type: model, model: other }` layers in inference: the other model is
 * inferred first, the tensors fed must fit its inputs, and its weights and
 * multiply-accumulates count in the composite.
 */

/** A spec of the given models; each is `name`, its inputs (flow mapping) and its layers, one per line. */
function spec(...models: [name: string, inputs: string, layers: readonly string[], extra?: string][]): string {
  return `netspec: 1\nmodels:\n${models.map(([name, inputs, layers, extra = '']) => `  ${name}:\n    inputs: ${inputs}\n    layers:\n${layers.map((l) => `      - ${l}\n`).join('')}${extra}`).join('')}`;
}

function inferred(text: string): Map<string, ModelShapes> {
  const { result, found } = checkText(text);
  expect(found).toEqual([]);
  return new Map(result.models.map((m) => [m.model.name, m]));
}

/** A generator with batch normalization (16 moving statistics) and a discriminator. */
const generator: [string, string, string[]] = ['generator', '{ z: [4] }', ['{ type: dense, units: 8 }', '{ type: batchNormalization, id: image }']];
const discriminator: [string, string, string[]] = ['discriminator', '{ x: [8] }', ['{ type: dense, id: logit, units: 1 }']];

describe('a composite counts what its parts compute', () => {
  test('shapes, parameters (frozen ones non-trainable) and MACs add up', () => {
    const models = inferred(spec(generator, discriminator, ['gan', '{ z: [4] }', ['{ type: model, model: generator }', '{ type: model, id: score, model: discriminator, trainable: false }']]));
    const [g, d, gan] = [models.get('generator')!, models.get('discriminator')!, models.get('gan')!];
    expect(g.params).toEqual({ trainable: 4 * 8 + 8 + 16, nonTrainable: 16 });
    expect(d.params).toEqual({ trainable: 9, nonTrainable: 0 });
    expect(gan.params).toEqual({ trainable: g.params.trainable, nonTrainable: g.params.nonTrainable + d.params.trainable });
    expect(gan.macs).toBe(g.macs! + d.macs!);
    expect(gan.layers.map((l) => [l.layer.id, l.outputShape, l.macs])).toEqual([
      ['generator', [null, 8], g.macs],
      ['score', [null, 1], d.macs],
    ]);
    expect(gan.outputs).toEqual([{ name: 'score', shape: [null, 1] }]);
    expect(gan.layers[1]!.weights).toEqual([
      { name: 'logit/kernel', shape: [8, 1], trainable: false },
      { name: 'logit/bias', shape: [1], trainable: false },
    ]);
  });

  test('the summary names the model each `type: model` layer applies', () => {
    const models = inferred(spec(generator, discriminator, ['gan', '{ z: [4] }', ['{ type: model, model: generator }', '{ type: model, id: score, model: discriminator, trainable: false }']]));
    const table = summaryText(models.get('gan')!);
    expect(table).toMatch(/^ {2}generator +model generator +\[null, 8\] +72 +/m);
    expect(table).toMatch(/^ {2}score +model discriminator +\[null, 1\] +9 +8$/m);
  });

  test('a model inside a model inside a model: everything counts once, frozen through every level', () => {
    const models = inferred(
      spec(generator, discriminator, ['gan', '{ z: [4] }', ['{ type: model, model: generator }', '{ type: model, model: discriminator }']], ['outer', '{ z: [4] }', ['{ type: model, model: gan, trainable: false }', '{ type: dense, units: 2 }']]),
    );
    const outer = models.get('outer')!;
    expect(outer.params).toEqual({ trainable: 2 * 1 + 2, nonTrainable: models.get('gan')!.params.trainable + models.get('gan')!.params.nonTrainable });
  });

  test('a model defined after the model that uses it is inferred first; models are listed in spec order', () => {
    const models = inferred(spec(['gan', '{ z: [4] }', ['{ type: model, model: generator }']], generator));
    expect([...models.keys()]).toEqual(['gan', 'generator']);
  });

  test('one output of several: only the layers that output needs count', () => {
    const encoder: [string, string, string[], string] = [
      'encoder',
      '{ x: [6] }',
      ['{ type: dense, id: hidden, units: 4 }', '{ type: dense, id: mean, units: 2 }', '{ type: dense, id: logVar, from: hidden, units: 3 }'],
      '    outputs: { mean: [2], logVar: [3] }\n',
    ];
    const models = inferred(spec(encoder, ['vae', '{ x: [6] }', ['{ type: model, id: code, model: encoder, output: logVar }']]));
    const code = models.get('vae')!.layers[0]!;
    expect([code.outputShape, code.weights.map((w) => w.name), code.macs]).toEqual([[null, 3], ['hidden/kernel', 'hidden/bias', 'logVar/kernel', 'logVar/bias'], 6 * 4 + 4 * 3]);
  });

  test('inputs are fed in order from `from`', () => {
    const mixer: [string, string, string[]] = ['mixer', '{ a: [2], b: [3] }', ['{ type: concatenate, id: both, from: [a, b] }']];
    const models = inferred(spec(mixer, ['user', '{ p: [2], q: [3] }', ['{ type: model, model: mixer, from: [p, q] }']]));
    expect(models.get('user')!.outputs).toEqual([{ name: 'mixer', shape: [null, 5] }]);
  });

  test('where the model leaves a size unknown and the composite knows it, the model is inferred again at that size, as tfjs computes it', () => {
    const convolver: [string, string, string[]] = ['convolver', '{ x: [null, null, 3] }', ['{ type: conv2d, filters: 2, kernelSize: 3, strides: 2, padding: same }']];
    const models = inferred(spec(convolver, ['user', '{ image: { shape: [8, 8, 3], batchSize: 5 } }', ['{ type: model, model: convolver }']]));
    expect(models.get('convolver')!.outputs[0]!.shape).toEqual([null, null, null, 2]);
    expect(models.get('convolver')!.macs).toBeNull();
    const used = models.get('user')!.layers[0]!;
    expect([used.outputShape, used.macs]).toEqual([[5, 4, 4, 2], 4 * 4 * 2 * 3 * 3 * 3]);
  });
});

const errors: [string, { given: string; want: Found[] }][] = [
  [
    'a tensor that does not fit the input it feeds: both shapes, the declaration as a note',
    {
      given: spec(generator, ['critic', '{ x: [6] }', ['{ type: dense, units: 1 }']], ['gan', '{ z: [4] }', ['{ type: model, model: generator }', '{ type: model, model: critic }']]),
      want: [
        {
          code: 'NS4016',
          at: '16:17',
          message: "layer 'critic': model 'critic' takes input 'x' as [null, 6], received [null, 8] from 'generator' (axis 1: 8 vs 6)",
          notes: ["9:15 input 'x' of 'critic' is declared [null, 6] here", "15:31 shape [null, 8] comes from 'generator'"],
        },
      ],
    },
  ],
  [
    'the second input does not fit: located at its `from` entry',
    {
      given: spec(['mixer', '{ a: [2], b: [3] }', ['{ type: concatenate, from: [a, b] }']], ['user', '{ p: [2], q: [4] }', ['{ type: model, model: mixer, from: [p, q] }']]),
      want: [
        {
          code: 'NS4016',
          at: '10:48',
          message: "layer 'mixer': model 'mixer' takes input 'b' as [null, 3], received [null, 4] from 'q' (axis 1: 4 vs 3)",
          notes: ["4:23 input 'b' of 'mixer' is declared [null, 3] here", "8:23 shape [null, 4] comes from 'q'"],
        },
      ],
    },
  ],
  [
    'a batch both sides fix differently',
    {
      given: spec(['fixed', '{ x: { shape: [2], batchSize: 4 } }', ['{ type: dense, units: 1 }']], ['user', '{ x: { shape: [2], batchSize: 8 } }', ['{ type: model, model: fixed }']]),
      want: [
        {
          code: 'NS4016',
          at: '10:17',
          message: "layer 'fixed': model 'fixed' takes input 'x' as [4, 2], received [8, 2] from 'x' (batch: 8 vs 4)",
          notes: ["4:15 input 'x' of 'fixed' is declared [4, 2] here", "8:15 shape [8, 2] comes from 'x'"],
        },
      ],
    },
  ],
  [
    'fewer tensors than the model has inputs',
    {
      given: spec(['mixer', '{ a: [2], b: [3] }', ['{ type: concatenate, from: [a, b] }']], ['user', '{ p: [2] }', ['{ type: model, model: mixer }']]),
      want: [
        {
          code: 'NS4002',
          at: '10:17',
          message: "layer 'mixer': model 'mixer' takes 2 inputs (a, b), received 1 ('p')",
          // Which tensors to feed is the user's choice: advice, not an edit.
          notes: ["list 2 ids in `from`, in the order of the inputs of 'mixer': a, b"],
        },
      ],
    },
  ],
  [
    'a known size the model cannot take, though its own unknown sizes passed',
    {
      given: spec(['convolver', '{ x: [null, null, 3] }', ['{ type: conv2d, id: wide, filters: 2, kernelSize: 5 }']], ['user', '{ image: [4, 4, 3] }', ['{ type: model, model: convolver }']]),
      want: [
        {
          code: 'NS4016',
          at: '10:17',
          message:
            "layer 'convolver': model 'convolver' cannot take [null, 4, 4, 3]: inside it, layer 'wide': conv2d would produce an empty output: spatial axis 0 has length 0 (input 4, kernel 5, stride 1, padding valid)",
          notes: [
            "6:59 inside 'convolver': layer 'wide': conv2d would produce an empty output: spatial axis 0 has length 0 (input 4, kernel 5, stride 1, padding valid)",
            "8:15 shape [null, 4, 4, 3] comes from 'image'",
          ],
        },
      ],
    },
  ],
  [
    'a model with an error: reported once, where it is; the composite is skipped',
    {
      given: spec(['critic', '{ x: [6] }', ['{ type: flatten }']], ['gan', '{ x: [6] }', ['{ type: model, model: critic }']]),
      want: [{ code: 'NS4001', at: '6:17', message: "layer 'flatten_1': flatten expects rank 3 or more, received rank 2 [null, 6] from 'x'; it is already flat", notes: ["4:15 shape [null, 6] comes from 'x'", "remove 'flatten_1'"] }],
    },
  ],
];

describe('composition errors, located at what is fed, with the model\'s declaration', () => {
  test.each(errors)('%s', (_, { given, want }) => {
    const { result, found } = checkText(given);
    expect(found).toEqual(want);
    expect(result.models.some((m) => m.layers.some((l) => l.layer.type === 'model'))).toBe(false);
  });
});
