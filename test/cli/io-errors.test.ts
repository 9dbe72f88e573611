import { describe, expect, test } from 'vitest';
import { ioDiagnostic } from '../../src/cli/io-errors.js';

/** What Node throws: its message names the absolute path, which must never reach the user. */
function nodeError(code: string | undefined): Error {
  return Object.assign(new Error(`${code ?? 'Oops'}: something, open '/home/someone/project/specs/a.yaml'`), code ? { code } : {});
}

describe('ioDiagnostic: errno codes in fixed words, with the display path', () => {
  const cases: [string, { code: string | undefined; access?: 'read' | 'write'; want: string }][] = [
    ['ENOENT', { code: 'ENOENT', want: "cannot read 'specs/a.yaml': no such file or folder" }],
    ['EACCES', { code: 'EACCES', want: "cannot read 'specs/a.yaml': permission denied" }],
    ['EPERM', { code: 'EPERM', want: "cannot read 'specs/a.yaml': permission denied" }],
    ['EISDIR', { code: 'EISDIR', want: "cannot read 'specs/a.yaml': it is a folder, not a file" }],
    ['ENOTDIR', { code: 'ENOTDIR', want: "cannot read 'specs/a.yaml': a file stands where the path needs a folder" }],
    ['ELOOP', { code: 'ELOOP', want: "cannot read 'specs/a.yaml': too many symbolic links (a link may point to itself)" }],
    ['EMFILE', { code: 'EMFILE', want: "cannot read 'specs/a.yaml': too many open files" }],
    ['another code', { code: 'EIO', want: "cannot read 'specs/a.yaml': the system reported EIO" }],
    ['no code', { code: undefined, want: "cannot read 'specs/a.yaml': an unexpected error" }],
    ['a code that is not an errno name', { code: 'some text /abs/path', want: "cannot read 'specs/a.yaml': an unexpected error" }],
    ['writing', { code: 'EACCES', access: 'write', want: "cannot write 'specs/a.yaml': permission denied" }],
  ];
  test.each(cases)('%s', (_name, { code, access, want }) => {
    const d = ioDiagnostic(nodeError(code), 'specs/a.yaml', access);
    expect(d).toMatchObject({ code: 'NS9001', severity: 'error', message: want });
    expect(d.span).toBeUndefined();
    expect(d.fix).toBeDefined();
    expect(JSON.stringify(d)).not.toContain('/home/someone');
  });

  test('a thrown non-error is handled too', () => {
    expect(ioDiagnostic('boom', 'x').message).toBe("cannot read 'x': an unexpected error");
    expect(ioDiagnostic(null, 'x').message).toBe("cannot read 'x': an unexpected error");
  });
});
