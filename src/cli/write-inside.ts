/**
 * Writing one file of a command (import's spec and weights, export's ONNX
 * file, check --fix's specs) only inside the project root: the target is
 * checked before any work, and its folder again once it exists, since a link
 * made on the way must not lead the write out of the project.
 */
import { mkdirSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { ioDiagnostic } from './io-errors.js';
import { outsideDiagnostic } from './load.js';
import { isInside, realPathOf, type Project } from './project.js';
import { writeAtomically } from './write-file.js';

/** NS9004 when `absolute` (shown as `shown`) lies outside the project, as written or once its links are resolved. */
export function outsideTarget(project: Project, absolute: string, what: string, shown: string, fix: string): Diagnostic | undefined {
  if (isInside(project.root, absolute) && isInside(project.realRoot, realPathOf(absolute))) return undefined;
  return outsideDiagnostic(what, shown, undefined, '', fix);
}

/**
 * Makes the folder, checks that it really lies inside the project, and writes
 * `bytes` atomically (write-file.ts). Returns the diagnostic of what failed:
 * NS9004 for a link out of the project, NS9001 for the file system's error.
 */
export function writeInsideProject(project: Project, absolute: string, bytes: string | Uint8Array, shown: string, mode?: number): Diagnostic | undefined {
  try {
    mkdirSync(dirname(absolute), { recursive: true });
    if (!isInside(project.realRoot, realpathSync(dirname(absolute)))) return outsideDiagnostic('the file', shown, undefined, ': a symbolic link leads there', 'write into a folder inside the project');
    writeAtomically(absolute, bytes, mode);
  } catch (e) {
    return ioDiagnostic(e, shown, 'write');
  }
  return undefined;
}
