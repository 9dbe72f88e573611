import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ioDiagnostic } from '../../src/cli/io-errors.js';
import { headerPathInProject, under } from '../../src/cli/modules.js';
import { isInside, projectAt, rootFinder } from '../../src/cli/project.js';
import { readProjectFile, readRegularFile, sizeText } from '../../src/cli/read-file.js';
import { removeIfPresent, temporaryName, writeAtomically } from '../../src/cli/write-file.js';
import { escapeControls } from '../../src/diagnostics/format-text.js';

/** The small pieces under the CLI's file handling (docs/cli.md), each on its own. */

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netspec-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('escapeControls: the one helper for printed paths', () => {
  const cases: [string, { given: string; want: string; keepLineBreaks?: boolean }][] = [
    ['a plain path', { given: 'specs/dcgan.yaml', want: 'specs/dcgan.yaml' }],
    ['ESC', { given: 'a\u001b[2Jb', want: 'a\\x1b[2Jb' }],
    ['NUL, tab, newline, carriage return', { given: '\u0000\t\n\r', want: '\\x00\\x09\\x0a\\x0d' }],
    ['DEL and C1 (CSI)', { given: '\u007f\u009b', want: '\\x7f\\x9b' }],
    ['bidi overrides and isolates', { given: '\u202e\u2066\u2069\u200f\u061c', want: '\\u202e\\u2066\\u2069\\u200f\\u061c' }],
    ['line and paragraph separators', { given: '\u2028\u2029', want: '\\u2028\\u2029' }],
    ['other Unicode stays', { given: 'Größe/名前.yaml', want: 'Größe/名前.yaml' }],
    ['line breaks kept for GitHub, which escapes them itself', { given: 'a\nb\u001b', want: 'a\nb\\x1b', keepLineBreaks: true }],
  ];
  test.each(cases)('%s', (_, { given, want, keepLineBreaks }) => {
    expect(escapeControls(given, keepLineBreaks)).toBe(want);
  });
});

describe('headerPathInProject: only a project-relative header path can make a module an orphan', () => {
  const cases: [string, { given: string; want: string | undefined }][] = [
    ['a spec path', { given: 'specs/a.yaml', want: 'specs/a.yaml' }],
    ['folded', { given: 'specs/./x/../a.yaml', want: 'specs/a.yaml' }],
    ['climbing out', { given: '../specs/a.yaml', want: undefined }],
    ['climbing out after a folder', { given: 'specs/../../a.yaml', want: undefined }],
    ['absolute', { given: '/etc/a.yaml', want: undefined }],
    ['a Windows drive', { given: 'C:/a.yaml', want: undefined }],
    ['backslashes', { given: 'specs\\a.yaml', want: undefined }],
    ['empty', { given: '', want: undefined }],
    ['the root itself', { given: '.', want: undefined }],
  ];
  test.each(cases)('%s', (_, { given, want }) => {
    expect(headerPathInProject(given)).toBe(want);
  });

  test('under: the include roots, by whole path segments', () => {
    expect(under('specs/a.yaml', ['specs'])).toBe(true);
    expect(under('specs-old/a.yaml', ['specs'])).toBe(false);
    expect(under('test/a.yaml', ['specs', 'test'])).toBe(true);
    expect(under('a.yaml', ['.'])).toBe(true);
  });
});

describe('the project root', () => {
  test('the nearest netspec.config.json wins over a nearer package.json; else package.json; else the working directory', () => {
    mkdirSync(join(dir, 'p', 'pkg', 'specs'), { recursive: true });
    writeFileSync(join(dir, 'p', 'netspec.config.json'), '{}');
    writeFileSync(join(dir, 'p', 'pkg', 'package.json'), '{}');
    mkdirSync(join(dir, 'q', 'specs'), { recursive: true });
    writeFileSync(join(dir, 'q', 'package.json'), '{}');
    mkdirSync(join(dir, 'r', 'specs'), { recursive: true });
    const rootOf = rootFinder('/somewhere');
    expect(rootOf(join(dir, 'p', 'pkg', 'specs'))).toBe(join(dir, 'p'));
    expect(rootOf(join(dir, 'q', 'specs'))).toBe(join(dir, 'q'));
    expect(rootOf(join(dir, 'r', 'specs'))).toBe('/somewhere');
  });

  test('isInside compares whole segments', () => {
    expect(isInside('/a/b', '/a/b')).toBe(true);
    expect(isInside('/a/b', '/a/b/c')).toBe(true);
    expect(isInside('/a/b', '/a/bc')).toBe(false);
    expect(isInside('/a/b', '/a')).toBe(false);
    expect(isInside('/a/b', '/a/b/../c')).toBe(false);
  });
});

describe('readRegularFile: only regular files, never more than the cap', () => {
  const cases: [string, () => unknown, number, string | Record<string, string>][] = [
    ['a regular file', () => writeFileSync(join(dir, 'f'), 'hello'), 10, 'hello'],
    ['a missing file', () => undefined, 10, { reason: 'missing', detail: 'no such file or folder' }],
    ['a folder', () => mkdirSync(join(dir, 'f')), 10, { reason: 'not-a-file', detail: 'it is a folder, not a file' }],
    ['a FIFO, without blocking', () => execFileSync('mkfifo', [join(dir, 'f')]), 10, { reason: 'not-a-file', detail: 'it is a FIFO (named pipe), not a regular file' }],
    ['a link to /dev/zero', () => symlinkSync('/dev/zero', join(dir, 'f')), 10, { reason: 'not-a-file', detail: 'it is a character device, not a regular file' }],
    ['over the cap', () => writeFileSync(join(dir, 'f'), 'x'.repeat(11)), 10, { reason: 'too-large', detail: 'it is 11 bytes, more than the limit of 10 bytes' }],
    ['exactly the cap', () => writeFileSync(join(dir, 'f'), 'x'.repeat(10)), 10, 'x'.repeat(10)],
  ];
  test.each(cases)('%s', (_, setup, limit, want) => {
    setup();
    const got = readRegularFile(join(dir, 'f'), limit);
    if (typeof want === 'string') expect(Buffer.from(got as Uint8Array).toString()).toBe(want);
    else expect(got).toMatchObject(want);
  });

  test('head: the first bytes of a larger file', () => {
    writeFileSync(join(dir, 'f'), 'first line\nand much more');
    expect(Buffer.from(readRegularFile(join(dir, 'f'), 5, { head: true }) as Uint8Array).toString()).toBe('first');
  });

  test('a NUL in the path is a problem, not a throw', () => {
    expect(readRegularFile(join(dir, 'a\u0000b'), 10)).toMatchObject({ reason: 'unreadable' });
  });

  test('readProjectFile refuses a link that leads out of the project', () => {
    mkdirSync(join(dir, 'p'));
    writeFileSync(join(dir, 'secret'), 'x');
    symlinkSync(join(dir, 'secret'), join(dir, 'p', 'link'));
    expect(readProjectFile(projectAt(join(dir, 'p')), join(dir, 'p', 'link'), 10)).toMatchObject({ reason: 'outside' });
  });

  test('sizes in words', () => {
    expect([12, 1024, 1536, 64 * 1024 * 1024, 5 * 2 ** 30].map(sizeText)).toEqual(['12 bytes', '1 KiB', '1.5 KiB', '64 MiB', '5120 MiB']);
  });
});

describe('writeAtomically and removeIfPresent', () => {
  test('a temporary name is hidden, beside the target, unique per process, and not a .ts file', () => {
    expect(temporaryName('/out/t.ts', 42, 'abc')).toBe('/out/.t.ts.42.abc.tmp');
    expect(temporaryName('/out/t.ts')).not.toBe(temporaryName('/out/t.ts'));
  });

  test('writes the text and leaves nothing else', () => {
    writeAtomically(join(dir, 't.ts'), 'export {};\n');
    expect(readFileSync(join(dir, 't.ts'), 'utf8')).toBe('export {};\n');
    expect(readdirSync(dir)).toEqual(['t.ts']);
  });

  test('a failed rename throws and removes its temporary file', () => {
    mkdirSync(join(dir, 't.ts'));
    writeFileSync(join(dir, 't.ts', 'inside'), '');
    expect(() => writeAtomically(join(dir, 't.ts'), 'x')).toThrow();
    expect(readdirSync(dir)).toEqual(['t.ts']);
  });

  test('removing a file that is already gone is no error; a delete is reported as a delete', () => {
    expect(() => removeIfPresent(join(dir, 'gone.ts'))).not.toThrow();
    expect(ioDiagnostic(Object.assign(new Error(), { code: 'EACCES' }), 'generated/orphan0.ts', 'delete').message).toBe("cannot delete 'generated/orphan0.ts': permission denied");
  });
});
