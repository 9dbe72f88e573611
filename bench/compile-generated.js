// Compiles modules of generated/ with the project's tsc into bench/.build/, so
// plain node (and worker threads) can import them. The output stays inside this
// package, so its `netspec/runtime` import resolves to dist/ by the package's exports.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = new URL('./.build/', import.meta.url);
// typescript's exports hide bin/, so the script is found beside its package.json.
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');

/** Compiles generated/<name>.ts for each name; returns the file URLs of the .js modules, by name. */
export function compileGenerated(names) {
  const args = ['--ignoreConfig', ...names.map((n) => `generated/${n}.ts`), '--rootDir', 'generated', '--outDir', fileURLToPath(outDir)];
  const options = ['--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--strict'];
  const run = spawnSync(process.execPath, [tsc, ...args, ...options], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`tsc failed on ${names.join(', ')}:\n${run.stdout}${run.stderr}`);
  return Object.fromEntries(names.map((n) => [n, new URL(`${n}.js`, outDir)]));
}
