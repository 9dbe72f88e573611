import { describe, expect, test } from 'vitest';
import type { WorkspaceEdit } from 'vscode-languageserver';
import { prepareRename, rename } from '../../../src/lsp/navigation/rename.js';
import type { Analysis } from '../../../src/lsp/analysis.js';
import { analysisOf, applyEdits, at, rangeOf, specAnalysis } from './analysis.js';

const unet = specAnalysis('specs/unet-symbolic.yaml');
const pix2pix = specAnalysis('specs/pix2pix.yaml');
const cyclegan = specAnalysis('specs/cyclegan.yaml');
const dcgan = specAnalysis('specs/dcgan.yaml');
const autoencoder = specAnalysis('specs/autoencoder-symbolic.yaml');

function edited(analysis: Analysis, edit: ReturnType<typeof rename>): string {
  expect(edit).not.toBeNull();
  expect(edit).not.toHaveProperty('error');
  const changes = (edit as WorkspaceEdit).changes!;
  expect(Object.keys(changes)).toEqual([analysis.uri]);
  return applyEdits(analysis.text, changes[analysis.uri]!);
}

/** What the renamed spec checks to: the same diagnostics (none for the gallery) and the same layers' shapes. */
function summary(analysis: Analysis) {
  return { errors: analysis.result.diagnostics.map((d) => d.code), shapes: analysis.result.models.map((m) => m.layers.map((l) => l.outputShape)) };
}

describe('prepareRename', () => {
  test('the range and the name', () => {
    expect(prepareRename(unet, at(unet.text, 'from: [up3', 0, 'from: [u'.length))).toEqual({ range: rangeOf(unet.text, 'from: [up3', 0, 'up3'), placeholder: 'up3' });
    expect(prepareRename(pix2pix, at(pix2pix.text, '"skip{i}"', 0, 6))).toEqual({ range: rangeOf(pix2pix.text, '"skip{i}"', 0, 'i'), placeholder: 'i' });
  });

  test('no name there', () => {
    expect(prepareRename(unet, at(unet.text, 'kernelSize: 3'))).toBeNull();
    expect(prepareRename(analysisOf('specs/x.yaml', 'models: ['), { line: 0, character: 2 })).toBeNull();
  });

  test('what netspec cannot rename statically is refused, saying why', () => {
    expect(prepareRename(pix2pix, at(pix2pix.text, 'id: "up{i}"', 0, 'id: "u'.length))).toEqual({
      error: `layer id "up{i}" is made by interpolation ('up0', 'up1', 'up2', 'up3', 'up4', 'up5', 'up6'): netspec cannot rename an id it computes; edit the template by hand`,
    });
    expect(prepareRename(pix2pix, at(pix2pix.text, '"down{6 - i}"', 0, 2))).toEqual({
      error: `"down{6 - i}" is an interpolation (it reads 'down6', 'down5', 'down4', 'down3', 'down2', 'down1', 'down0'): netspec cannot rename what it computes; edit it by hand`,
    });
    expect(prepareRename(pix2pix, at(pix2pix.text, 'id: down0', 0, 5))).toEqual({
      error: `'down0' is also read by the interpolation "down{6 - i}" (line 28), which netspec cannot rewrite statically; rename it by hand`,
    });
    const generated = analysisOf('specs/g.yaml', 'netspec: 1\nmodels:\n  m:\n    inputs: { x: [4] }\n    layers:\n      - { type: dense, units: 4 }\n      - { type: dense, from: dense_1, units: 2 }\n');
    expect(generated.result.diagnostics).toEqual([]);
    const refusal = { error: "layer 'dense_1' has a generated id: give it `id: dense_1` to name it, then rename that" };
    expect(prepareRename(generated, at(generated.text, 'from: dense_1', 0, 7))).toEqual(refusal);
    expect(prepareRename(generated, at(generated.text, 'dense, units: 4', 0, 1))).toEqual(refusal);
    expect(prepareRename(autoencoder, at(autoencoder.text, '  decoder:', 0, 4))).toEqual({
      error: "layer 'decoder' of model 'autoencoder' is named after model 'decoder' and read by that id (line 12): give it `id: decoder` first",
    });
  });
});

describe('rename', () => {
  test('a layer id: its id, its from entries', () => {
    const edit = rename(unet, at(unet.text, 'id: up3', 0, 5), 'bottleneckUp');
    expect(edit).toEqual({ changes: { [unet.uri]: [rangeOf(unet.text, 'id: up3', 0, 'up3'), rangeOf(unet.text, 'from: [up3', 0, 'up3')].map((range) => ({ range, newText: 'bottleneckUp' })) } });
    const after = analysisOf(unet.file, edited(unet, edit));
    expect(summary(after)).toEqual(summary(unet));
    expect(after.result.spec!.models[0]!.layers.map((l) => l.id)).toContain('bottleneckUp');
  });

  test('a param: its key and every expression, shapes included', () => {
    const edit = rename(unet, at(unet.text, 'classes: 2'), 'labels');
    expect(edit).toEqual({ changes: { [unet.uri]: [rangeOf(unet.text, 'classes: 2', 0, 'classes'), rangeOf(unet.text, 'filters: classes', 0, 'classes'), rangeOf(unet.text, 'W, classes]', 0, 'classes')].map((range) => ({ range, newText: 'labels' })) } });
    expect(summary(analysisOf(unet.file, edited(unet, edit)))).toEqual(summary(unet));
  });

  test('a symbol: its declaration and the shapes', () => {
    const text = edited(unet, rename(unet, at(unet.text, 'image: [H', 0, 'image: ['.length), 'Height'));
    expect(text).toContain('  Height: { multipleOf: 8 }');
    expect(text).toContain('image: [Height, W, 3]');
    expect(text).toContain('logits: [Height, W, classes]');
    const renamed = JSON.parse(JSON.stringify(summary(unet)).replaceAll('"symbol":"H"', '"symbol":"Height"'));
    expect(summary(analysisOf(unet.file, text))).toEqual(renamed);
  });

  test('a default index gets `as:`, in the flow mapping of its repeat, and every {i} of the body', () => {
    const text = edited(pix2pix, rename(pix2pix, at(pix2pix.text, '"skip{i}"', 0, 6), 'level'));
    expect(text).toContain('rate: [0.5, 0.5, 0.5, 0, 0, 0, 0] }\n        as: level\n');
    expect(text).toContain('- { type: reLU, id: "up{level}" }');
    expect(text).toContain('- { type: concatenate, id: "skip{level}", from: ["up{level}", "down{6 - level}"] }');
    // The encoder's own i is another variable.
    expect(text).toContain('id: "down{i + 1}"');
    const after = analysisOf(pix2pix.file, text);
    expect(summary(after)).toEqual(summary(pix2pix));
    expect(after.result.spec!.models[0]!.layers.map((l) => l.id)).toEqual(pix2pix.result.spec!.models[0]!.layers.map((l) => l.id));
  });

  test('a default index of a flow-style repeat, and one in block style with a comment', () => {
    const text = `netspec: 1
models:
  m:
    inputs: { x: [4] }
    layers:
      - { repeat: 2, layers: [{ type: dense, id: "a{i}", units: 4 }] }
      - repeat: 2  # twice
        layers:
          - { type: dense, id: "b{i}", units: 4 }
`;
    const analysis = analysisOf('specs/r.yaml', text);
    expect(analysis.result.diagnostics).toEqual([]);
    expect(edited(analysis, rename(analysis, at(text, '"a{i}"', 0, 3), 'k'))).toBe(text.replace('{ repeat: 2, layers', '{ repeat: 2, as: k, layers').replace('"a{i}"', '"a{k}"'));
    expect(edited(analysis, rename(analysis, at(text, '"b{i}"', 0, 3), 'k'))).toBe(text.replace('- repeat: 2  # twice\n', '- repeat: 2  # twice\n        as: k\n').replace('"b{i}"', '"b{k}"'));
  });

  test('a default index of a repeat whose zipped lists are a block mapping', () => {
    const text = `netspec: 1
models:
  m:
    inputs: { x: [4] }
    layers:
      - repeat:
          f: [2, 4]
        layers:
          - { type: dense, id: "d{i}", units: f }
`;
    const analysis = analysisOf('specs/z.yaml', text);
    expect(analysis.result.diagnostics).toEqual([]);
    const after = edited(analysis, rename(analysis, at(text, '"d{i}"', 0, 3), 'k'));
    expect(after).toBe(text.replace('f: [2, 4]\n', 'f: [2, 4]\n        as: k\n').replace('"d{i}"', '"d{k}"'));
    expect(analysisOf('specs/z.yaml', after).result.diagnostics).toEqual([]);
  });

  test('a loop variable named by `as:` and a zipped list', () => {
    const text = edited(pix2pix, rename(pix2pix, at(pix2pix.text, 'rate: rate', 0, 'rate: r'.length), 'dropRate'));
    expect(text).toContain('rate: [0.5, 0.5, 0.5, 0, 0, 0, 0] }'.replace('rate', 'dropRate'));
    expect(text).toContain('{ type: dropout, rate: dropRate }');
    expect(summary(analysisOf(pix2pix.file, text))).toEqual(summary(pix2pix));
  });

  test('a layer of a YAML alias in both models, and a repeat input', () => {
    const text = edited(cyclegan, rename(cyclegan, at(cyclegan.text, '{ translated: [H', 0, 3), 'fake'));
    expect(text.match(/fake/g)).toHaveLength(3);
    expect(summary(analysisOf(cyclegan.file, text))).toEqual(summary(cyclegan));
    const input = edited(cyclegan, rename(cyclegan, at(cyclegan.text, 'input: x', 0, 7), 'block'));
    expect(input).toContain('input: block');
    expect(input).toContain('from: [block, "residual{i}"]');
    expect(summary(analysisOf(cyclegan.file, input))).toEqual(summary(cyclegan));
  });

  test('a model: its key, its model layers, the contract', () => {
    const edit = rename(dcgan, at(dcgan.text, 'model: discriminator', 0, 8), 'critic');
    expect(edit).toEqual({
      changes: { [dcgan.uri]: [rangeOf(dcgan.text, 'discriminator.x', 0, 'discriminator'), rangeOf(dcgan.text, '  discriminator:', 0, 'discriminator'), rangeOf(dcgan.text, 'model: discriminator', 0, 'discriminator')].map((range) => ({ range, newText: 'critic' })) },
    });
    expect(summary(analysisOf(dcgan.file, edited(dcgan, edit)))).toEqual(summary(dcgan));
  });

  test('new names that are not ids, or are taken, are refused', () => {
    const up3 = at(unet.text, 'id: up3', 0, 5);
    expect(rename(unet, up3, '3up')).toEqual({ error: "'3up' is not an identifier" });
    expect(rename(unet, up3, 'up-3')).toEqual({ error: "'up-3' is not an identifier" });
    expect(rename(unet, up3, '_up')).toEqual({ error: "'_up' is not a name tfjs accepts: tfjs names must start with a letter or digit (tfjs-layers isValidTensorName)" });
    expect(rename(unet, up3, 'constructor')).toEqual({ error: "'constructor' is the name of a property every JavaScript object has, which tfjs and the generated code would read in its place" });
    expect(rename(unet, up3, 'null')).toEqual({ error: "'null' would be read by YAML as null, not as a name" });
    expect(rename(unet, up3, 'true')).toEqual({ error: "'true' would be read by YAML as a boolean, not as a name" });
    expect(rename(unet, up3, 'down2')).toEqual({ error: "'down2' is already a layer id of model 'unet'" });
    expect(rename(unet, up3, 'image')).toEqual({ error: "'image' is already an input of model 'unet'" });
    expect(rename(unet, at(unet.text, 'nf: 16'), 'classes')).toEqual({ error: "'classes' is already a param" });
    expect(rename(unet, at(unet.text, 'nf: 16'), 'W')).toEqual({ error: "'W' is already a symbol" });
    expect(rename(unet, at(unet.text, 'nf: 16'), '_nf')).toHaveProperty('changes');
    expect(rename(pix2pix, at(pix2pix.text, 'rate: rate', 0, 7), 'ngf')).toEqual({ error: "'ngf' is already a param" });
    expect(rename(pix2pix, at(pix2pix.text, 'rate: rate', 0, 7), 'f')).toEqual({ error: "'f' is already a loop variable of this repeat or one around or inside it" });
    expect(rename(pix2pix, at(pix2pix.text, 'rate: rate', 0, 7), 'i')).toEqual({ error: "'i' is already a loop variable of this repeat or one around or inside it" });
    expect(rename(dcgan, at(dcgan.text, 'model: generator', 0, 8), 'gan')).toEqual({ error: "'gan' is already a model" });
    expect(rename(dcgan, at(dcgan.text, 'model: generator', 0, 8), 'Gan')).toEqual({ error: "'Gan' and model 'gan' would both generate buildGan()" });
  });
});
