import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main, type Environment } from '../../src/cli.js';
import type { Code } from '../../src/diagnostics/codes.js';
import { Locator } from '../../src/diagnostics/location.js';
import { check } from '../../src/index.js';
import { maxSpecLength } from '../../src/parse/parse-spec.js';

/**
 * Files that are not specs at all: prose, garbage, nothing, binary data, a
 * huge file. Each must give exactly one located diagnostic, never a throw,
 * both through the library and through `netspec check`, and quickly.
 */

/** Deterministic "random" bytes (xorshift32), so a failure can be reproduced. */
function noise(length: number, seed = 0x2545f491): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
};

const prose = `The decoder takes a 100-dimensional noise vector, projects it to 4x4x512 with a
dense layer, and then doubles the resolution four times with transposed
convolutions (kernel 4, stride 2), ending in a tanh image of 64x64x3.
`;

/** A PNG signature and the start of its IHDR chunk, then noise: the first NUL is the first byte of line 3. */
const png = concat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]), noise(4096));

/** 10 MB of plausible lines (a log pasted into a spec), so that only the size is wrong. */
const logLine = '# epoch 12 step 3400  loss_g 2.3141  loss_d 0.6931  lr 0.0002\n';
const tenMegabytes = 'netspec: 1\n' + logLine.repeat(Math.ceil((10 * 1024 * 1024) / logLine.length));

interface BadInput {
  readonly name: string;
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly code: Code;
  readonly line: number;
  readonly column: number;
  readonly message?: RegExp;
}

const inputs: readonly BadInput[] = [
  // Prose is valid YAML (one plain scalar), so this is not a syntax error: the document is simply not a mapping.
  { name: 'a paragraph of prose', file: 'prose.yaml', bytes: utf8(prose), code: 'NS2001', line: 1, column: 1, message: /^the spec must be a mapping; received 'The decoder takes/ },
  { name: 'an HTML page', file: 'page.yaml', bytes: utf8('<!DOCTYPE html>\n<html><head><title>DCGAN</title></head>\n<body>loss: 0.69</body></html>\n'), code: 'NS1001', line: 1, column: 1 },
  { name: 'an empty file', file: 'empty.yaml', bytes: new Uint8Array(0), code: 'NS1003', line: 1, column: 1, message: /^spec is empty$/ },
  { name: 'a whitespace-only file', file: 'blank.yaml', bytes: utf8('  \n\n\t\n   \r\n'), code: 'NS1003', line: 1, column: 1, message: /^spec is empty$/ },
  { name: 'a binary file (PNG header, then noise)', file: 'image.yaml', bytes: png, code: 'NS1004', line: 3, column: 1, message: /not UTF-8 text/ },
  { name: 'a 10 MB file', file: 'huge.yaml', bytes: utf8(tenMegabytes), code: 'NS1005', line: 1, column: 1, message: new RegExp(`^spec is ${tenMegabytes.length} characters long; the limit is ${maxSpecLength}$`) },
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netspec-bad-input-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(file: string, bytes: Uint8Array): Promise<{ exit: number; stdout: string; stderr: string; ms: number }> {
  writeFileSync(join(dir, file), bytes);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const env: Environment = { cwd: dir, stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t), color: false };
  const start = performance.now();
  const exit = await main(['check', file], env);
  return { exit, stdout: stdout.join(''), stderr: stderr.join(''), ms: performance.now() - start };
}

describe('a file that is not a spec gives exactly one located diagnostic', () => {
  describe.each(inputs.map((c) => [c.name, c] as const))('%s', (_, c) => {
    test('check() from the library', () => {
      const text = new TextDecoder('utf-8').decode(c.bytes);
      const start = performance.now();
      const result = check([{ path: `specs/${c.file}`, text }]);
      expect(performance.now() - start).toBeLessThan(2000);
      expect(result.diagnostics.map((d) => d.code)).toEqual([c.code]);
      const [d] = result.diagnostics;
      expect(d!.severity).toBe('error');
      if (c.message) expect(d!.message).toMatch(c.message);
      expect(d!.span).toBeDefined();
      const at = new Locator(new Map([[`specs/${c.file}`, text]])).locate(d!.span!);
      expect([at.file, at.line, at.column]).toEqual([`specs/${c.file}`, c.line, c.column]);
      expect(result.specs).toEqual([]);
      expect(result.models).toEqual([]);
    });

    test('netspec check', async () => {
      const r = await cli(c.file, c.bytes);
      expect(r.ms).toBeLessThan(2000);
      expect(r.stderr).toBe('');
      expect(r.exit).toBe(1);
      expect(r.stdout.startsWith(`${c.file}:${c.line}:${c.column}: error ${c.code}: `)).toBe(true);
      expect(r.stdout.match(/ (error|warning) NS\d{4}: /g)).toHaveLength(1);
      expect(r.stdout.endsWith('\n\n1 error, 0 warnings\n')).toBe(true);
    });
  });

  test('the size limit is checked before anything else, so a huge binary file is NS1005, not NS1004', () => {
    const text = new TextDecoder().decode(noise(2 * maxSpecLength));
    expect(text.length).toBeGreaterThan(maxSpecLength);
    expect(check([{ path: 'specs/blob.yaml', text }]).diagnostics.map((d) => d.code)).toEqual(['NS1005']);
  });
});

describe('the reports of bad input stay readable', () => {
  test('JSON-ish garbage `{{{` gives one NS1001', () => {
    const result = check([{ path: 'specs/garbage.yaml', text: '{{{' }]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['NS1001']);
  });

  test('the excerpt of a binary file prints no NUL or other control bytes', async () => {
    const r = await cli('binary-excerpt.yaml', png);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f]/);
  });

  test('the report of a 10 MB file on one line stays short', async () => {
    const r = await cli('one-line.yaml', utf8('#' + 'x'.repeat(10 * 1024 * 1024)));
    expect(r.exit).toBe(1);
    expect(r.stdout.length).toBeLessThan(10_000);
  });

  test('a 200 KB paragraph of prose echoes only the start of the text', async () => {
    const text = prose.replace(/\n/g, ' ').repeat(1000);
    expect(text.length).toBeGreaterThan(200_000);
    const r = await cli('long-prose.yaml', utf8(text));
    expect(r.exit).toBe(1);
    expect(r.stdout).toMatch(/error NS2001: the spec must be a mapping; received 'The decoder takes a 100-dimensional noi…'\n/);
    expect(r.stdout.length).toBeLessThan(1_000);
  });
});

/** Garbage that makes yaml's parser recover again and again: only its first syntax error is worth reading. */
const cascades: [string, { given: string; want: string }][] = [
  ['`{{{`', { given: '{{{', want: 'NS1001 1:3' }],
  ['`}}}`', { given: '}}}', want: 'NS1001 1:1' }],
  ['`[[[`', { given: '[[[', want: 'NS1001 1:3' }],
  ['truncated JSON', { given: '{"netspec": 1, "models": {"g": {"inputs": {"z": [8, 2', want: 'NS1001 1:49' }],
  ['a line indented with a tab', { given: 'netspec: 1\nmodels:\n  g:\n\tinputs: { z: [8] }\n    layers:\n      - { type: dense, units: 4 }\n', want: 'NS1001 4:1' }],
  ['every line indented with tabs', { given: `netspec: 1\nmodels:\n\tg:\n\t\tinputs: { z: [8] }\n\t\tlayers:\n${'\t\t\t- { type: dense, units: 4 }\n'.repeat(30)}`, want: 'NS1001 3:1' }],
];

describe('a YAML syntax error is reported once: what follows is the parser recovering', () => {
  test.each(cascades)('%s', (_, { given, want }) => {
    const result = check([{ path: 'specs/cascade.yaml', text: given }]);
    const locator = new Locator(new Map([['specs/cascade.yaml', given]]));
    expect(result.diagnostics.map((d) => `${d.code} ${locator.locate(d.span!).line}:${locator.locate(d.span!).column}`)).toEqual([want]);
  });

  test('duplicate keys are independent of a syntax error and each is kept', () => {
    const text = 'a: 1\na: 2\nb:\n\tc: 1\nd: 1\nd: 2\n';
    expect(check([{ path: 'specs/d.yaml', text }]).diagnostics.map((d) => d.code)).toEqual(['NS1002', 'NS1001', 'NS1002']);
  });

  test('a tab in the indentation has advice: how deep it indents is the user\'s to say', () => {
    const [d] = check([{ path: 'specs/tab.yaml', text: 'netspec: 1\nmodels:\n\tg: 1\n' }]).diagnostics;
    expect([d!.fix, d!.notes.map((n) => n.message)]).toEqual([undefined, [expect.stringMatching(/spaces/)]]);
  });
});

/** The same spec as bytes in the encodings editors and shells produce. */
describe('encodings: UTF-16 and invalid UTF-8 are told apart from binary data', () => {
  const spec = 'netspec: 1\n# Größe 16×16\nmodels: {}\n';
  const utf16le = (text: string, bom = true) => concat(new Uint8Array(bom ? [0xff, 0xfe] : []), new Uint8Array(new Uint16Array(Array.from(text, (c) => c.charCodeAt(0))).buffer));
  const utf16be = (text: string) => concat(new Uint8Array([0xfe, 0xff]), new Uint8Array(Array.from(text).flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff])));
  const latin1 = (text: string) => new Uint8Array(Array.from(text, (c) => c.charCodeAt(0)));

  const cases: [string, { bytes: Uint8Array; at: string; message: RegExp }][] = [
    ['UTF-16LE with a byte order mark (PowerShell 5 `>`)', { bytes: utf16le(spec), at: '1:1', message: /^the file is UTF-16 \(little-endian\) text, not UTF-8; save it as UTF-8$/ }],
    ['UTF-16LE without a byte order mark', { bytes: utf16le(spec, false), at: '1:1', message: /UTF-16 \(little-endian\)/ }],
    ['UTF-16BE with a byte order mark', { bytes: utf16be(spec), at: '1:1', message: /UTF-16 \(big-endian\)/ }],
    ['Latin-1: at the first invalid byte', { bytes: latin1(spec), at: '2:5', message: /^file is not UTF-8 text: byte 0xF6 is not valid UTF-8 here/ }],
    ['an invalid byte far past the first 4096 characters', { bytes: concat(utf8(`netspec: 1\n${'# pad\n'.repeat(2000)}# caf`), new Uint8Array([0xe9, 0x0a])), at: '2002:6', message: /byte 0xE9/ }],
    ['a truncated sequence at the end of the file', { bytes: concat(utf8('netspec: 1\n# \u20ac'), new Uint8Array([0xe2, 0x82])), at: '2:4', message: /byte 0xE2/ }],
  ];
  test.each(cases)('netspec check: %s', async (_, { bytes, at, message }) => {
    const r = await cli('encoded.yaml', bytes);
    expect(r.exit).toBe(1);
    expect(r.stdout.startsWith(`encoded.yaml:${at}: error NS1004: `)).toBe(true);
    expect(r.stdout.split('\n')[0]!.replace(/^.*?NS1004: /, '')).toMatch(message);
    expect(r.stdout).toMatch(/\n  note: save/);
    expect(r.stdout.match(/ (error|warning) NS\d{4}: /g)).toHaveLength(1);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f]/);
  });

  test('the excerpt of a UTF-16 file shows its text, decoded', async () => {
    const r = await cli('utf16.yaml', utf16le(spec));
    expect(r.stdout).toContain('    1 | netspec: 1\n      | ^\n');
  });

  test('a UTF-8 file with a literal U+FFFD (and a byte order mark) is a spec like any other', async () => {
    const r = await cli('replacement.yaml', concat(new Uint8Array([0xef, 0xbb, 0xbf]), utf8('netspec: 1\n# lost: \uFFFD\nmodels: {}\n')));
    expect(r.stdout).not.toContain('NS1004');
    expect(r.stdout).toMatch(/^replacement\.yaml:3:9: error NS2001: /);
  });

  test('one file that is not UTF-8 does not stop the others from being checked', async () => {
    writeFileSync(join(dir, 'good-enough.yaml'), 'netspec: 1\nmodels: {}\n');
    writeFileSync(join(dir, 'latin1.yaml'), latin1(spec));
    const stdout: string[] = [];
    const env: Environment = { cwd: dir, stdout: (t) => stdout.push(t), stderr: (t) => stdout.push(t), color: false };
    expect(await main(['check', 'good-enough.yaml', 'latin1.yaml'], env)).toBe(1);
    expect(stdout.join('').match(/^\S+: error NS\d{4}/gm)).toEqual(['good-enough.yaml:2:9: error NS2001', 'latin1.yaml:2:5: error NS1004']);
  });

  test('check() from the library: UTF-16 decoded as if it were UTF-8 is recognised by its NULs', () => {
    const text = new TextDecoder('utf-8').decode(utf16le(spec));
    const [d, ...rest] = check([{ path: 'specs/u.yaml', text }]).diagnostics;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: 'NS1004', span: { start: 0, end: 1 } });
    expect(d!.message).toMatch(/UTF-16 \(little-endian\)/);
  });
});
