import * as tf from '@tensorflow/tfjs';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile, importModel } from '../../src/index.js';
import { lcg } from '../reference/conv-transpose.js';
import { buildGalleryModel, gallerySources, root } from '../helpers/gallery.js';

/** Hand-written tfjs models: sequential and functional, native layers of every kind netspec imports (docs/import.md). */
function sequential(): tf.LayersModel {
  return tf.sequential({
    name: 'seqDecoder',
    layers: [
      tf.layers.dense({ inputShape: [6], units: 4 * 4 * 8, useBias: false, name: 'project' }),
      tf.layers.reshape({ targetShape: [4, 4, 8], name: 'grid' }),
      tf.layers.batchNormalization({ name: 'bn' }),
      tf.layers.leakyReLU({ alpha: 0.2, name: 'leak' }),
      tf.layers.conv2dTranspose({ filters: 3, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh', name: 'image' }),
    ],
  });
}

function functional(): tf.LayersModel {
  const z = tf.input({ shape: [5], name: 'z' });
  const x = tf.input({ shape: [4, 4, 2], name: 'x' });
  const d = tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: 'heNormal', name: 'fc' }).apply(z) as tf.SymbolicTensor;
  const r = tf.layers.reshape({ targetShape: [4, 4, 2], name: 'map' }).apply(d) as tf.SymbolicTensor;
  const c = tf.layers.concatenate({ name: 'joined' }).apply([x, r]) as tf.SymbolicTensor;
  const b = tf.layers.batchNormalization({ momentum: 0.8, epsilon: 1e-5, name: 'norm' }).apply(c) as tf.SymbolicTensor;
  const up = tf.layers.conv2dTranspose({ filters: 6, kernelSize: 3, strides: 2, padding: 'valid', name: 'up' }).apply(b) as tf.SymbolicTensor;
  const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', kernelRegularizer: tf.regularizers.l2({ l2: 0.001 }), name: 'conv' }).apply(up) as tf.SymbolicTensor;
  const flat = tf.layers.flatten({ name: 'flat' }).apply(conv) as tf.SymbolicTensor;
  const score = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'score' }).apply(flat) as tf.SymbolicTensor;
  return tf.model({ inputs: [z, x], outputs: [score, up], name: 'twoHeads' });
}

const shapes = (model: tf.LayersModel) => model.outputs.map((o) => o.shape);

describe('hand-written tfjs models import to their own parameter counts and output shapes', () => {
  for (const [name, make] of [['sequential', sequential], ['functional', functional]] as const) {
    it(name, () => {
      const model = make();
      const imported = importModel({ path: 'model.json', text: JSON.stringify(model.toJSON(undefined, false)) }, { specPath: 'imported.yaml' });
      expect(imported.diagnostics).toEqual([]);
      const result = compile([{ path: 'imported.yaml', text: imported.value!.spec }]);
      expect(result.diagnostics.filter((d) => d.severity === 'error'), imported.value!.spec).toEqual([]);
      const m = result.models.find((r) => r.model.name === model.name)!;
      expect(m.params.trainable + m.params.nonTrainable).toBe(model.countParams());
      expect(m.params.nonTrainable).toBe(model.nonTrainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 0), 1), 0));
      expect(m.outputs.map((o) => o.shape)).toEqual(shapes(model));
      model.dispose();
    });
  }
});

/** What model.save writes, caught in memory: model.json's object and the bytes of its one weights file. */
async function saved(model: tf.LayersModel): Promise<{ json: string; bin: Uint8Array }> {
  let json = '';
  let bin = new Uint8Array();
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData!;
      bin = new Uint8Array(Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data);
      json = JSON.stringify({ modelTopology: artifacts.modelTopology, format: 'layers-model', weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }] }, null, 2);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return { json, bin };
}

const scratch = join(root, 'test', 'import', '.scratch');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The gallery's DCGAN `gan`: a generator and a frozen discriminator used as layers, whose layer names repeat across the two. */
async function gan(): Promise<tf.LayersModel> {
  const result = compile(gallerySources().filter((s) => s.path.endsWith('/dcgan.yaml')));
  return buildGalleryModel(result, result.models.find((m) => m.model.name === 'gan')!);
}

describe('with weights, the imported spec builds the same model with the same weights', () => {
  for (const [name, make] of [['sequential', sequential], ['functional', functional], ['dcgan gan (models as layers)', gan]] as const) {
    it(name, async () => {
      const model = await make();
      // Every weight random, moving statistics too (1-D weights positive: a variance must be), so that each matters to predict.
      const random = lcg(7);
      model.setWeights(model.getWeights().map((w) => tf.tensor(Array.from({ length: w.size }, () => (w.shape.length === 1 ? 0.5 + Math.abs(random()) : random() * 0.5)), w.shape)));
      const { json, bin } = await saved(model);
      const imported = importModel({ path: 'model.json', text: json }, { specPath: 'imported.yaml', weightData: new Map([['group1-shard1of1.bin', bin]]) });
      expect(imported.diagnostics).toEqual([]);
      const files = new Map(imported.value!.weightFiles.map((f) => [f.path, f.bytes]));
      expect(files.size).toBe(model.weights.length);
      const result = compile([{ path: 'imported.yaml', text: imported.value!.spec }], { readFile: (p) => files.get(p) ?? { reason: 'missing' } });
      expect(result.diagnostics.filter((d) => d.severity === 'error'), imported.value!.spec).toEqual([]);
      mkdirSync(scratch, { recursive: true });
      const file = join(scratch, `${name.split(' ')[0]}.ts`);
      writeFileSync(file, result.modules[0]!.text);
      const module = (await import(/* @vite-ignore */ file)) as Record<string, () => tf.LayersModel>;
      const rebuilt = module[`build${model.name.charAt(0).toUpperCase()}${model.name.slice(1)}`]!();
      const inputs = model.inputs.map((i) => tf.tensor(Array.from({ length: i.shape.slice(1).reduce((a, b) => a! * b!, 1)! * 2 }, () => random() * 2 - 1), [2, ...(i.shape.slice(1) as number[])]));
      const want = [model.predict(inputs)].flat() as tf.Tensor[];
      const got = [rebuilt.predict(inputs)].flat() as tf.Tensor[];
      expect(got.length).toBe(want.length);
      for (let k = 0; k < want.length; k++) {
        expect(got[k]!.shape).toEqual(want[k]!.shape);
        expect(want[k]!.dataSync().every(Number.isFinite)).toBe(true);
        const diff = tf.max(tf.abs(tf.sub(got[k]!, want[k]!))).dataSync()[0]!;
        expect(diff).toBeLessThan(1e-5);
      }
      tf.dispose([...inputs, ...want, ...got]);
      model.dispose();
      rebuilt.dispose();
    });
  }
});
