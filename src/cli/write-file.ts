/**
 * Writing and removing generated modules so that a build killed at any moment
 * leaves each module either old or new, never empty or half written, and two
 * builds running at once do not trip over each other.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * A temporary name beside `target`: hidden (the folder walk and the module
 * scan skip dot files), unique per process and call, and never a `.ts` file.
 */
export function temporaryName(target: string, pid = process.pid, random = randomBytes(6).toString('hex')): string {
  return join(dirname(target), `.${basename(target)}.${pid}.${random}.tmp`);
}

/**
 * Writes `text` to `target` through a temporary file in the same folder,
 * created exclusively, flushed, then renamed over the target: rename replaces
 * a name atomically and never writes through a link standing at it. `mode`
 * keeps the permissions of the file replaced. Throws the file system's error
 * (the caller words it); the temporary file is removed on failure.
 */
export function writeAtomically(target: string, text: string | Uint8Array, mode?: number): void {
  const temporary = temporaryName(target);
  const fd = openSync(temporary, 'wx', 0o666);
  let renamed = false;
  try {
    try {
      if (mode !== undefined) fchmodSync(fd, mode);
      const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, target);
    renamed = true;
  } finally {
    if (!renamed) discard(temporary);
  }
}

/** Best effort: the error that made the write fail is the one worth reporting. */
function discard(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Left behind as a hidden `.tmp` file, which no netspec run ever reads.
  }
}

/**
 * Removes a file; one that is already gone is no error (another build running
 * at the same time removed the same orphan). Other errors are thrown.
 */
export function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ENOENT') throw e;
  }
}
