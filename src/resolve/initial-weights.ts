import { diagnostic } from '../diagnostics/diagnostic.js';
import type { InitialWeight, Span } from '../ir.js';
import { spanAt, type PathSegment } from '../parse/parse-spec.js';
import { arrayFromJson, decodeNpy, jsonSyntaxError, type Decoded, type DecodedArray } from './array-file.js';
import type { ReadFailure, ResolveContext } from './values.js';

/**
 * `specs/a.yaml` + `w/k.npy` -> `specs/w/k.npy`; `..` and `.` are folded. A
 * path that climbs above the project root keeps its leading `..`, so
 * `outsideProject` tells it; absolute paths are refused before this.
 */
export function besideSpec(specPath: string, file: string): string {
  const parts = specPath.split('/').slice(0, -1);
  for (const part of file.split('/')) {
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}

/** `/x`, `\\server\x`, `C:\x`, `C:/x`: paths that name a place without the spec, on any system. */
export function isAbsolutePath(file: string): boolean {
  return /^[\\/]/.test(file) || /^[A-Za-z]:/.test(file);
}

/** Whether a project-relative path (from `besideSpec`) climbs out of the project. */
export function outsideProject(path: string): boolean {
  return path === '..' || path.startsWith('../');
}

const inProject = 'weights files must lie inside the project (the folder that holds netspec.config.json or package.json); move the file there and name it relative to the spec, e.g. weights/kernel.npy';

/** What to check, by why the reader refused: advice (a note), since only the user knows where the file is. */
const advice: Readonly<Record<ReadFailure['reason'], string>> = {
  missing: 'weights files are found relative to the spec file',
  outside: inProject,
  'not-a-file': 'name a .npy or .json file; netspec reads weights only from regular files',
  'too-large': 'check that it is the right file; weights this large are better loaded at run time with model.setWeights',
  unreadable: 'check that the file exists and is readable',
};

/** The reader's refusal as a message at the `weights` value, with the path it resolved to when that differs from what the spec says. */
function refused(file: string, path: string, failure: ReadFailure | undefined): { message: string; advice: string } {
  const reason = failure?.reason ?? 'missing';
  const detail = failure?.detail ? `: ${failure.detail}` : '';
  const message = reason === 'missing' ? `cannot read weights file '${path}'${detail}` : `cannot use weights file '${file}'${path === file ? '' : ` ('${path}')`}${detail}`;
  return { message, advice: advice[reason] };
}

interface Loaded {
  readonly kind: 'npy' | 'json';
  readonly bytes: Uint8Array;
}

function load(ctx: ResolveContext, file: string, span: Span): Loaded | undefined {
  const kind = file.endsWith('.npy') ? 'npy' : file.endsWith('.json') ? 'json' : undefined;
  if (!kind) {
    ctx.diagnostics.push(diagnostic('NS3014', span, `weights file '${file}' must be a .npy or a .json file`));
    return undefined;
  }
  // Refused before any read: whatever the reader does, the library never asks for a file outside the project.
  if (isAbsolutePath(file)) {
    ctx.diagnostics.push(diagnostic('NS3014', span, `weights file '${file}' is an absolute path; netspec reads only files inside the project`, { notes: [{ message: inProject }] }));
    return undefined;
  }
  const path = besideSpec(ctx.spec.source.path, file);
  if (outsideProject(path)) {
    ctx.diagnostics.push(diagnostic('NS3014', span, `weights file '${file}' is outside the project: from ${ctx.spec.source.path} it climbs above the project root`, { notes: [{ message: inProject }] }));
    return undefined;
  }
  const bytes = ctx.readFile(path);
  if (!(bytes instanceof Uint8Array)) {
    const { message, advice } = refused(file, path, bytes);
    ctx.diagnostics.push(diagnostic('NS3014', span, message, { notes: [{ message: advice }] }));
    return undefined;
  }
  return { kind, bytes };
}

function parseJson(ctx: ResolveContext, bytes: Uint8Array, file: string, span: Span): unknown {
  const text = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // V8's message quotes the text; the file may be anything (a key, a password file), so say only where it fails.
    ctx.diagnostics.push(diagnostic('NS3014', span, `weights file '${file}' is not valid JSON: ${jsonSyntaxError(text)}`, { notes: [{ message: 'write the weights as JSON: nested lists of numbers, or { "shape": [...], "data": [...] }, by name or in layer order' }] }));
    return undefined;
  }
}

function decoded(ctx: ResolveContext, result: Decoded<DecodedArray>, file: string, span: Span, what: string): DecodedArray | undefined {
  if ('value' in result) return result.value;
  ctx.diagnostics.push(diagnostic('NS3014', span, `weights file '${file}'${what}: ${result.error}`));
  return undefined;
}

/** One array from one file: a `.npy`, or a `.json` holding a single array. */
function singleArray(ctx: ResolveContext, file: string, span: Span): DecodedArray | undefined {
  const loaded = load(ctx, file, span);
  if (!loaded) return undefined;
  if (loaded.kind === 'npy') return decoded(ctx, decodeNpy(loaded.bytes), file, span, '');
  const json = parseJson(ctx, loaded.bytes, file, span);
  return json === undefined ? undefined : decoded(ctx, arrayFromJson(json), file, span, '');
}

/**
 * Reads the files of a layer's `weights:` option. A `.npy` path is the first
 * weight; a `.json` path holds every weight by name or in layer order; a
 * mapping names one file per weight. Shapes are checked later, by infer.
 */
export function readInitialWeights(ctx: ResolveContext, raw: unknown, path: readonly PathSegment[]): InitialWeight[] | undefined {
  const span = spanAt(ctx.spec, path);
  const weights: InitialWeight[] = [];
  const push = (array: DecodedArray | undefined, file: string, at: Span, index: number, name?: string) => {
    if (array) weights.push({ ...(name !== undefined ? { name } : {}), index, shape: array.shape, values: array.values, file, span: at });
    return array !== undefined;
  };
  if (typeof raw === 'object' && raw !== null) {
    let ok = true;
    Object.entries(raw as Record<string, string>).forEach(([name, file], index) => {
      const at = spanAt(ctx.spec, [...path, name]);
      ok = push(singleArray(ctx, file, at), file, at, index, name) && ok;
    });
    return ok ? weights : undefined;
  }
  const file = raw as string;
  if (file.endsWith('.npy')) return push(singleArray(ctx, file, span), file, span, 0) ? weights : undefined;
  const loaded = load(ctx, file, span);
  if (!loaded) return undefined;
  const json = parseJson(ctx, loaded.bytes, file, span);
  if (json === undefined) return undefined;
  const entries: [string | undefined, unknown][] = Array.isArray(json)
    ? json.map((item) => [undefined, item])
    : json !== null && typeof json === 'object'
      ? Object.entries(json)
      : [];
  if (entries.length === 0) {
    ctx.diagnostics.push(diagnostic('NS3014', span, `weights file '${file}' must hold an object of weights by name, or a list of weights in layer order`));
    return undefined;
  }
  let ok = true;
  entries.forEach(([name, item], index) => {
    ok = push(decoded(ctx, arrayFromJson(item), file, span, name !== undefined ? ` (weight '${name}')` : ` (weight #${index + 1})`), file, span, index, name) && ok;
  });
  return ok ? weights : undefined;
}
