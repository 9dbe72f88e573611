import { describe, expect, test } from 'vitest';
import { definition } from '../../../src/lsp/navigation/definition.js';
import { references } from '../../../src/lsp/navigation/references.js';
import { analysisOf, at, rangeOf, specAnalysis } from './analysis.js';

const unet = specAnalysis('specs/unet-symbolic.yaml');
const pix2pix = specAnalysis('specs/pix2pix.yaml');
const cyclegan = specAnalysis('specs/cyclegan.yaml');
const dcgan = specAnalysis('specs/dcgan.yaml');
const autoencoder = specAnalysis('specs/autoencoder-symbolic.yaml');

const location = (analysis: { uri: string }, range: ReturnType<typeof rangeOf>) => ({ uri: analysis.uri, range });

describe('go to definition', () => {
  test('a from entry goes to the layer id it reads', () => {
    const { text } = unet;
    expect(definition(unet, at(text, 'from: [up3, down2]', 0, 'from: [up3'.length))).toEqual([location(unet, rangeOf(text, 'id: up3', 0, 'up3'))]);
    // Line and column as the editor counts them (0-based), checked by hand once.
    expect(definition(unet, { line: 21, character: 53 })).toEqual([{ uri: unet.uri, range: { start: { line: 18, character: 28 }, end: { line: 18, character: 33 } } }]);
  });

  test('an output key and an input id', () => {
    const { text } = unet;
    expect(definition(unet, at(text, 'logits: [H, W, classes]'))).toEqual([location(unet, rangeOf(text, 'id: logits', 0, 'logits'))]);
    expect(definition(unet, at(text, 'from: [up1, stem]', 0, 'from: [up1, st'.length))).toEqual([location(unet, rangeOf(text, 'id: stem', 0, 'stem'))]);
  });

  test('a param in an expression, a symbol in a shape', () => {
    const { text } = unet;
    expect(definition(unet, at(text, 'filters: nf * 4', 0, 'filters: n'.length))).toEqual([location(unet, rangeOf(text, 'nf: 16', 0, 'nf'))]);
    expect(definition(unet, at(text, 'logits: [H, W', 0, 'logits: [H, '.length))).toEqual([location(unet, rangeOf(text, 'W: { multipleOf', 0, 'W'))]);
    expect(definition(unet, at(text, 'image: [H, W', 0, 'image: ['.length))).toEqual([location(unet, rangeOf(text, 'H: { multipleOf', 0, 'H'))]);
  });

  test('a loop variable goes to its list; the default index to its repeat key', () => {
    const { text } = pix2pix;
    const decoder = text.indexOf('rate: [0.5');
    expect(definition(pix2pix, at(text, 'rate: rate', 0, 'rate: ra'.length))).toEqual([location(pix2pix, rangeOf(text, 'rate: [0.5', 0, 'rate'))]);
    expect(definition(pix2pix, at(text, '"up{i}"', 0, 4))).toEqual([{ uri: pix2pix.uri, range: rangeOf(text, 'repeat', 0, 'repeat', decoder - 80) }]);
    expect(definition(pix2pix, at(text, '"down{i + 1}"', 0, 6))).toEqual([location(pix2pix, rangeOf(text, '- repeat: { f: [ngf * 2', 0, 'repeat'))]);
  });

  test('an interpolated from goes to every layer it reads across the iterations', () => {
    const { text } = pix2pix;
    const found = definition(pix2pix, at(text, '"down{6 - i}"', 0, 2));
    // down0 is written literally, down1..down7 by the encoder's template: two places.
    expect(found).toEqual([location(pix2pix, rangeOf(text, 'id: down0', 0, 'down0')), location(pix2pix, rangeOf(text, '"down{i + 1}"', 0, 'down{i + 1}'))]);
  });

  test("a repeat's input name goes to its `input:`", () => {
    const { text } = cyclegan;
    expect(definition(cyclegan, at(text, 'from: [x, ', 0, 'from: ['.length))).toEqual([location(cyclegan, rangeOf(text, 'input: x', 0, 'x'))]);
  });

  test('model names in `model:` and contracts go to the model', () => {
    const { text } = dcgan;
    expect(definition(dcgan, at(text, 'model: discriminator', 0, 'model: d'.length))).toEqual([location(dcgan, rangeOf(text, '  discriminator:', 0, 'discriminator'))]);
    expect(definition(dcgan, at(text, 'generator.image', 0, 2))).toEqual([location(dcgan, rangeOf(text, '  generator:', 0, 'generator'))]);
    expect(definition(dcgan, at(text, 'discriminator.x', 0, 'discriminator.'.length))).toEqual([location(dcgan, rangeOf(text, 'x: [64, 64, 3]', 0, 'x'))]);
  });

  test('a param, an input and a layer of one name are three things', () => {
    const { text } = autoencoder;
    expect(definition(autoencoder, at(text, 'filters: code', 0, 'filters: c'.length))).toEqual([location(autoencoder, rangeOf(text, 'code: 8', 0, 'code'))]);
    expect(definition(autoencoder, at(text, '"encoder.code', 0, 'encoder.c'.length + 1))).toEqual([location(autoencoder, rangeOf(text, 'id: code', 0, 'code'))]);
    expect(definition(autoencoder, at(text, 'decoder.code"', 0, 'decoder.c'.length))).toEqual([location(autoencoder, rangeOf(text, 'inputs: { code:', 0, 'code'))]);
  });

  test('a non-ASCII comment before the name: columns count UTF-16 units', () => {
    const text = `netspec: 1
params: { n: 4 } # größe 🎛️ n
models:
  m:
    inputs: { x: [n] }   # 入力 🧪
    layers:
      - { type: dense, id: hidden, units: n }  # ü 🎛️
      - { type: dense, from: hidden, units: n }  # 🎛️ from hidden
  m2: { description: "größe 🎛️ 入力", inputs: { y: [n] }, layers: [{ type: dense, units: n }] }
`;
    const analysis = analysisOf('specs/u.yaml', text);
    expect(analysis.result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // 🎛️ is three UTF-16 units (a surrogate pair and a variation selector); the cursor is on `hidden` after `from: `.
    const line = text.split('\n')[7]!;
    expect(definition(analysis, { line: 7, character: line.indexOf('from: hidden') + 7 })).toEqual([{ uri: analysis.uri, range: { start: { line: 6, character: 27 }, end: { line: 6, character: 33 } } }]);
    expect(definition(analysis, { line: 4, character: 19 })).toEqual([{ uri: analysis.uri, range: { start: { line: 1, character: 10 }, end: { line: 1, character: 11 } } }]);
    // On one line after the emoji: `[n]` starts at UTF-16 column 50 (a UTF-8 byte count would say 60, a code point count 49).
    expect(text.split('\n')[8]!.indexOf('[n]')).toBe(50);
    expect(definition(analysis, { line: 8, character: 51 })).toEqual([{ uri: analysis.uri, range: { start: { line: 1, character: 10 }, end: { line: 1, character: 11 } } }]);
    expect(definition(analysis, { line: 8, character: 52 })).toEqual([{ uri: analysis.uri, range: { start: { line: 1, character: 10 }, end: { line: 1, character: 11 } } }]);
    expect(definition(analysis, { line: 8, character: 53 })).toBeNull();
  });

  test('nothing to go to: a key, a number, a comment, a broken spec', () => {
    const { text } = unet;
    expect(definition(unet, at(text, 'kernelSize: 3'))).toBeNull();
    expect(definition(unet, at(text, 'classes: 2', 0, 'classes: '.length))).toBeNull();
    expect(definition(unet, { line: 1, character: 5 })).toBeNull();
    expect(definition(analysisOf('specs/x.yaml', 'netspec: 1\nmodels: {\n'), { line: 1, character: 3 })).toBeNull();
    expect(definition(unet, { line: 999, character: 999 })).toBeNull();
  });
});

describe('find references', () => {
  test('a layer id: its from entries and output key, with the declaration when asked', () => {
    const { text } = unet;
    const expected = [rangeOf(text, 'id: logits', 0, 'logits'), rangeOf(text, 'logits: [H', 0, 'logits')];
    expect(references(unet, at(text, 'id: logits', 0, 5), true)).toEqual(expected.map((r) => location(unet, r)));
    expect(references(unet, at(text, 'id: logits', 0, 5), false)).toEqual([location(unet, expected[1]!)]);
  });

  test('a param everywhere an expression uses it', () => {
    const { text } = unet;
    const uses = ['filters: nf,', 'filters: nf * 2', 'filters: nf * 4', 'filters: nf * 8', 'filters: nf * 4', 'filters: nf * 2', 'filters: nf,'];
    const nth = new Map<string, number>();
    const ranges = uses.map((u) => {
      const n = nth.get(u) ?? 0;
      nth.set(u, n + 1);
      return rangeOf(text, u, n, 'nf');
    });
    expect(references(unet, at(text, 'nf: 16'), false)).toEqual(ranges.map((r) => location(unet, r)));
  });

  test('a param in a repeat count and in zipped lists', () => {
    expect(references(cyclegan, at(cyclegan.text, 'blocks: 9'), true)).toEqual([location(cyclegan, rangeOf(cyclegan.text, 'blocks: 9', 0, 'blocks')), location(cyclegan, rangeOf(cyclegan.text, 'repeat: blocks', 0, 'blocks'))]);
    const { text } = pix2pix;
    const lists = references(pix2pix, at(text, 'ngf: 64'), false)!;
    expect(lists).toHaveLength(15); // the first layer's filters, then 7 entries in each zipped list
    expect(lists.slice(0, 3)).toEqual([location(pix2pix, rangeOf(text, 'filters: ngf,', 0, 'ngf')), location(pix2pix, rangeOf(text, '[ngf * 2,', 0, 'ngf')), location(pix2pix, rangeOf(text, 'ngf * 4,', 0, 'ngf'))]);
  });

  test("a loop variable's uses stay inside its repeat", () => {
    const { text } = pix2pix;
    const encoder = text.indexOf('- repeat: { f: [ngf * 2');
    const decoder = text.indexOf('- repeat: { f: [ngf * 8');
    // The decoder's default index: "up{i}", "skip{i}", "up{i}" and "down{6 - i}"; not the encoder's "down{i + 1}".
    const refs = references(pix2pix, at(text, 'id: "up{i}"', 0, 'id: "up{'.length), true);
    expect(refs).toEqual([
      location(pix2pix, rangeOf(text, '"up{i}"', 0, 'i')),
      location(pix2pix, rangeOf(text, '"skip{i}"', 0, 'i')),
      location(pix2pix, rangeOf(text, '"up{i}"', 1, 'i')),
      location(pix2pix, rangeOf(text, '"down{6 - i}"', 0, 'i')),
    ]);
    expect(references(pix2pix, at(text, '"down{i + 1}"', 0, 6), false)).toEqual([location(pix2pix, rangeOf(text, '"down{i + 1}"', 0, 'i'))]);
    expect(encoder).toBeLessThan(decoder);
  });

  test('the f of each repeat is its own', () => {
    const { text } = pix2pix;
    const discriminator = text.indexOf('discriminator:');
    expect(references(pix2pix, at(text, 'filters: f,', 2, 'filters: '.length), true)).toEqual([
      location(pix2pix, rangeOf(text, 'repeat: { f:', 0, 'f', discriminator)),
      location(pix2pix, rangeOf(text, 'filters: f,', 0, 'f', discriminator)),
    ]);
  });

  test('a layer of a YAML alias is a layer of both models', () => {
    const { text } = cyclegan;
    expect(references(cyclegan, at(text, 'id: translated', 0, 5), true)).toEqual([
      location(cyclegan, rangeOf(text, 'id: translated', 0, 'translated')),
      location(cyclegan, rangeOf(text, '{ translated: [256', 0, 'translated')),
      location(cyclegan, rangeOf(text, '{ translated: [H', 0, 'translated')),
    ]);
  });

  test('a model: its key, its model layers and contracts', () => {
    const { text } = dcgan;
    expect(references(dcgan, at(text, 'model: generator', 0, 'model: g'.length), true)).toEqual([
      location(dcgan, rangeOf(text, 'generator.image', 0, 'generator')),
      location(dcgan, rangeOf(text, '  generator:', 0, 'generator')),
      location(dcgan, rangeOf(text, 'model: generator', 0, 'generator')),
    ]);
  });
});
