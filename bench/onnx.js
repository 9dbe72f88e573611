// The onnx section of npm run bench (bench/README.md): the generated DCGAN generator
// (generated/dcgan.ts, compiled to bench/.build/) exported with netspec/onnx and run on
// onnxruntime-node with 1 and 2 intra-op threads, beside the same module's predict on tfjs
// wasm in this thread; rounds interleaved, medians, ratios of paired rounds.
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { toOnnx } from '../dist/onnx/index.js';
import { median, relativeDifference, round2 } from './timing.js';

export const onnxColumns = [
  ['contender', 'contender', 'left'],
  ['batch', 'batch'],
  ['ms (median)', 'ms'],
  ['x tfjs wasm', 'speedup'],
  ['rounds', 'rounds'],
  ['max rel diff', 'differenceText'],
];

export async function onnxSection({ quick }) {
  const batch = 8;
  const rounds = quick ? 3 : 9;
  await tf.setBackend('wasm');
  await tf.ready();
  const { buildGenerator } = await import('./.build/dcgan.js');
  const model = buildGenerator();
  const bytes = toOnnx(model);
  const z = tf.randomNormal([batch, 100], 0, 1, 'float32', 1);
  const feeds = { z: new ort.Tensor('float32', z.dataSync(), z.shape) };
  const sessions = {};
  for (const threads of [1, 2]) sessions[threads] = await ort.InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: 1 });
  const contenders = {
    'tfjs wasm (generated module)': async () => {
      const y = model.predict(z);
      const data = await y.data();
      y.dispose();
      return data;
    },
    'onnxruntime-node, 1 thread': async () => (await sessions[1].run(feeds))[model.outputNames[0]].data,
    'onnxruntime-node, 2 threads': async () => (await sessions[2].run(feeds))[model.outputNames[0]].data,
  };
  const names = Object.keys(contenders);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const outputs = {};
  for (let r = -2; r < rounds; r++) {
    const order = r % 2 === 0 ? names : names.slice().reverse();
    for (const name of order) {
      const started = performance.now();
      outputs[name] = await contenders[name]();
      if (r >= 0) samples[name].push(performance.now() - started);
    }
  }
  const reference = outputs[names[0]];
  const rows = names.map((name) => ({
    contender: name,
    batch,
    ms: round2(median(samples[name])),
    speedup: round2(median(samples[names[0]].map((t, n) => t / samples[name][n]))),
    rounds,
    difference: relativeDifference(outputs[name], reference),
  }));
  for (const s of Object.values(sessions)) await s.release();
  z.dispose();
  model.dispose();
  return { modelBytes: bytes.length, rows };
}
