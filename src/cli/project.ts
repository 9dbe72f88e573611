/**
 * The project root: the folder everything netspec reads and writes lies in,
 * and that every path it prints or writes into a module is relative to. So
 * the output is the same from any working directory (docs/cli.md).
 */
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { configFile } from './config.js';

export interface Project {
  /** Absolute, as found from the paths given (links not resolved): display paths are relative to it. */
  readonly root: string;
  /** The root with every link resolved: a file's real path must lie in it. */
  readonly realRoot: string;
}

/** Whether `child` is `parent` or lies below it; both absolute and normalized. */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + sep) && !isAbsolute(rel));
}

/** An absolute path as printed and written into modules: relative to the root, `/`-separated, `.` for the root itself. */
export function projectPath(project: Project, absolute: string): string {
  return relative(project.root, absolute).split(sep).join('/') || '.';
}

/** Whether anything, even a dangling link, has this name: a marker file counts even when it cannot be read. */
function exists(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/** The nearest folder at or above `dir` holding `marker`. */
function nearest(dir: string, marker: string, cache: Map<string, string | undefined>): string | undefined {
  const key = `${marker}\0${dir}`;
  if (cache.has(key)) return cache.get(key);
  const parent = dirname(dir);
  const found = exists(join(dir, marker)) ? dir : parent === dir ? undefined : nearest(parent, marker, cache);
  cache.set(key, found);
  return found;
}

/** Finds project roots; one per run, so that the folders of every spec are looked up once. */
export interface RootFinder {
  /** The root of a folder: the nearest folder at or above it with netspec.config.json, else with package.json, else the working directory. */
  (dir: string): string;
}

export function rootFinder(cwd: string): RootFinder {
  const marked = markedRootFinder();
  return (dir) => marked(dir) ?? cwd;
}

/**
 * The nearest folder at or above a folder with netspec.config.json, else with
 * package.json; undefined when there is none. The language server has no
 * working directory to fall back to: a spec outside any project reads nothing.
 */
export function markedRootFinder(): (dir: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (dir) => nearest(dir, configFile, cache) ?? nearest(dir, 'package.json', cache);
}

/** The project of a root; the real root falls back to the root itself when it cannot be resolved (then nothing will read). */
export function projectAt(root: string): Project {
  let realRoot = root;
  try {
    realRoot = realpathSync(root);
  } catch {
    // A root that does not resolve holds nothing to read; every read below it fails on its own.
  }
  return { root, realRoot };
}

/** Where `absolute` really is once the links of its existing part are resolved; the missing rest is appended as written. */
export function realPathOf(absolute: string): string {
  const rest: string[] = [];
  for (let at = absolute; ; at = dirname(at)) {
    try {
      return join(realpathSync(at), ...[...rest].reverse());
    } catch {
      if (dirname(at) === at) return absolute;
      rest.push(relative(dirname(at), at));
    }
  }
}

