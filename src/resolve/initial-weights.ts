import { diagnostic } from '../diagnostics/diagnostic.js';
import type { InitialWeight, Span } from '../ir.js';
import { spanAt, type PathSegment } from '../parse/parse-spec.js';
import { arrayFromJson, decodeNpy, type Decoded, type DecodedArray } from './array-file.js';
import type { ResolveContext } from './values.js';

/** `specs/a.yaml` + `w/k.npy` -> `specs/w/k.npy`; `..` and `.` are folded. */
export function besideSpec(specPath: string, file: string): string {
  if (file.startsWith('/')) return file;
  const parts = specPath.split('/').slice(0, -1);
  for (const part of file.split('/')) {
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
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
  const path = besideSpec(ctx.spec.source.path, file);
  const bytes = ctx.readFile(path);
  if (!bytes) {
    ctx.diagnostics.push(diagnostic('NS3014', span, `cannot read weights file '${path}'`, { fix: 'weights files are found relative to the spec file' }));
    return undefined;
  }
  return { kind, bytes };
}

function parseJson(ctx: ResolveContext, bytes: Uint8Array, file: string, span: Span): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch (e) {
    ctx.diagnostics.push(diagnostic('NS3014', span, `weights file '${file}' is not valid JSON: ${(e as Error).message}`));
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
