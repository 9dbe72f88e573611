import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compile, importModel, Locator } from '../../src/index.js';
import { root } from '../helpers/gallery.js';
import { runCli } from '../helpers/cli.js';

const fixture = (name: string) => readFileSync(join(root, 'test', 'fixtures', 'import', name), 'utf8');

describe('Keras fixtures', () => {
  it('Keras 3 Sequential (converted model.json): the dense stack compiles to its parameter count', () => {
    const text = fixture('keras3-sequential-dense.json');
    const imported = importModel({ path: 'model.json', text }, { specPath: 'keras3.yaml' });
    expect(imported.diagnostics).toEqual([]);
    const result = compile([{ path: 'keras3.yaml', text: imported.value!.spec }]);
    expect(result.diagnostics.filter((d) => d.severity === 'error'), imported.value!.spec).toEqual([]);
    const m = result.models[0]!;
    // Counted from the configs: input 1, Dense units 10, 10, 10, 17, each kernel in*units plus a bias of units.
    const units = [1, 10, 10, 10, 17];
    const expected = units.slice(1).reduce((n, u, i) => n + units[i]! * u + u, 0);
    expect(m.params.trainable).toBe(expected);
    expect(m.outputs.map((o) => o.shape)).toEqual([[null, 17]]);
    expect(m.layers.map((l) => [l.layer.id, l.layer.type])).toEqual([['dense', 'dense'], ['dense_1', 'dense'], ['dense_2', 'dense'], ['dense_3', 'dense']]);
  });

  it('Keras 2.1.4 Sequential (config as a list of layers, batch_input_shape on the first): one dense 3 -> 1', () => {
    const text = fixture('keras2-sequential-dense.json');
    const imported = importModel({ path: 'model.json', text }, { specPath: 'keras2.yaml' });
    expect(imported.diagnostics).toEqual([]);
    // VarianceScaling(1, fan_avg, uniform) is glorotUniform, the default, and linear is no activation: nothing but units is left.
    expect(imported.value!.spec).toContain('- { type: dense, id: dense, units: 1 }');
    const result = compile([{ path: 'keras2.yaml', text: imported.value!.spec }]);
    expect(result.diagnostics.filter((d) => d.severity === 'error'), imported.value!.spec).toEqual([]);
    expect(result.models[0]!.params.trainable).toBe(3 * 1 + 1);
    expect(result.models[0]!.outputs.map((o) => o.shape)).toEqual([[null, 1]]);
  });

  it('Keras 2.1.1 functional MNIST convnet (Model, [[[name, 0, 0, {}]]] inbound nodes)', () => {
    const text = fixture('keras2-functional-mnist.json');
    const imported = importModel({ path: 'model.json', text }, { specPath: 'mnist.yaml' });
    expect(imported.diagnostics).toEqual([]);
    const result = compile([{ path: 'mnist.yaml', text: imported.value!.spec }]);
    expect(result.diagnostics.filter((d) => d.severity === 'error'), imported.value!.spec).toEqual([]);
    const m = result.models[0]!;
    // From the configs: 28 -> 26 -> 24 (valid 3x3), pooled to 12; conv k*k*in*out + out, dense in*out + out.
    const conv = (inC: number, outC: number) => 3 * 3 * inC * outC + outC;
    const dense = (i: number, o: number) => i * o + o;
    expect(m.params.trainable).toBe(conv(1, 32) + conv(32, 64) + dense(12 * 12 * 64, 128) + dense(128, 10));
    expect(m.layers.find((l) => l.layer.id === 'flatten_8')!.outputShape).toEqual([null, 12 * 12 * 64]);
    expect(m.outputs.map((o) => o.shape)).toEqual([[null, 10]]);
  });

  it('Keras 3 inbound nodes (__keras_tensor__ with keras_history), a merge taking one list argument', () => {
    const tensor = (name: string) => ({ class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: [name, 0, 0] } });
    const layer = (class_name: string, name: string, config: object, args: unknown[]) => ({ module: 'keras.layers', class_name, config: { name, trainable: true, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null }, ...config }, registered_name: null, inbound_nodes: [{ args, kwargs: {} }] });
    const model = {
      module: 'keras', class_name: 'Functional', registered_name: 'Functional',
      config: {
        name: 'k3', trainable: true,
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 4], dtype: 'float32', sparse: false, name: 'x' }, registered_name: null, name: 'x', inbound_nodes: [] },
          layer('Dense', 'a', { units: 4, activation: 'relu', use_bias: true, kernel_initializer: { module: 'keras.initializers', class_name: 'HeNormal', config: { seed: null }, registered_name: null }, bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null }, kernel_regularizer: { module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.01 }, registered_name: null }, bias_regularizer: null, kernel_constraint: { module: 'keras.constraints', class_name: 'MaxNorm', config: { max_value: 2, axis: 0 }, registered_name: null }, bias_constraint: null, lora_rank: null }, [tensor('x')]),
          layer('Dense', 'b', { units: 4 }, [tensor('x')]),
          layer('Add', 'sum', {}, [[tensor('a'), tensor('b')]]),
          layer('LeakyReLU', 'leak', { negative_slope: 0.2 }, [tensor('sum')]),
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['leak', 0, 0]],
      },
    };
    const imported = importModel({ path: 'model.json', text: JSON.stringify(model, null, 1) }, { specPath: 'k3.yaml' });
    expect(imported.diagnostics).toEqual([]);
    const spec = imported.value!.spec;
    expect(spec).toContain('{ type: dense, id: a, units: 4, activation: relu, kernelInitializer: heNormal, kernelRegularizer: { l2: 0.01 }, kernelConstraint: { type: maxNorm, maxValue: 2, axis: 0 } }');
    expect(spec).toContain('{ type: dense, id: b, from: x, units: 4 }');
    expect(spec).toContain('{ type: add, id: sum, from: [a, b] }');
    expect(spec).toContain('{ type: leakyReLU, id: leak, alpha: 0.2 }');
    const result = compile([{ path: 'k3.yaml', text: spec }]);
    expect(result.diagnostics.filter((d) => d.severity === 'error'), spec).toEqual([]);
    expect(result.models[0]!.params.trainable).toBe(2 * (4 * 4 + 4));
  });
});

/** Where a diagnostic points, as line:column. */
function at(text: string, diagnostics: readonly { span?: { file: string; start: number; end: number } }[]): string[] {
  const locator = new Locator(new Map([['model.json', text]]));
  return diagnostics.map((d) => {
    const l = locator.locate(d.span!);
    return `${l.line}:${l.column}`;
  });
}

/** A tfjs model.toJSON() of x [4] -> dense -> (the layer under test), one layer per line so positions are plain to read. */
function withLayer(layer: string): string {
  return [
    '{"class_name": "Model", "keras_version": "tfjs-layers 4.22.0", "backend": "tensor_flow.js", "config": {"name": "m", "layers": [',
    '  {"name": "x", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "dtype": "float32", "name": "x"}, "inbound_nodes": []},',
    '  {"name": "d", "class_name": "Dense", "config": {"units": 3, "name": "d"}, "inbound_nodes": [[["x", 0, 0, {}]]]},',
    `  ${layer}`,
    '], "input_layers": [["x", 0, 0]], "output_layers": [["y", 0, 0]]}}',
  ].join('\n');
}

describe('import diagnostics are located in the JSON file', () => {
  const cases: [string, string, string, string][] = [
    ['an unknown class', '{"name": "y", "class_name": "Bidirectional", "config": {"name": "y"}, "inbound_nodes": [[["d", 0, 0, {}]]]}', 'NS6002', '4:31'],
    ['a Lambda layer', '{"name": "y", "class_name": "Lambda", "config": {"name": "y", "function": ["4wEAAA==", null, null]}, "inbound_nodes": [[["d", 0, 0, {}]]]}', 'NS6002', '4:31'],
    ['an argument with no netspec option', '{"name": "y", "class_name": "Dense", "config": {"units": 2, "name": "y", "lora_rank": 4}, "inbound_nodes": [[["d", 0, 0, {}]]]}', 'NS6003', '4:76'],
    ['an activation netspec lacks', '{"name": "y", "class_name": "Dense", "config": {"units": 2, "name": "y", "activation": "leaky_relu"}, "inbound_nodes": [[["d", 0, 0, {}]]]}', 'NS6003', '4:76'],
    ['a mixed-precision dtype policy (Keras 3)', '{"name": "y", "class_name": "Dense", "config": {"units": 2, "name": "y", "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "mixed_float16"}}}, "inbound_nodes": [[["d", 0, 0, {}]]]}', 'NS6003', '4:76'],
    ['a shared layer (two calls)', '{"name": "y", "class_name": "Dense", "config": {"units": 3, "name": "y"}, "inbound_nodes": [[["d", 0, 0, {}]], [["d", 0, 0, {}]]]}', 'NS6004', '4:94'],
  ];
  for (const [name, layer, code, where] of cases) {
    it(`${name}: ${code} at ${where}`, () => {
      const text = withLayer(layer);
      const result = importModel({ path: 'model.json', text });
      expect(result.value).toBeUndefined();
      expect(result.diagnostics.map((d) => d.code)).toEqual([code]);
      expect(at(text, result.diagnostics)).toEqual([where]);
      expect(result.diagnostics[0]!.fix).toBeTruthy();
    });
  }

  it('quantized weights are NS6005 at their manifest entry', () => {
    const text = JSON.stringify({ modelTopology: JSON.parse(withLayer('{"name": "y", "class_name": "Dense", "config": {"units": 1, "name": "y"}, "inbound_nodes": [[["d", 0, 0, {}]]]}')), weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'd/kernel', shape: [4, 3], dtype: 'uint8', quantization: { dtype: 'uint8', min: 0, scale: 1 } }] }] }, null, 1);
    const result = importModel({ path: 'model.json', text }, { weightData: new Map([['w.bin', new Uint8Array(12)]]) });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['NS6005']);
    const entry = text.indexOf('{', text.indexOf('"weights": ['));
    const before = text.slice(0, entry);
    expect(at(text, result.diagnostics)).toEqual([`${before.split('\n').length}:${entry - before.lastIndexOf('\n')}`]);
  });

  it('text that is not JSON is NS6001, and nothing throws', () => {
    const result = importModel({ path: 'model.json', text: '{"class_name": "Model", "config": {' });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['NS6001']);
  });
});

describe('netspec import (CLI)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'netspec-import-'));
    writeFileSync(join(dir, 'package.json'), '{}');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the spec and its .npy files, and netspec check passes on them', async () => {
    const model = tf.sequential({ name: 'tiny', layers: [tf.layers.dense({ inputShape: [3], units: 2, name: 'fc' }), tf.layers.batchNormalization({ name: 'bn' })] });
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        mkdirSync(join(dir, 'saved'));
        writeFileSync(join(dir, 'saved', 'model.json'), JSON.stringify({ modelTopology: a.modelTopology, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: a.weightSpecs }] }));
        writeFileSync(join(dir, 'saved', 'group1-shard1of1.bin'), new Uint8Array(a.weightData as ArrayBuffer));
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const run = await runCli(dir, 'import', 'saved/model.json', '-o', 'specs/tiny.yaml');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('wrote specs/tiny.yaml and 6 weight files\n');
    expect(readdirSync(join(dir, 'specs', 'tiny-weights')).length).toBe(6);
    const check = await runCli(dir, 'check', 'specs/tiny.yaml');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    model.dispose();
  });

  it('writes nothing when the model has an error, and says where', async () => {
    const text = withLayer('{"name": "y", "class_name": "Lambda", "config": {"name": "y"}, "inbound_nodes": [[["d", 0, 0, {}]]]}');
    writeFileSync(join(dir, 'model.json'), text);
    const run = await runCli(dir, 'import', 'model.json', '-o', 'spec.yaml');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('model.json:4:31: error NS6002');
    expect(run.stderr).toContain('nothing written');
    expect(existsSync(join(dir, 'spec.yaml'))).toBe(false);
  });

  it('refuses to write outside the project root', async () => {
    writeFileSync(join(dir, 'model.json'), fixture('keras3-sequential-dense.json'));
    const run = await runCli(dir, 'import', 'model.json', '-o', '../outside.yaml');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('NS9004');
    expect(existsSync(join(dir, '..', 'outside.yaml'))).toBe(false);
  });
});

describe('malformed model.json files are diagnostics, never exceptions', () => {
  const texts = [
    '[]',
    '"model"',
    'null',
    '{"class_name": "Model", "config": {"layers": [1, null, {"class_name": 5}, {"class_name": "Dense"}]}}',
    '{"class_name": "Model", "config": {"layers": [{"class_name": "Dense", "name": "d", "config": {"units": 2}, "inbound_nodes": {"x": 1}}], "output_layers": 7}}',
    '{"class_name": "Sequential", "config": {"layers": []}}',
    '{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": "many", "batch_input_shape": [null, 2]}}]}}',
    '{"modelTopology": {"class_name": "Sequential", "config": [{"class_name": "Dense", "config": {"units": 1, "batch_input_shape": [null, 2], "name": "d"}}]}, "weightsManifest": [{"paths": ["w.bin"], "weights": [{"name": "d/kernel", "shape": [2, 1], "dtype": "float32"}]}]}',
    '{"class_name": "Conv2D", "config": {}}',
  ];
  for (const text of texts) {
    it(text.slice(0, 60), () => {
      const result = importModel({ path: 'model.json', text }, { weightData: new Map([['w.bin', new Uint8Array(3)]]) });
      expect(result.value).toBeUndefined();
      expect(result.diagnostics.length).toBeGreaterThan(0);
      expect(result.diagnostics.every((d) => d.code.startsWith('NS6') && d.span?.file === 'model.json')).toBe(true);
    });
  }
});
