import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

/**
 * For every spec fixture in specs/invalid/ whose report has an unambiguous fix,
 * `check --fix` run on a copy in a temporary project prints, and writes, exactly
 * what `NSxxxx-name.fix.txt` beside it holds; the fixed spec then checks with only
 * diagnostics that had no unambiguous fix before. NETSPEC_UPDATE_FIXTURES=1
 * writes (or removes) the .fix.txt files.
 */
const folder = join(import.meta.dirname, '..', '..', 'specs', 'invalid');
const update = process.env['NETSPEC_UPDATE_FIXTURES'] === '1';
const names = readdirSync(folder).filter((f) => /^NS\d{4}-.*\.yaml$/.test(f)).map((f) => f.slice(0, -5)).sort();

interface JsonDiagnostic { code: string; fixes?: unknown[] }

describe('specs/invalid: check --fix on each fixture', () => {
  test.each(names)('%s', async (name) => {
    const dir = mkdtempSync(join(tmpdir(), 'netspec-fixture-fix-'));
    try {
      writeFileSync(join(dir, 'netspec.config.json'), '{ "include": ["specs"] }\n');
      mkdirSync(join(dir, 'specs', 'invalid'), { recursive: true });
      // The spec and the files it refers to (`NSxxxx-name.weights.json`).
      for (const f of readdirSync(folder).filter((f) => f.startsWith(`${name}.`) && !f.endsWith('.txt'))) copyFileSync(join(folder, f), join(dir, 'specs', 'invalid', f));
      const path = `specs/invalid/${name}.yaml`;
      const before = JSON.parse((await runCli(dir, 'check', path, '--format', 'json')).stdout) as { diagnostics: JsonDiagnostic[] };
      const expectedFile = join(folder, `${name}.fix.txt`);
      const unambiguous = before.diagnostics.some((d) => d.fixes?.length === 1);
      if (!unambiguous) {
        if (update && existsSync(expectedFile)) unlinkSync(expectedFile);
        expect(existsSync(expectedFile), `${name}.fix.txt is stale: no unambiguous fix`).toBe(false);
        return;
      }
      const run = await runCli(dir, 'check', '--fix', path);
      const fixed = readFileSync(join(dir, path), 'utf8');
      const text = `${run.stdout}${run.stderr}exit ${run.code}\n----- ${path} after check --fix -----\n${fixed}`;
      if (update) writeFileSync(expectedFile, text);
      expect(text).toBe(readFileSync(expectedFile, 'utf8'));
      // What is left had no unambiguous fix before: a fix never adds an error of another kind.
      const kept = new Set(before.diagnostics.filter((d) => d.fixes?.length !== 1).map((d) => d.code));
      const after = JSON.parse((await runCli(dir, 'check', path, '--format', 'json')).stdout) as { diagnostics: JsonDiagnostic[] };
      for (const d of after.diagnostics) expect(kept.has(d.code) || d.fixes?.length === 1, `${name}: ${d.code} after --fix`).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
