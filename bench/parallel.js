// Worker-parallel predict (netspec/parallel): the DCGAN generator of generated/dcgan.ts
// (compiled by tsc) at a large batch, model.predict in the main thread on wasm against
// createPredictPool's workers, each on its own wasm backend. Rounds are interleaved
// (the order alternates) and each contender's median is taken; the throughput ratio
// is one thread's median over the pool's. Each call also records the CPU time of the
// whole process (workers included): on a machine other jobs keep busy, Linux shares
// the cores between sessions (autogroup), so the pool may get well under 2 cores,
// and cores used = CPU time / wall time shows how many it had.
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createPredictPool } from '../dist/parallel/index.js';
import { median, relativeDifference, round2 } from './timing.js';

/** Batch, worker counts, warm-up calls and timed rounds. */
export function parallelSetup(quick) {
  return quick ? { batch: 8, pools: [2], warmup: 1, reps: 3 } : { batch: 32, pools: [1, 2], warmup: 1, reps: 7 };
}

async function settle(out) {
  for (const t of Array.isArray(out) ? out : [out]) {
    await t.data();
    t.dispose();
  }
}

/** Wall and CPU milliseconds of one awaited call of `run`, including reading its outputs back. */
async function once(run) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await settle(await run());
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

/** bench/timing.js' timeInterleaved, for contenders that return promises; with CPU times. */
async function timeInterleavedAsync(contenders, { warmup, reps }) {
  const names = Object.keys(contenders);
  for (let w = 0; w < warmup; w++) for (const name of names) await once(contenders[name]);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < reps; r++) {
    const order = r % 2 === 0 ? names : names.slice().reverse();
    for (const name of order) samples[name].push(await once(contenders[name]));
  }
  return Object.fromEntries(
    names.map((n) => {
      const [wall, cpu] = [samples[n].map((s) => s.wall), samples[n].map((s) => s.cpu)];
      return [n, { samples: wall.map(round2), median: round2(median(wall)), cpuSamples: cpu.map(round2), cpuMedian: round2(median(cpu)), cores: round2(median(samples[n].map((s) => s.cpu / s.wall))) }];
    }),
  );
}

/** Rows for bench/run.js' table: one per contender, throughput relative to the main thread. */
export async function parallelSection(options) {
  const { batch, pools: sizes, warmup, reps } = parallelSetup(options.quick);
  // Compiled from generated/dcgan.ts by `npm run bench` (bench/tsconfig.json).
  const dcgan = new URL('./.build/dcgan.js', import.meta.url);
  await tf.setBackend('wasm');
  await tf.ready();
  const { buildGenerator } = await import(dcgan.href);
  const model = buildGenerator();
  const pools = {};
  for (const workers of sizes) pools[workers] = await createPredictPool({ module: dcgan, build: 'buildGenerator', workers, backend: 'wasm', weights: model.getWeights() });
  const z = tf.randomNormal([batch, 100]);
  const contenders = { 'main thread': () => model.predict(z) };
  for (const workers of sizes) contenders[`pool of ${workers}`] = () => pools[workers].predict(z);

  const differences = {};
  const reference = model.predict(z);
  for (const workers of sizes) {
    const y = await pools[workers].predict(z);
    differences[workers] = relativeDifference(y, reference);
    y.dispose();
  }
  reference.dispose();

  const loadBefore = os.loadavg()[0];
  const timing = await timeInterleavedAsync(contenders, { warmup, reps });
  const one = timing['main thread'].median;
  const rows = Object.entries(timing).map(([name, t]) => {
    const workers = name === 'main thread' ? undefined : Number(name.split(' ').pop());
    return {
      case: `dcgan generator (generated/dcgan.ts), ${name}`,
      batch,
      workers: workers ?? 1,
      ms: t.median,
      cpuMs: t.cpuMedian,
      cores: t.cores,
      samplesPerSecond: round2((batch * 1000) / t.median),
      speedup: round2(one / t.median),
      difference: workers === undefined ? undefined : differences[workers],
      samples: t,
    };
  });
  z.dispose();
  model.dispose();
  await Promise.all(Object.values(pools).map((p) => p.dispose()));
  return { batch, cores: os.availableParallelism(), loadavg: [round2(loadBefore), round2(os.loadavg()[0])], rows };
}

export const parallelColumns = [
  ['case', 'case', 'left'],
  ['batch', 'batch'],
  ['threads', 'workers'],
  ['median ms', 'ms'],
  ['cpu ms', 'cpuMs'],
  ['cores used', 'cores'],
  ['samples/s', 'samplesPerSecond'],
  ['x one thread', 'speedup'],
  ['max rel diff', 'differenceText'],
];
