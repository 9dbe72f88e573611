import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { root } from '../helpers/gallery.js';
import { importSpecifiers, manifest, packageOf } from '../helpers/package.js';

/** The file of dist/ that `specifier` (`netspec` or `netspec/...`) names through the package's exports. */
function exportedFile(specifier: string): string {
  const entry = manifest.exports['.' + specifier.slice(manifest.name.length)];
  const target = typeof entry === 'string' ? entry : entry?.['default'];
  if (target === undefined) throw new Error(`${specifier} is not exported`);
  return join(root, target);
}

/**
 * The static import graph from `entries` (files of dist/): the files it
 * reaches, relative to the root, and the packages it imports. Self-references
 * (`netspec/...`) are followed through the exports, as Node would.
 */
function importGraph(entries: string[]): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [...entries];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) queue.push(resolve(dirname(file), specifier));
      else if (packageOf(specifier) === manifest.name) queue.push(exportedFile(specifier));
      else packages.add(specifier.startsWith('node:') ? specifier : packageOf(specifier));
    }
  }
  return { files: [...files].map((f) => relative(root, f).split('\\').join('/')).sort(), packages: [...packages].sort() };
}

const generated = readdirSync(join(root, 'generated')).filter((name) => name.endsWith('.ts')).sort();

describe('netspec/runtime keeps a small footprint (dist/ as pack-install.test.ts just built it)', () => {
  test('its import graph reaches @tensorflow/tfjs alone (no ts-morph, ajv, yaml or vscode-*), and of the compiler only the shape formulas', () => {
    const { files, packages } = importGraph([exportedFile('netspec/runtime')]);
    expect(files).toContain('dist/runtime/index.js');
    // The length formulas the shape inference uses, so that the layers compute the sizes it infers.
    expect(files.filter((f) => !f.startsWith('dist/runtime/'))).toEqual(['dist/infer/affine.js', 'dist/infer/formulas.js']);
    expect(packages).toEqual(['@tensorflow/tfjs']);
  });

  test('no module of it loads anything the static graph cannot see (a computed import() or a require)', () => {
    const { files } = importGraph([exportedFile('netspec/runtime')]);
    const hidden = files.filter((f) => /\bimport\s*\(\s*[^'"\s]|\brequire\s*\(/.test(readFileSync(join(root, f), 'utf8')));
    expect(hidden).toEqual([]);
  });

  test('the generated modules import only @tensorflow/tfjs and netspec/runtime, and through it reach @tensorflow/tfjs alone', () => {
    const modules = generated.map((name) => join(root, 'generated', name));
    const specifiers = [...new Set(modules.flatMap((file) => importSpecifiers(readFileSync(file, 'utf8'))))].sort();
    expect(specifiers).toEqual(['@tensorflow/tfjs', 'netspec/runtime']);
    const { files, packages } = importGraph(modules);
    expect(files.filter((f) => !f.startsWith('generated/') && !f.startsWith('dist/runtime/'))).toEqual(['dist/infer/affine.js', 'dist/infer/formulas.js']);
    expect(packages).toEqual(['@tensorflow/tfjs']);
  });
});
