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

/**
 * A document that is no file (an unsaved `untitled:Untitled-1` buffer) is
 * checked as `untitled.yaml`, whose stem is a valid module name; it reads no
 * files, nor does a document outside every project.
 */
export function placeOf(uri: string): DocumentPlace {
  const absolute = filePath(uri);
  if (absolute === undefined) return { file: 'untitled.yaml', included: false };
  // A new finder each time: a netspec.config.json created while the editor is open counts at once.
  const root = markedRootFinder()(dirname(absolute));
  if (root === undefined) return { file: basename(absolute), included: false };
  const project = projectAt(root);
  const file = projectPath(project, absolute);
  // A config with an error is reported by `netspec check`; here its default include still tells specs apart.
  const include = readConfig(project).value?.include ?? defaultConfig.include;
  return { file, readFile: projectReader(project), included: underInclude(file, include) };
}

/** The path of a `file:` URI; undefined for any other scheme, or one Node cannot map to a path here (`file://host/...` off Windows). */
function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
