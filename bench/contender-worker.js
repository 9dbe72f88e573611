// One contender of the generated-modules section (bench/generated.js), in its own worker thread
// with its own tfjs and wasm: `generated` imports a module compiled from generated/ (which loads
// netspec/runtime and so replaces wasm's Conv2DBackpropInput for this thread only), `handwritten`
// imports bench/handwritten/ and never loads netspec. The main thread sends one request at a
// time and times nothing itself: each reply carries the milliseconds of one call measured here.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

const { contender, backend } = workerData;
tf.env().set('PROD', true);
await tf.setBackend(backend);
await tf.ready();

let model;
let input;
let target;
let trainable;

/** Milliseconds of `run` inside tf.tidy, reading every output back (wasm and cpu are synchronous, dataSync waits for nothing else). */
function timed(run) {
  const start = performance.now();
  tf.tidy(() => {
    for (const t of [run()].flat()) t.dataSync();
  });
  return performance.now() - start;
}

const predict = () => model.predict(input);

/** Forward in training mode, then the gradients of sum(y * target) with respect to every trainable weight. */
function trainStep() {
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(model.apply(input, { training: true }), target)), trainable);
  return [value, ...trainable.map((v) => grads[v.name])];
}

/** Uniform in [-1, 1) from a seeded linear congruential generator: both contenders make the same input and target. */
function seeded(shape, seed) {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let state = seed >>> 0;
  for (let n = 0; n < values.length; n++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[n] = state / 2 ** 31 - 1;
  }
  return tf.tensor(values, shape);
}

async function build({ name, batch, weights }) {
  const module = contender === 'generated' ? await import(`./.build/${name}.js`) : await import(`./handwritten/${name}.js`);
  model = module.buildGenerator();
  if (weights) {
    // Same weights in the same order; only the shapes may differ (WaveGAN's 1D kernels are 1 x k here).
    const own = model.getWeights();
    if (own.length !== weights.length || own.some((w, n) => w.size !== weights[n].length)) throw new Error(`${contender} ${name}: weights differ in number or size`);
    const values = own.map((w, n) => tf.tensor(weights[n], w.shape));
    model.setWeights(values);
    // getWeights returns the variables themselves: only the copies are freed.
    tf.dispose(values);
  }
  const inShape = [batch, ...model.inputs[0].shape.slice(1)];
  const outShape = [batch, ...model.outputs[0].shape.slice(1)];
  input = seeded(inShape, 1);
  target = seeded(outShape, 2);
  trainable = model.trainableWeights.map((w) => w.read());
  const output = tf.tidy(() => predict().dataSync().slice());
  return { output, weights: weights ? undefined : model.getWeights().map((w) => w.dataSync().slice()) };
}

const handlers = {
  build,
  time: ({ what }) => ({ ms: timed(what === 'predict' ? predict : trainStep) }),
  dispose: () => {
    model.dispose();
    tf.dispose([input, target]);
    return { tensorsLeft: tf.memory().numTensors };
  },
};

parentPort.on('message', async ({ id, type, ...args }) => {
  try {
    parentPort.postMessage({ id, ...(await handlers[type](args)) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error?.message ?? error).split('\n')[0] });
  }
});
parentPort.postMessage({ ready: true });
