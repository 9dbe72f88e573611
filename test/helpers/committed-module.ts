import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { compile } from '../../src/index.js';
import { root } from './gallery.js';

/**
 * The test that a fixture spec compiles without errors to its committed module, which the
 * other tests of the file import; `NETSPEC_UPDATE_FIXTURES=1` writes the module anew.
 */
export function testCommittedModule(specPath: string, modulePath: string): void {
  test('the generated module is the committed one', () => {
    const result = compile([{ path: specPath, text: readFileSync(join(root, specPath), 'utf8') }]);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const golden = join(root, modulePath);
    if (process.env['NETSPEC_UPDATE_FIXTURES'] === '1') writeFileSync(golden, result.modules[0]!.text);
    expect(result.modules[0]!.text).toBe(readFileSync(golden, 'utf8'));
  });
}
