import { expect, test } from 'vitest';
import { fuzz } from './fuzz.js';

/**
 * The fuzzer's smoke run: a fixed seed and a budget small enough for `npm test`.
 * `npm run fuzz -- --runs N --seed S` runs this same test with more cases
 * (test/fuzz/run.mjs passes the options as FUZZ_* variables).
 */
const env = (name: string, fallback: number) => Number(process.env[`FUZZ_${name}`] ?? fallback);
const options = {
  runs: env('RUNS', 2000),
  seed: env('SEED', 20240611),
  timeLimitMs: env('TIME_LIMIT_MS', 2000),
  // A clean case runs check and then compile in one worker, each bounded by the time limit: a hang is past both.
  hardLimitMs: env('HARD_LIMIT_MS', 5000),
  tfjsEvery: env('TFJS_EVERY', 20),
  tscBatch: env('TSC_BATCH', 400),
  shrinkMs: env('SHRINK_MS', 6_000),
};

test(
  `fuzz: ${options.runs} cases from seed ${options.seed} keep every property`,
  async () => {
    const report = await fuzz({ ...options, log: (line) => process.env['FUZZ_VERBOSE'] && console.log(line) });
    console.log(report.text);
    const summary = report.groups.map((g) => `${g.property}: ${g.key} (${g.count})`).join('\n');
    expect(report.groups.length, `distinct failures (report in scratch/fuzz/report.txt):\n${summary}`).toBe(0);
  },
  env('TEST_TIMEOUT_MS', 180_000),
);
