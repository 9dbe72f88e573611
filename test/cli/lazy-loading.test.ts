import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { root } from '../helpers/gallery.js';

/**
 * Which packages one CLI command loads, read from node's module cache in a
 * fresh process running dist/ (which `npm test` builds first) on the gallery.
 */
function packagesLoadedBy(...argv: string[]): { code: number; packages: string[] } {
  const script = `
    import { createRequire } from 'node:module';
    const { main } = await import(${JSON.stringify(join(root, 'dist', 'cli.js'))});
    const code = await main(${JSON.stringify(argv)}, { cwd: process.cwd(), stdout: () => {}, stderr: () => {}, color: false });
    const packages = Object.keys(createRequire(import.meta.url).cache).flatMap((path) => {
      const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\/(.*)$/.exec(path);
      return m ? [m[1] === 'ajv' ? 'ajv/' + m[2].split('/').slice(0, 2).join('/') : m[1]] : [];
    });
    console.log(JSON.stringify({ code, packages: [...new Set(packages)] }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })) as { code: number; packages: string[] };
}

describe('what a command loads', () => {
  test('check loads neither ts-morph, ajv\'s schema compiler nor the language server', () => {
    const { code, packages } = packagesLoadedBy('check');
    expect(code).toBe(0);
    expect(packages).toContain('yaml');
    expect(packages).not.toContain('ts-morph');
    expect(packages).not.toContain('vscode-languageserver');
    expect(packages.filter((p) => p.startsWith('ajv/') && p !== 'ajv/dist/runtime')).toEqual([]);
  });

  test('build loads ts-morph, to emit the modules', () => {
    const { code, packages } = packagesLoadedBy('build', '--check');
    expect(code).toBe(0);
    expect(packages).toContain('ts-morph');
  });
});
