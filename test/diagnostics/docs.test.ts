import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { codes } from '../../src/diagnostics/codes.js';

const root = join(import.meta.dirname, '..', '..');
const doc = readFileSync(join(root, 'docs', 'diagnostics.md'), 'utf8');

test('docs/diagnostics.md is what `npm run docs` writes from the codes and specs/invalid', () => {
  const fresh = execFileSync(process.execPath, [join(root, 'scripts', 'diagnostics-doc.js'), '--stdout'], { cwd: root, encoding: 'utf8' });
  expect(doc === fresh, 'docs/diagnostics.md is stale: run `npm run docs`').toBe(true);
});

test('every code has a doc entry with its help and an example report', () => {
  for (const [code, info] of Object.entries(codes)) {
    const entry = doc.split(`\n### ${code}: `)[1]?.split('\n### ')[0];
    expect(entry, code).toBeDefined();
    expect(entry).toContain(info.help);
    expect(entry).toContain(`${info.severity} ${code}:`);
  }
});
