import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compile } from '../../src/index.js';
import { buildGalleryModel, gallerySources } from '../helpers/gallery.js';
import { runCli } from '../helpers/cli.js';
import { perturbWeights, relativeDifference } from './helpers.js';

/** `netspec export onnx model.json -o file.onnx` on models saved as model.save writes them. */
const result = compile(gallerySources());

/** Saves `model` into `dir/saved` as tfjs' file:// handler does: model.json and one weights file. */
async function save(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      mkdirSync(join(dir, 'saved'), { recursive: true });
      writeFileSync(join(dir, 'saved', 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] }, null, 2));
      writeFileSync(join(dir, 'saved', 'weights.bin'), new Uint8Array(a.weightData as ArrayBuffer));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

describe('netspec export onnx (CLI)', () => {
  let dir: string;
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'netspec-export-'));
    writeFileSync(join(dir, 'package.json'), '{}');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('converts a saved gallery model (runtime layers included) that then computes what tfjs predicts', async () => {
    const m = result.models.find((x) => x.file === 'specs/espcn.yaml')!;
    const model = await buildGalleryModel(result, m);
    perturbWeights(model);
    await save(model, dir);
    const run = await runCli(dir, 'export', 'onnx', 'saved/model.json', '-o', 'out/espcn.onnx');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const bytes = readFileSync(join(dir, 'out', 'espcn.onnx'));
    expect(run.stdout).toBe(`wrote out/espcn.onnx (${bytes.length} bytes, ONNX opset 18)\n`);
    const x = tf.randomNormal([1, 6, 5, 1], 0, 1, 'float32', 2);
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ [model.inputNames[0]!]: new ort.Tensor('float32', x.dataSync() as Float32Array, x.shape) });
    const y = model.predict(x) as tf.Tensor;
    expect(out[model.outputNames[0]!]!.dims).toEqual(y.shape);
    expect(relativeDifference(out[model.outputNames[0]!]!.data as Float32Array, y.dataSync() as Float32Array)).toBeLessThan(1e-4);
    await session.release();
    model.dispose();
  });

  it('a layer with no ONNX form is NS6006 at its class in model.json, and nothing is written', async () => {
    const x = tf.input({ shape: [4, 3], name: 'x' });
    const model = tf.model({ inputs: x, outputs: tf.layers.gru({ units: 2, name: 'recurrent' }).apply(x) as tf.SymbolicTensor });
    await save(model, dir);
    const run = await runCli(dir, 'export', 'onnx', 'saved/model.json', '-o', 'model.onnx');
    expect(run.code).toBe(1);
    const text = readFileSync(join(dir, 'saved', 'model.json'), 'utf8').split('\n');
    const line = text.findIndex((l) => l.includes('"class_name": "GRU"'));
    expect(run.stderr).toContain(`saved/model.json:${line + 1}:${text[line]!.indexOf('"GRU"') + 1}: error NS6006: layer 'recurrent' (GRU) has no ONNX form: netspec has no ONNX form for this layer class`);
    expect(run.stderr).toContain('nothing written');
    expect(existsSync(join(dir, 'model.onnx'))).toBe(false);
    model.dispose();
  });

  it('a missing weights file is NS6005 at its path in the manifest; an output outside the project is NS9004', async () => {
    const x = tf.input({ shape: [3], name: 'x' });
    const model = tf.model({ inputs: x, outputs: tf.layers.dense({ units: 2, name: 'fc' }).apply(x) as tf.SymbolicTensor });
    await save(model, dir);
    const outside = await runCli(dir, 'export', 'onnx', 'saved/model.json', '-o', '../outside.onnx');
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('NS9004');
    expect(existsSync(join(dir, '..', 'outside.onnx'))).toBe(false);
    rmSync(join(dir, 'saved', 'weights.bin'));
    const missing = await runCli(dir, 'export', 'onnx', 'saved/model.json', '-o', 'model.onnx');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/saved\/model\.json:\d+:\d+: error NS6005: the weights file 'weights.bin' is missing/);
    expect(existsSync(join(dir, 'model.onnx'))).toBe(false);
    model.dispose();
  });

  it('usage errors name the form of the command', async () => {
    expect((await runCli(dir, 'export', 'tflite', 'm.json')).stderr).toContain("export needs a target: netspec export onnx <model.json> -o <file.onnx> ('tflite' is not one)");
    expect((await runCli(dir, 'export', 'onnx', 'm.json')).stderr).toContain('export onnx takes one model.json and -o');
  });
});
