// The generated-modules section of npm run bench (bench/README.md): each gallery generator,
// compiled from generated/ (bench/.build/), against the same network hand-written with native
// tfjs layers (bench/handwritten/), with the same weights, timing predict and one training step.
// netspec/runtime replaces a wasm kernel process-wide (per thread), so each contender runs in its
// own worker thread (bench/contender-worker.js) and this thread interleaves their rounds.
import { Worker } from 'node:worker_threads';
import { median, round2, table } from './timing.js';

/** A worker with a promise per request. */
function spawn(contender, backend) {
  const worker = new Worker(new URL('./contender-worker.js', import.meta.url), { workerData: { contender, backend } });
  const pending = new Map();
  let next = 0;
  let readyResolve;
  const ready = new Promise((resolve) => (readyResolve = resolve));
  worker.on('message', (message) => {
    if (message.ready) return readyResolve();
    pending.get(message.id)(message);
    pending.delete(message.id);
  });
  worker.on('error', (error) => {
    for (const resolve of pending.values()) resolve({ error: String(error) });
    pending.clear();
  });
  const request = (type, args = {}) =>
    new Promise((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      worker.postMessage({ id, type, ...args });
    });
  return { ready, request, terminate: () => worker.terminate() };
}

/** Largest |a - b| over largest |b|. */
function relativeDifference(a, b) {
  let scale = 0;
  let diff = 0;
  for (let n = 0; n < b.length; n++) {
    scale = Math.max(scale, Math.abs(b[n]));
    diff = Math.max(diff, Math.abs(a[n] - b[n]));
  }
  return scale > 0 ? diff / scale : diff;
}

/**
 * Interleaved rounds of one call (`predict` or `train`) on both workers: `warmup` untimed calls
 * each, then `rounds` rounds alternating which contender goes first. A contender that fails
 * (hand-written tfjs cannot train some of these) is reported with its error.
 */
async function interleave(workers, what, { warmup, rounds }) {
  const names = Object.keys(workers);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const errors = {};
  for (let w = 0; w < warmup + rounds; w++) {
    const order = w % 2 === 0 ? names : names.slice().reverse();
    for (const name of order) {
      if (errors[name]) continue;
      const reply = await workers[name].request('time', { what });
      if (reply.error) errors[name] = reply.error;
      else if (w >= warmup) samples[name].push(reply.ms);
    }
  }
  return { samples, errors };
}

/**
 * The same network with the same weights computes the same output up to float
 * rounding; beyond this, one side is wrong (the generated modules' layers are
 * checked against plain-loop references in test/, the native tfjs ops are not).
 */
const exactEnough = 1e-4;

/** One model at one batch on one backend: its rows (predict and/or train). */
async function measureModel(backend, c, batch, whats) {
  const workers = { generated: spawn('generated', backend), handwritten: spawn('handwritten', backend) };
  await Promise.all(Object.values(workers).map((w) => w.ready));
  try {
    const gen = await workers.generated.request('build', { name: c.module, batch });
    if (gen.error) throw new Error(`generated ${c.module}: ${gen.error}`);
    const hand = await workers.handwritten.request('build', { name: c.module, batch, weights: gen.weights });
    if (hand.error) throw new Error(`handwritten ${c.module}: ${hand.error}`);
    const diff = relativeDifference(hand.output, gen.output);
    const rows = [];
    for (const what of whats) {
      const { samples, errors } = await interleave(workers, what, c.reps[backend][what]);
      const g = samples.generated;
      const h = samples.handwritten;
      const paired = g.length && h.length ? round2(median(g.map((t, n) => t / h[n]))) : undefined;
      rows.push({
        model: c.label,
        what,
        batch,
        handwritten: h.length ? round2(median(h)) : undefined,
        generated: g.length ? round2(median(g)) : undefined,
        ratio: paired,
        rounds: g.length,
        diff: what === 'predict' ? Number(diff.toExponential(1)) : undefined,
        diffText: what === 'predict' ? diff.toExponential(1) : undefined,
        note: errors.handwritten
          ? `hand-written fails: ${errors.handwritten}`
          : errors.generated
            ? `generated fails: ${errors.generated}`
            : what === 'predict' && diff > exactEnough
              ? 'outputs differ: the hand-written network is not exact on this backend (bench/README.md)'
              : '',
        samples: { generated: g.map(round2), handwritten: h.map(round2) },
      });
    }
    const left = await Promise.all(Object.values(workers).map((w) => w.request('dispose')));
    rows.forEach((r) => (r.tensorsLeft = { generated: left[0].tensorsLeft, handwritten: left[1].tensorsLeft }));
    return rows;
  } finally {
    await Promise.all(Object.values(workers).map((w) => w.terminate()));
  }
}

/** Runs the section on `backend` for `cases` (bench/cases.js `generatedCases`), prints its table, returns its rows. */
export async function runGeneratedSection(backend, cases, log = console.log) {
  const rows = [];
  for (const c of cases) {
    const batches = c.batch[backend];
    // One build per batch size, with the calls timed at that size.
    const byBatch = new Map();
    for (const what of ['predict', 'train']) if (batches[what] !== undefined) byBatch.set(batches[what], [...(byBatch.get(batches[what]) ?? []), what]);
    for (const [batch, whats] of byBatch) {
      const started = performance.now();
      const got = await measureModel(backend, c, batch, whats);
      rows.push(...got);
      log(`  [${backend}] ${c.label} batch ${batch} (${whats.join(', ')}): ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }
  log(
    table(
      `[${backend}] generated modules vs hand-written tfjs, same weights (ratio = median over interleaved rounds of generated / hand-written; each in its own worker thread)`,
      [
        ['model', 'model', 'left'],
        ['call', 'what', 'left'],
        ['batch', 'batch'],
        ['hand-written ms', 'handwritten'],
        ['generated ms', 'generated'],
        ['generated/hand', 'ratio'],
        ['rounds', 'rounds'],
        ['max rel diff', 'diffText'],
        ['note', 'note', 'left'],
      ],
      rows,
    ),
  );
  return rows;
}
