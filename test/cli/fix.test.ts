import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

const spec = `netspec: 1
models:
  decoder:
    # a comment that must stay
    inputs: { z: [4, 4, 8] }
    layers:
      - { type: conv2DTranspose, filters: 3, kernel_size: 4, strides: 2, padding: same }   # and this one
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netspec-fix-'));
  writeFileSync(join(dir, 'netspec.config.json'), '{ "include": ["specs"] }\n');
  mkdirSync(join(dir, 'specs'));
  writeFileSync(join(dir, 'specs', 'a.yaml'), spec);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('check --fix', () => {
  test('applies both fixes in one run, keeps comments, and reports clean', async () => {
    const r = await runCli(dir, 'check', '--fix');
    expect(r.stdout).toBe(
      "fixed specs/a.yaml:7:17 NS2003: change the type 'conv2DTranspose' to 'conv2dTranspose'\n" +
        "fixed specs/a.yaml:7:46 NS2002: rename 'kernel_size' to 'kernelSize'\n" +
        (await runCli(dir, 'check')).stdout,
    );
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'specs', 'a.yaml'), 'utf8')).toBe(spec.replace('conv2DTranspose', 'conv2dTranspose').replace('kernel_size', 'kernelSize'));
  });
  test('--fix-dry-run prints the diff and writes nothing', async () => {
    const r = await runCli(dir, 'check', '--fix-dry-run');
    expect(r.stdout).toContain('--- specs/a.yaml\n+++ specs/a.yaml (fixed)\n');
    expect(r.stdout).toContain('+      - { type: conv2dTranspose, filters: 3, kernelSize: 4');
    expect(r.stdout).toContain("would fix specs/a.yaml:7:17 NS2003");
    expect(readFileSync(join(dir, 'specs', 'a.yaml'), 'utf8')).toBe(spec);
  });
  test('a spec whose link leads outside the project is not written', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'netspec-outside-'));
    try {
      writeFileSync(join(outside, 'b.yaml'), spec);
      rmSync(join(dir, 'specs', 'a.yaml'));
      symlinkSync(join(outside, 'b.yaml'), join(dir, 'specs', 'a.yaml'));
      const r = await runCli(dir, 'check', '--fix');
      expect(r.code).toBe(2);
      expect(readFileSync(join(outside, 'b.yaml'), 'utf8')).toBe(spec);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
  test('JSON and SARIF carry the edits', async () => {
    // An unknown type still hides its options' errors (not yet checked against the suggested type), so the type is right here.
    writeFileSync(join(dir, 'specs', 'a.yaml'), spec.replace('conv2DTranspose', 'conv2dTranspose'));
    const json = JSON.parse((await runCli(dir, 'check', '--format', 'json')).stdout) as { diagnostics: { code: string; fixes?: unknown }[] };
    const ns2002 = json.diagnostics.find((d) => d.code === 'NS2002')!;
    expect(ns2002.fixes).toEqual([
      { description: "rename 'kernel_size' to 'kernelSize'", edits: [{ file: 'specs/a.yaml', line: 7, column: 46, endLine: 7, endColumn: 57, startOffset: spec.indexOf('kernel_size'), endOffset: spec.indexOf('kernel_size') + 11, newText: 'kernelSize' }] },
    ]);
    const sarif = JSON.parse((await runCli(dir, 'check', '--format', 'sarif')).stdout) as { runs: { results: { ruleId: string; fixes?: unknown }[] }[] };
    expect(sarif.runs[0]!.results.find((r) => r.ruleId === 'NS2002')!.fixes).toEqual([
      {
        description: { text: "rename 'kernel_size' to 'kernelSize'" },
        artifactChanges: [{ artifactLocation: { uri: 'specs/a.yaml' }, replacements: [{ deletedRegion: { startLine: 7, startColumn: 46, endLine: 7, endColumn: 57 }, insertedContent: { text: 'kernelSize' } }] }],
      },
    ]);
  });
  test('--fix with sarif is a usage error', async () => {
    expect((await runCli(dir, 'check', '--fix', '--format', 'sarif')).code).toBe(2);
  });
});
