// netspec benchmark (npm run bench; see bench/README.md): netspec's ConvTranspose against
// tf.layers.conv2dTranspose wherever the native layer is correct, on the cpu and wasm backends,
// per layer (forward and training step) and for the whole DCGAN generator; plus netspec-only
// 1D/3D layers for information; the generated DCGAN generator's predict split across
// worker threads (netspec/parallel) against one thread, on wasm; and the compiler's own
// start-up and scale (startup.js); the ONNX export of the DCGAN generator on onnxruntime-node (onnx.js). Prints tables and writes bench/results/latest.json.
//   node bench/run.js [--quick] [--backends cpu,wasm] [--sections generated,layers,train,model,extra,parallel,onnx,startup] [--out FILE]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { ConvTranspose } from '../dist/runtime/index.js';
import { algorithmFor, forceAlgorithm } from '../dist/runtime/transpose-kernels.js';
import { batches, divisors, extraCases, generatedCases, modelSetup, nativeCases, repetitions } from './cases.js';
import { runGeneratedSection } from './generated.js';
import { buildGenerator, generatorMacs, nativeTranspose, netspecTranspose } from './dcgan.js';
import { onnxColumns, onnxSection } from './onnx.js';
import { parallelColumns, parallelSection } from './parallel.js';
import { startupSection } from './startup.js';
import { gflops, median, pairedRatio, relativeDifference, round2, table, timeInterleaved } from './timing.js';

const SECTIONS = ['generated', 'layers', 'train', 'model', 'extra', 'parallel', 'onnx', 'startup'];

function parseArgs(argv) {
  const options = { quick: false, allTrain: false, backends: ['cpu', 'wasm'], sections: SECTIONS, out: undefined };
  for (let n = 0; n < argv.length; n++) {
    const [flag, inline] = argv[n].split('=');
    const value = () => inline ?? argv[++n];
    if (flag === '--quick') options.quick = true;
    else if (flag === '--all-train') options.allTrain = true;
    else if (flag === '--backends') options.backends = value().split(',');
    else if (flag === '--sections') options.sections = value().split(',');
    else if (flag === '--out') options.out = value();
    else {
      console.error(`unknown argument '${argv[n]}'\nusage: node bench/run.js [--quick] [--all-train] [--backends cpu,wasm] [--sections ${SECTIONS.join(',')}] [--out FILE]`);
      process.exit(2);
    }
  }
  options.out ??= new URL(options.quick ? './results/latest-quick.json' : './results/latest.json', import.meta.url).pathname;
  return options;
}

/** Frees a layer's weights (Layer.dispose only works for layers applied to symbolic tensors). */
function release(...layers) {
  for (const layer of layers) for (const w of layer.weights) w.dispose();
}

/** A netspec layer for `c` and, if `withNative`, the tfjs layer with the same weights; both built for `inputShape`. */
function layersFor(c, inputShape, withNative) {
  const netspec = new ConvTranspose(c.args);
  netspec.build(inputShape);
  if (!withNative) return { netspec };
  const { rank: _, ...args } = c.args;
  const native = tf.layers.conv2dTranspose(args);
  native.build(inputShape);
  // Random non-zero bias, so a mismatch in it would show.
  const bias = tf.randomNormal([c.args.filters]);
  native.setWeights([native.getWeights()[0], bias]);
  bias.dispose();
  netspec.setWeights(native.getWeights());
  return { netspec, native };
}

const forward = (layer, x) => () => layer.apply(x);

function randomVariable(shape) {
  const value = tf.randomNormal(shape);
  const variable = tf.variable(value);
  value.dispose();
  return variable;
}

/** One training step: the loss sum(y * r) and its gradients with respect to the input, the kernel and the bias. */
function trainingStep(layer, x, r) {
  const variables = [x, ...layer.trainableWeights.map((w) => w.read())];
  return () => {
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x), r)), variables);
    return [value, ...variables.map((v) => grads[v.name])];
  };
}

/** The largest relative difference between the outputs (one tensor or several) of two contenders. */
function agreement(a, b) {
  return tf.tidy(() => {
    const [ya, yb] = [a(), b()].map((y) => (Array.isArray(y) ? y : [y]));
    return Math.max(...ya.map((t, n) => relativeDifference(t, yb[n])));
  });
}

function ratioRow(row, timing, macs) {
  const native = timing.native?.median;
  const netspec = timing.netspec.median;
  return {
    ...row,
    nativeMs: native,
    netspecMs: netspec,
    ratio: native ? pairedRatio(timing.netspec, timing.native) : undefined,
    ratioOfMedians: native ? round2(netspec / native) : undefined,
    nativeGflops: native ? gflops(macs, native) : undefined,
    netspecGflops: gflops(macs, netspec),
    samples: timing,
  };
}

function layerSection(backend, options, kind) {
  const reps = repetitions(backend, options.quick)[kind === 'forward' ? 'layer' : 'train'];
  const withNative = kind === 'forward' || backend === 'cpu';
  const rows = [];
  for (const c of nativeCases(divisors(backend, options.quick)[kind]))
    for (const batch of batches(backend, options.quick, kind)) {
      const inputShape = [batch, ...c.inputShape];
      const { netspec, native } = layersFor(c, inputShape, withNative);
      const x = kind === 'forward' ? tf.randomNormal(inputShape) : randomVariable(inputShape);
      const r = tf.randomNormal(netspec.computeOutputShape(inputShape));
      const run = (layer) => (kind === 'forward' ? forward(layer, x) : trainingStep(layer, x, r));
      const contenders = withNative ? { native: run(native), netspec: run(netspec) } : { netspec: run(netspec) };
      const difference = withNative ? agreement(contenders.native, contenders.netspec) : undefined;
      const timing = timeInterleaved(contenders, reps);
      const macs = c.macs * batch * (kind === 'forward' ? 1 : 3);
      rows.push(ratioRow({ case: c.name, batch, algorithm: algorithmFor(backend), difference }, timing, macs));
      process.stderr.write('.');
      tf.dispose([x, r]);
      release(netspec, ...(native ? [native] : []));
    }
  return rows;
}

/** tf.layers.conv2dTranspose's kernel gradient is the Conv2DBackpropFilter kernel, which wasm lacks. */
function nativeTrainingSupport(backend) {
  return tf.getKernel('Conv2DBackpropFilter', backend) ? 'ok' : `fails: no 'Conv2DBackpropFilter' kernel on ${backend}`;
}

function modelSection(backend, options) {
  const { ngf, batches: sizes } = modelSetup(options.quick);
  const native = buildGenerator(nativeTranspose, { ngf });
  const netspec = buildGenerator(netspecTranspose, { ngf });
  netspec.setWeights(native.getWeights());
  const macs = generatorMacs(ngf);
  const rows = [];
  for (const batch of sizes) {
    const z = tf.randomNormal([batch, 100]);
    const contenders = { native: () => native.predict(z), netspec: () => netspec.predict(z) };
    const difference = agreement(contenders.native, contenders.netspec);
    const timing = timeInterleaved(contenders, repetitions(backend, options.quick).model);
    rows.push(ratioRow({ case: `dcgan generator ngf ${ngf}`, batch, algorithm: algorithmFor(backend), difference }, timing, macs * batch));
    process.stderr.write('.');
    z.dispose();
  }
  native.dispose();
  netspec.dispose();
  return { macsPerSample: macs, rows };
}

/** netspec-only layers at batch 1: the algorithm the backend picks, and on cpu both algorithms forced, interleaved. */
function extraSection(backend, options) {
  const algorithms = backend === 'cpu' ? ['native', 'subpixel'] : [algorithmFor(backend)];
  const rows = [];
  for (const c of extraCases(options.quick)) {
    const inputShape = [1, ...c.inputShape];
    const { netspec } = layersFor(c, inputShape, false);
    const x = tf.randomNormal(inputShape);
    const contenders = Object.fromEntries(
      algorithms.map((a) => [
        a,
        () => {
          forceAlgorithm(a);
          try {
            return netspec.apply(x);
          } finally {
            forceAlgorithm(undefined);
          }
        },
      ]),
    );
    const difference = algorithms.length > 1 ? agreement(contenders[algorithms[0]], contenders[algorithms[1]]) : undefined;
    const timing = timeInterleaved(contenders, repetitions(backend, options.quick).extra);
    const row = { case: c.name, batch: 1, picked: algorithmFor(backend), difference, samples: timing };
    for (const a of algorithms) {
      row[`${a}Ms`] = timing[a].median;
      row[`${a}Gflops`] = gflops(c.macs, timing[a].median);
    }
    if (algorithms.length > 1) row.subpixelOverNative = pairedRatio(timing.subpixel, timing.native);
    rows.push(row);
    process.stderr.write('.');
    x.dispose();
    release(netspec);
  }
  return rows;
}

const ratioColumns = [
  ['case', 'case', 'left'],
  ['batch', 'batch'],
  ['native ms', 'nativeMs'],
  ['netspec ms', 'netspecMs'],
  ['netspec/native', 'ratio'],
  ['native GFLOP/s', 'nativeGflops'],
  ['netspec GFLOP/s', 'netspecGflops'],
  ['max rel diff', 'differenceText'],
];

const withDifferenceText = (rows) => rows.map((r) => ({ ...r, differenceText: r.difference === undefined ? undefined : r.difference.toExponential(1) }));

function worst(rows) {
  return rows.filter((r) => r.ratio !== undefined).reduce((w, r) => (w === undefined || r.ratio > w.ratio ? r : w), undefined);
}

async function benchBackend(backend, options) {
  await tf.setBackend(backend);
  await tf.ready();
  const result = { backend, algorithm: algorithmFor(backend) };
  const tensorsBefore = tf.memory().numTensors;
  const started = performance.now();
  if (options.sections.includes('generated')) {
    // Worker threads, each with its own tfjs: this thread's backend state is not involved.
    result.generated = await runGeneratedSection(backend, generatedCases(options.quick, options.allTrain));
  }
  if (options.sections.includes('layers')) {
    result.forward = layerSection(backend, options, 'forward');
    console.log(table(`[${backend}] forward, one layer (netspec picks '${result.algorithm}'; ratio = median over rounds of netspec / native)`, ratioColumns, withDifferenceText(result.forward)));
  }
  if (options.sections.includes('train')) {
    result.nativeTraining = nativeTrainingSupport(backend);
    result.train = layerSection(backend, options, 'train');
    const note = result.nativeTraining === 'ok' ? '' : ` - native cannot train here (${result.nativeTraining}), netspec only`;
    console.log(table(`[${backend}] training step: forward + d/d(input, kernel, bias) of sum(y*r); GFLOP/s count 3x the forward MACs${note}`, ratioColumns, withDifferenceText(result.train)));
  }
  if (options.sections.includes('model')) {
    result.model = modelSection(backend, options);
    console.log(table(`[${backend}] whole DCGAN generator, model.predict (${(result.model.macsPerSample / 1e6).toFixed(1)} M MACs per sample)`, ratioColumns, withDifferenceText(result.model.rows)));
  }
  if (options.sections.includes('extra')) {
    result.extra = extraSection(backend, options);
    const columns = [
      ['case (netspec only, batch 1)', 'case', 'left'],
      ['picks', 'picked', 'left'],
      ...(backend === 'cpu'
        ? [
            ['native ms', 'nativeMs'],
            ['subpixel ms', 'subpixelMs'],
            ['subpixel/native', 'subpixelOverNative'],
            ['native GFLOP/s', 'nativeGflops'],
            ['subpixel GFLOP/s', 'subpixelGflops'],
          ]
        : [
            [`${result.algorithm} ms`, `${result.algorithm}Ms`],
            ['GFLOP/s', `${result.algorithm}Gflops`],
          ]),
    ];
    console.log(table(`[${backend}] conv1d/3dTranspose, netspec only${backend === 'cpu' ? ' (both algorithms forced, interleaved)' : ''}`, columns, result.extra));
  }
  result.seconds = round2((performance.now() - started) / 1000);
  // netspec frees the cached sub-pixel filters of disposed weights at its next call, so the last layer's may remain.
  result.tensorsLeft = tf.memory().numTensors - tensorsBefore;
  const compared = [...(result.forward ?? []), ...(result.train ?? []), ...(result.model?.rows ?? [])];
  const w = worst(compared);
  result.worst = w && { case: w.case, batch: w.batch, ratio: w.ratio };
  return result;
}

const options = parseArgs(process.argv.slice(2));
const report = {
  date: new Date().toISOString(),
  quick: options.quick,
  node: process.version,
  tfjs: JSON.parse(readFileSync(new URL('../node_modules/@tensorflow/tfjs/package.json', import.meta.url), 'utf8')).version,
  cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`,
  loadavgBefore: os.loadavg().map(round2),
  backends: [],
};
console.log(`netspec bench ${options.quick ? '(quick) ' : ''}- ${report.date}, node ${report.node}, tfjs ${report.tfjs}, ${report.cpus}, load ${report.loadavgBefore.join(' ')}`);
for (const backend of options.backends) report.backends.push(await benchBackend(backend, options));
if (options.sections.includes('parallel')) {
  report.parallel = await parallelSection(options);
  const { cores, loadavg } = report.parallel;
  const title = `[wasm] predict split across worker threads (netspec/parallel), ${cores} cores, load ${loadavg.join(' -> ')}; x one thread = main thread's median / this row's, rounds interleaved`;
  console.log(table(title, parallelColumns, withDifferenceText(report.parallel.rows)));
}
if (options.sections.includes('onnx')) {
  report.onnx = await onnxSection(options);
  console.log(table(`[onnx] the generated DCGAN generator exported with netspec/onnx (${(report.onnx.modelBytes / 1e6).toFixed(1)} MB) on onnxruntime-node, against its tfjs wasm predict; x tfjs wasm = median of paired rounds`, onnxColumns, withDifferenceText(report.onnx.rows)));
}
// The compiler does not depend on the backend: one run.
if (options.sections.includes('startup')) report.startup = startupSection(options);
report.loadavgAfter = os.loadavg().map(round2);

console.log('\nsummary (worst netspec/native ratio over the forward, training and model rows; < 1 means netspec is faster):');
for (const b of report.backends) {
  const worstText = b.worst ? `worst ratio ${b.worst.ratio.toFixed(2)} (${b.worst.case}, batch ${b.worst.batch})` : 'no native comparison';
  const forwardRatios = (b.forward ?? []).map((r) => r.ratio);
  const medianText = forwardRatios.length ? `, median forward ratio ${median(forwardRatios).toFixed(2)}` : '';
  console.log(`  ${b.backend.padEnd(4)}  ${worstText}${medianText}; ${b.seconds.toFixed(0)} s${b.tensorsLeft ? `; ${b.tensorsLeft} tensors still allocated` : ''}`);
}
const generatedRows = report.backends.flatMap((b) => (b.generated ?? []).map((r) => ({ ...r, backend: b.backend })));
if (generatedRows.length) {
  console.log('generated modules vs hand-written tfjs (generated/hand-written; targets: DCGAN generator predict on wasm at batch 8 <= 1/6, every cpu row <= 1.00):');
  for (const r of generatedRows) if (r.ratio !== undefined) console.log(`  ${r.backend.padEnd(4)}  ${r.model} ${r.what} batch ${r.batch}: ${r.ratio.toFixed(2)}${r.ratio > 0 ? ` (${(1 / r.ratio).toFixed(1)}x)` : ''}`);
}
for (const r of report.onnx?.rows.slice(1) ?? []) console.log(`  onnx  ${r.contender}: ${r.ms.toFixed(0)} ms at batch ${r.batch}, ${r.speedup.toFixed(2)}x tfjs wasm`);
for (const r of report.parallel?.rows ?? []) {
  if (r.workers > 1) console.log(`  parallel  ${r.workers} workers: ${r.speedup.toFixed(2)}x one thread's throughput at batch ${r.batch} (target >= 1.6)`);
}
mkdirSync(dirname(options.out), { recursive: true });
writeFileSync(options.out, JSON.stringify(report, null, 2) + '\n');
console.log(`results: ${options.out}`);
