/**
 * The library API as docs/api.md shows it: the formatters reproduce what the
 * CLI prints, byte for byte, and the JSON examples in the doc are real output.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  check,
  compile,
  decodeSource,
  fixSources,
  formatGithub,
  formatJson,
  formatSarif,
  formatText,
  Locator,
  summaryJson,
  summaryLine,
  summaryMarkdown,
  summaryText,
} from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { root } from '../helpers/gallery.js';

const keras = `netspec: 1
models:
  up:
    inputs: { z: [4, 4, 8] }
    layers:
      - { type: conv2dTranspose, id: image, filters: 3, kernel_size: 4, strides: 2, padding: same }
    outputs: { image: [8, 8, 3] }
`;
const fixedText = keras.replace('kernel_size', 'kernelSize');
const path = 'specs/up.yaml';
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netspec-api-'));
  mkdirSync(join(dir, 'specs'));
  writeFileSync(join(dir, 'netspec.config.json'), '{}');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The doc's example, as written there: decode, check, format. */
function reportAsDocumented(bytes: Uint8Array): string {
  const decoded = decodeSource(path, bytes);
  const sources = decoded.value ? [decoded.value] : [];
  const result = check(sources);
  const diagnostics = [...decoded.diagnostics, ...result.diagnostics];
  return formatText(diagnostics, Locator.fromSources([decoded.shown]), { color: false });
}

describe.each([
  ['a spec with an error', keras],
  ['a clean spec', fixedText],
  ['a file that is not UTF-8', 'netspec: 1\n# caf\xe9\nmodels: {}\n'],
])('%s: the library reports what the CLI prints', (_, text) => {
  const bytes = Buffer.from(text, 'latin1');
  test('text', async () => {
    writeFileSync(join(dir, path), bytes);
    const cli = await runCli(dir, 'check', path);
    expect(cli.stdout + cli.stderr).toBe(reportAsDocumented(bytes));
  });
  test('json, sarif and github', async () => {
    writeFileSync(join(dir, path), bytes);
    const decoded = decodeSource(path, bytes);
    if (!decoded.value) return expect(decoded.diagnostics.map((d) => d.code)).toEqual(['NS1004']);
    const result = check([decoded.value]);
    const locator = Locator.fromSources([decoded.value]);
    expect((await runCli(dir, 'check', path, '--format', 'json')).stdout).toBe(formatJson(result.diagnostics, result.models, locator));
    expect((await runCli(dir, 'check', path, '--format', 'sarif')).stdout).toBe(formatSarif(result.diagnostics, locator, version));
    expect((await runCli(dir, 'check', path, '--format', 'github')).stdout).toBe(formatGithub(result.diagnostics, locator));
  });
});

test('summary formatters print what netspec summary prints', async () => {
  writeFileSync(join(dir, path), fixedText);
  const result = check([{ path, text: fixedText }]);
  const locator = Locator.fromSources([{ path, text: fixedText }]);
  expect((await runCli(dir, 'summary', path)).stdout).toBe(result.models.map(summaryText).join('\n'));
  expect((await runCli(dir, 'summary', path, '--format', 'markdown')).stdout).toBe(result.models.map(summaryMarkdown).join('\n'));
  expect((await runCli(dir, 'summary', path, '--format', 'json')).stdout).toBe(summaryJson(result.models, locator));
});

test('summaryLine counts errors and warnings', () => {
  expect(summaryLine([])).toBe('0 errors, 0 warnings');
  expect(summaryLine(check([{ path, text: keras }]).diagnostics)).toBe('1 error, 0 warnings');
});

test('fixSources applies the fix as check --fix does, and compile then emits the module', () => {
  const fixed = fixSources([{ path, text: keras }], (s) => check(s).diagnostics);
  expect(fixed.changes).toEqual([{ file: path, line: 6, column: 57, code: 'NS2002', description: "rename 'kernel_size' to 'kernelSize'" }]);
  expect(fixed.sources).toEqual([{ path, text: fixedText }]);
  expect(fixed.diagnostics).toEqual([]);
  expect(compile([{ path, text: keras }]).modules).toEqual([]);
  const modules = compile(fixed.sources).modules;
  expect(modules.map((m) => m.path)).toEqual(['up.ts']);
  expect(modules[0]!.text).toContain('export function buildUp(): tf.LayersModel');
});

test('the JSON examples in docs/api.md are the real output', () => {
  const doc = readFileSync(join(root, 'docs', 'api.md'), 'utf8');
  const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as unknown);
  const broken = check([{ path, text: keras }]);
  expect(blocks).toEqual([JSON.parse(formatJson(broken.diagnostics, broken.models, Locator.fromSources([{ path, text: keras }])))]);
  const clean = check([{ path, text: fixedText }]);
  expect(JSON.parse(formatJson(clean.diagnostics, clean.models, Locator.fromSources([{ path, text: fixedText }])))).toEqual({ ...(blocks[0] as object), ok: true, diagnostics: [] });
});
