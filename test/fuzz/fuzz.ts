import fc from 'fast-check';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmittedModule, ModelShapes } from '../../src/index.js';
import { cases, type FuzzCase } from './case.js';
import { checkCase, normalize, properties, quote, type CheckOptions, type Failure, type Property } from './properties.js';
import { buildAndCompare, small } from './tfjs-sample.js';
import { buildIsolate, Isolate } from './isolate.js';
import { moduleDir, scratch, typeCheck, writeModules } from './tsc-batch.js';
import { root } from '../helpers/gallery.js';

/**
 * One fuzzing run: fast-check draws `runs` cases from a seed; each is checked
 * for the per-case properties, clean ones are type-checked in batches and a
 * sample is built on tfjs. Failures are grouped by root cause (property and
 * key), and the first case of each group is replayed by its fast-check path
 * and shrunk to a minimal one that fails the same way.
 */

export interface FuzzOptions {
  readonly runs: number;
  readonly seed: number;
  /** Per case: check plus compile. */
  readonly timeLimitMs: number;
  /** A case still running after this long is killed (and fails the time property). */
  readonly hardLimitMs: number;
  /** Build one clean case in this many on tfjs. */
  readonly tfjsEvery: number;
  /** Modules per tsc run. */
  readonly tscBatch: number;
  /** Total time for shrinking, shared by the groups in the order they were found. */
  readonly shrinkMs: number;
  readonly log?: (line: string) => void;
}

export interface Group {
  readonly property: Property;
  readonly key: string;
  count: number;
  readonly index: number;
  /** The last case counted, so a case failing one way twice counts once. */
  last: number;
  readonly case: FuzzCase;
  readonly message: string;
  shrunk?: { readonly case: FuzzCase; readonly message: string; readonly steps: number; readonly note: string };
}

export interface Report {
  readonly runs: number;
  readonly seed: number;
  readonly families: Record<string, { cases: number; clean: number; ms: number }>;
  readonly clean: number;
  readonly emitted: number;
  readonly typeChecked: number;
  readonly tscRuns: number;
  readonly built: number;
  readonly builtModels: number;
  readonly skippedBig: number;
  /** Cases failing each property (a case may fail several). */
  readonly byProperty: Record<Property, number>;
  readonly groups: readonly Group[];
  readonly workerStarts: number;
  readonly seconds: { total: number; cases: number; workerLoad: number; check: number; tsc: number; tfjs: number; shrink: number; slowestCase: number };
  readonly text: string;
}

interface Sampled {
  readonly index: number;
  readonly case: FuzzCase;
  readonly files: readonly string[];
  readonly models: readonly (readonly ModelShapes[])[];
}


const tscKey = (line: string) => {
  const m = /error (TS\d+): (.*)/.exec(line);
  return m ? `${m[1]} ${normalize(m[2]!)}` : normalize(line);
};

let shrinkRun = 0;

/** Whether a case fails with `group`'s key, running the batch properties (tsc, tfjs) on it alone where the group needs them. */
async function failsLike(c: FuzzCase, group: Pick<Group, 'property' | 'key'>, options: CheckOptions): Promise<Failure | undefined> {
  const outcome = checkCase(c, options);
  const found = outcome.failures.find((f) => f.property === group.property && f.key === group.key);
  if (found || !outcome.clean || outcome.modules.length === 0) return found;
  if (group.property === 'tsc') {
    const errors = typeCheck(new Map([['case', outcome.modules]]), 'shrink-tsc').get('case') ?? [];
    const line = errors.find((e) => tscKey(e) === group.key);
    return line ? { property: 'tsc', key: group.key, message: errors.join('\n') } : undefined;
  }
  const perModule = outcome.models;
  if (group.property === 'tfjs' && perModule && perModule.every(small)) {
    const files = writeModules(moduleDir('shrink-tfjs', String(++shrinkRun)), outcome.modules);
    for (let i = 0; i < files.length; i++) {
      const f = (await buildAndCompare(files[i]!, perModule[i]!)).find((x) => x.key === group.key);
      if (f) return f;
    }
  }
  return undefined;
}

export async function fuzz(options: FuzzOptions): Promise<Report> {
  const started = performance.now();
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  // The check loop is synchronous, so a test runner shows console output only at its end: progress also goes to a file.
  const log = (line: string) => {
    appendFileSync(join(scratch, 'progress.log'), `${line}\n`);
    options.log?.(line);
  };
  const groups = new Map<string, Group>();
  const byProperty = Object.fromEntries(properties.map((p) => [p, 0])) as Record<Property, number>;
  const failedProperties = new Map<number, Set<Property>>();
  const families: Record<string, { cases: number; clean: number; ms: number }> = {};
  const record = (index: number, c: FuzzCase, failures: readonly Failure[]) => {
    for (const f of failures) {
      const id = `${f.property}\u0000${f.key}`;
      const g = groups.get(id);
      if (g) {
        if (g.last !== index) g.count++;
        g.last = index;
      } else groups.set(id, { property: f.property, key: f.key, count: 1, index, last: index, case: c, message: f.message });
      const seen = failedProperties.get(index) ?? new Set();
      if (!seen.has(f.property)) byProperty[f.property]++;
      seen.add(f.property);
      failedProperties.set(index, seen);
    }
  };

  let clean = 0;
  let emitted = 0;
  let typeChecked = 0;
  let tscRuns = 0;
  let checkMs = 0;
  let caseWallMs = 0;
  let tscMs = 0;
  let slowest = 0;
  let skippedBig = 0;
  const pending = new Map<string, { case: FuzzCase; modules: readonly EmittedModule[] }>();
  const sample: Sampled[] = [];
  const flush = () => {
    if (pending.size === 0) return;
    const t = performance.now();
    const errors = typeCheck(new Map([...pending].map(([id, p]) => [id, p.modules])));
    tscRuns++;
    for (const [id, lines] of errors) {
      const p = pending.get(id);
      const index = p ? Number(id) : -1;
      const keys = new Map<string, string[]>();
      for (const line of lines) keys.set(tscKey(line), [...(keys.get(tscKey(line)) ?? []), line]);
      record(index, p?.case ?? { family: 'schema', sources: [] }, [...keys].map(([key, ls]) => ({ property: 'tsc', key, message: ls.slice(0, 5).join('\n') })));
    }
    typeChecked += [...pending.values()].reduce((n, p) => n + p.modules.length, 0);
    pending.clear();
    tscMs += performance.now() - t;
    log(`  tsc batch ${tscRuns}: ${typeChecked} modules type-checked`);
  };

  const isolate = new Isolate(buildIsolate(root, scratch), root);
  const checking: CheckOptions = { timeLimitMs: options.timeLimitMs, hardLimitMs: options.hardLimitMs, isolate };
  let index = 0;
  fc.check(
    fc.property(cases, (c) => {
      const i = index++;
      // What runs now, for a run that hangs: the case can be read from here.
      writeFileSync(join(scratch, 'current.json'), JSON.stringify({ index: i, ...c }));
      const wall = performance.now();
      const outcome = checkCase(c, checking);
      caseWallMs += performance.now() - wall;
      checkMs += outcome.ms;
      if (outcome.ms > options.timeLimitMs) log(`  case ${i} (${c.family}${c.note ? `: ${c.note}` : ''}) took ${Math.round(outcome.ms)} ms`);
      slowest = Math.max(slowest, outcome.ms);
      const family = (families[c.family] ??= { cases: 0, clean: 0, ms: 0 });
      family.cases++;
      family.ms += outcome.ms;
      record(i, c, outcome.failures);
      if (outcome.clean) {
        clean++;
        family.clean++;
      }
      if (outcome.modules.length > 0) {
        emitted += outcome.modules.length;
        pending.set(String(i), { case: c, modules: outcome.modules });
        const models = outcome.models;
        // A module that failed module-shape may run injected code when imported: its failure is known already.
        const injected = outcome.failures.some((f) => f.property === 'module-shape');
        // Picked by the case's position alone (a hash of it), so that a case whose cleanness depends on timing does not shift the sample.
        if (models && !injected && Math.imul(i + 1, 0x9e3779b1) >>> 0 < 0x100000000 / options.tfjsEvery) {
          if (models.every(small)) sample.push({ index: i, case: c, files: writeModules(moduleDir('tfjs', String(i)), outcome.modules), models });
          else skippedBig++;
        }
        if (pending.size >= options.tscBatch) flush();
      }
      if ((i + 1) % 1000 === 0) log(`  ${i + 1} cases, ${clean} clean, ${groups.size} distinct failures`);
      return true;
    }),
    { seed: options.seed, numRuns: options.runs },
  );
  flush();

  const tfjsStarted = performance.now();
  let builtModels = 0;
  for (const s of sample) {
    log(`  tfjs: building the models of case ${s.index}`);
    for (let m = 0; m < s.files.length; m++) {
      record(s.index, s.case, await buildAndCompare(s.files[m]!, s.models[m]!));
      builtModels += s.models[m]!.length;
    }
  }
  const tfjsMs = performance.now() - tfjsStarted;

  const shrinkStarted = performance.now();
  for (const g of groups.values()) {
    const left = options.shrinkMs - (performance.now() - shrinkStarted);
    if (left <= 0 || g.index < 0) continue;
    log(`  shrinking ${g.property}: ${g.key.slice(0, 100)}`);
    let first: FuzzCase | undefined;
    const details = await fc.check(
      fc.asyncProperty(cases, async (c) => {
        first ??= c;
        return (await failsLike(c, g, checking)) === undefined;
      }),
      { seed: options.seed, path: String(g.index), numRuns: 1, interruptAfterTimeLimit: Math.min(left, Math.max(5000, options.shrinkMs / 4)), markInterruptAsFailure: false },
    );
    log(`    ${details.numShrinks} shrinks in ${Math.round(performance.now() - shrinkStarted)} ms so far`);
    const replayed = first !== undefined && JSON.stringify(first.sources) === JSON.stringify(g.case.sources);
    if (details.failed && details.counterexample) {
      const shrunk = details.counterexample[0];
      const failure = await failsLike(shrunk, g, checking);
      g.shrunk = { case: shrunk, message: failure?.message ?? g.message, steps: details.numShrinks, note: `${details.interrupted ? 'shrinking interrupted by the time limit; ' : ''}${replayed ? '' : 'replay drew another case; '}` };
    } else {
      g.shrunk = { case: g.case, message: g.message, steps: 0, note: `not reproduced on replay (${replayed ? 'same case' : 'another case'}): a timing or batch effect` };
    }
  }
  const shrinkMs = performance.now() - shrinkStarted;
  isolate.close();

  const partial = {
    runs: index,
    seed: options.seed,
    families,
    clean,
    emitted,
    typeChecked,
    tscRuns,
    built: sample.length,
    builtModels,
    skippedBig,
    byProperty,
    groups: [...groups.values()],
    workerStarts: isolate.starts,
    seconds: { total: (performance.now() - started) / 1000, cases: caseWallMs / 1000, workerLoad: isolate.loadMs / 1000, check: checkMs / 1000, tsc: tscMs / 1000, tfjs: tfjsMs / 1000, shrink: shrinkMs / 1000, slowestCase: slowest / 1000 },
  };
  const report = { ...partial, text: format(partial) };
  saveReport(report);
  return report;
}

const shown = (text: string, limit = 4000) => (text.length > limit ? `${text.slice(0, limit)}\n… (${text.length} characters, cut; the whole text is in scratch/fuzz/failures/)` : text);

function format(r: Omit<Report, 'text'>): string {
  const pct = (n: number, of: number) => `${of === 0 ? 0 : Math.round((100 * n) / of)}%`;
  const lines = [
    `netspec fuzz: seed ${r.seed}, ${r.runs} cases in ${r.seconds.total.toFixed(1)} s (cases ${r.seconds.cases.toFixed(1)} s, of which check+compile ${r.seconds.check.toFixed(1)} s, ${r.workerStarts} compiler worker(s) started in ${r.seconds.workerLoad.toFixed(1)} s, slowest case ${r.seconds.slowestCase.toFixed(2)} s; tsc ${r.seconds.tsc.toFixed(1)} s in ${r.tscRuns} runs; tfjs ${r.seconds.tfjs.toFixed(1)} s; shrinking ${r.seconds.shrink.toFixed(1)} s)`,
    `  families: ${Object.entries(r.families).map(([f, n]) => `${f} ${n.cases} (${n.clean} clean, ${pct(n.clean, n.cases)}; ${(n.ms / 1000).toFixed(1)} s)`).join(', ')}`,
    `  clean: ${r.clean} (${pct(r.clean, r.runs)}); emitted modules: ${r.emitted}; type-checked: ${r.typeChecked}; built on tfjs: ${r.built} cases, ${r.builtModels} models (${r.skippedBig} sampled cases over the parameter limit left out)`,
    `  cases failing each property: ${Object.entries(r.byProperty).map(([p, n]) => `${p} ${n}`).join(', ')}`,
    `  distinct failures (property + root cause): ${r.groups.length}`,
  ];
  r.groups.forEach((g, n) => {
    const c = g.shrunk?.case ?? g.case;
    lines.push('', `[${n + 1}] ${g.property}: ${g.key}`, `    ${g.count} case(s), first at run ${g.index} (${g.case.family}${g.case.note ? `: ${g.case.note}` : ''})`);
    if (g.shrunk) lines.push(`    shrunk in ${g.shrunk.steps} steps${g.shrunk.note ? ` (${g.shrunk.note.replace(/; $/, '')})` : ''}`);
    lines.push(...(g.shrunk?.message ?? g.message).split('\n').slice(0, 8).map((l) => `    | ${l}`));
    for (const s of c.sources) lines.push(`    source path ${quote(s.path)}:`, ...shown(s.text).split('\n').map((l) => `      ${l}`));
  });
  return lines.join('\n');
}

function saveReport(r: Report): void {
  const dir = join(scratch, 'failures');
  mkdirSync(dir, { recursive: true });
  r.groups.forEach((g, n) => {
    (g.shrunk?.case ?? g.case).sources.forEach((s, k) => writeFileSync(join(dir, `${n + 1}-${k}.yaml`), s.text));
  });
  writeFileSync(join(scratch, 'report.txt'), `${r.text}\n`);
  writeFileSync(join(scratch, 'report.json'), JSON.stringify({ ...r, text: undefined }, null, 1));
}
