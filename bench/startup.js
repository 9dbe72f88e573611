// The compiler's own speed (section `startup` of bench/run.js; see bench/README.md):
//   - cold `netspec check` of the gallery (a fresh `node bin/netspec.js check`) against a cold
//     `tsc --noEmit` of generated/;
//   - in-process `check` of generated specs of 100, 1,000 and 10,000 layers (bench/spec-gen.js),
//     with the time per layer, so that linear growth shows as a flat column;
//   - a fresh `netspec build` of the gallery against a fresh `tsc --noEmit` of the modules it wrote.
// Processes are timed by wall clock from spawn to exit, in interleaved rounds (A B, B A, ...).
//   node bench/startup.js [--quick]     (after npm run build)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '../dist/check.js';
import { generatedSpec } from './spec-gen.js';
import { median, round2, table } from './timing.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'bench', 'results');
const tscBin = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const netspecBin = join(root, 'bin', 'netspec.js');

/** Rounds per comparison and runs per spec size; --quick for a smoke run. */
function repetitions(quick) {
  return quick ? { cold: 2, warmup: 1, inProcess: 3, sizes: [100, 1000] } : { cold: 7, warmup: 3, inProcess: 9, sizes: [100, 1000, 10000] };
}

/** Milliseconds from spawning `node args...` to its exit; throws when it fails. */
function timedProcess(args) {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = performance.now() - start;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${run.status}:\n${run.stdout}${run.stderr}`);
  return ms;
}

/** A tsconfig (in bench/results/, which git ignores) that type-checks `folder`/*.ts with the project's base options, as a user's tsc would. */
function tscProject(name, folder) {
  const file = join(results, `${name}.tsconfig.json`);
  writeFileSync(file, JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { noEmit: true }, include: [`${folder}/*.ts`] }, null, 2) + '\n');
  return file;
}

/**
 * Times contenders `{ name: () => ms }` in interleaved rounds. Returns each one's samples and
 * median, and the median over rounds of `first / second` in the same round (`ratio`).
 */
function interleaved(contenders, rounds) {
  const names = Object.keys(contenders);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) for (const name of r % 2 === 0 ? names : names.slice().reverse()) samples[name].push(contenders[name]());
  const [a, b] = names;
  const ratio = round2(median(samples[a].map((t, n) => t / samples[b][n])));
  return { ...Object.fromEntries(names.map((n) => [n, { samples: samples[n].map(round2), median: round2(median(samples[n])) }])), ratio };
}

function coldRows(reps) {
  mkdirSync(results, { recursive: true });
  const generated = tscProject('startup-generated', '../../generated');
  // `build --out` writes the gallery's modules here: the folder must be inside the project.
  const outName = 'bench/results/startup-build';
  const out = join(root, outName);
  const built = tscProject('startup-build', 'startup-build');
  const check = interleaved({ check: () => timedProcess([netspecBin, 'check']), tsc: () => timedProcess([tscBin, '-p', generated]) }, reps.cold);
  const build = interleaved(
    {
      build: () => {
        rmSync(out, { recursive: true, force: true });
        return timedProcess([netspecBin, 'build', '--out', outName]);
      },
      tsc: () => timedProcess([tscBin, '-p', built]),
    },
    reps.cold,
  );
  const modules = readdirSync(out).filter((f) => f.endsWith('.ts')).length;
  return [
    { case: 'netspec check (gallery) vs tsc --noEmit generated/', modules, netspecMs: check.check.median, tscMs: check.tsc.median, ratio: check.ratio, target: '< 0.3', samples: check },
    { case: `netspec build --out (gallery) vs tsc --noEmit of what it wrote`, modules, netspecMs: build.build.median, tscMs: build.tsc.median, ratio: build.ratio, target: '-', samples: build },
  ];
}

/** `check` in this process: warm-up runs, then the median of timed runs, per spec size. */
function inProcessRows(reps) {
  const rows = reps.sizes.map((layers) => {
    const sources = [{ path: `specs/generated${layers}.yaml`, text: generatedSpec(layers) }];
    const result = check(sources);
    if (result.diagnostics.length > 0) throw new Error(`the generated spec of ${layers} layers has diagnostics: ${result.diagnostics[0].message}`);
    for (let w = 0; w < reps.warmup; w++) check(sources);
    const samples = [];
    for (let r = 0; r < reps.inProcess; r++) {
      const start = performance.now();
      check(sources);
      samples.push(performance.now() - start);
    }
    const ms = median(samples);
    process.stderr.write('.');
    return { layers, kb: round2(sources[0].text.length / 1024), ms: round2(ms), usPerLayer: round2((ms * 1000) / layers), samples: samples.map(round2) };
  });
  const at1000 = rows.find((r) => r.layers === 1000)?.ms;
  for (const row of rows) row.over1000 = at1000 ? round2(row.ms / at1000) : undefined;
  return rows;
}

/** Runs the section, prints its tables and returns its rows for the JSON report. */
export function startupSection(options) {
  const reps = repetitions(options.quick);
  const inProcess = inProcessRows(reps);
  console.log(
    table(
      'in-process check of generated specs (bench/spec-gen.js; median of runs after warm-up; targets: 1,000 layers < 50 ms, 10,000 < 10x that)',
      [
        ['layers', 'layers'],
        ['spec KiB', 'kb'],
        ['check ms', 'ms'],
        ['us per layer', 'usPerLayer'],
        ['x the 1,000-layer time', 'over1000'],
      ],
      inProcess,
    ),
  );
  const cold = coldRows(reps);
  console.log(
    table(
      `cold processes, wall clock from spawn to exit (median of ${reps.cold} interleaved rounds; ratio = median over rounds of netspec / tsc)`,
      [
        ['case', 'case', 'left'],
        ['modules', 'modules'],
        ['netspec ms', 'netspecMs'],
        ['tsc ms', 'tscMs'],
        ['netspec/tsc', 'ratio'],
        ['target', 'target'],
      ],
      cold,
    ),
  );
  return { inProcess, cold };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) startupSection({ quick: process.argv.includes('--quick') });
