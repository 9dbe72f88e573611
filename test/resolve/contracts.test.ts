import { describe, expect, test } from 'vitest';
import { parseContract } from '../../src/resolve/contracts.js';
import { checkText, type Found } from '../helpers/found.js';

/** `model.tensor == model.tensor`: the parser, the names, and the shapes (checked after inference). */

const parses: [string, { given: string; want: [string, string, string, string] }][] = [
  ['the plain form', { given: 'generator.image == discriminator.x', want: ['generator', 'image', 'discriminator', 'x'] }],
  ['without spaces', { given: 'g.out==d.in', want: ['g', 'out', 'd', 'in'] }],
  ['with spaces around the dots', { given: '  g . out  ==  d . x ', want: ['g', 'out', 'd', 'x'] }],
];

test.each(parses)('parses %s', (_, { given, want }) => {
  const parsed = parseContract(given);
  expect('error' in parsed ? parsed.error : [parsed.left.model.text, parsed.left.tensor.text, parsed.right.model.text, parsed.right.tensor.text]).toEqual(want);
});

/** What the parser rejects: the message and the offending token's offsets in the text. */
const rejects: [string, { given: string; want: { message: string; start: number; end: number } }][] = [
  ['an empty contract', { given: '', want: { message: 'expected a contract here; a contract is `model.tensor == model.tensor`', start: 0, end: 1 } }],
  ['= for ==', { given: 'g.image = d.x', want: { message: "'=' assigns; compare with '=='", start: 8, end: 9 } }],
  ['another comparison', { given: 'g.image <= d.x', want: { message: "only '==' is supported (the shapes are equal)", start: 8, end: 10 } }],
  ['===', { given: 'g.image === d.x', want: { message: "write '==' (the shapes are equal)", start: 8, end: 11 } }],
  ['a model alone', { given: 'generator == d.x', want: { message: "'generator' alone names a model; name one of its outputs or inputs: 'generator.<output or input>'", start: 0, end: 9 } }],
  ['a dot and nothing', { given: 'g. == d.x', want: { message: "expected an output or input id after 'g.'", start: 3, end: 5 } }],
  ['three parts', { given: 'g.image.shape == d.x', want: { message: "a side of a contract is model.tensor; 'g.image' cannot be followed by '.'", start: 7, end: 8 } }],
  ['no second side', { given: 'g.image', want: { message: "expected '==' and another model.tensor after 'g.image'", start: 7, end: 8 } }],
  ['a second side cut short', { given: 'g.image == ', want: { message: 'expected a model name here; a contract is `model.tensor == model.tensor`', start: 11, end: 12 } }],
  ['a stray character', { given: 'g.image == d.x[0]', want: { message: "unexpected '[' after the contract; a contract is `model.tensor == model.tensor`", start: 14, end: 15 } }],
  ['a shape written out', { given: 'g.image == [64, 64, 3]', want: { message: "expected a model name, found '['; a contract is `model.tensor == model.tensor`", start: 11, end: 12 } }],
];

test.each(rejects)('rejects %s', (_, { given, want }) => {
  expect(parseContract(given)).toEqual({ error: want });
});

/**
 * Two models: `generator` (z [4] -> image [2, 2, 3]) and `discriminator`
 * (x [2, 2, 3] -> logit [1]). The contracts start on line 3; with one, the
 * generator starts on line 5 and the discriminator on line 10.
 */
function spec(contracts: readonly string[], discriminatorInput = '[2, 2, 3]'): string {
  return `netspec: 1
contracts:
${contracts.map((c) => `  - ${c}\n`).join('')}models:
  generator:
    inputs: { z: [4] }
    layers:
      - { type: dense, units: 12 }
      - { type: reshape, id: image, targetShape: [2, 2, 3] }
  discriminator:
    inputs: { x: ${discriminatorInput} }
    layers:
      - { type: globalAveragePooling2d, id: pooled }
      - { type: dense, id: logit, units: 1 }
    outputs:
      logit: [1]
`;
}

const table: [string, { given: string; want: Found[] }][] = [
  ['a contract that holds: an output against an input', { given: spec(['generator.image == discriminator.x']), want: [] }],
  ['a default output (the last layer) and quoted contracts', { given: spec(['"generator.image == discriminator.x"', "'discriminator.logit == discriminator.logit'"]), want: [] }],
  ['unknown sizes match any size', { given: spec(['generator.image == discriminator.x'], '[null, null, 3]'), want: [] }],
  [
    'a syntax error, at the offending token',
    {
      given: spec(['generator.image = discriminator.x']),
      want: [{ code: 'NS3022', at: '3:21', message: "bad contract 'generator.image = discriminator.x': '=' assigns; compare with '=='", notes: [] }],
    },
  ],
  [
    'a syntax error in a quoted contract: the column counts the quote',
    {
      given: spec(['"generator.image == discriminator"']),
      want: [
        {
          code: 'NS3022',
          at: '3:25',
          message: "bad contract 'generator.image == discriminator': 'discriminator' alone names a model; name one of its outputs or inputs: 'discriminator.<output or input>'",
          notes: [],
        },
      ],
    },
  ],
  [
    'an unknown model, with the model meant',
    {
      given: spec(['generator.image == discrimnator.x']),
      want: [{ code: 'NS3020', at: '3:24', message: "contract 'generator.image == discrimnator.x' names model 'discrimnator', which this spec does not define", notes: [], fix: "did you mean 'discriminator'?" }],
    },
  ],
  [
    'an unknown output, with the output meant',
    {
      given: spec(['generator.imag == discriminator.x']),
      want: [
        {
          code: 'NS3023',
          at: '3:15',
          message: "contract 'generator.imag == discriminator.x' names 'imag', which is neither an output nor an input of model 'generator'",
          notes: ["5:3 model 'generator' is defined here"],
          fix: "did you mean 'image'?",
        },
      ],
    },
  ],
  [
    'a layer that is not an output',
    {
      given: spec(['discriminator.pooled == generator.z']),
      want: [
        {
          code: 'NS3023',
          at: '3:19',
          message: "contract 'discriminator.pooled == generator.z' names 'pooled', a layer of model 'discriminator' but not one of its outputs (logit) or inputs",
          notes: ["10:3 model 'discriminator' is defined here", "list 'pooled' under `outputs:` of 'discriminator'"],
        },
      ],
    },
  ],
  [
    'a contract that fails: both shapes, and notes at both declarations',
    {
      given: spec(['generator.image == discriminator.x'], '[4, 4, 3]'),
      want: [
        {
          code: 'NS4017',
          at: '3:5',
          message: "contract 'generator.image == discriminator.x' does not hold: generator.image is [null, 2, 2, 3] but discriminator.x is [null, 4, 4, 3] (axis 1: 2 vs 4)",
          notes: ["9:30 output 'image' of 'generator' is [null, 2, 2, 3], declared here", "11:15 input 'x' of 'discriminator' is [null, 4, 4, 3], declared here"],
        },
      ],
    },
  ],
  [
    'ranks that differ',
    {
      given: spec(['discriminator.logit == generator.image']),
      want: [
        {
          code: 'NS4017',
          at: '3:5',
          message: "contract 'discriminator.logit == generator.image' does not hold: discriminator.logit is [null, 1] but generator.image is [null, 2, 2, 3] (rank 2 vs rank 4)",
          notes: ["16:7 output 'logit' of 'discriminator' is [null, 1], declared here", "9:30 output 'image' of 'generator' is [null, 2, 2, 3], declared here"],
        },
      ],
    },
  ],
];

describe('contracts in a spec: every error located, the shapes checked after inference', () => {
  test.each(table)('%s', (_, { given, want }) => {
    expect(checkText(given).found).toEqual(want);
  });

  test('a contract naming a model with errors is not checked: the model\'s own error says why', () => {
    const text = spec(['generator.image == discriminator.x']).replace('targetShape: [2, 2, 3]', 'targetShape: [2, 2, 4]');
    expect(checkText(text).found.map((f) => f.code)).toEqual(['NS4005']);
  });

  test('the batch is compared only when both sides fix it', () => {
    const fixed = (batch: number) => `{ shape: [2, 2, 3], batchSize: ${batch} }`;
    expect(checkText(spec(['generator.image == discriminator.x'], fixed(8))).found).toEqual([]);
    const both = spec(['discriminator.x == generator.x2'], fixed(8)).replace('inputs: { z: [4] }', `inputs: { z: [4], x2: ${fixed(4)} }`).replace('units: 12 }', 'units: 12, from: z }')
      // x2 must reach the output (NS4019): it is added to the image.
      .replace('targetShape: [2, 2, 3] }\n', 'targetShape: [2, 2, 3] }\n      - { type: add, id: mixed, from: [image, x2] }\n');
    expect(checkText(both).found.map((f) => [f.code, f.message])).toEqual([
      ['NS4017', "contract 'discriminator.x == generator.x2' does not hold: discriminator.x is [8, 2, 2, 3] but generator.x2 is [4, 2, 2, 3] (batch: 8 vs 4)"],
    ]);
  });

  test('the resolved contracts are in the IR, each side an output or an input', () => {
    const { result } = checkText(spec(['generator.image == discriminator.x']));
    expect(result.specs[0]!.contracts!.map((c) => [c.text, c.left.kind, c.right.kind])).toEqual([['generator.image == discriminator.x', 'output', 'input']]);
  });
});
