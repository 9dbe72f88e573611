/**
 * Reads a saved tfjs Layers model from the project: its model.json and the
 * weight files its `weightsManifest` names (relative to model.json). Shared
 * by the commands that read a saved model (`netspec import`). Reads only
 * inside the project root, only regular files, within the size limits.
 */
import { dirname, join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { maxModelJsonLength } from '../import/json-document.js';
import type { SourceFile } from '../ir.js';
import { isAbsolutePath } from '../resolve/initial-weights.js';
import { cannot } from './io-errors.js';
import { outsideDiagnostic } from './load.js';
import { isInside, projectPath, type Project } from './project.js';
import { maxWeightsBytes, readProjectFile, type FileProblem } from './read-file.js';

export interface SavedModel {
  /** model.json, by its project-relative path. */
  readonly source: SourceFile;
  /** The weight files found, by the path the manifest names them with. Missing ones are left out: the importer says which. */
  readonly weightData: ReadonlyMap<string, Uint8Array>;
}

function problem(shown: string, read: FileProblem, what: string): Diagnostic {
  if (read.reason === 'outside') return outsideDiagnostic(what, shown, undefined, `: ${read.detail}`, read.fix);
  return cannot('read', shown, read.detail, read.fix);
}

/** The manifest's weight paths, as written; anything not a list of groups yields none (the importer reports the form). */
function manifestPaths(text: string): string[] {
  try {
    const json = JSON.parse(text) as { weightsManifest?: { paths?: unknown }[] };
    return Array.isArray(json.weightsManifest) ? json.weightsManifest.flatMap((g) => (Array.isArray(g?.paths) ? g.paths.filter((p): p is string => typeof p === 'string') : [])) : [];
  } catch {
    return [];
  }
}

/**
 * model.json at `absolute` and its weight files. Weight paths that are
 * absolute, climb above the project root or lead out through a link are
 * NS9004 and nothing is read for them.
 */
export function readSavedModel(project: Project, absolute: string): { value?: SavedModel; diagnostics: Diagnostic[] } {
  const shown = projectPath(project, absolute);
  if (!isInside(project.root, absolute)) return { diagnostics: [outsideDiagnostic('the model', shown, undefined, '', 'run netspec in the project that holds the model.json, or copy it into this one')] };
  const bytes = readProjectFile(project, absolute, 3 * maxModelJsonLength);
  if (!(bytes instanceof Uint8Array)) return { diagnostics: [problem(shown, bytes, 'the model')] };
  const text = new TextDecoder('utf-8').decode(bytes);
  const weightData = new Map<string, Uint8Array>();
  const diagnostics: Diagnostic[] = [];
  for (const path of manifestPaths(text)) {
    const file = join(dirname(absolute), ...path.split('/'));
    const fileShown = projectPath(project, file);
    if (isAbsolutePath(path) || !isInside(project.root, file)) {
      diagnostics.push(outsideDiagnostic('the weights file', path, undefined, '', 'keep the weight files beside model.json, as model.save writes them'));
      continue;
    }
    const read = readProjectFile(project, file, maxWeightsBytes);
    if (read instanceof Uint8Array) weightData.set(path, read);
    else if (read.reason !== 'missing') diagnostics.push(problem(fileShown, read, 'the weights file'));
  }
  return { value: { source: { path: shown, text }, weightData }, diagnostics };
}
