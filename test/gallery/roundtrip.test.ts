import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { compile } from '../../src/index.js';
import { elementCount } from '../../src/infer/rule.js';
import { runtimeDim } from '../../src/infer/affine.js';
import type { Shape } from '../../src/ir.js';
import { buildGalleryModel, concrete, gallerySources, root, sizesOf } from '../helpers/gallery.js';

/**
 * The two paths of every gallery model must agree: what netspec infers
 * statically, and what tfjs builds and computes from the generated module.
 */
const result = compile(gallerySources());

/** The shape tfjs declares: symbolic sizes are unknown until run time. */
const declaredShape = (shape: Shape) => shape.map(runtimeDim);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

test('the gallery compiles without diagnostics', () => {
  expect(result.diagnostics).toEqual([]);
  expect(result.models.length).toBeGreaterThanOrEqual(4);
});

describe.each(result.models.map((m) => [`${m.file} ${m.model.name}`, m] as const))('%s', (_, m) => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    // The cpu backend takes about 90 s for one 256x256 CycleGAN generator pass (43 billion multiply-adds in
    // its residual blocks); wasm takes seconds, and test/runtime/ checks the runtime layers on both backends.
    await tf.setBackend((m.macs ?? 0) > 1e10 ? 'wasm' : 'cpu');
    model = await buildGalleryModel(result, m);
  });

  test('output shapes: inferred == model.outputShape == predict on zeros (at two sizes for a symbolic model)', () => {
    const declared = (Array.isArray(model.outputShape[0]) ? model.outputShape : [model.outputShape]) as (number | null)[][];
    expect(declared).toEqual(m.outputs.map((o) => declaredShape(o.shape)));
    // Batch 2, or 1 for the models of over a billion multiply-accumulates per sample (the 3D-GAN takes ~13 s a sample on cpu).
    const batch = (m.macs ?? 0) > 1e9 ? 1 : 2;
    for (const sizes of sizesOf(m)) {
      const inputs = m.inputs.map((i) => tf.zeros(concrete(i.shape, batch, sizes)));
      const outputs = tf.tidy(() => {
        const y = model.predict(inputs.length === 1 ? inputs[0]! : inputs);
        return (Array.isArray(y) ? y : [y]).map((t) => t.shape);
      });
      tf.dispose(inputs);
      expect([Object.fromEntries(sizes), outputs]).toEqual([Object.fromEntries(sizes), m.outputs.map((o) => concrete(o.shape, batch, sizes))]);
    }
  });

  test('every layer: inferred output shape == tfjs layer output shape', () => {
    for (const l of m.layers) expect([l.layer.id, model.getLayer(l.layer.id).outputShape]).toEqual([l.layer.id, declaredShape(l.outputShape)]);
  });

  test('parameter counts: inferred == countParams, trainable split included', () => {
    const size = (ws: tf.LayerVariable[]) => ws.reduce((sum, w) => sum + elementCount(w.shape as number[]), 0);
    expect(model.countParams()).toBe(m.params.trainable + m.params.nonTrainable);
    expect(size(model.trainableWeights)).toBe(m.params.trainable);
    expect(size(model.nonTrainableWeights)).toBe(m.params.nonTrainable);
  });
});

/** Parameter counts published with the original models, independent of netspec and tfjs. */
const published: [string, string, { trainable: number; nonTrainable: number }][] = [
  ['dcgan', 'generator', { trainable: 5_126_723, nonTrainable: 1_920 }],
  ['dcganMnist', 'generator', { trainable: 2_330_944 - 25_472, nonTrainable: 25_472 }],
  ['vaeDecoder', 'decoder', { trainable: 65_089, nonTrainable: 0 }],
  // The TensorFlow pix2pix tutorial: generator "Total params: 54,425,859", discriminator "Total params: 2,770,433".
  ['pix2pix', 'generator', { trainable: 54_425_859 - 10_880, nonTrainable: 10_880 }],
  ['pix2pix', 'discriminator', { trainable: 2_770_433 - 1_792, nonTrainable: 1_792 }],
  // Shi et al. 2016, x3: 64 5x5, 32 3x3 and 9 3x3 filters on one channel.
  ['espcn', 'upscaler', { trainable: 22_729, nonTrainable: 0 }],
  // Ledig et al. 2017; the count of the PyTorch SRResNet with one PReLU slope each (BatchNorm statistics non-trainable).
  ['srgan', 'generator', { trainable: 1_549_462, nonTrainable: 4_224 }],
  // Brownlee 2019, "How to Develop a Conditional GAN (cGAN) From Scratch": label embedding 50, Fashion-MNIST.
  ['conditionalDcgan', 'generator', { trainable: 1_169_336, nonTrainable: 0 }],
  ['conditionalDcgan', 'discriminator', { trainable: 196_773, nonTrainable: 0 }],
  // Zhu et al. 2017, the authors' ResnetGenerator (9 blocks) and 70x70 NLayerDiscriminator with instance norm.
  ['cyclegan', 'generator', { trainable: 11_378_179, nonTrainable: 0 }],
  ['cyclegan', 'generatorAnySize', { trainable: 11_378_179, nonTrainable: 0 }],
  ['cyclegan', 'discriminator', { trainable: 2_764_737, nonTrainable: 0 }],
  // Miyato et al. 2018, the standard CNN; one power-iteration vector per layer (Keras' non-trainable u).
  ['sngan', 'discriminator', { trainable: 2_935_873, nonTrainable: 1_409 }],
  // Karras et al. 2018, G_paper at 4x4 with toRGB.
  ['progan', 'generator', { trainable: 6_556_163, nonTrainable: 0 }],
  // Karras et al. 2019, G_mapping: 8 dense layers of 512 (equalized learning rate changes no count).
  ['styleganMapping', 'mapping', { trainable: 2_101_248, nonTrainable: 0 }],
  // Kumar et al. 2019, descriptinc/melgan-neurips Generator(80, 32, 3) with weight norm.
  ['melgan', 'generator', { trainable: 4_266_050, nonTrainable: 0 }],
];

/** The same architectures built in PyTorch 1.13 by test/fixtures/torch/gallery-counts.py. */
const torchCounts = JSON.parse(readFileSync(join(root, 'test/fixtures/torch/gallery-counts.json'), 'utf8')) as Record<string, { trainable: number; nonTrainable: number }>;

test('the published counts are the counts of the same networks built in PyTorch', () => {
  const rows = Object.fromEntries(published.map(([spec, model, params]) => [`${spec} ${model}`, params]));
  expect(Object.keys(torchCounts).length).toBeGreaterThanOrEqual(4);
  for (const [key, params] of Object.entries(torchCounts)) expect([key, rows[key] ?? 'not in the gallery']).toEqual([key, params]);
});

test.each(published)('%s %s has the published parameter counts', (spec, model, params) => {
  const file = result.specs.find((s) => s.name === spec)!.file;
  expect(result.models.find((m) => m.file === file && m.model.name === model)!.params).toEqual(params);
});

test('the DCGAN discriminator maps 64x64x3 to one logit', () => {
  const file = result.specs.find((s) => s.name === 'dcgan')!.file;
  const d = result.models.find((m) => m.file === file && m.model.name === 'discriminator')!;
  expect(d.inputs[0]!.shape).toEqual([null, 64, 64, 3]);
  expect(d.outputs[0]!.shape).toEqual([null, 1]);
});
