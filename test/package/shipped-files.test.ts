import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { root } from '../helpers/gallery.js';
import { importSpecifiers, manifest, packageOf, packedFiles } from '../helpers/package.js';

/**
 * What `npm pack` puts in the tarball, read from its own file list over the
 * dist/ that pack-install.test.ts just built (vitest.config.ts runs this file
 * after it): what users need and nothing else, and nothing shipped that
 * points at a file that is not.
 */
let files: string[];
let shipped: Set<string>;
beforeAll(() => {
  files = packedFiles();
  shipped = new Set(files);
});

interface SourceMap {
  version: number;
  sources: string[];
  sourceRoot?: string;
  sourcesContent?: (string | null)[];
}

/** Every file an `exports` entry or the `bin` names, without its leading `./`. */
function exportTargets(): string[] {
  const targets = (value: string | Record<string, string>): string[] => (typeof value === 'string' ? [value] : Object.values(value).flatMap(targets));
  return [...Object.values(manifest.exports).flatMap(targets), ...Object.values(manifest.bin)].map((t) => posix.normalize(t));
}

describe('the published package', () => {
  test('holds the CLI, dist/, the schema, the docs, README.md and LICENSE, and nothing else', () => {
    expect([...new Set(files.map((f) => f.split('/')[0]))]).toEqual(['LICENSE', 'README.md', 'bin', 'dist', 'docs', 'package.json', 'schemas']);
    expect(files.filter((f) => !f.startsWith('dist/'))).toEqual([
      'LICENSE',
      'README.md',
      'bin/netspec.js',
      ...readdirSync(join(root, 'docs')).sort().map((name) => `docs/${name}`),
      'package.json',
      'schemas/netspec.schema.json',
    ]);
  });

  test('dist/ holds no tests, and every file in it is built from a file of src/ (none left from a deleted one)', () => {
    expect(files.filter((f) => /(^|\/)(test|tests|__tests__|fixtures)\/|\.(test|spec)\.[cm]?[jt]s(\.map)?$/.test(f))).toEqual([]);
    const sourceOf = (f: string) => f.slice('dist/'.length).replace(/(\.d\.ts|\.js\.map|\.js)$/, '');
    const orphans = files.filter((f) => f.startsWith('dist/') && !['.ts', '.js'].some((ext) => existsSync(join(root, 'src', sourceOf(f) + ext))));
    expect(orphans).toEqual([]);
  });

  test('every source map names only shipped files, or carries the text of those it names (src/ is not shipped)', () => {
    const maps = files.filter((f) => f.endsWith('.map'));
    // Every module tsc writes has its map; the validator ajv compiled at build time has none.
    const compiled = files.filter((f) => f.startsWith('dist/') && f.endsWith('.js') && f !== 'dist/validate/compiled-schema.js');
    expect(maps).toEqual(compiled.map((f) => `${f}.map`));
    const unresolved = maps.flatMap((path) => {
      const map = JSON.parse(readFileSync(join(root, path), 'utf8')) as SourceMap;
      if (map.version !== 3 || map.sources.length === 0) return [`${path}: not a version 3 map with sources`];
      return map.sources.flatMap((source, i) => {
        const file = posix.join(posix.dirname(path), map.sourceRoot ?? '', source);
        if (shipped.has(file)) return [];
        const content = map.sourcesContent?.[i];
        if (typeof content !== 'string') return [`${path}: ${source} is neither shipped nor inlined`];
        return content === readFileSync(join(root, file), 'utf8') ? [] : [`${path}: the inlined ${source} is not the file (dist/ is stale: npm run build)`];
      });
    });
    expect(unresolved).toEqual([]);
  });

  test('every sourceMappingURL in dist/ names a shipped map', () => {
    const missing = files
      .filter((f) => f.startsWith('dist/') && f.endsWith('.js'))
      .flatMap((path) => {
        const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(root, path), 'utf8'))?.[1];
        return url === undefined || shipped.has(posix.join(posix.dirname(path), url)) ? [] : [`${path} -> ${url}`];
      });
    expect(missing).toEqual([]);
  });

  test('every package a shipped module or declaration imports is a dependency or peer dependency (none only a dev dependency, none reached through another)', () => {
    const declared = new Set([manifest.name, ...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]);
    const imported = files
      .filter((f) => /\.(js|d\.ts)$/.test(f))
      .flatMap((path) => importSpecifiers(readFileSync(join(root, path), 'utf8')).map((specifier) => ({ path, specifier })))
      .filter(({ specifier }) => !specifier.startsWith('.') && !specifier.startsWith('node:'));
    expect(imported.filter(({ specifier }) => !declared.has(packageOf(specifier))).map(({ path, specifier }) => `${path}: ${specifier}`)).toEqual([]);
    // Declarations use tfjs' own types: a file of its dependency tfjs-layers resolves only where npm hoisted it.
    expect(imported.filter(({ path, specifier }) => path.endsWith('.d.ts') && specifier.startsWith('@tensorflow/') && specifier !== '@tensorflow/tfjs').map(({ path }) => path)).toEqual([]);
  });

  test('every exports target and the bin are shipped; types come first in each condition list', () => {
    expect(exportTargets().filter((t) => !shipped.has(t))).toEqual([]);
    const conditional = Object.entries(manifest.exports).filter((entry): entry is [string, Record<string, string>] => typeof entry[1] !== 'string');
    expect(conditional.filter(([, conditions]) => Object.keys(conditions).join() !== 'types,default').map(([name]) => name)).toEqual([]);
  });
});
