/**
 * What `build` would do to the out folder, decided before anything is
 * written: which modules to write, which are unchanged, which orphans to
 * remove, and what stands in the way. A build that is refused writes nothing.
 */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { escapeControls } from '../diagnostics/format-text.js';
import type { EmittedModule } from '../emit/emit-module.js';
import { headerSpecPath } from '../emit/header.js';
import { ioDiagnostic, cannot } from './io-errors.js';
import type { Project } from './project.js';
import { kindOf, readRegularFile } from './read-file.js';

/** The out folder: where it is, and how it is shown (project-relative). */
export interface OutFolder {
  readonly absolute: string;
  readonly shown: string;
}

/** The header is one line naming a path; 64 KiB holds the longest path any system allows, escaped. */
const headBytes = 64 * 1024;

/** What stands where a module goes, or in the out folder. */
export type Found =
  | { readonly kind: 'nothing' }
  | { readonly kind: 'module'; readonly spec: string; readonly size: number; readonly mode: number }
  | { readonly kind: 'foreign' }
  | { readonly kind: 'link' }
  | { readonly kind: 'special'; readonly what: string }
  | { readonly kind: 'error'; readonly diagnostic: Diagnostic };

/** Looks at `path` without following a link and reads only its first line (a module can be large). */
export function inspect(path: string, shown: string): Found {
  let stats;
  try {
    stats = lstatSync(path, { throwIfNoEntry: false });
  } catch (e) {
    // A file on the way where the folder should be: nothing stands here; making the folder will say why it cannot be made.
    if ((e as { code?: unknown }).code === 'ENOTDIR') return { kind: 'nothing' };
    return { kind: 'error', diagnostic: ioDiagnostic(e, shown) };
  }
  if (stats === undefined) return { kind: 'nothing' };
  if (stats.isSymbolicLink()) return { kind: 'link' };
  if (!stats.isFile()) return { kind: 'special', what: kindOf(stats) };
  const head = readRegularFile(path, headBytes, { head: true });
  if (!(head instanceof Uint8Array)) {
    // Gone since lstat: another build removed it (an orphan); nothing stands there now.
    if (head.reason === 'missing') return { kind: 'nothing' };
    return { kind: 'error', diagnostic: cannot('read', shown, head.detail, head.fix) };
  }
  const spec = headerSpecPath(new TextDecoder().decode(head));
  return spec === undefined ? { kind: 'foreign' } : { kind: 'module', spec, size: stats.size, mode: stats.mode & 0o7777 };
}

/**
 * A spec path from a module's header as a project-relative path, or undefined
 * when it cannot be one (absolute, climbing out with `..`, empty): such a
 * header was written elsewhere, and its module is never removed.
 */
export function headerPathInProject(spec: string): string | undefined {
  if (spec === '' || spec.includes('\\') || spec.includes('\0') || posix.isAbsolute(spec) || /^[A-Za-z]:/.test(spec)) return undefined;
  const normal = posix.normalize(spec);
  return normal === '.' || normal === '..' || normal.startsWith('../') ? undefined : normal;
}

/** Whether a project-relative path is one of `roots` or lies below one (all project-relative, normalized). */
export function under(path: string, roots: readonly string[]): boolean {
  return roots.some((root) => root === '.' || path === root || path.startsWith(root + '/'));
}

/** Whether anything has this project-relative path. */
function existsInProject(project: Project, path: string): boolean {
  try {
    return lstatSync(join(project.root, ...path.split('/')), { throwIfNoEntry: false }) !== undefined;
  } catch {
    return true; // Cannot tell: keep what depends on it.
  }
}

/** Which orphans may go: only when building the whole configured project into its configured outDir. */
export interface OrphanScope {
  /** The config's `include`, project-relative and normalized. */
  readonly include: readonly string[];
}

export interface Write {
  readonly name: string;
  readonly text: string;
  /** The permissions of the module replaced, kept. */
  readonly mode?: number;
}

export interface Plan {
  /** New and changed modules. */
  readonly writes: readonly Write[];
  /** For `--check`: the modules that differ, and whether each exists. */
  readonly stale: readonly { readonly name: string; readonly exists: boolean }[];
  /** File names of modules to remove. */
  readonly removals: readonly string[];
  /** NS9006 for what stands in the way, NS9001 for what cannot be read: with any, nothing is written. */
  readonly diagnostics: readonly Diagnostic[];
}

/** The file names in the out folder; none when it does not exist yet. */
function listing(out: OutFolder): string[] | Diagnostic {
  try {
    statSync(out.absolute);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    // Missing, or a file stands on the way to it: nothing to list; making it will say why it cannot be made.
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    return ioDiagnostic(e, out.shown);
  }
  try {
    return readdirSync(out.absolute).sort();
  } catch (e) {
    return ioDiagnostic(e, out.shown);
  }
}

/** Whether the module file at `path` already holds exactly `text`. */
function holds(path: string, found: Found & { kind: 'module' }, text: string): boolean {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (found.size !== bytes) return false;
  const current = readRegularFile(path, bytes);
  return current instanceof Uint8Array && Buffer.from(current.buffer, current.byteOffset, current.byteLength).equals(Buffer.from(text, 'utf8'));
}

interface Emitted extends EmittedModule {
  /** The spec it comes from, as its header names it. */
  readonly spec: string;
}

/** Why the module of `spec` cannot go where `found` is; undefined when it can. */
function obstacle(project: Project, found: Found, shown: string, spec: string, compiled: ReadonlyMap<string, string>): Diagnostic | undefined {
  const target = `'${escapeControls(shown)}'`;
  const of = escapeControls(spec);
  const rename = `or set another \`name:\` in ${of}`;
  switch (found.kind) {
    case 'error':
      return found.diagnostic;
    case 'link':
      return diagnostic('NS9006', undefined, `${target} is a symbolic link; netspec never writes through a link, so the module of ${of} cannot go there`, { fix: `remove the link (netspec then writes the module in its place), ${rename}` });
    case 'special':
      return diagnostic('NS9006', undefined, `${target} is ${found.what}, not a regular file, so the module of ${of} cannot go there`, { fix: `move it away, ${rename}` });
    case 'foreign':
      return diagnostic('NS9006', undefined, `${target} was not written by netspec (it does not start with netspec's header); the module of ${of} would replace it`, { fix: `move or rename the file if it is yours, ${rename}` });
    case 'module': {
      const other = headerPathInProject(found.spec);
      if (other === undefined || other === spec || compiled.has(other) || !existsInProject(project, other)) return undefined;
      return diagnostic('NS9006', undefined, `${target} is the module of ${escapeControls(other)}, which still exists; the module of ${of} would replace it`, {
        fix: `give one of the two specs another \`name:\`, or delete the one you no longer use`,
      });
    }
    default:
      return undefined;
  }
}

/**
 * Decides what building `modules` into `out` does. Orphans are removed only
 * within `scope`: modules whose header names a spec under `include` that is
 * gone, or that this run compiled and that now generates another module.
 * Nothing outside `include`, nothing without a header, never a link.
 */
export function planModules(project: Project, out: OutFolder, modules: readonly EmittedModule[], scope?: OrphanScope): Plan {
  const names = listing(out);
  if (!Array.isArray(names)) return { writes: [], stale: [], removals: [], diagnostics: [names] };
  const emitted: Emitted[] = modules.map((m) => ({ ...m, spec: headerSpecPath(m.text) ?? '' }));
  const compiled = new Map(emitted.map((m) => [m.spec, m.path]));
  const writes: Write[] = [];
  const stale: { name: string; exists: boolean }[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const m of emitted) {
    const path = join(out.absolute, m.path);
    const shown = `${out.shown}/${m.path}`;
    const found = inspect(path, shown);
    const refusal = obstacle(project, found, shown, m.spec, compiled);
    if (refusal) {
      diagnostics.push(refusal);
    } else if (found.kind === 'nothing') {
      writes.push({ name: m.path, text: m.text });
      stale.push({ name: m.path, exists: false });
    } else if (found.kind === 'module' && !holds(path, found, m.text)) {
      writes.push({ name: m.path, text: m.text, mode: found.mode });
      stale.push({ name: m.path, exists: true });
    }
  }
  const removals = scope ? orphans(project, out, names, emitted, compiled, scope) : [];
  return { writes, stale, removals, diagnostics };
}

function orphans(project: Project, out: OutFolder, names: readonly string[], emitted: readonly Emitted[], compiled: ReadonlyMap<string, string>, scope: OrphanScope): string[] {
  const written = new Set(emitted.map((m) => m.path));
  return names.filter((name) => {
    if (!name.endsWith('.ts') || name.startsWith('.') || written.has(name)) return false;
    const found = inspect(join(out.absolute, name), `${out.shown}/${name}`);
    if (found.kind !== 'module') return false;
    const spec = headerPathInProject(found.spec);
    if (spec === undefined || !under(spec, scope.include)) return false;
    const now = compiled.get(spec);
    return now !== undefined ? now !== name : !existsInProject(project, spec);
  });
}
