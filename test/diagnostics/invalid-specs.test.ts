import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main, type Environment } from '../../src/cli.js';
import { codes, type Code } from '../../src/diagnostics/codes.js';

/**
 * `specs/invalid/` holds one or more specs per diagnostic code, named
 * `NSxxxx-what.yaml`, with the exact text `netspec check` prints for it beside
 * it in `NSxxxx-what.txt`. A code that needs more than a spec (a missing path,
 * a bad config) has `NSxxxx-what.args.json` instead: `{ "cwd": ..., "argv": [...] }`
 * relative to the repository. NETSPEC_UPDATE_FIXTURES=1 rewrites the .txt files.
 */
const root = join(import.meta.dirname, '..', '..');
const folder = join(root, 'specs', 'invalid');
const update = process.env['NETSPEC_UPDATE_FIXTURES'] === '1';

interface Case {
  readonly name: string;
  readonly code: Code;
  readonly cwd: string;
  readonly argv: readonly string[];
}

function cases(): Case[] {
  return readdirSync(folder)
    .filter((f) => /^NS\d{4}-.*\.(yaml|args\.json)$/.test(f))
    .sort()
    .map((file) => {
      const name = file.replace(/\.(yaml|args\.json)$/, '');
      const code = file.slice(0, 6) as Code;
      if (file.endsWith('.args.json')) {
        const args = JSON.parse(readFileSync(join(folder, file), 'utf8')) as { cwd?: string; argv: string[] };
        return { name, code, cwd: join(root, args.cwd ?? '.'), argv: args.argv };
      }
      return { name, code, cwd: root, argv: ['check', `specs/invalid/${file}`] };
    });
}

async function run(c: Case): Promise<{ exit: number; output: string }> {
  const out: string[] = [];
  const env: Environment = { cwd: c.cwd, stdout: (t) => out.push(t), stderr: (t) => out.push(t), color: false };
  const exit = await main(c.argv, env);
  return { exit, output: out.join('') };
}

const all = cases();

describe('specs/invalid: each fixture prints exactly its expected report', () => {
  test.each(all.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const expectedFile = join(folder, `${c.name}.txt`);
    const { exit, output } = await run(c);
    if (update) writeFileSync(expectedFile, output);
    expect(existsSync(expectedFile), `${c.name}.txt is missing (NETSPEC_UPDATE_FIXTURES=1 writes it)`).toBe(true);
    expect(output).toBe(readFileSync(expectedFile, 'utf8'));
    expect(codes[c.code], `${c.code} is not a diagnostic code`).toBeDefined();
    // The fixture shows the code it is named after, with that code's severity (a lint's may be raised to error).
    const severities = c.code.startsWith('NS5') ? ['warning', 'error'] : [codes[c.code].severity];
    expect(severities.some((s) => output.includes(`${s} ${c.code}:`)), `${c.name} shows ${c.code}`).toBe(true);
    const expectedExit = c.code.startsWith('NS9') ? 2 : output.includes(' error NS') || output.startsWith('error NS') ? 1 : 0;
    expect(exit).toBe(expectedExit);
  });
});

test('every diagnostic code has a fixture in specs/invalid', () => {
  const covered = new Set(all.map((c) => c.code));
  expect((Object.keys(codes) as Code[]).filter((code) => !covered.has(code))).toEqual([]);
});

test('every expected report has its spec', () => {
  const names = new Set(all.map((c) => c.name));
  const orphans = readdirSync(folder)
    .filter((f) => f.endsWith('.txt') && !f.endsWith('.fix.txt')) // .fix.txt: test/fix/fixtures-fix.test.ts
    .map((f) => f.slice(0, -4))
    .filter((n) => !names.has(n));
  expect(orphans).toEqual([]);
});
