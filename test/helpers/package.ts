import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ts } from 'ts-morph';
import { root } from './gallery.js';

/** This repository's package.json. */
export const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/**
 * The environment for npm and node run by a test: without the variables npm
 * sets for the script running the tests (`npm test`), which would point a
 * nested npm at this package instead of the folder it runs in.
 */
export function childEnv(): NodeJS.ProcessEnv {
  const lifecycle = /^(npm_package_|npm_lifecycle_|npm_command$|npm_config_local_prefix$|init_cwd$)/i;
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !lifecycle.test(key)));
}

/**
 * The files `npm pack` would put in the tarball, `/`-separated and relative to
 * the package root, sorted. Scripts are skipped: it lists dist/ as it is,
 * which the pack of pack-install.test.ts built just before.
 */
export function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, env: childEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
  return pack!.files.map((f) => f.path).sort();
}

/** Every module specifier a JavaScript or TypeScript file imports or re-exports, static or `import('literal')`, in order. */
export function importSpecifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** The package a bare specifier names: `@scope/name` or `name`, without a subpath. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}
