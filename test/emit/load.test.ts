import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, test } from 'vitest';
import { testCommittedModule } from '../helpers/committed-module.js';

/**
 * A generated `load<Model>` gives back the model `build<Model>` made and
 * `model.save` wrote: the same weights and outputs, constraints applied
 * after every training step, activity-regularizer losses present
 * (test/fixtures/training/saved.yaml).
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

testCommittedModule('test/fixtures/training/saved.yaml', 'test/fixtures/training/savedTiny.ts');

/** What `model.save` writes, through JSON text as a file would hold it. */
async function save(model: tf.LayersModel, config?: tf.io.SaveConfig): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } })), config);
  return { ...saved!, modelTopology: JSON.parse(JSON.stringify(saved!.modelTopology)) as object };
}

const values = (model: tf.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));
const z = () => tf.tensor2d([0.5, -1, 2, 0.25, -0.75, 1.5, -2, 1], [2, 4]);
const target = () => tf.fill([2, 4, 4, 1], 0.25);

/** Largest L2 norm of a dense kernel's columns (tfjs' maxNorm default axis 0). */
function maxColumnNorm(model: tf.LayersModel, layer: string): number {
  return tf.tidy(() => tf.max(tf.sqrt(tf.sum(tf.square(model.getLayer(layer).getWeights()[0]!), 0))).dataSync()[0]!);
}

/** One SGD step of `fit` on one batch; the loss it reports includes the activity penalties. */
async function step(model: tf.LayersModel): Promise<number> {
  model.compile({ optimizer: tf.train.sgd(0.5), loss: 'meanSquaredError' });
  const history = await model.fit(z(), target(), { epochs: 1, batchSize: 2, shuffle: false, verbose: 0 });
  return (history.history['loss'] as number[])[0]!;
}

test('loadDecoder gives back the saved layers, weights and outputs exactly', async () => {
  const { buildDecoder, loadDecoder, runDecoder } = await import('../fixtures/training/savedTiny.js');
  const built = buildDecoder();
  const loaded = await loadDecoder(tf.io.fromMemory(await save(built)));
  expect(loaded.layers.map((l) => [l.name, l.getClassName()])).toEqual([
    ['z', 'InputLayer'],
    ['hidden', 'Dense'],
    ['code', 'NetspecDense'],
    ['reshape_1', 'Reshape'],
    ['up', 'NetspecConvTranspose'],
    ['image', 'Conv2D'],
  ]);
  expect(values(loaded)).toEqual(values(built));
  const input = z();
  expect(Array.from(runDecoder(loaded, { z: input }).image.dataSync())).toEqual(Array.from(runDecoder(built, { z: input }).image.dataSync()));
});

test('baseline: tf.loadLayersModel writes the weights through their constraints, so the maxNorm kernel its initializer broke comes back moved', async () => {
  const { buildDecoder } = await import('../fixtures/training/savedTiny.js');
  const built = buildDecoder();
  expect(maxColumnNorm(built, 'hidden')).toBeGreaterThan(0.1);
  const plain = await tf.loadLayersModel(tf.io.fromMemory(await save(built)));
  expect(maxColumnNorm(plain, 'hidden')).toBeCloseTo(0.01, 6);
});

test('a training step of the loaded model equals the built one: same loss (activity penalties included), same weights, constraints applied', async () => {
  const { buildDecoder, loadDecoder } = await import('../fixtures/training/savedTiny.js');
  const built = buildDecoder();
  const artifacts = await save(built);
  const loaded = await loadDecoder(tf.io.fromMemory(artifacts));
  const plain = await tf.loadLayersModel(tf.io.fromMemory(artifacts));

  const [builtLoss, loadedLoss] = [await step(built), await step(loaded)];
  expect(loadedLoss).toBe(builtLoss);
  expect(values(loaded)).toEqual(values(built));
  expect(maxColumnNorm(built, 'hidden')).toBeLessThanOrEqual(0.01 + 1e-7);
  expect(maxColumnNorm(loaded, 'hidden')).toBeLessThanOrEqual(0.01 + 1e-7);
  expect(maxColumnNorm(loaded, 'code')).toBeLessThanOrEqual(0.5 + 1e-6);
  expect(Math.min(...loaded.getLayer('image').getWeights()[0]!.dataSync())).toBeGreaterThanOrEqual(0);
  // tfjs alone never applies a constraint in training: the plain loaded kernel leaves its ball after one step.
  await step(plain);
  expect(maxColumnNorm(plain, 'hidden')).toBeGreaterThan(0.011);
});

test('a model saved with its optimizer comes back compiled, and that optimizer applies the constraints', async () => {
  const { buildDecoder, loadDecoder } = await import('../fixtures/training/savedTiny.js');
  const built = buildDecoder();
  built.compile({ optimizer: tf.train.adam(0.5), loss: 'meanSquaredError' });
  const loaded = await loadDecoder(tf.io.fromMemory(await save(built, { includeOptimizer: true })));
  expect(loaded.optimizer).toBeInstanceOf(tf.AdamOptimizer);
  const builtLoss = (await built.trainOnBatch(z(), target())) as number;
  expect((await loaded.trainOnBatch(z(), target())) as number).toBe(builtLoss);
  expect(values(loaded)).toEqual(values(built));
  expect(maxColumnNorm(loaded, 'hidden')).toBeLessThanOrEqual(0.01 + 1e-7);
});

test('the activity regularizers survive the round trip: two penalty functions, the same penalty in the training loss', async () => {
  const { buildDecoder, loadDecoder } = await import('../fixtures/training/savedTiny.js');
  const built = buildDecoder();
  const loaded = await loadDecoder(tf.io.fromMemory(await save(built)));
  /** The training loss of a step with learning rate 0, less the data loss before it (evaluate adds no penalties). */
  const penalty = async (model: tf.LayersModel) => {
    model.compile({ optimizer: tf.train.sgd(0), loss: 'meanSquaredError' });
    const data = (model.evaluate(z(), target()) as tf.Scalar).dataSync()[0]!;
    return ((await model.trainOnBatch(z(), target())) as number) - data;
  };
  expect([built, loaded].map((m) => m.layers.flatMap((l) => l.losses).length)).toEqual([2, 2]);
  const want = await penalty(built);
  expect(want).toBeGreaterThan(1e-4);
  expect(await penalty(loaded)).toBe(want);
});

test('a URL string is resolved as tf.loadLayersModel does; a saved model of another shape, or weights that are not its own, are refused', async () => {
  const { buildDecoder, loadDecoder } = await import('../fixtures/training/savedTiny.js');
  const built = buildDecoder();
  const artifacts = await save(built);
  const scheme = 'netspec-test-memory://';
  // A router returns null for URLs it does not take (tfjs' own do), though tfjs types it as always returning a handler.
  tf.io.registerLoadRouter((url) => (typeof url === 'string' && url.startsWith(scheme) ? tf.io.fromMemory(artifacts) : (null as unknown as tf.io.IOHandler)));
  expect(values(await loadDecoder(`${scheme}decoder`))).toEqual(values(built));

  const x = tf.input({ shape: [3] });
  const other = tf.model({ name: 'other', inputs: x, outputs: tf.layers.dense({ units: 2 }).apply(x) as tf.SymbolicTensor });
  await expect(loadDecoder(tf.io.fromMemory(await save(other)))).rejects.toThrow(
    "loadDecoder: the saved model 'other' takes [[null, 3]] and gives [[null, 2]]; expected [[null, 4]] and [[null, 4, 4, 1]]",
  );
  // Weights that are not the topology's: the last one (image/bias, one float) left out, then renamed.
  const specs = artifacts.weightSpecs!;
  const data = artifacts.weightData as ArrayBuffer;
  expect(specs.at(-1)).toEqual({ name: 'image/bias', shape: [1], dtype: 'float32' });
  await expect(loadDecoder(tf.io.fromMemory({ ...artifacts, weightSpecs: specs.slice(0, -1), weightData: data.slice(0, data.byteLength - 4) }))).rejects.toThrow(
    'loadDecoder: the saved model has 7 weights, the model it describes 8',
  );
  await expect(loadDecoder(tf.io.fromMemory({ ...artifacts, weightSpecs: [...specs.slice(0, -1), { ...specs.at(-1)!, name: 'image/offset' }] }))).rejects.toThrow(
    "loadDecoder: the saved weight 'image/offset' is not a weight of the model",
  );
});

test('a loaded model has the trainability its build function gives, whatever the flags were when saved', async () => {
  const { buildDense, loadDense } = await import('../fixtures/emit/penalties.js');
  const { setTrainable } = await import('../../src/runtime/index.js');
  const built = buildDense();
  const trainable = (model: tf.LayersModel) => model.layers.filter((l) => l.weights.length > 0).map((l) => [l.name, l.trainable]);
  const want = trainable(built);
  expect(want.filter(([, t]) => !t)).toEqual([['frozen', false]]);
  setTrainable(built, false);
  expect(trainable(built).every(([, t]) => !t)).toBe(true);
  const loaded = await loadDense(tf.io.fromMemory(await save(built)));
  expect(trainable(loaded)).toEqual(want);
  expect(loaded.trainableWeights.map((w) => w.originalName)).toEqual(buildDense().trainableWeights.map((w) => w.originalName));
});
