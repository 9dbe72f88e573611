// The worker thread of netspec/parallel's predict pool (see ./pool.ts for the
// protocol, ./messages.ts for its types): it builds the model of the user's
// module on its own tfjs backend, then answers requests one at a time, in order.
// Plain JavaScript, so Node runs it as it is, from src/ in the tests and from dist/.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';

/** @type {{ module: string, build: string, backend: string, prod: boolean }} */
const setup = workerData;
let model;

async function buildModel() {
  if (setup.prod) tf.env().set('PROD', true);
  if (setup.backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  // The runtime registers its layers and the kernels wasm lacks; generated modules import it too.
  await import('netspec/runtime');
  if (!(await tf.setBackend(setup.backend))) throw new Error(`the tfjs backend '${setup.backend}' could not be initialized in the worker`);
  await tf.ready();
  const exports = await import(setup.module);
  const build = exports[setup.build];
  if (typeof build !== 'function') {
    const functions = Object.keys(exports).filter((k) => typeof exports[k] === 'function');
    throw new Error(`the module exports no function '${setup.build}'${functions.length ? ` (its functions: ${functions.join(', ')})` : ''}`);
  }
  model = build();
  if (!model || typeof model.predict !== 'function' || !Array.isArray(model.inputs))
    throw new Error(`it returned ${model === null ? 'null' : typeof model}, not a tf.LayersModel`);
  const info = (t) => ({ name: t.name, shape: t.shape, dtype: t.dtype });
  return { name: model.name, inputs: model.inputs.map(info), outputs: model.outputs.map(info), weights: model.weights.map((w) => ({ name: w.originalName ?? w.name, shape: w.shape, dtype: w.dtype })) };
}

// A copy: the cpu backend hands out the arrays it keeps (a weight's values, say), which must not be transferred away.
const plain = (data, shape, dtype) => ({ data: data.slice(), shape, dtype });

async function predict(inputs) {
  const xs = inputs.map((t) => tf.tensor(t.data, t.shape, t.dtype));
  try {
    const ys = tf.tidy(() => {
      const y = model.predict(xs.length === 1 ? xs[0] : xs);
      return Array.isArray(y) ? y : [y];
    });
    try {
      return await Promise.all(ys.map(async (y) => plain(await y.data(), y.shape, y.dtype)));
    } finally {
      tf.dispose(ys);
    }
  } finally {
    tf.dispose(xs);
  }
}

function setWeights({ buffer, entries }) {
  const expected = model.weights;
  if (entries.length !== expected.length) throw new Error(`received ${entries.length} weights, but model '${model.name}' has ${expected.length}`);
  entries.forEach((e, n) => {
    const w = expected[n];
    if (e.shape.length !== w.shape.length || e.shape.some((d, k) => d !== w.shape[k]))
      throw new Error(`weight ${n} ('${w.originalName ?? w.name}') of model '${model.name}' has shape [${w.shape.join(', ')}], received [${e.shape.join(', ')}]`);
  });
  // Copies out of the shared buffer: the cpu backend keeps the arrays it is given.
  const values = entries.map((e) => {
    const View = e.dtype === 'int32' ? Int32Array : Float32Array;
    return tf.tensor(new View(buffer, e.offset, e.length).slice(), e.shape, e.dtype);
  });
  try {
    model.setWeights(values);
  } finally {
    tf.dispose(values);
  }
}

async function getWeights() {
  return Promise.all(model.weights.map(async (w) => plain(await w.read().data(), w.shape, w.dtype)));
}

const handlers = { predict: (r) => predict(r.inputs), setWeights: (r) => setWeights(r.weights), getWeights: () => getWeights() };

/** Every typed array in `value`'s tensors, moved to the main thread rather than copied. */
function transferables(value) {
  return Array.isArray(value) ? value.filter((t) => t && ArrayBuffer.isView(t.data)).map((t) => t.data.buffer) : [];
}

function reply(id, run) {
  return Promise.resolve()
    .then(run)
    .then(
      (value) => parentPort.postMessage({ id, ok: true, value }, transferables(value)),
      (error) => parentPort.postMessage({ id, ok: false, error: { name: error?.name ?? 'Error', message: error?.message ?? String(error), stack: error?.stack } }),
    );
}

// Requests run one after another, so their answers come back in the order asked.
let queue = reply(0, buildModel);
parentPort.on('message', (request) => {
  queue = queue.then(() =>
    reply(request.id, () => {
      if (model === undefined) throw new Error('the model was not built (see the first error)');
      const handler = handlers[request.kind];
      if (handler === undefined) throw new Error(`unknown request '${request.kind}'`);
      return handler(request);
    }),
  );
});
