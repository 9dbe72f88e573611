/** netspec.config.json: project settings, as in tsconfig. Pure: the CLI reads the file. */
import { parseDocument, type Document } from 'yaml';
import { show, shorten } from '../diagnostics/describe.js';
import { diagnostic, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { closest } from '../diagnostics/suggest.js';
import type { Span } from '../ir.js';
import { nodeAt, type PathSegment } from '../parse/parse-spec.js';

/** What `build` and `check` compile when given no paths, and where `build` writes. */
export interface Config {
  /** Files and folders holding specs. Default `["specs"]`. */
  readonly include: readonly string[];
  /** Files and folders under `include` to skip. Default `[]`. */
  readonly exclude: readonly string[];
  /** Where `build` writes the generated modules. Default `"generated"`. */
  readonly outDir: string;
}

export const configFile = 'netspec.config.json';

export const defaultConfig: Config = { include: ['specs'], exclude: [], outDir: 'generated' };

const example = '{ "include": ["specs"], "exclude": [], "outDir": "generated" }';

/** Where in the file a JSON path is; JSON is YAML, so the YAML parser gives the ranges JSON.parse does not. */
type Locate = (path: readonly PathSegment[], part?: 'key' | 'value') => Span;

/**
 * Where the config sets the value at `path` (e.g. `['outDir']`), for a
 * diagnostic about what the value names; undefined when it is not set there.
 */
export function settingSpan(text: string, path: readonly PathSegment[]): Span | undefined {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: false }) as Document.Parsed;
  const range = nodeAt(document, path)?.node.range;
  return range ? { file: configFile, start: range[0], end: Math.max(range[1], range[0] + 1) } : undefined;
}

function locator(text: string): Locate {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: false }) as Document.Parsed;
  return (path, part = 'value') => {
    const found = nodeAt(document, path);
    const node = part === 'key' ? (found?.keyNode ?? found?.node) : found?.node;
    const [start, end] = node?.range ?? [0, 1];
    return { file: configFile, start, end: Math.max(end, start + 1) };
  };
}

/**
 * Where JSON.parse stopped, from its message: V8 says `at position N` for most
 * errors and nothing but "Unexpected end" when the text stops early. The
 * wording changes between Node versions, so it is never shown.
 */
export function jsonErrorOffset(message: string, text: string): number | undefined {
  const at = /\bat position (\d+)/.exec(message);
  if (at) return Math.min(Number(at[1]), text.length);
  if (/unexpected end/i.test(message)) return text.trimEnd().length;
  return undefined;
}

function syntaxError(text: string, error: unknown): Diagnostic {
  if (text.trim() === '') return diagnostic('NS9003', undefined, `${configFile} is empty`, { fix: `write the settings, e.g. ${example}, or delete the file to use the defaults` });
  const offset = jsonErrorOffset(error instanceof Error ? error.message : '', text);
  const fix = 'write strict JSON: keys and strings in double quotes, no trailing commas, no comments';
  if (offset === undefined) return diagnostic('NS9003', undefined, `${configFile} is not valid JSON`, { fix });
  const span = { file: configFile, start: offset, end: offset + 1 };
  if (offset >= text.trimEnd().length) return diagnostic('NS9003', span, `${configFile} is not valid JSON: it ends before its value is complete`, { fix: 'close every `{` and `[`, and finish the last value' });
  return diagnostic('NS9003', span, `${configFile} is not valid JSON: unexpected \`${shorten(text[offset]!)}\``, { fix });
}

/** Problems with `include` or `exclude`: a list of path strings; `include` must name at least one. */
function pathList(key: 'include' | 'exclude', value: unknown, locate: Locate): Diagnostic[] {
  if (typeof value === 'string') {
    return [diagnostic('NS9003', locate([key]), `'${key}' must be a list of paths; received ${show(value)}`, { fix: `write it as a list: "${key}": ${JSON.stringify([value])}` })];
  }
  if (!Array.isArray(value)) {
    return [diagnostic('NS9003', locate([key]), `'${key}' must be a list of paths; received ${show(value)}`, { fix: `write a list of files and folders, e.g. "${key}": ["specs"]` })];
  }
  const bad = value.findIndex((p) => typeof p !== 'string');
  if (bad >= 0) {
    return [diagnostic('NS9003', locate([key, bad]), `each entry of '${key}' must be a path in quotes; entry ${bad + 1} is ${show(value[bad])}`, { fix: `write the path as a string, e.g. "${key}": ["specs"]` })];
  }
  if (key === 'include' && value.length === 0) {
    return [diagnostic('NS9003', locate([key]), `'include' is empty, so there are no specs to compile`, { fix: 'list the files and folders that hold specs, e.g. "include": ["specs"]' })];
  }
  return [];
}

function outDir(value: unknown, locate: Locate): Diagnostic[] {
  if (typeof value === 'string' && value.trim() !== '') return [];
  return [diagnostic('NS9003', locate(['outDir']), `'outDir' must be the path of a folder; received ${typeof value === 'string' ? 'an empty string' : show(value)}`, { fix: 'write e.g. "outDir": "generated"' })];
}

function unknownKey(key: string, locate: Locate): Diagnostic {
  const match = closest(key, Object.keys(defaultConfig));
  const name = `'${shorten(key)}'`;
  return diagnostic('NS9003', locate([key], 'key'), `unknown setting ${name}${match ? `; did you mean '${match}'?` : ''}`, {
    fix: match ? `rename ${name} to '${match}'` : `remove ${name}; the settings are 'include', 'exclude' and 'outDir'`,
  });
}

/** Every problem with the settings object; an empty list when it is a valid config. */
function problems(raw: unknown, locate: Locate): Diagnostic[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return [diagnostic('NS9003', locate([]), `the configuration must be a JSON object; received ${show(raw)}`, { fix: `write an object, e.g. ${example}` })];
  }
  const settings = raw as Record<string, unknown>;
  return Object.keys(settings).flatMap((key) => {
    if (key === 'include' || key === 'exclude') return pathList(key, settings[key], locate);
    if (key === 'outDir') return outDir(settings[key], locate);
    return [unknownKey(key, locate)];
  });
}

/** Parses the text of netspec.config.json; unset settings take their defaults. */
export function parseConfig(text: string): Result<Config> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { diagnostics: [syntaxError(text, e)] };
  }
  const diagnostics = problems(raw, locator(text));
  if (diagnostics.length > 0) return { diagnostics };
  return { value: { ...defaultConfig, ...(raw as Partial<Config>) }, diagnostics: [] };
}
