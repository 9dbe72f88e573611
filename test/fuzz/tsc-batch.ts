import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmittedModule } from '../../src/index.js';
import { root } from '../helpers/gallery.js';

/**
 * Type-checks emitted modules with the project's own tsc, many at once (one
 * tsc start costs more than a few hundred small modules). Modules are written
 * under scratch/fuzz/ (git-ignored), inside the package, so that
 * `@tensorflow/tfjs` resolves from node_modules and `netspec/runtime` through
 * the package's exports with the `source` condition, as for generated/. The
 * tsconfig there extends the project's, so the strictness is the same.
 */

export const scratch = join(root, 'scratch', 'fuzz');

/** Where a case's modules go: one folder per case, so errors map back to it by path. */
export function moduleDir(kind: string, id: string): string {
  return join(scratch, kind, id);
}

/** A module's file name: its own when it is a plain one, else a stand-in (module-shape reports such names). */
export function fileName(module: EmittedModule, index: number): string {
  return /^[A-Za-z0-9_$-]+\.ts$/.test(module.path) ? module.path : `module_${index}.ts`;
}

export function writeModules(dir: string, modules: readonly EmittedModule[]): string[] {
  mkdirSync(dir, { recursive: true });
  return modules.map((m, i) => {
    const file = join(dir, fileName(m, i));
    writeFileSync(file, m.text);
    return file;
  });
}

/**
 * Runs tsc over every module of the batch (`modules` by case id) and returns
 * the errors per case id; errors in files of no case (src/runtime, say) come
 * under the id `''`. tsc reports only syntax errors when any file has one, so
 * the cases with syntax errors (TS1xxx) keep those and the rest is checked
 * again without them: one broken module must not hide the type errors of the
 * others.
 */
export function typeCheck(batch: ReadonlyMap<string, readonly EmittedModule[]>, kind = 'tsc'): Map<string, string[]> {
  const errors = runTsc(batch, kind);
  const syntax = [...errors].filter(([id, lines]) => id !== '' && lines.some((l) => /error TS1\d{3}:/.test(l))).map(([id]) => id);
  if (syntax.length === 0) return errors;
  const rest = new Map([...batch].filter(([id]) => !syntax.includes(id)));
  const again = rest.size > 0 ? typeCheck(rest, kind) : new Map<string, string[]>();
  for (const id of syntax) again.set(id, errors.get(id)!);
  return again;
}

function runTsc(batch: ReadonlyMap<string, readonly EmittedModule[]>, kind: string): Map<string, string[]> {
  const dir = join(scratch, kind);
  rmSync(dir, { recursive: true, force: true });
  for (const [id, modules] of batch) writeModules(join(dir, id), modules);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../../tsconfig.json', include: ['./*/*.ts'] }, null, 2));
  const run = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  const errors = new Map<string, string[]>();
  let last: string[] | undefined;
  const prefix = `scratch/fuzz/${kind}/`;
  for (const line of `${run.stdout}${run.stderr}`.split('\n')) {
    if (line.trim() === '') continue;
    if (/^\s/.test(line) && last) {
      last[last.length - 1] += `\n${line}`;
      continue;
    }
    const id = line.startsWith(prefix) ? line.slice(prefix.length).split('/')[0]! : '';
    last = errors.get(id) ?? [];
    last.push(line);
    errors.set(id, last);
  }
  if (run.status !== 0 && errors.size === 0) errors.set('', [`tsc exited with ${run.status}: ${run.error?.message ?? ''}`]);
  return errors;
}
