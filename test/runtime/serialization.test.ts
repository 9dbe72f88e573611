import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { ConvTranspose, conv1dTranspose, conv2dTranspose, conv3dTranspose } from '../../src/runtime/conv-transpose.js';
import { Cropping, UpSampling, ZeroPadding, cropping1d, cropping3d, upSampling1d, upSampling2d, upSampling3d, zeroPadding1d, zeroPadding3d } from '../../src/runtime/resample.js';
import { Elu, Softmax } from '../../src/runtime/activation-options.js';
import { Conv, conv2d } from '../../src/runtime/conv.js';
import { Dense, dense } from '../../src/runtime/dense.js';
import { ReflectionPadding } from '../../src/runtime/padding.js';
import { Pooling } from '../../src/runtime/pooling.js';
import { Embedding, embedding } from '../../src/runtime/embedding.js';
import { PReLU, prelu } from '../../src/runtime/prelu.js';
import { DepthToSpace, PixelShuffle, SpaceToDepth, depthToSpace, pixelShuffle, spaceToDepth } from '../../src/runtime/subpixel.js';
import { GroupNormalization, InstanceNormalization, groupNormalization, instanceNormalization } from '../../src/runtime/group-normalization.js';
import { LayerNormalization, layerNormalization } from '../../src/runtime/normalization.js';
import { PixelNormalization, pixelNormalization } from '../../src/runtime/pixel-normalization.js';
import { MinibatchStdDev, minibatchStdDev } from '../../src/runtime/minibatch-stddev.js';
import { SelfAttention, selfAttention } from '../../src/runtime/self-attention.js';
import { GlobalPooling, globalAveragePooling3d, globalMaxPooling2d } from '../../src/runtime/global-pooling.js';
import { Maximum, Minimum, Subtract, maximum, minimum, subtract } from '../../src/runtime/merge.js';
import { DepthwiseConv, SeparableConv, depthwiseConv2d, separableConv1d, separableConv2d } from '../../src/runtime/depthwise.js';
import { GaussianDropout, GaussianNoise, SpatialDropout, gaussianDropout, gaussianNoise, spatialDropout1d, spatialDropout2d, spatialDropout3d } from '../../src/runtime/noise.js';
import { lcg, randomArray } from '../reference/conv-transpose.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function saveToMemory(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  // Through JSON text, as a file on disk would be.
  return { ...artifacts!, modelTopology: JSON.parse(JSON.stringify(artifacts!.modelTopology)) as object };
}

/** Saves to memory and loads back through the registered classes; saving the loaded model gives the same topology. */
async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  const artifacts = await saveToMemory(model);
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  expect((await saveToMemory(loaded)).modelTopology).toEqual(artifacts.modelTopology);
  return loaded;
}

function randomInputs(model: tf.LayersModel, seed: number): tf.Tensor[] {
  const next = lcg(seed);
  return model.inputs.map((input) => {
    const shape = [2, ...input.shape.slice(1)] as number[];
    return tf.tensor(Float32Array.from(randomArray(shape, next).data), shape);
  });
}

async function expectSameModel(model: tf.LayersModel, loaded: tf.LayersModel): Promise<void> {
  expect(loaded.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
  expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
  for (let n = 0; n < model.layers.length; n++) expect(loaded.layers[n]!.getConfig(), model.layers[n]!.name).toEqual(model.layers[n]!.getConfig());
  expect(loaded.toJSON(null, false)).toEqual(model.toJSON(null, false));
  expect(loaded.outputs.map((o) => o.shape)).toEqual(model.outputs.map((o) => o.shape));

  const weights = model.getWeights();
  const loadedWeights = loaded.getWeights();
  expect(loadedWeights.length).toBe(weights.length);
  for (let n = 0; n < weights.length; n++) expect(Array.from(loadedWeights[n]!.dataSync())).toEqual(Array.from(weights[n]!.dataSync()));

  const inputs = randomInputs(model, 99);
  const want = ([] as tf.Tensor[]).concat(model.predict(inputs) as tf.Tensor | tf.Tensor[]);
  const got = ([] as tf.Tensor[]).concat(loaded.predict(inputs) as tf.Tensor | tf.Tensor[]);
  expect(got.length).toBe(want.length);
  for (let n = 0; n < want.length; n++) {
    expect(got[n]!.shape).toEqual(want[n]!.shape);
    expect(Array.from(got[n]!.dataSync())).toEqual(Array.from(want[n]!.dataSync()));
  }
  tf.dispose([...inputs, ...want, ...got]);
}

/** One branch per rank, every runtime layer and option form at least once. */
function functionalModel(): tf.LayersModel {
  const in1 = tf.input({ name: 'in1', shape: [6, 2] });
  let y1 = zeroPadding1d({ name: 'pad1', padding: [1, 2] }).apply(in1) as tf.SymbolicTensor;
  y1 = conv1dTranspose({
    name: 'up1',
    filters: 3,
    kernelSize: 3,
    strides: 2,
    padding: 'same',
    outputPadding: 1,
    activation: 'relu',
    // tfjs applies constraints when loading weights: a non-negative kernel keeps nonNeg exact.
    kernelInitializer: { type: 'randomUniform', minval: 0.01, maxval: 0.5, seed: 1 }, // tfjs reads minval 0 as unset (-0.05)
    biasInitializer: { type: 'randomNormal', mean: 0, stddev: 0.5, seed: 2 },
    kernelRegularizer: { l2: 0.01 },
    biasRegularizer: 'l1',
    kernelConstraint: 'nonNeg',
  }).apply(y1) as tf.SymbolicTensor;
  y1 = upSampling1d({ name: 'resize1', size: 3 }).apply(y1) as tf.SymbolicTensor;
  y1 = cropping1d({ name: 'crop1', cropping: [2, 1] }).apply(y1) as tf.SymbolicTensor;

  const in2 = tf.input({ name: 'in2', shape: [2, 4, 5] });
  let y2 = conv2dTranspose({
    name: 'up2',
    filters: 4,
    kernelSize: [3, 2],
    dilationRate: [2, 1],
    padding: [
      [1, 0],
      [0, 2],
    ],
    dataFormat: 'channelsFirst',
    useBias: false,
    activation: 'tanh',
    kernelInitializer: 'heNormal',
  }).apply(in2) as tf.SymbolicTensor;
  y2 = new ZeroPadding({ name: 'pad2', rank: 2, padding: [[0, 1], 2], dataFormat: 'channelsFirst' }).apply(y2) as tf.SymbolicTensor;
  y2 = new UpSampling({ name: 'resize2', rank: 2, size: [2, 1], dataFormat: 'channelsFirst' }).apply(y2) as tf.SymbolicTensor;
  y2 = new Cropping({ name: 'crop2', rank: 2, cropping: 1, dataFormat: 'channelsFirst' }).apply(y2) as tf.SymbolicTensor;

  const in3 = tf.input({ name: 'in3', shape: [3, 3, 2, 2] });
  let y3 = conv3dTranspose({
    name: 'up3',
    filters: 2,
    kernelSize: [2, 3, 1],
    strides: [2, 1, 3],
    padding: 'valid',
    outputShape: [7, 5, 6],
    activation: 'sigmoid',
    biasInitializer: 'ones',
    activityRegularizer: 'l1l2',
    biasConstraint: 'nonNeg',
  }).apply(in3) as tf.SymbolicTensor;
  y3 = zeroPadding3d({ name: 'pad3', padding: [[0, 1], 1, [2, 0]] }).apply(y3) as tf.SymbolicTensor;
  y3 = upSampling3d({ name: 'resize3', size: [1, 2, 1], dataFormat: 'channelsFirst' }).apply(y3) as tf.SymbolicTensor;
  y3 = cropping3d({ name: 'crop3', cropping: [1, [0, 2], 0] }).apply(y3) as tf.SymbolicTensor;

  return tf.model({ name: 'everyRuntimeLayer', inputs: [in1, in2, in3], outputs: [y1, y2, y3] });
}

describe('runtime layers survive model.save + tf.loadLayersModel (cpu)', () => {
  test('functional model with every runtime layer, ranks 1-3', async () => {
    const model = functionalModel();
    expect(model.outputs.map((o) => o.shape)).toEqual([
      [null, 51, 3],
      [null, 4, 14, 6],
      [null, 6, 5, 16, 2],
    ]);
    const loaded = await roundTrip(model);
    for (const name of ['up1', 'up2', 'up3']) expect(loaded.getLayer(name)).toBeInstanceOf(ConvTranspose);
    for (const [name, cls] of [
      ['pad1', ZeroPadding],
      ['resize2', UpSampling],
      ['crop3', Cropping],
    ] as const)
      expect(loaded.getLayer(name)).toBeInstanceOf(cls);
    await expectSameModel(model, loaded);
  });

  test('sequential model', async () => {
    const model = tf.sequential({
      name: 'seq',
      layers: [
        tf.layers.inputLayer({ inputShape: [4, 3] }),
        conv1dTranspose({ name: 'ct', filters: 2, kernelSize: 4, strides: 3, padding: 'same', outputPadding: 2 }),
        upSampling1d({ name: 'us' }),
        zeroPadding1d({ name: 'zp' }),
        cropping1d({ name: 'cr', cropping: 1 }),
      ],
    });
    expect(model.outputs[0]!.shape).toEqual([null, 22, 2]);
    const loaded = await roundTrip(model);
    await expectSameModel(model, loaded);
  });

  test('the padding family: reflection, PyTorch pads and paddingMode, causal and channelsFirst conv1d, pooling pads, softmax axis, elu alpha', async () => {
    const input = tf.input({ name: 'img', shape: [5, 6, 2] });
    let y = new ReflectionPadding({ name: 'reflect', rank: 2, padding: [[1, 0], [0, 2]] }).apply(input) as tf.SymbolicTensor;
    y = new Conv({ name: 'conv', rank: 2, filters: 3, kernelSize: 3, padding: [[1, 1], [1, 1]], paddingMode: 'reflect', activation: 'tanh', biasInitializer: 'ones' }).apply(y) as tf.SymbolicTensor;
    y = new Pooling({ name: 'maxPool', rank: 2, mode: 'max', poolSize: 3, strides: 2, padding: [[1, 1], [0, 1]] }).apply(y) as tf.SymbolicTensor;
    y = new Pooling({ name: 'avgPool', rank: 2, mode: 'average', poolSize: 2, padding: [[1, 0], [0, 1]], dataFormat: 'channelsFirst' }).apply(y) as tf.SymbolicTensor;
    y = new Elu({ name: 'elu', alpha: 0.4 }).apply(y) as tf.SymbolicTensor;
    y = new Softmax({ name: 'softmax', axis: 1 }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.reshape({ name: 'seq', targetShape: [3, 4] }).apply(y) as tf.SymbolicTensor;
    y = new Conv({ name: 'causal', rank: 1, filters: 2, kernelSize: 2, dilationRate: 2, padding: 'causal', dataFormat: 'channelsFirst' }).apply(y) as tf.SymbolicTensor;
    const model = tf.model({ name: 'paddingFamily', inputs: input, outputs: y });
    expect(model.outputs[0]!.shape).toEqual([null, 2, 4]);
    const loaded = await roundTrip(model);
    for (const [name, cls] of [
      ['reflect', ReflectionPadding],
      ['conv', Conv],
      ['causal', Conv],
      ['maxPool', Pooling],
      ['elu', Elu],
      ['softmax', Softmax],
    ] as const)
      expect(loaded.getLayer(name)).toBeInstanceOf(cls);
    await expectSameModel(model, loaded);
  });

  test('sub-pixel layers, prelu and embedding, an int32 input included', async () => {
    const z = tf.input({ name: 'z', shape: [2, 2, 8] });
    const label = tf.input({ name: 'label', shape: [1], dtype: 'int32' });
    let y = pixelShuffle({ name: 'shuffle', upscaleFactor: 2 }).apply(z) as tf.SymbolicTensor;
    y = prelu({ name: 'alphaPerPixel', sharedAxes: 3, alphaInitializer: tf.initializers.randomUniform({ minval: 0.1, maxval: 0.3, seed: 4 }) }).apply(y) as tf.SymbolicTensor;
    y = spaceToDepth({ name: 'down', blockSize: 2, dataFormat: 'channelsLast' }).apply(y) as tf.SymbolicTensor;
    y = depthToSpace({ name: 'up', blockSize: 2 }).apply(y) as tf.SymbolicTensor;
    const labelVector = embedding({ name: 'labelVector', inputDim: 3, outputDim: 2, embeddingsInitializer: tf.initializers.randomNormal({ seed: 5 }) }).apply(label) as tf.SymbolicTensor;
    const planar = pixelShuffle({ name: 'planar', upscaleFactor: 1, dataFormat: 'channelsFirst' }).apply(y) as tf.SymbolicTensor;
    const model = tf.model({ name: 'subpixel', inputs: [z, label], outputs: [planar, labelVector] });
    expect(model.outputs.map((o) => o.shape)).toEqual([
      [null, 4, 4, 2],
      [null, 1, 2],
    ]);
    const loaded = await roundTrip(model);
    for (const [name, cls] of [
      ['shuffle', PixelShuffle],
      ['alphaPerPixel', PReLU],
      ['down', SpaceToDepth],
      ['up', DepthToSpace],
      ['labelVector', Embedding],
    ] as const)
      expect(loaded.getLayer(name)).toBeInstanceOf(cls);
    // randomInputs gives the label floats in [-1, 1), which cast to index 0.
    await expectSameModel(model, loaded);
  });

  test('group, instance and pixel normalization, and layerNormalization without weights, on unknown spatial sizes', async () => {
    const x = tf.input({ name: 'x', shape: [null, null, 8] });
    let y = groupNormalization({ name: 'groups', groups: 4, epsilon: 1e-5, gammaInitializer: { type: 'randomNormal', mean: 1, stddev: 0.1, seed: 6 }, betaInitializer: { type: 'constant', value: 0.25 }, betaRegularizer: 'l2', gammaConstraint: 'nonNeg' }).apply(x) as tf.SymbolicTensor;
    y = instanceNormalization({ name: 'instance', axis: -1, scale: false, betaRegularizer: { l1: 0.01 } }).apply(y) as tf.SymbolicTensor;
    y = instanceNormalization({ name: 'plain', center: false, scale: false }).apply(y) as tf.SymbolicTensor;
    y = pixelNormalization({ name: 'pixels', epsilon: 1e-6 }).apply(y) as tf.SymbolicTensor;
    y = layerNormalization({ name: 'whole', axis: [1, 2, 3], center: false, scale: false }).apply(y) as tf.SymbolicTensor;
    const model = tf.model({ name: 'norms', inputs: x, outputs: y });
    expect(model.outputs[0]!.shape).toEqual([null, null, null, 8]);
    expect(model.countParams()).toBe(8 + 8 + 8);
    const artifacts = await saveToMemory(model);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    expect((await saveToMemory(loaded)).modelTopology).toEqual(artifacts.modelTopology);
    for (const [name, cls] of [
      ['groups', GroupNormalization],
      ['instance', InstanceNormalization],
      ['plain', InstanceNormalization],
      ['pixels', PixelNormalization],
      ['whole', LayerNormalization],
    ] as const)
      expect(loaded.getLayer(name)).toBeInstanceOf(cls);
    expect(loaded.getLayer('groups').getConfig()).toMatchObject({ groups: 4, epsilon: 1e-5, betaRegularizer: 'l2', gammaConstraint: 'nonNeg' });
    expect([loaded.getLayer('groups').losses.length, loaded.getLayer('instance').losses.length, loaded.getLayer('plain').losses.length]).toEqual([1, 1, 0]);
    // Unknown spatial sizes: the same outputs for a concrete input of any size.
    const input = tf.tensor(Float32Array.from(randomArray([2, 3, 5, 8], lcg(8)).data), [2, 3, 5, 8]);
    expect(Array.from((loaded.predict(input) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(input) as tf.Tensor).dataSync()));
  });

  test('weight reparametrizations: vector_u, g and the options come back, after a training step moved them', async () => {
    const z = tf.input({ name: 'z', shape: [4] });
    let y = dense({ name: 'project', units: 2 * 2 * 3, spectralNormalization: { powerIterations: 2 } }).apply(z) as tf.SymbolicTensor;
    y = tf.layers.reshape({ targetShape: [2, 2, 3] }).apply(y) as tf.SymbolicTensor;
    y = conv2dTranspose({ name: 'up', filters: 2, kernelSize: 2, strides: 2, equalizedLearningRate: { lrMultiplier: 0.5 } }).apply(y) as tf.SymbolicTensor;
    y = conv2d({ name: 'out', filters: 1, kernelSize: 3, padding: 'same', weightNormalization: true, spectralNormalization: false }).apply(y) as tf.SymbolicTensor;
    const model = tf.model({ name: 'reparametrized', inputs: z, outputs: y });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const xs = tf.tensor(Float32Array.from(randomArray([2, 4], lcg(3)).data), [2, 4]);
    const u = Array.from(model.getLayer('project').getWeights()[2]!.dataSync());
    await model.fit(xs, tf.zeros([2, 4, 4, 1]), { epochs: 1, batchSize: 2 });
    expect(Array.from(model.getLayer('project').getWeights()[2]!.dataSync())).not.toEqual(u);
    const loaded = await roundTrip(model);
    for (const [name, cls] of [
      ['project', Dense],
      ['up', ConvTranspose],
      ['out', Conv],
    ] as const)
      expect(loaded.getLayer(name)).toBeInstanceOf(cls);
    expect(loaded.getLayer('project').getConfig()['spectralNormalization']).toEqual({ powerIterations: 2 });
    expect(loaded.nonTrainableWeights.map((w) => w.originalName)).toEqual(['project/vector_u']);
    await expectSameModel(model, loaded);
    tf.dispose(xs);
  });

  test('GAN blocks and shape utilities', async () => {
    const x = tf.input({ name: 'x', shape: [4, 4, 8] });
    let y = minibatchStdDev({ name: 'mbstd', groupSize: 2 }).apply(x) as tf.SymbolicTensor;
    y = minibatchStdDev({ name: 'mbstdFirst', dataFormat: 'channelsFirst' }).apply(y) as tf.SymbolicTensor;
    y = selfAttention({ name: 'attention', reduction: 5, dataFormat: 'channelsFirst', kernelInitializer: { type: 'glorotNormal', seed: 2 }, biasInitializer: 'ones' }).apply(y) as tf.SymbolicTensor;
    const kept = globalMaxPooling2d({ name: 'kept', dataFormat: 'channelsFirst', keepdims: true }).apply(y) as tf.SymbolicTensor;
    const volume = tf.input({ name: 'volume', shape: [2, 2, 2, 3] });
    const pooled = globalAveragePooling3d({ name: 'pooled' }).apply(volume) as tf.SymbolicTensor;
    const diff = subtract({ name: 'diff' }).apply([y, kept]) as tf.SymbolicTensor;
    const widest = maximum({ name: 'widest' }).apply([diff, kept]) as tf.SymbolicTensor;
    const least = minimum({ name: 'least' }).apply([widest, y]) as tf.SymbolicTensor;
    const model = tf.model({ name: 'blocks', inputs: [x, volume], outputs: [least, pooled] });
    expect(model.outputs.map((o) => o.shape)).toEqual([
      [null, 5, 4, 9],
      [null, 3],
    ]);
    // A gamma other than the initial 0, so that the loaded model's attention shows in its output.
    model.getLayer('attention').setWeights(model.getLayer('attention').getWeights().map((w, k, all) => (k === all.length - 1 ? tf.tensor([0.5]) : w)));
    const loaded = await roundTrip(model);
    for (const [name, cls] of [
      ['mbstd', MinibatchStdDev],
      ['mbstdFirst', MinibatchStdDev],
      ['attention', SelfAttention],
      ['kept', GlobalPooling],
      ['pooled', GlobalPooling],
      ['diff', Subtract],
      ['widest', Maximum],
      ['least', Minimum],
    ] as const)
      expect(loaded.getLayer(name)).toBeInstanceOf(cls);
    await expectSameModel(model, loaded);
  });

  test('bilinear upSampling2d', async () => {
    const x = tf.input({ name: 'x', shape: [3, 4, 2] });
    const y = upSampling2d({ name: 'smooth', size: [2, 3], interpolation: 'bilinear', dataFormat: 'channelsLast' }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ name: 'bilinear', inputs: x, outputs: y });
    expect(model.outputs[0]!.shape).toEqual([null, 6, 12, 2]);
    const loaded = await roundTrip(model);
    expect(loaded.getLayer('smooth')).toBeInstanceOf(UpSampling);
    await expectSameModel(model, loaded);
  });

  test('depthwise and separable convolutions and the noise layers, every option that reaches the config', async () => {
    const x = tf.input({ name: 'x', shape: [6, 6, 3] });
    let y = depthwiseConv2d({
      name: 'dw',
      kernelSize: 3,
      depthMultiplier: 2,
      dilationRate: 2,
      padding: 'same',
      activation: 'relu',
      // Values the constraint keeps: tfjs projects weights when it loads them, which Keras never does.
      depthwiseInitializer: { type: 'randomUniform', minval: 0.1, maxval: 0.5, seed: 1 },
      depthwiseRegularizer: 'l2',
      depthwiseConstraint: 'nonNeg',
      biasInitializer: 'ones',
    }).apply(x) as tf.SymbolicTensor;
    y = gaussianNoise({ name: 'noise', stddev: 0.1, seed: 2 }).apply(y) as tf.SymbolicTensor;
    y = spatialDropout2d({ name: 'drop2', rate: 0.25, seed: 3 }).apply(y) as tf.SymbolicTensor;
    y = separableConv2d({ name: 'sep', filters: 4, kernelSize: [3, 2], strides: 2, pointwiseInitializer: { type: 'randomUniform', minval: 0, maxval: 1, seed: 4 }, pointwiseConstraint: 'nonNeg' }).apply(y) as tf.SymbolicTensor;
    y = gaussianDropout({ name: 'gdrop', rate: 0.1 }).apply(y) as tf.SymbolicTensor;
    const seq = tf.input({ name: 'seq', shape: [8, 2] });
    let z = separableConv1d({ name: 'sep1', filters: 3, kernelSize: 3, depthMultiplier: 2, useBias: false, depthwiseInitializer: { type: 'randomUniform', seed: 5 } }).apply(seq) as tf.SymbolicTensor;
    z = spatialDropout1d({ name: 'drop1', rate: 0.5, seed: 6 }).apply(z) as tf.SymbolicTensor;
    const vol = tf.input({ name: 'vol', shape: [2, 2, 2, 3] });
    const w = spatialDropout3d({ name: 'drop3', rate: 0.5, dataFormat: 'channelsLast' }).apply(vol) as tf.SymbolicTensor;
    const model = tf.model({ name: 'separable', inputs: [x, seq, vol], outputs: [y, z, w] });
    expect(model.outputs.map((o) => o.shape)).toEqual([
      [null, 2, 3, 4],
      [null, 6, 3],
      [null, 2, 2, 2, 3],
    ]);
    const loaded = await roundTrip(model);
    for (const [name, cls] of [
      ['dw', DepthwiseConv],
      ['noise', GaussianNoise],
      ['drop2', SpatialDropout],
      ['sep', SeparableConv],
      ['gdrop', GaussianDropout],
      ['sep1', SeparableConv],
      ['drop1', SpatialDropout],
      ['drop3', SpatialDropout],
    ] as const)
      expect(loaded.getLayer(name)).toBeInstanceOf(cls);
    expect(loaded.getLayer('dw').weights[0]!.constraint).not.toBeNull();
    await expectSameModel(model, loaded);
  });
});
