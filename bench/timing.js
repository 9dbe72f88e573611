// Interleaved timing of competing implementations, and the statistics the tables print.
// Each repetition runs every contender once, in an order that alternates between
// repetitions, so machine noise (this box is shared) hits all contenders alike.
import * as tf from '@tensorflow/tfjs';

export function median(values) {
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Reads every output tensor back (so lazy backends finish) and frees it. */
function settle(out) {
  for (const t of Array.isArray(out) ? out : [out]) {
    t.dataSync();
    t.dispose();
  }
}

/** Milliseconds of one call of `run`, including reading its outputs back. */
function once(run) {
  const start = performance.now();
  settle(tf.tidy(run));
  return performance.now() - start;
}

/**
 * Times contenders `{ name: () => tensor | tensor[] }` against each other:
 * `warmup` untimed calls each, then `reps` timed rounds (ABAB, then BABA, ...).
 * Returns `{ name: { samples, median } }` in milliseconds.
 */
export function timeInterleaved(contenders, { warmup, reps }) {
  const names = Object.keys(contenders);
  for (let w = 0; w < warmup; w++) for (const name of names) once(contenders[name]);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < reps; r++) {
    const order = r % 2 === 0 ? names : names.slice().reverse();
    for (const name of order) samples[name].push(once(contenders[name]));
  }
  return Object.fromEntries(names.map((n) => [n, { samples: samples[n].map(round2), median: round2(median(samples[n])) }]));
}

/**
 * The median over rounds of `a`'s time over `b`'s in the same round: both ran
 * back to back, so a slow spell of the machine cancels out of each quotient.
 */
export function pairedRatio(a, b) {
  return round2(median(a.samples.map((t, n) => t / b.samples[n])));
}

export const round2 = (v) => Math.round(v * 100) / 100;

/** GFLOP/s of `macs` multiply-accumulates (2 FLOP each) done in `ms`. */
export const gflops = (macs, ms) => round2((2 * macs) / (ms * 1e6));

/** Largest |a - b| over largest |b|: the error relative to the output's scale. */
export function relativeDifference(a, b) {
  return tf.tidy(() => {
    const scale = tf.max(tf.abs(b)).dataSync()[0];
    const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
    return scale > 0 ? diff / scale : diff;
  });
}

/** A plain-text table: `columns` is a list of `[header, key, align]`, rows are objects. */
export function table(title, columns, rows) {
  const cells = rows.map((row) => columns.map(([, key]) => format(row[key])));
  const widths = columns.map(([header], c) => Math.max(header.length, ...cells.map((r) => r[c].length)));
  const line = (values) => values.map((v, c) => (columns[c][2] === 'left' ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ');
  return [`\n${title}`, line(columns.map(([h]) => h)), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

function format(value) {
  if (value === undefined || value === null) return '-';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
  return String(value);
}
