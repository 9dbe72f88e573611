/**
 * Where an open document lives: its project (the nearest folder above it with
 * netspec.config.json, else package.json, as the CLI finds it) and how its
 * `weights:` files are read there. I/O: only the server shell calls this.
 */
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../cli/config.js';
import { readConfig } from '../cli/load.js';
import { markedRootFinder, projectAt, projectPath } from '../cli/project.js';
import { projectReader } from '../cli/read-file.js';
import type { ReadFile } from '../resolve/values.js';
import { underInclude } from './is-spec.js';

export interface DocumentPlace {
  /** The path diagnostics name: relative to the project root, or the bare file name outside any project. */
  readonly file: string;
  /** Reads `weights:` files inside the project only; absent outside any project, where nothing is read. */
  readonly readFile?: ReadFile;
  /** Whether the file lies under the config's `include` (default `specs`): then it is a spec whatever its text says. */
  readonly included: boolean;
}

/** An unsaved buffer (`untitled:Untitled-1`) or a document outside every project reads no files. */
export function placeOf(uri: string): DocumentPlace {
  if (!uri.startsWith('file:')) return { file: decodeURIComponent(uri.replace(/^[^:]*:/, '').split('/').pop() ?? '') || 'untitled.yaml', included: false };
  const absolute = fileURLToPath(uri);
  // A new finder each time: a netspec.config.json created while the editor is open counts at once.
  const root = markedRootFinder()(dirname(absolute));
  if (root === undefined) return { file: basename(absolute), included: false };
  const project = projectAt(root);
  const file = projectPath(project, absolute);
  // A config with an error is reported by `netspec check`; here its default include still tells specs apart.
  const include = readConfig(project).value?.include ?? defaultConfig.include;
  return { file, readFile: projectReader(project), included: underInclude(file, include) };
}
