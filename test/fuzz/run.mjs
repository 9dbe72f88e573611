#!/usr/bin/env node
// `npm run fuzz -- --runs N --seed S [--time-limit MS] [--tfjs-every K] [--tsc-batch N] [--shrink MS]`:
// runs test/fuzz/fuzz.test.ts under vitest (which loads TypeScript and aliases
// netspec/runtime as for every other test) with the options as FUZZ_* variables.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const flags = { '--runs': 'RUNS', '--seed': 'SEED', '--time-limit': 'TIME_LIMIT_MS', '--hard-limit': 'HARD_LIMIT_MS', '--tfjs-every': 'TFJS_EVERY', '--tsc-batch': 'TSC_BATCH', '--shrink': 'SHRINK_MS' };
const env = { ...process.env, FUZZ_VERBOSE: '1' };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const name = flags[args[i]];
  const value = args[i + 1];
  if (!name || value === undefined || !/^-?\d+$/.test(value)) {
    console.error(`usage: npm run fuzz -- [${Object.keys(flags).map((f) => `${f} N`).join('] [')}]`);
    process.exit(2);
  }
  env[`FUZZ_${name}`] = value;
  i++;
}
const runs = Number(env.FUZZ_RUNS ?? 2000);
// Generous: about 100 ms a case plus shrinking, so only a hang trips it.
env.FUZZ_TEST_TIMEOUT_MS ??= String(600_000 + runs * 100 + Number(env.FUZZ_SHRINK_MS ?? 120_000) * 2);
env.FUZZ_SHRINK_MS ??= '120000';
const root = fileURLToPath(new URL('../..', import.meta.url));
const vitest = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));
const run = spawnSync(process.execPath, [vitest, 'run', 'test/fuzz/fuzz.test.ts'], { cwd: root, env, stdio: 'inherit' });
process.exit(run.status ?? 1);
