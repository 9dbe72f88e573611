import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceFile } from '../../src/ir.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));

interface Config {
  include: string[];
  exclude: string[];
  outDir: string;
}

export const config: Config = JSON.parse(readFileSync(join(root, 'netspec.config.json'), 'utf8')) as Config;

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      const rel = relative(root, path).split('\\').join('/');
      if (config.exclude.some((e) => rel === e || rel.startsWith(e + '/'))) return [];
      if (statSync(path).isDirectory()) return walk(path);
      return /\.ya?ml$/.test(name) ? [rel] : [];
    });
}

/** The gallery: every spec the project config includes, read as the CLI reads it. */
export function gallerySources(): SourceFile[] {
  return config.include.flatMap((dir) => walk(join(root, dir))).map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
}
