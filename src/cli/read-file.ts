/**
 * Every file netspec reads goes through here: specs, `weights:` files,
 * netspec.config.json and the modules already in the out folder. Only regular
 * files are read, and never more than a cap: a FIFO would block the run
 * forever, `/dev/zero` (or a link to it) would fill the memory, and a spec
 * that is really a 5 GB log is the wrong file.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { maxSpecLength } from '../parse/parse-spec.js';
import type { ReadFailure, ReadFile } from '../resolve/values.js';
import { explainError } from './io-errors.js';
import { isInside, type Project } from './project.js';

/** A spec's text is limited to `maxSpecLength` UTF-16 units; UTF-8 needs at most 3 bytes for one, and a byte order mark is 3 more. */
export const maxSpecBytes = 3 * maxSpecLength + 3;

/** 64 MiB per weights file: a few million floats, already a large module once embedded (base64, 4/3 of the float32 bytes). */
export const maxWeightsBytes = 64 * 1024 * 1024;

/** netspec.config.json holds three settings; 64 KiB is room for thousands of paths. */
export const maxConfigBytes = 64 * 1024;

/** What reading a file found instead of its bytes: a reason for the library, words and a fix for the user. */
export interface FileProblem extends ReadFailure {
  readonly detail: string;
  readonly fix: string;
  /** For `too-large`: the size found, in bytes. */
  readonly size?: number;
}

/**
 * Opened without blocking (a FIFO opens at once instead of waiting for a
 * writer) and without following a final link: the path is already resolved,
 * so a link there now was put in place after the check.
 */
const openFlags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/** `a FIFO (named pipe)`, `a character device`, ...: what stands where a file was expected. */
export function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** `64 MiB`, `1.5 KiB`, `12 bytes`. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KiB'] : [bytes / (1024 * 1024), 'MiB'];
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}

function notAFile(stats: Stats): FileProblem {
  if (stats.isDirectory()) return { reason: 'not-a-file', detail: 'it is a folder, not a file', fix: 'rename the folder, or pass the files in it' };
  return { reason: 'not-a-file', detail: `it is ${kindOf(stats)}, not a regular file`, fix: 'netspec reads only regular files; replace it with one' };
}

function tooLarge(size: number, limit: number): FileProblem {
  return { reason: 'too-large', detail: `it is ${sizeText(size)}, more than the limit of ${sizeText(limit)}`, fix: 'check that it is the right file', size };
}

export function errorProblem(error: unknown): FileProblem {
  const code = (error as { code?: unknown } | null)?.code;
  const { reason, fix } = explainError(error, 'read');
  return { reason: code === 'ENOENT' ? 'missing' : 'unreadable', detail: reason, fix };
}

/** Reads at most `cap` bytes; `limit` + 1 when the whole file is wanted, so that a file that grew past the limit since `fstat` is still caught. */
function readCapped(fd: number, size: number, cap: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < cap) {
    const chunk = Buffer.allocUnsafe(Math.min(Math.max(size - total, 0) + 1, cap - total, 1 << 20));
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
  }
  return Buffer.concat(chunks, total);
}

export interface ReadOptions {
  /** Only the first `limit` bytes are wanted (a module's header): a larger file is no problem. */
  readonly head?: boolean;
}

/**
 * The bytes of the regular file at `path`, at most `limit` of them; anything
 * else is a problem in fixed words. Never throws. Links are followed (the
 * callers check where they lead); a device is refused before it is opened,
 * since opening some has effects.
 */
export function readRegularFile(path: string, limit: number, options: ReadOptions = {}): Uint8Array | FileProblem {
  if (path.includes('\0')) return { reason: 'unreadable', detail: 'the path holds a NUL character', fix: 'rename the file' };
  let fd: number | undefined;
  try {
    const before = statSync(path);
    if (!before.isFile()) return notAFile(before);
    if (before.size > limit && !options.head) return tooLarge(before.size, limit);
    fd = openSync(path, openFlags);
    const stats = fstatSync(fd);
    if (!stats.isFile()) return notAFile(stats);
    if (options.head) return readCapped(fd, Math.min(stats.size, limit), limit);
    if (stats.size > limit) return tooLarge(stats.size, limit);
    const bytes = readCapped(fd, stats.size, limit + 1);
    return bytes.length > limit ? { ...tooLarge(bytes.length, limit), detail: `it grew past the limit of ${sizeText(limit)} while being read` } : bytes;
  } catch (e) {
    return errorProblem(e);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The real path of `absolute`, with every link resolved, when it lies inside
 * the project's real root; otherwise a problem (`outside`, `missing`, ...).
 */
export function realPathInProject(project: Project, absolute: string): string | FileProblem {
  if (absolute.includes('\0')) return { reason: 'unreadable', detail: 'the path holds a NUL character', fix: 'rename the file' };
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch (e) {
    return errorProblem(e);
  }
  if (!isInside(project.realRoot, real)) {
    return { reason: 'outside', detail: 'a symbolic link leads outside the project', fix: 'netspec reads only files inside the project root; copy the file into the project instead of linking to it' };
  }
  return real;
}

/** Reads a file of the project: resolved, checked to lie inside the project root, then read as `readRegularFile` does. */
export function readProjectFile(project: Project, absolute: string, limit: number): Uint8Array | FileProblem {
  const real = realPathInProject(project, absolute);
  return typeof real === 'string' ? readRegularFile(real, limit) : real;
}

/**
 * How the library reads the files specs refer to (`weights:`): project-relative
 * paths, read only inside the project, only regular files, at most 64 MiB.
 * The CLI and the language server both read through this.
 */
export function projectReader(project: Project): ReadFile {
  return (path) => {
    const absolute = join(project.root, ...path.split('/'));
    // The library refuses `..` and absolute paths itself; this holds even for a reader called some other way.
    if (!isInside(project.root, absolute)) return { reason: 'outside', detail: 'it lies above the project root' };
    const read = readProjectFile(project, absolute, maxWeightsBytes);
    return read instanceof Uint8Array ? read : { reason: read.reason, detail: read.detail };
  };
}
