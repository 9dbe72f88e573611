/**
 * What a run works on: its project root, netspec.config.json, and the specs
 * to check, read as text. Every path from here on is project-relative.
 */
import { lstatSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { diagnostic, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { escapeControls } from '../diagnostics/format-text.js';
import type { SourceFile, Span } from '../ir.js';
import { decodeSource } from '../parse/decode-source.js';
import { maxSpecLength } from '../parse/parse-spec.js';
import { configFile, defaultConfig, parseConfig, settingSpan, type Config } from './config.js';
import { cannot, ioDiagnostic } from './io-errors.js';
import { isInside, projectAt, projectPath, realPathOf, rootFinder, type Project, type RootFinder } from './project.js';
import { maxConfigBytes, maxSpecBytes, readProjectFile, realPathInProject, sizeText, type FileProblem } from './read-file.js';

export interface Loaded {
  readonly project: Project;
  readonly config: Config;
  /** The text of netspec.config.json, when there is one: diagnostics about its values point into it. */
  readonly configText?: string;
  /** The specs to check: every file found, except those that are not UTF-8 text. */
  readonly sources: readonly SourceFile[];
  /** Every file read, as the locator shows it. */
  readonly shown: readonly SourceFile[];
  /** NS1004 (or NS1005) for the files that are not UTF-8 text or too large: spec errors, so the others are still checked. */
  readonly diagnostics: readonly Diagnostic[];
  /** True when the specs are the config's whole set, so that orphaned generated files can be told apart. */
  readonly wholeProject: boolean;
}

/** What stops a run before any spec is checked: a bad config, a path that cannot be read or lies outside, no specs. */
export interface NotLoaded {
  readonly diagnostics: readonly Diagnostic[];
  readonly shown: readonly SourceFile[];
}

/** Paths that are not below the working directory are shown from it with `..`; only the NS9005 message needs them. */
function fromCwd(cwd: string, absolute: string): string {
  return escapeControls(relative(cwd, absolute).split(sep).join('/') || '.');
}

function isFolder(absolute: string): boolean {
  try {
    return statSync(absolute).isDirectory();
  } catch {
    return false;
  }
}

/** NS9005: the paths of one run lie in different projects. */
function twoRoots(cwd: string, first: { path: string; root: string }, second: { path: string; root: string }): Diagnostic {
  return diagnostic(
    'NS9005',
    undefined,
    `specs of one run must share one project root: '${fromCwd(cwd, first.path)}' is in the project at '${fromCwd(cwd, first.root)}', '${fromCwd(cwd, second.path)}' in the project at '${fromCwd(cwd, second.root)}'`,
    { fix: 'run netspec once per project, or pass only specs of one project' },
  );
}

/** NS9005: a spec found in the run's folders belongs to a project of its own. */
function nestedRoot(cwd: string, file: string, root: string, project: Project): Diagnostic {
  return diagnostic(
    'NS9005',
    undefined,
    `'${fromCwd(cwd, file)}' belongs to the project at '${fromCwd(cwd, root)}' (the nearest folder with netspec.config.json or package.json), not to the project at '${fromCwd(cwd, project.root)}' this run compiles`,
    { fix: `run netspec in '${fromCwd(cwd, root)}' for its specs, and exclude that folder here` },
  );
}

/** The project of a run: found from the working directory, or from the paths given, which must agree. */
function findProject(cwd: string, paths: readonly string[], rootOf: RootFinder): Project | Diagnostic {
  if (paths.length === 0) return projectAt(rootOf(cwd));
  let first: { path: string; root: string } | undefined;
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    const root = rootOf(isFolder(absolute) ? absolute : dirname(absolute));
    if (first === undefined) first = { path: absolute, root };
    else if (root !== first.root) return twoRoots(cwd, first, { path: absolute, root });
  }
  return projectAt(first!.root);
}

/** NS9004 for a path that lies outside the project root. */
export function outsideDiagnostic(what: string, shown: string, span: Span | undefined, how: string, fix: string): Diagnostic {
  return diagnostic('NS9004', span, `${what} '${escapeControls(shown)}' is outside the project root${how}`, { fix });
}

const moveInside = 'move it into the project, or run netspec in the project that holds it (the folder with its netspec.config.json or package.json)';
const throughLink = ': a symbolic link leads there';

/** A file-reading problem as the diagnostic of a run: NS9004 when it lies outside, else NS9001. */
function readProblem(problem: FileProblem, shown: string, what: string): Diagnostic {
  if (problem.reason === 'outside') return outsideDiagnostic(what, shown, undefined, throughLink, 'copy the file into the project instead of linking to it');
  return cannot('read', shown, problem.detail, problem.fix);
}

/** Whether anything has this name; when that cannot be told, reading it will say why. */
function present(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return true;
  }
}

/** netspec.config.json at the root, and its text for the excerpts of its diagnostics. */
export function readConfig(project: Project): Result<Config> & { readonly shown: readonly SourceFile[]; readonly text?: string } {
  const file = join(project.root, configFile);
  if (!present(file)) return { value: defaultConfig, diagnostics: [], shown: [] };
  const bytes = readProjectFile(project, file, maxConfigBytes);
  if (!(bytes instanceof Uint8Array)) {
    if (bytes.reason === 'missing') return { value: defaultConfig, diagnostics: [], shown: [] };
    if (bytes.reason === 'too-large') {
      const message = `${configFile} is ${sizeText(bytes.size ?? 0)}; the limit is ${sizeText(maxConfigBytes)}`;
      return { diagnostics: [diagnostic('NS9003', undefined, message, { fix: `${configFile} holds only include, exclude and outDir; check that it is the right file` })], shown: [] };
    }
    return { diagnostics: [readProblem(bytes, configFile, 'the configuration')], shown: [] };
  }
  // TextDecoder drops a byte order mark, which JSON.parse would reject.
  const text = new TextDecoder('utf-8').decode(bytes);
  return { ...parseConfig(text), shown: [{ path: configFile, text }], text };
}

interface Found {
  /** Absolute paths of the spec files, sorted by their project-relative paths. */
  readonly files: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/** What to search: the config's `include` (checked to lie in the project) or the paths given. */
interface Start {
  readonly absolute: string;
  /** Where the path was written in the config, for NS9004. */
  readonly span?: Span;
}

/**
 * Every spec under the given paths; folders are searched for .yaml/.yml,
 * minus `exclude`, dot files and node_modules. A linked folder is followed
 * only into the project and only once (links cannot loop the walk).
 */
function findSpecs(project: Project, starts: readonly Start[], exclude: readonly string[]): Found {
  const files = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const visited = new Set<string>();
  const excluded = exclude.map((p) => projectPath(project, resolve(project.root, p)));
  const isExcluded = (p: string) => excluded.some((e) => e === '.' || p === e || p.startsWith(e + '/'));
  const walk = (dir: string) => {
    const shown = projectPath(project, dir);
    const real = realPathInProject(project, dir);
    if (typeof real !== 'string') {
      diagnostics.push(real.reason === 'outside' ? outsideDiagnostic('the folder', shown, undefined, throughLink, 'netspec does not follow links out of the project; copy the specs into it, or exclude the link') : cannot('read', shown, real.detail, real.fix));
      return;
    }
    if (visited.has(real)) return;
    visited.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch (e) {
      diagnostics.push(ioDiagnostic(e, shown));
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (isExcluded(projectPath(project, path)) || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      // A name like a spec is a spec, whatever it is (reading says why not); other links are followed if they lead to a folder.
      if (/\.ya?ml$/.test(entry.name) && !entry.isDirectory()) files.set(projectPath(project, path), path);
      else if (entry.isDirectory() || (entry.isSymbolicLink() && isFolder(path))) walk(path);
    }
  };
  for (const start of starts) {
    const shown = projectPath(project, start.absolute);
    if (!isInside(project.root, start.absolute)) {
      diagnostics.push(outsideDiagnostic(start.span ? 'the include entry' : 'the path', shown, start.span, '', moveInside));
      continue;
    }
    try {
      if (statSync(start.absolute).isDirectory()) walk(start.absolute);
      else files.set(shown, start.absolute);
    } catch (e) {
      diagnostics.push(ioDiagnostic(e, shown));
    }
  }
  if (files.size === 0 && diagnostics.length === 0) {
    diagnostics.push(diagnostic('NS9002', undefined, `no .yaml specs found in ${starts.map((s) => escapeControls(projectPath(project, s.absolute))).join(', ')}`));
  }
  return { files: [...files.keys()].sort().map((k) => files.get(k)!), diagnostics };
}

/**
 * Each spec must belong to the run's project, not to a nested one with its own
 * netspec.config.json. Looked up from the folder's real path: a link back up
 * (`specs/up -> ..`) would otherwise find the root's config "below" the root.
 */
function foreignSpecs(cwd: string, project: Project, files: readonly string[], rootOf: RootFinder): Diagnostic[] {
  for (const file of files) {
    let folder = dirname(file);
    try {
      folder = realpathSync(folder);
    } catch {
      // Unresolvable: reading the spec will say why.
    }
    const root = rootOf(folder);
    if (root !== project.root && root !== project.realRoot) return [nestedRoot(cwd, file, root, project)];
  }
  return [];
}

/** What reading the specs gave: the texts to check, every text as shown, and why some are missing from the first. */
interface Sources {
  readonly sources: readonly SourceFile[];
  readonly shown: readonly SourceFile[];
  /** NS1004 (or NS1005) for files that are not UTF-8 text or too large: spec errors, so the others are still checked. */
  readonly diagnostics: readonly Diagnostic[];
  /** NS9001 (or NS9004) for files that cannot be read: the run stops. */
  readonly unreadable: readonly Diagnostic[];
}

function readSources(project: Project, files: readonly string[]): Sources {
  const sources: SourceFile[] = [];
  const shown: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const unreadable: Diagnostic[] = [];
  for (const file of files) {
    const path = projectPath(project, file);
    const bytes = readProjectFile(project, file, maxSpecBytes);
    if (bytes instanceof Uint8Array) {
      const decoded = decodeSource(path, bytes);
      if (decoded.value) sources.push(decoded.value);
      shown.push(decoded.shown);
      diagnostics.push(...decoded.diagnostics);
    } else if (bytes.reason === 'too-large') {
      // Too large to hold maxSpecLength characters in any encoding: NS1005, as parseSpec says of a long text, without reading it.
      diagnostics.push(diagnostic('NS1005', { file: path, start: 0, end: 1 }, `spec is ${bytes.size ?? maxSpecBytes + 1} bytes long; the limit is ${maxSpecLength} characters`));
    } else {
      unreadable.push(readProblem(bytes, path, 'the spec'));
    }
  }
  return { sources, shown, diagnostics, unreadable };
}

/** The config's `include` entries as starts of the search, each with its place in the config. */
function includeStarts(project: Project, config: Config, text: string | undefined): Start[] {
  return config.include.map((entry, i) => {
    const span = text === undefined ? undefined : settingSpan(text, ['include', i]);
    return { absolute: resolve(project.root, entry), ...(span ? { span } : {}) };
  });
}

/** Finds the project, reads its config and every spec the run names. */
export function load(workingDirectory: string, paths: readonly string[]): Loaded | NotLoaded {
  // Normalized once (no trailing separator, no `..`), so that roots found from it and from the specs compare equal.
  const cwd = resolve(workingDirectory);
  const rootOf = rootFinder(cwd);
  const project = findProject(cwd, paths, rootOf);
  if (!('root' in project)) return { diagnostics: [project], shown: [] };
  const config = readConfig(project);
  if (!config.value) return config;
  const wholeProject = paths.length === 0;
  const starts = wholeProject ? includeStarts(project, config.value, config.text) : paths.map((p) => ({ absolute: resolve(cwd, p) }));
  const found = findSpecs(project, starts, wholeProject ? config.value.exclude : []);
  const problems = found.diagnostics.length > 0 ? found.diagnostics : foreignSpecs(cwd, project, found.files, rootOf);
  if (problems.length > 0) return { diagnostics: problems, shown: config.shown };
  const read = readSources(project, found.files);
  if (read.unreadable.length > 0) return { diagnostics: read.unreadable, shown: config.shown };
  return {
    project,
    config: config.value,
    ...(config.text !== undefined ? { configText: config.text } : {}),
    sources: read.sources,
    shown: [...config.shown, ...read.shown],
    diagnostics: read.diagnostics,
    wholeProject,
  };
}

/** Where `build` writes: `--out` (from the working directory) or the config's `outDir` (from the root), checked to lie inside the project. */
export function outFolder(cwd: string, loaded: Loaded, out: string | undefined): { absolute: string; shown: string; configured: boolean } | Diagnostic {
  const configured = resolve(loaded.project.root, loaded.config.outDir);
  const absolute = out === undefined ? configured : resolve(cwd, out);
  const shown = projectPath(loaded.project, absolute);
  const span = out === undefined && loaded.configText !== undefined ? settingSpan(loaded.configText, ['outDir']) : undefined;
  const fix = 'write the modules into a folder inside the project, e.g. "generated"';
  if (!isInside(loaded.project.root, absolute)) return outsideDiagnostic('the out folder', shown, span, '', fix);
  if (!isInside(loaded.project.realRoot, realPathOf(absolute))) return outsideDiagnostic('the out folder', shown, span, throughLink, fix);
  return { absolute, shown, configured: absolute === configured };
}
