/** File system errors as NS9001, in fixed words: Node's own messages carry absolute paths and vary between versions. */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { escapeControls } from '../diagnostics/format-text.js';

export type Access = 'read' | 'write' | 'delete';

/** An error's reason and fix in fixed words; `ioDiagnostic` and the file reader share them. */
export interface Explanation {
  readonly reason: string;
  readonly fix: string;
}

const permission = (access: Access): Explanation => ({
  reason: 'permission denied',
  fix: access === 'read' ? 'make it readable for your user, or run netspec as a user who can read it' : 'make the folder writable for your user, or choose another one with --out',
});

const explanations: Readonly<Record<string, (access: Access) => Explanation>> = {
  ENOENT: () => ({ reason: 'no such file or folder', fix: 'check the spelling; relative paths start from the folder netspec runs in' }),
  EACCES: permission,
  EPERM: permission,
  EISDIR: () => ({ reason: 'it is a folder, not a file', fix: 'rename the folder, or pass the files in it' }),
  ENOTDIR: () => ({ reason: 'a file stands where the path needs a folder', fix: 'check the path, or move the file that is in the way' }),
  ELOOP: () => ({ reason: 'too many symbolic links (a link may point to itself)', fix: 'fix or remove the symbolic link' }),
  EMFILE: () => ({ reason: 'too many open files', fix: 'raise the open-file limit (`ulimit -n`) or pass fewer files at once' }),
  ENFILE: () => ({ reason: 'too many open files on the system', fix: 'close other programs or raise the system open-file limit, then retry' }),
  ENAMETOOLONG: () => ({ reason: 'the path is too long', fix: 'use a shorter path' }),
  EROFS: () => ({ reason: 'the file system is read-only', fix: 'choose a writable folder with --out' }),
  ENOSPC: () => ({ reason: 'no space left on the device', fix: 'free some disk space, then retry' }),
};

/** The errno code of a thrown file system error, if it has a well-formed one. */
function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** Why an error thrown by the file system happened and what to do, never in Node's words. */
export function explainError(error: unknown, access: Access): Explanation {
  const code = errnoCode(error);
  const known = code === undefined ? undefined : explanations[code]?.(access);
  const reason = known?.reason ?? (code ? `the system reported ${code}` : 'an unexpected error');
  const fix = known?.fix ?? `check that the path exists and is ${access === 'read' ? 'readable' : 'writable'}`;
  return { reason, fix };
}

/** NS9001 with a reason in fixed words; `path` is a display path (project-relative, `/`-separated), escaped here. */
export function cannot(access: Access, path: string, reason: string, fix: string): Diagnostic {
  return diagnostic('NS9001', undefined, `cannot ${access} '${escapeControls(path)}': ${reason}`, { fix });
}

/** NS9001 for an error thrown while reading, writing or deleting `path`, a display path (relative, `/`-separated). */
export function ioDiagnostic(error: unknown, path: string, access: Access = 'read'): Diagnostic {
  const { reason, fix } = explainError(error, access);
  return cannot(access, path, reason, fix);
}
