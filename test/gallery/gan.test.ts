import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { buildDiscriminator, buildGan, buildGenerator, ganOutputShapes } from '../../generated/dcgan.js';
import { compile } from '../../src/index.js';
import { setTrainable } from '../../src/runtime/index.js';
import { root } from '../helpers/gallery.js';

/**
 * The DCGAN composition of specs/dcgan.yaml, `gan = discriminator(generator(z))`
 * with the discriminator frozen, as the Keras GAN recipe trains it: it runs
 * and shares the instances passed in. Training is tested on a small GAN of the
 * same form (test/fixtures/training/gan.yaml), since a fit step of the 64x64
 * one takes minutes on the cpu backend: it moves the generator only.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const z = () => tf.randomNormal([2, 100], 0, 1, 'float32', 5);

/** Largest absolute difference between two lists of tensors, per tensor. */
function changes(before: readonly tf.Tensor[], after: readonly tf.Tensor[]): number[] {
  return before.map((b, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(after[i]!, b))).dataSync()[0]!));
}

function snapshot(model: tf.LayersModel): tf.Tensor[] {
  return model.weights.map((w) => w.read().clone());
}

test('the composed GAN runs a forward pass: z -> one logit per sample', () => {
  const gan = buildGan();
  const input = z();
  const score = gan.predict(input) as tf.Tensor;
  expect(score.shape).toEqual([2, ...ganOutputShapes[0].slice(1)]);
  expect(Array.from(score.dataSync()).every(Number.isFinite)).toBe(true);
  expect(gan.layers.map((l) => l.name)).toEqual(['z', 'generator', 'score']);
  tf.dispose([input, score]);
});

test('buildGan({ generator, discriminator }) uses the instances passed in: same weights, same outputs', () => {
  const generator = buildGenerator();
  const discriminator = buildDiscriminator();
  const gan = buildGan({ generator, discriminator });
  // The generator is the layer itself; the discriminator is applied through a view named by the spec id.
  expect(gan.getLayer('generator')).toBe(generator);
  expect((gan.getLayer('score') as tf.LayersModel).getLayer('down1')).toBe(discriminator.getLayer('down1'));
  const shared = new Set(gan.weights);
  expect([...generator.weights, ...discriminator.weights].every((w) => shared.has(w))).toBe(true);
  expect(gan.weights).toHaveLength(generator.weights.length + discriminator.weights.length);

  const input = z();
  const composed = () => tf.tidy(() => Array.from((gan.predict(input) as tf.Tensor).dataSync()));
  const separately = () => tf.tidy(() => Array.from((discriminator.predict(generator.predict(input) as tf.Tensor) as tf.Tensor).dataSync()));
  expect(composed()).toEqual(separately());
  // New weights set on the standalone generator are the GAN's weights at once.
  const before = composed();
  generator.setWeights(generator.getWeights().map((w) => tf.randomNormal(w.shape, 0, 0.05, 'float32', 9)));
  expect(composed()).toEqual(separately());
  expect(composed()).not.toEqual(before);
  // Without parts, buildGan builds models of its own.
  const own = new Set(buildGan().weights);
  expect(generator.weights.some((w) => own.has(w))).toBe(false);
  input.dispose();
});

const tinySpec = 'test/fixtures/training/gan.yaml';
const tinyGolden = join(root, 'test/fixtures/training/ganTiny.ts');

test('the small GAN module is the committed one', () => {
  const result = compile([{ path: tinySpec, text: readFileSync(join(root, tinySpec), 'utf8') }]);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  if (process.env['NETSPEC_UPDATE_FIXTURES'] === '1') writeFileSync(tinyGolden, result.modules[0]!.text);
  expect(result.modules[0]!.text).toBe(readFileSync(tinyGolden, 'utf8'));
});

test('a fit step of the GAN trains the generator (constraint honoured) and leaves the frozen discriminator unchanged, moving statistics included', async () => {
  const tiny = await import('../fixtures/training/ganTiny.js');
  const generator = tiny.buildGenerator();
  const discriminator = tiny.buildDiscriminator();
  discriminator.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
  const gan = tiny.buildGan({ generator, discriminator });
  gan.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
  expect(gan.trainableWeights.map((w) => w.originalName).sort()).toEqual(generator.trainableWeights.map((w) => w.originalName).sort());

  const input = tf.randomNormal([4, 8], 0, 1, 'float32', 5);
  const real = tf.ones([4, 1]);
  const [d0, g0] = [snapshot(discriminator), snapshot(generator)];
  await gan.fit(input, real, { epochs: 1, batchSize: 4, verbose: 0 });
  expect(changes(d0, snapshot(discriminator))).toEqual(d0.map(() => 0));
  const moved = changes(g0, snapshot(generator));
  expect(generator.weights.map((w, i) => [w.originalName, moved[i]! > 0])).toEqual(generator.weights.map((w) => [w.originalName, true]));
  // withConstraints wraps the GAN too: the generator's maxNorm holds after the GAN's step.
  const kernel = generator.getLayer('image').getWeights()[0]!;
  expect(tf.tidy(() => tf.max(tf.sqrt(tf.sum(tf.square(kernel), 0))).dataSync()[0]!)).toBeLessThanOrEqual(0.5 + 1e-5);

  // The recipe's other half: unfrozen, the same instance trains on its own; frozen again, the GAN leaves it alone.
  setTrainable(discriminator, true);
  const fake = generator.predict(input) as tf.Tensor;
  const d1 = snapshot(discriminator);
  await discriminator.fit(fake, tf.zerosLike(real), { epochs: 1, batchSize: 4, verbose: 0 });
  expect(changes(d1, snapshot(discriminator)).every((c) => c > 0)).toBe(true);
  setTrainable(discriminator, false);
  const d2 = snapshot(discriminator);
  await gan.fit(input, real, { epochs: 1, batchSize: 4, verbose: 0 });
  expect(changes(d2, snapshot(discriminator))).toEqual(d2.map(() => 0));
  tf.dispose([input, real, fake, ...d0, ...g0, ...d1, ...d2]);
});

/** Per weight of `model`, by name: whether `step` changed it. */
async function moved(model: tf.LayersModel, step: () => Promise<unknown>): Promise<[string, boolean][]> {
  const before = snapshot(model);
  await step();
  const change = changes(before, snapshot(model));
  tf.dispose(before);
  return model.weights.map((w, i) => [w.originalName, change[i]! > 0]);
}

const named = (model: tf.LayersModel, flag: (w: tf.LayerVariable) => boolean) => model.weights.map((w) => [w.originalName, flag(w)] as [string, boolean]);

test('the Keras DCGAN loop: compile D, build the GAN (D frozen inside), then per step D.trainOnBatch on real and fake, gan.trainOnBatch through the frozen D', async () => {
  const tiny = await import('../fixtures/training/ganTiny.js');
  const generator = tiny.buildGenerator();
  const discriminator = tiny.buildDiscriminator();
  discriminator.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  const gan = tiny.buildGan({ generator, discriminator });
  gan.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  // Each compiled model trains what was trainable when it was compiled, as in Keras 2.
  expect(discriminator.trainableWeights).toEqual([]);
  expect(discriminator.layers.filter((l) => l.weights.length > 0).map((l) => l.name)).toEqual(['conv2d_1', 'batchNormalization_1', 'logit']);

  const labels = tf.tensor2d([1, 1, 0, 0], [4, 1]);
  const realLabels = tf.ones([2, 1]);
  for (let n = 0; n < 3; n++) {
    const z = tf.randomNormal([2, 8], 0, 1, 'float32', 20 + n);
    const real = tf.randomUniform([2, 8, 8, 3], -1, 1, 'float32', 40 + n);
    const images = tf.concat([real, generator.predict(z) as tf.Tensor]);
    const dStep = () => discriminator.trainOnBatch(images, labels);
    const [dOnD, gOnD] = [await moved(discriminator, dStep), snapshot(generator)];
    // The D step moves every weight the D was compiled with; its frozen batch normalization keeps its moving statistics.
    expect(dOnD).toEqual(named(discriminator, (w) => !w.originalName.includes('moving')));
    expect(changes(gOnD, snapshot(generator))).toEqual(gOnD.map(() => 0));
    const d = snapshot(discriminator);
    const gOnG = await moved(generator, () => gan.trainOnBatch(z, realLabels));
    // The G step moves every generator weight, moving statistics included, and nothing of the D.
    expect(gOnG).toEqual(named(generator, () => true));
    expect(changes(d, snapshot(discriminator))).toEqual(d.map(() => 0));
    tf.dispose([z, real, images, ...gOnD, ...d]);
  }
  tf.dispose([labels, realLabels]);
});

/** A model through save and load in memory. */
async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } })));
  return tf.loadLayersModel(tf.io.fromMemory(saved!));
}

test('loadGan reads back a saved GAN whose parts have layers of the same name, which tf.loadLayersModel refuses: same weights, outputs and frozen part', async () => {
  const tiny = await import('../fixtures/training/ganTiny.js');
  const gan = tiny.buildGan();
  let saved: tf.io.ModelArtifacts | undefined;
  await gan.save(tf.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } })));
  expect(saved!.weightSpecs!.filter((s) => s.name === 'batchNormalization_1/gamma')).toHaveLength(2);
  await expect(tf.loadLayersModel(tf.io.fromMemory(saved!))).rejects.toThrow('Duplicate weight name: batchNormalization_1/gamma');

  const loaded = await tiny.loadGan(tf.io.fromMemory(saved!));
  expect(loaded.weights.map((w) => w.originalName)).toEqual(gan.weights.map((w) => w.originalName));
  expect(loaded.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(gan.getWeights().map((w) => Array.from(w.dataSync())));
  expect(loaded.trainableWeights.map((w) => w.originalName)).toEqual(gan.trainableWeights.map((w) => w.originalName));
  const input = tf.randomNormal([2, 8], 0, 1, 'float32', 4);
  const [a, b] = [gan, loaded].map((m) => tf.tidy(() => Array.from((m.predict(input) as tf.Tensor).dataSync())));
  expect(b).toEqual(a);
  input.dispose();
});

/** What `model.save` writes, in memory. */
async function saved(model: tf.LayersModel, config?: tf.io.SaveConfig): Promise<tf.io.IOHandler> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } })), config);
  return tf.io.fromMemory(artifacts!);
}

test('training resumes from parts saved mid-loop: the discriminator, saved while the GAN froze it, loads trainable as buildDiscriminator makes it', async () => {
  const tiny = await import('../fixtures/training/ganTiny.js');
  const [generator, discriminator] = [tiny.buildGenerator(), tiny.buildDiscriminator()];
  discriminator.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  const gan = tiny.buildGan({ generator, discriminator });
  expect(discriminator.getLayer('logit').trainable).toBe(false);
  const [g, d] = [await saved(generator), await saved(discriminator)];
  expect(gan.layers.map((l) => l.name)).toEqual(['z', 'generator', 'score']);

  const loadedD = await tiny.loadDiscriminator(d);
  expect(loadedD.trainableWeights.map((w) => w.originalName)).toEqual(tiny.buildDiscriminator().trainableWeights.map((w) => w.originalName));
  // By name: model.weights lists trainable weights first, and the saved discriminator was frozen.
  const byName = (model: tf.LayersModel) => Object.fromEntries(model.weights.map((w) => [w.originalName, Array.from(w.read().dataSync())]));
  expect(byName(loadedD)).toEqual(byName(discriminator));
  loadedD.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  const loadedG = await tiny.loadGenerator(g);
  const resumed = tiny.buildGan({ generator: loadedG, discriminator: loadedD });
  resumed.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });

  const z = tf.randomNormal([2, 8], 0, 1, 'float32', 60);
  const images = tf.concat([tf.randomUniform([2, 8, 8, 3], -1, 1, 'float32', 61), loadedG.predict(z) as tf.Tensor]);
  const labels = tf.tensor2d([1, 1, 0, 0], [4, 1]);
  expect(await moved(loadedD, () => loadedD.trainOnBatch(images, labels))).toEqual(named(loadedD, (w) => !w.originalName.includes('moving')));
  const d0 = snapshot(loadedD);
  expect(await moved(loadedG, () => resumed.trainOnBatch(z, tf.ones([2, 1])))).toEqual(named(loadedG, () => true));
  expect(changes(d0, snapshot(loadedD))).toEqual(d0.map(() => 0));
  tf.dispose([z, images, labels, ...d0]);
});

test('a discriminator saved frozen with its optimizer loads compiled after it is unfrozen, so its own steps train it', async () => {
  const tiny = await import('../fixtures/training/ganTiny.js');
  const discriminator = tiny.buildDiscriminator();
  discriminator.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  tiny.buildGan({ discriminator });
  const images = tf.randomUniform([2, 8, 8, 3], -1, 1, 'float32', 62);
  const labels = tf.tensor2d([1, 0], [2, 1]);
  await discriminator.trainOnBatch(images, labels);
  const loaded = await tiny.loadDiscriminator(await saved(discriminator, { includeOptimizer: true }));
  expect(loaded.optimizer).toBeInstanceOf(tf.AdamOptimizer);
  // Unfrozen, its batch normalization trains in batch statistics too: every weight moves.
  expect(await moved(loaded, () => loaded.trainOnBatch(images, labels))).toEqual(named(loaded, () => true));
  tf.dispose([images, labels]);
});

test('a loaded GAN has its discriminator frozen as buildGan froze it: setTrainable(gan, true) unfreezes it', async () => {
  const tiny = await import('../fixtures/training/ganTiny.js');
  const loaded = await tiny.loadGan(await saved(tiny.buildGan()));
  const generatorWeights = tiny.buildGenerator().trainableWeights.map((w) => w.originalName);
  expect(loaded.trainableWeights.map((w) => w.originalName)).toEqual(generatorWeights);
  setTrainable(loaded, true);
  expect(loaded.trainableWeights.map((w) => w.originalName)).toEqual([...generatorWeights, ...tiny.buildDiscriminator().trainableWeights.map((w) => w.originalName)]);
});

// tfjs cannot load a composite whose parts have layers of the same name (both have `batchNormalization_1`:
// "Duplicate weight name"); docs/semantics.md says to save the parts and compose the loaded ones.
test('the parts saved and loaded separately compose into the same GAN', async () => {
  const tiny = await import('../fixtures/training/ganTiny.js');
  const [generator, discriminator] = [tiny.buildGenerator(), tiny.buildDiscriminator()];
  const gan = tiny.buildGan({ generator, discriminator });
  const loaded = tiny.buildGan({ generator: await roundTrip(generator), discriminator: await roundTrip(discriminator) });
  const input = tf.randomNormal([3, 8], 0, 1, 'float32', 3);
  const [a, b] = [gan, loaded].map((m) => tf.tidy(() => Array.from((m.predict(input) as tf.Tensor).dataSync())));
  // Loading writes the generator's weights through its maxNorm constraint (norm / (norm + 1e-7)): the 7th digit may differ.
  expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))).toBeLessThan(1e-6);
  expect(loaded.trainableWeights.length).toBe(gan.trainableWeights.length);
  input.dispose();
});
