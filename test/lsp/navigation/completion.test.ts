import { describe, expect, test } from 'vitest';
import { completion } from '../../../src/lsp/navigation/completion.js';
import { analysisOf, positionAt, specAnalysis } from './analysis.js';

/** Completion where `|` stands in the text (the text is checked without it). */
function complete(text: string, file = 'specs/c.yaml') {
  const offset = text.indexOf('|');
  expect(offset).toBeGreaterThanOrEqual(0);
  const written = text.slice(0, offset) + text.slice(offset + 1);
  return completion(analysisOf(file, written), positionAt(written, offset));
}
const labels = (text: string, file?: string) => complete(text, file)?.map((i) => i.label) ?? null;

const pix2pix = specAnalysis('specs/pix2pix.yaml').text;
const unet = specAnalysis('specs/unet-symbolic.yaml').text;
const model = (layers: string) => `netspec: 1\nparams: { n: 4 }\nmodels:\n  g:\n    inputs:\n      z: [4]\n    layers:\n${layers}`;

describe('completion', () => {
  test('padding offers what the layer type takes: no causal for a transposed convolution', () => {
    expect(labels(model('      - { type: conv2dTranspose, filters: 2, kernelSize: 3, padding: | }\n'))).toEqual(['valid', 'same']);
    expect(labels(model('      - { type: conv1d, filters: 2, kernelSize: 3, padding: | }\n'))).toEqual(['valid', 'same', 'causal']);
    expect(labels(model('      - type: conv1dTranspose\n        filters: 2\n        padding: |\n'))).toEqual(['valid', 'same']);
    expect(labels(model('      - { type: conv2d, dataFormat: c| }\n'))).toEqual(['channelsLast', 'channelsFirst']);
    expect(labels(model('      - { type: dense, units: 2, useBias: | }\n'))).toEqual(['true', 'false']);
  });

  test("a layer type's options, its own first, without those already written, with the schema's help", () => {
    const items = complete(model('      - { type: dropout, rate: 0.5, | }\n'))!;
    expect(items.map((i) => i.label)).toEqual(['noiseShape', 'seed', 'id', 'name', 'from', 'trainable', 'dtype', 'inputShape', 'batchInputShape', 'batchSize', 'weights', 'lint']);
    expect(items.find((i) => i.label === 'trainable')!.documentation).toEqual({ kind: 'markdown', value: 'Whether the weights are updated during training. Default true.' });
    // A key typed before `type:` in the same flow mapping, and one in block style above a later key.
    expect(labels(model('      - { pad|, type: conv1d, filters: 2, kernelSize: 3 }\n'))!.slice(0, 5)).toEqual(['strides', 'padding', 'paddingMode', 'dataFormat', 'dilationRate']);
    expect(labels(model('      - type: conv1d\n        |\n        filters: 3\n        kernelSize: 3\n'))!.slice(0, 5)).toEqual(['strides', 'padding', 'paddingMode', 'dataFormat', 'dilationRate']);
  });

  test('layer types, documented', () => {
    const items = complete(model('      - { type: conv2dT| }\n'))!;
    expect(items).toHaveLength(69);
    expect(items.slice(0, 3).map((i) => i.label)).toEqual(['dense', 'depthToSpace', 'embedding']);
    expect(items.find((i) => i.label === 'conv2dTranspose')).toEqual({
      label: 'conv2dTranspose',
      kind: 7,
      sortText: '0020',
      detail: 'layer type',
      documentation: { kind: 'markdown', value: '2D transposed convolution (deconvolution), with Keras 3 semantics; see docs/semantics.md.' },
    });
    expect(labels(model('      - { | }\n'))).toEqual(['type', 'repeat']);
  });

  test('from offers the ids valid at this point: inputs and the layers before', () => {
    expect(labels(unet.replace('from: [up2, down1]', 'from: [up2, |down1]'), 'specs/unet-symbolic.yaml')).toEqual(['image', 'stem', 'down1', 'down2', 'down3', 'up3', 'skip2', 'up2']);
    // In a repeat body: its input name, the inputs, and what comes before the repeat, named first.
    const inRepeat = labels(pix2pix.replace('from: ["up{i}", "down{6 - i}"]', 'from: ["up{i}", |]'), 'specs/pix2pix.yaml')!;
    expect(inRepeat.slice(0, 9)).toEqual(['image', 'down0', 'down1', 'down2', 'down3', 'down4', 'down5', 'down6', 'down7']);
    expect(inRepeat).not.toContain('up0');
    const cyclegan = specAnalysis('specs/cyclegan.yaml').text;
    expect(labels(cyclegan.replace('from: [x, "residual{i}"]', 'from: [x, |"residual{i}"]'), 'specs/cyclegan.yaml')!.slice(0, 3)).toEqual(['x', 'photo', 'down1']);
  });

  test('in expressions: the loop variables in scope, then the params; symbols in shapes', () => {
    expect(labels(pix2pix.replace('{ type: dropout, rate: rate }', '{ type: dropout, rate: r| }'), 'specs/pix2pix.yaml')).toEqual(['i', 'f', 'rate', 'ngf', 'ndf', 'channels']);
    expect(labels(pix2pix.replace('id: "skip{i}"', 'id: "skip{|}"'), 'specs/pix2pix.yaml')).toEqual(['i', 'f', 'rate', 'ngf', 'ndf', 'channels']);
    expect(labels(pix2pix.replace('- { type: conv2d, id: patches, filters: 1', '- { type: conv2d, id: patches, filters: |'), 'specs/pix2pix.yaml')).toEqual(['ngf', 'ndf', 'channels']);
    expect(labels(unet.replace('image: [H, W, 3]', 'image: [H, W, |]'), 'specs/unet-symbolic.yaml')).toEqual(['nf', 'classes', 'H', 'W']);
    expect(labels(model('      - { type: dense, units: 2 }\n').replace('params: { n: 4 }', 'params: { a: 1, b: |, c: 3 }'))).toEqual(['a']);
  });

  test('model names and outputs of a model layer', () => {
    const dcgan = specAnalysis('specs/dcgan.yaml').text;
    expect(labels(dcgan.replace('{ type: model, model: generator }', '{ type: model, model: | }'), 'specs/dcgan.yaml')).toEqual(['generator', 'discriminator']);
    expect(labels(dcgan.replace('{ type: model, model: generator }', '{ type: model, model: generator, output: | }'), 'specs/dcgan.yaml')).toEqual(['image']);
    expect(labels(dcgan.replace('    outputs:\n      score: [1]', '    outputs:\n      |'), 'specs/dcgan.yaml')).toEqual(['z', 'generator', 'score']);
    // Its `name` refers into another definition of the schema (`#/$defs/layerBase/properties/name`).
    const options = complete(dcgan.replace('{ type: model, model: generator }', '{ type: model, model: generator, | }'), 'specs/dcgan.yaml')!;
    expect(options.map((i) => i.label)).toEqual(['output', 'id', 'name', 'from', 'trainable', 'lint']);
    expect(options[2]!.documentation).toEqual({ kind: 'markdown', value: 'Keras/tfjs spelling of `id`; set one of the two.' });
  });

  test('defaults: the values any layer type with the option accepts, or those of one type', () => {
    expect(labels('netspec: 1\ndefaults: { padding: | }\nmodels: {}\n')).toEqual(['valid', 'same', 'causal']);
    expect(labels('netspec: 1\ndefaults:\n  conv2dTranspose: { padding: | }\nmodels: {}\n')).toEqual(['valid', 'same']);
    const keys = labels('netspec: 1\ndefaults:\n  kernelSize: 3\n  |\nmodels: {}\n')!;
    expect(keys).not.toContain('kernelSize');
    expect(keys).not.toContain('from');
    expect(keys.slice(0, 6)).toEqual(['units', 'trainable', 'dtype', 'inputShape', 'batchInputShape', 'batchSize']);
    expect(keys).not.toContain('lint');
    expect(keys).toContain('conv2dTranspose');
    expect(labels('netspec: 1\ndefaults:\n  conv2dTranspose: { fil| }\nmodels: {}\n')!.slice(0, 3)).toEqual(['filters', 'kernelSize', 'strides']);
  });

  test('lint names and levels, of the spec and of a layer', () => {
    expect(labels('netspec: 1\nlint: { checkerboard: off, | }\nmodels: {}\n')).toEqual(['ambiguousSize', 'unusedParam', 'unusedLayer', 'doubleActivation']);
    const levels = complete('netspec: 1\nlint: { checkerboard: | }\nmodels: {}\n')!;
    expect(levels.map((i) => i.label)).toEqual(['off', 'warning', 'error']);
    expect(levels[0]!.documentation).toEqual({ kind: 'markdown', value: 'NS5001: kernelSize not a multiple of strides in a transposed convolution.' });
    expect(labels(model('      - { type: dense, units: 2, lint: { unusedLayer: | } }\n'))).toEqual(['off', 'warning', 'error']);
  });

  test('contracts: model names, then the outputs and inputs of the model', () => {
    const dcgan = specAnalysis('specs/dcgan.yaml').text;
    expect(labels(dcgan.replace('  - generator.image == discriminator.x', '  - generator.image == |discriminator.x'), 'specs/dcgan.yaml')).toEqual(['generator', 'discriminator', 'gan']);
    expect(labels(dcgan.replace('  - generator.image == discriminator.x', '  - generator.image == discriminator.|x'), 'specs/dcgan.yaml')).toEqual(['logit', 'x']);
    const autoencoder = specAnalysis('specs/autoencoder-symbolic.yaml').text;
    expect(labels(autoencoder.replace('"encoder.code == decoder.code"', '"encoder.code == decoder.|code"'), 'specs/autoencoder-symbolic.yaml')).toEqual(['image', 'code']);
  });

  test('a symbol: its constraints, whose values are expressions over params', () => {
    const symbols = (entry: string) => labels(`netspec: 1\nparams: { n: 8 }\nsymbols:\n  H: { ${entry} }\nmodels:\n  g:\n    inputs: { x: [H] }\n    layers:\n      - { type: dense, units: 2 }\n`);
    expect(symbols('multipleOf: 8, |')).toEqual(['min', 'description']);
    expect(symbols('multipleOf: |')).toEqual(['n']);
  });

  test('the keys of a spec, a model and a repeat', () => {
    expect(labels('netspec: 1\n|\n')).toEqual(['name', 'description', 'params', 'symbols', 'defaults', 'models', 'lint', 'contracts']);
    expect(labels('netspec: 1\nmodels:\n  g:\n    inputs: { z: [4] }\n    |\n')).toEqual(['description', 'layers', 'outputs']);
    expect(labels(model('      - repeat: 2\n        |\n'))).toEqual(['as', 'input', 'layers']);
  });

  test('block style: a from list, an input in its long form', () => {
    expect(labels(model('      - { type: dense, id: h, units: 2 }\n      - type: concatenate\n        from:\n          - h\n          - |\n'))).toEqual(['z', 'h']);
    // An entry of padding's list is a pair of numbers or expressions, not `same`.
    expect(labels(model('      - type: conv2dTranspose\n        padding:\n          - [1, 1]\n          - |\n'))).toEqual(['n']);
    expect(labels('netspec: 1\nmodels:\n  g:\n    inputs:\n      label:\n        shape: [1]\n        |\n')).toEqual(['batchSize', 'dtype']);
    expect(labels('netspec: 1\nmodels:\n  g:\n    inputs:\n      label: { shape: [1], dtype: | }\n')).toEqual(['float32', 'int32']);
  });

  test('while typing, when the spec is not YAML yet', () => {
    expect(labels(model('      - { type: conv1dTranspose, pad|'))!.slice(0, 5)).toEqual(['filters', 'kernelSize', 'strides', 'padding', 'outputPadding']);
    expect(labels(model('      - { type: conv1dTranspose, padding: |'))).toEqual(['valid', 'same']);
    // Editors close brackets as they are typed; with the layer still wrong, the ones before it are known.
    expect(labels(model('      - { type: dense, units: 2 }\n      - { type: dense, from: [|] }\n'))).toEqual(['z', 'dense_1']);
    // Text that is not YAML has no IR: no ids, but the schema's help still comes.
    expect(labels(model('      - { type: dense, units: 2 }\n      - { type: dense, from: [|'))).toEqual([]);
  });

  test('nothing in a comment, an id, or an unknown place', () => {
    expect(labels(model('      - { type: dense, units: 2 }  # pad|\n'))).toBeNull();
    expect(labels(model('      - { type: dense, id: h|, units: 2 }\n'))).toEqual([]);
    expect(labels(model('      - { type: nosuch, pad|: 2 }\n'))).toEqual([]);
  });
});
