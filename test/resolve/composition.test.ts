import { describe, expect, test } from 'vitest';
import { checkText, type Found } from '../helpers/found.js';

/**
 * `{ type: model, model: other }` layers as resolve sees them: the model they
 * name, cycles, the output they give, a model used twice, and default ids.
 * Every spec below starts with the same two models (lines 1-10); the models
 * of a case start on line 11, and their layers on line 14, written
 * `      - { type: model, model: ... }` so that the `model:` value is at column 31.
 */
const base = `netspec: 1
models:
  generator:
    inputs: { z: [4] }
    layers:
      - { type: dense, id: image, units: 8 }
  discriminator:
    inputs: { x: [8] }
    layers:
      - { type: dense, id: logit, units: 1 }
`;

/** A model `name` with input z: [4] and the given layers, from line `11 + 5k` for the k-th model of a case. */
function model(name: string, layers: readonly string[], extra = ''): string {
  return `  ${name}:\n    inputs: { z: [4] }\n    layers:\n${layers.map((l) => `      - ${l}\n`).join('')}${extra}`;
}

const table: [string, { given: string; want: Found[] }][] = [
  [
    'an unknown model, with the model meant',
    {
      given: model('gan', ['{ type: model, model: generator }', '{ type: model, model: discrimnator }']),
      want: [
        {
          code: 'NS3020',
          at: '15:31',
          message: "model 'gan' uses 'discrimnator' as a layer, but this spec defines no model 'discrimnator'",
          notes: [],
          fix: "did you mean 'discriminator'?",
        },
      ],
    },
  ],
  [
    'an unknown model, nothing close: the models are listed',
    {
      given: model('gan', ['{ type: model, model: critic }']),
      want: [{ code: 'NS3020', at: '14:31', message: "model 'gan' uses 'critic' as a layer, but this spec defines no model 'critic'", notes: ['the models are: generator, discriminator, gan'] }],
    },
  ],
  [
    'a model that uses itself',
    {
      given: model('gan', ['{ type: model, model: generator }', '{ type: model, model: gan }']),
      want: [{ code: 'NS3021', at: '15:31', message: "model 'gan' uses itself, as layer 'gan'", notes: ["remove layer 'gan', or use another model"] }],
    },
  ],
  [
    'a cycle through another model: the chain, and a note at each later hop',
    {
      given: model('gan', ['{ type: model, model: critic }']) + model('critic', ['{ type: model, model: gan }']),
      want: [
        {
          code: 'NS3021',
          at: '14:31',
          message: "model 'gan' is used inside itself: gan -> critic -> gan",
          notes: ["18:31 'critic' uses 'gan' here, as layer 'gan'", "remove the use of 'gan' in 'critic', or use another model there"],
        },
      ],
    },
  ],
  [
    'a cycle of three models, found from the first model of the spec in it',
    {
      given: model('a', ['{ type: model, model: b }']) + model('b', ['{ type: model, model: c }']) + model('c', ['{ type: model, model: a }']),
      want: [
        {
          code: 'NS3021',
          at: '14:31',
          message: "model 'a' is used inside itself: a -> b -> c -> a",
          notes: ["18:31 'b' uses 'c' here, as layer 'c'", "22:31 'c' uses 'a' here, as layer 'a'", "remove the use of 'a' in 'c', or use another model there"],
        },
      ],
    },
  ],
  [
    'a model with two outputs used without `output:`',
    {
      given:
        model('encoder', ['{ type: dense, id: mean, units: 2 }', '{ type: dense, id: logVar, from: z, units: 2 }'], '    outputs: { mean: [2], logVar: [2] }\n') +
        model('vae', ['{ type: model, model: encoder }']),
      want: [
        {
          code: 'NS3024',
          at: '20:31',
          message: "model 'encoder' has 2 outputs (mean, logVar); layer 'encoder' must say which one it gives",
          notes: ["16:16 the outputs of 'encoder' are declared here"],
          fix: 'add `output: mean` (or another of mean, logVar)',
        },
      ],
    },
  ],
  [
    'an `output:` the model does not have',
    {
      given:
        model('encoder', ['{ type: dense, id: mean, units: 2 }', '{ type: dense, id: logVar, from: z, units: 2 }'], '    outputs: { mean: [2], logVar: [2] }\n') +
        model('vae', ['{ type: model, model: encoder, output: log_var }']),
      want: [
        {
          code: 'NS3024',
          at: '20:48',
          message: "model 'encoder' has no output 'log_var'; its outputs are mean, logVar",
          notes: ["16:16 the outputs of 'encoder' are declared here"],
          fix: "did you mean 'logVar'?",
        },
      ],
    },
  ],
  [
    'a model used by two layers of one model',
    {
      given: model('twice', ['{ type: model, model: generator }', '{ type: model, model: generator }']),
      want: [
        {
          code: 'NS4010',
          at: '15:31',
          message: "model 'generator' is used twice in model 'twice', by layer 'generator' and by layer 'generator_2'; using a model more than once in one model is not supported yet",
          // No edit can define the second model: it is advice, a note.
          notes: ["14:31 'generator' is first used here", 'define a second model with the same layers under another name'],
        },
      ],
    },
  ],
  [
    'a model reached twice: by a layer, and inside another model',
    {
      given: model('gan', ['{ type: model, model: generator }']) + model('outer', ['{ type: model, model: generator }', '{ type: model, id: both, model: gan, from: z }']),
      want: [
        {
          code: 'NS4010',
          at: '19:41',
          message: "model 'generator' is used twice in model 'outer', by layer 'generator' and by layer 'both' (inside model 'gan'); using a model more than once in one model is not supported yet",
          notes: ["18:31 'generator' is first used here", 'define a second model with the same layers under another name'],
        },
      ],
    },
  ],
];

describe('composition errors, each located at the `model:` or `output:` value', () => {
  test.each(table)('%s', (_, { given, want }) => {
    expect(checkText(base + given).found).toEqual(want);
  });
});

describe('composition that resolves', () => {
  test('a model layer is named after its model by default, then <model>_2 when that id is taken', () => {
    const { result, found } = checkText(base + model('gan', ['{ type: dense, id: generator, units: 4 }', '{ type: model, model: generator, from: z }', '{ type: model, model: discriminator }'], '    outputs: { discriminator: null, generator: null }\n'));
    expect(found).toEqual([]);
    const gan = result.specs[0]!.models.find((m) => m.name === 'gan')!;
    expect(gan.layers.map((l) => [l.id, l.explicitId, l.args['model'] ?? null])).toEqual([
      ['generator', true, null],
      ['generator_2', false, 'generator'],
      ['discriminator', false, 'discriminator'],
    ]);
    expect(gan.layers[2]!.from.map((r) => r.id)).toEqual(['generator_2']);
  });

  test('a model may use a model defined after it; `output:` and `trainable` are the layer args', () => {
    const encoder = model('encoder', ['{ type: dense, id: mean, units: 2 }', '{ type: dense, id: logVar, from: z, units: 2 }'], '    outputs: { mean: [2], logVar: [2] }\n');
    const { result, found } = checkText(base + model('vae', ['{ type: model, id: code, model: encoder, output: logVar, trainable: false }']) + encoder);
    expect(found).toEqual([]);
    const vae = result.specs[0]!.models.find((m) => m.name === 'vae')!;
    expect(vae.layers[0]!.args).toEqual({ model: 'encoder', output: 'logVar', trainable: false });
    expect(vae.incomplete).toBe(false);
  });

  test('a layer with an error is left out: its model is incomplete and nothing else is reported', () => {
    const { result, found } = checkText(base + model('gan', ['{ type: model, model: genrator }', '{ type: dense, units: 1 }']));
    expect(found.map((f) => f.code)).toEqual(['NS3020']);
    expect(result.specs[0]!.models.find((m) => m.name === 'gan')!.incomplete).toBe(true);
    expect(result.models.map((m) => m.model.name)).toEqual(['generator', 'discriminator']);
  });

  test('every model of a cycle is left uninferred, with one error', () => {
    const { result, found } = checkText(base + model('a', ['{ type: model, model: b }']) + model('b', ['{ type: model, model: a }']));
    expect(found.map((f) => f.code)).toEqual(['NS3021']);
    expect(result.models.map((m) => m.model.name)).toEqual(['generator', 'discriminator']);
  });
});

describe('the schema of a `type: model` layer', () => {
  test.each([
    ['without `model:`', '{ type: model }', 'NS2004'],
    ['with options of other layers (weights come from the model)', '{ type: model, model: generator, units: 3 }', 'NS2002'],
    ['with a model name that is no identifier', '{ type: model, model: my-generator }', 'NS2001'],
  ])('%s', (_, layer, code) => {
    expect(checkText(base + model('gan', [layer])).found.map((f) => f.code)).toEqual([code]);
  });
});
