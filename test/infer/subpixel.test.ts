import { describe, expect, test } from 'vitest';
import { Locator } from '../../src/diagnostics/location.js';
import { showShape } from '../../src/diagnostics/describe.js';
import { check as checkSpec } from '../../src/index.js';
import { check, type Case } from './helpers.js';

type TypedCase = [string, Case[1] & { type: string }];

describe('depthToSpace and pixelShuffle: [H, W, C*r*r] -> [H*r, W*r, C]', () => {
  const table: TypedCase[] = [
    ['depthToSpace r 2', { type: 'depthToSpace', given: { args: { blockSize: 2 }, input: [null, 4, 5, 12] }, want: { shape: [null, 8, 10, 3], macs: 0 } }],
    ['depthToSpace r 3 to one channel', { type: 'depthToSpace', given: { args: { blockSize: 3 }, input: [2, 2, 2, 9] }, want: { shape: [2, 6, 6, 1] } }],
    ['depthToSpace channelsFirst', { type: 'depthToSpace', given: { args: { blockSize: 2, dataFormat: 'channelsFirst' }, input: [null, 8, 3, 4] }, want: { shape: [null, 2, 6, 8] } }],
    ['depthToSpace unknown sizes stay unknown', { type: 'depthToSpace', given: { args: { blockSize: 2 }, input: [null, null, 4, null] }, want: { shape: [null, null, 8, null] } }],
    ['pixelShuffle r 2', { type: 'pixelShuffle', given: { args: { upscaleFactor: 2 }, input: [null, 4, 4, 256] }, want: { shape: [null, 8, 8, 64], macs: 0 } }],
    ['pixelShuffle r 1 is the identity', { type: 'pixelShuffle', given: { args: { upscaleFactor: 1 }, input: [null, 4, 4, 3] }, want: { shape: [null, 4, 4, 3] } }],
    ['pixelShuffle channelsFirst (PyTorch layout)', { type: 'pixelShuffle', given: { args: { upscaleFactor: 3, dataFormat: 'channelsFirst' }, input: [null, 18, 2, 5] }, want: { shape: [null, 2, 6, 15] } }],
    [
      'depthToSpace channels not a multiple of r*r',
      {
        type: 'depthToSpace',
        given: { args: { blockSize: 2 }, input: [null, 4, 4, 6] },
        want: { code: 'NS4009', option: 'blockSize', message: "depthToSpace with blockSize 2 needs a multiple of 4 (2*2) channels; received [null, 4, 4, 6] from 'x', with 6 channels" },
      },
    ],
    [
      'pixelShuffle channels not a multiple of r*r, channelsFirst',
      {
        type: 'pixelShuffle',
        given: { args: { upscaleFactor: 3, dataFormat: 'channelsFirst' }, input: [null, 12, 4, 4] },
        want: { code: 'NS4009', option: 'upscaleFactor', message: "pixelShuffle with upscaleFactor 3 needs a multiple of 9 (3*3) channels; received [null, 12, 4, 4] from 'x', with 12 channels" },
      },
    ],
    [
      'depthToSpace rank 3',
      { type: 'depthToSpace', given: { args: { blockSize: 2 }, input: [null, 4, 8] }, want: { code: 'NS4001', message: "depthToSpace expects rank 4 input [batch, rows, cols, channels], received rank 3 [null, 4, 8] from 'x'" } },
    ],
    [
      'pixelShuffle rank 5',
      { type: 'pixelShuffle', given: { args: { upscaleFactor: 2, dataFormat: 'channelsFirst' }, input: [null, 4, 2, 2, 2] }, want: { code: 'NS4001', message: "pixelShuffle expects rank 4 input [batch, channels, rows, cols], received rank 5 [null, 4, 2, 2, 2] from 'x'" } },
    ],
  ];
  test.each(table)('%s', (_, { type, given, want }) => check(type, given, want));
});

describe('spaceToDepth: [H*r, W*r, C] -> [H, W, r*r*C]', () => {
  const table: TypedCase[] = [
    ['r 2', { type: 'spaceToDepth', given: { args: { blockSize: 2 }, input: [null, 8, 6, 3] }, want: { shape: [null, 4, 3, 12], macs: 0 } }],
    ['r 4 channelsFirst', { type: 'spaceToDepth', given: { args: { blockSize: 4, dataFormat: 'channelsFirst' }, input: [1, 2, 8, 4] }, want: { shape: [1, 32, 2, 1] } }],
    ['unknown sizes stay unknown', { type: 'spaceToDepth', given: { args: { blockSize: 2 }, input: [null, null, 4, null] }, want: { shape: [null, null, 2, null] } }],
    [
      'cols not a multiple of r',
      {
        type: 'spaceToDepth',
        given: { args: { blockSize: 2 }, input: [null, 4, 5, 3] },
        want: { code: 'NS4009', option: 'blockSize', message: "spaceToDepth with blockSize 2 needs spatial sizes that are multiples of 2; received [null, 4, 5, 3] from 'x', whose cols are 5" },
      },
    ],
    [
      'rows not a multiple of r, channelsFirst',
      {
        type: 'spaceToDepth',
        given: { args: { blockSize: 3, dataFormat: 'channelsFirst' }, input: [null, 3, 4, 6] },
        want: { code: 'NS4009', option: 'blockSize', message: "spaceToDepth with blockSize 3 needs spatial sizes that are multiples of 3; received [null, 3, 4, 6] from 'x', whose rows are 4" },
      },
    ],
  ];
  test.each(table)('%s', (_, { type, given, want }) => check(type, given, want));
});

const file = 'specs/s.yaml';

/** A one-model spec over symbols, one layer per line from line 7 on. */
function spec(symbols: string, inputs: string, layers: readonly string[]): string {
  return ['netspec: 1', `symbols: ${symbols}`, 'models:', '  m:', `    inputs: ${inputs}`, '    layers:', ...layers.map((l) => `      - ${l}`)].join('\n') + '\n';
}

function run(text: string): { shape?: string; reports: string[] } {
  const result = checkSpec([{ path: file, text }]);
  const locator = new Locator(new Map([[file, text]]));
  const reports = result.diagnostics.map((d) => {
    const at = d.span ? locator.locate(d.span) : undefined;
    return `${at ? `${at.line}:${at.column} ` : ''}${d.code} ${d.message}${d.fix ? ` | fix: ${d.fix}` : ''}`;
  });
  const layers = result.models[0]?.layers;
  return { ...(layers ? { shape: showShape(layers[layers.length - 1]!.outputShape) } : {}), reports };
}

describe('symbolic sizes', () => {
  test.each([
    ['depthToSpace multiplies H and W', '[H, W]', '{ x: [H, W, 12] }', '{ type: depthToSpace, blockSize: 2 }', '[null, 2*H, 2*W, 3]'],
    ['pixelShuffle multiplies H and W', '[H, W]', '{ x: [H, W, 27] }', '{ type: pixelShuffle, upscaleFactor: 3 }', '[null, 3*H, 3*W, 3]'],
    ['spaceToDepth divides multiples of r', '{ H: { multipleOf: 4 }, W: { multipleOf: 2 } }', '{ x: [H, W, 3] }', '{ type: spaceToDepth, blockSize: 2 }', '[null, H/2, W/2, 12]'],
    ['spaceToDepth channelsFirst', '{ H: { multipleOf: 2 }, W: { multipleOf: 2 } }', '{ x: [3, H, W] }', '{ type: spaceToDepth, blockSize: 2, dataFormat: channelsFirst }', '[null, 12, H/2, W/2]'],
  ])('%s', (_, symbols, inputs, layer, want) => {
    expect(run(spec(symbols, inputs, [layer]))).toEqual({ shape: want, reports: [] });
  });

  test('spaceToDepth of a symbolic size needs the multipleOf requirement (NS4013), located at blockSize', () => {
    expect(run(spec('{ H: { multipleOf: 2 }, W: { multipleOf: 4 } }', '{ x: [H, W, 3] }', ['{ type: spaceToDepth, id: s2d, blockSize: 4 }'])).reports).toEqual([
      "7:51 NS4013 H must be a multiple of 4 for 's2d' (blockSize 4) to divide H evenly | fix: declare `H: { multipleOf: 4 }` under `symbols:`",
    ]);
  });

  test('spaceToDepth of H + 1 holds for no multipleOf (NS4014)', () => {
    // The input writes `H + 1`, not `H`: rewriting it is left to the user (a note), so there is no fix.
    expect(run(spec('{ H: { multipleOf: 2 } }', '{ x: [H + 1, 4, 3] }', ['{ type: spaceToDepth, id: s2d, blockSize: 2 }'])).reports).toEqual([
      "7:51 NS4014 H + 1 must be a multiple of 2 for 's2d' (blockSize 2) to divide H + 1 evenly, which never holds with H a multiple of 2; no multipleOf can express that",
    ]);
  });
});
