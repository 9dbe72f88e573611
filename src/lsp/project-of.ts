/**
 * Where an open document lives: its project (the nearest folder above it with
 * netspec.config.json, else package.json, as the CLI finds it) and how its
 * `weights:` files are read there. I/O: only the server shell calls this.
 */
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markedRootFinder, projectAt, projectPath } from '../cli/project.js';
import { projectReader } from '../cli/read-file.js';
import type { ReadFile } from '../resolve/values.js';

export interface DocumentPlace {
  /** The path diagnostics name: relative to the project root, or the bare file name outside any project. */
  readonly file: string;
  /** Reads `weights:` files inside the project only; absent outside any project, where nothing is read. */
  readonly readFile?: ReadFile;
}

/** An unsaved buffer (`untitled:Untitled-1`) or a document outside every project reads no files. */
export function placeOf(uri: string): DocumentPlace {
  if (!uri.startsWith('file:')) return { file: decodeURIComponent(uri.replace(/^[^:]*:/, '').split('/').pop() ?? '') || 'untitled.yaml' };
  const absolute = fileURLToPath(uri);
  // A new finder each time: a netspec.config.json created while the editor is open counts at once.
  const root = markedRootFinder()(dirname(absolute));
  if (root === undefined) return { file: basename(absolute) };
  const project = projectAt(root);
  return { file: projectPath(project, absolute), readFile: projectReader(project) };
}
