/**
 * The command line: the only module that touches the file system or the
 * process. Everything it prints comes from the pure library.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, watch, writeFileSync, type Dirent, type FSWatcher } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parseArgs, usage, type Command } from './cli/args.js';
import { wantsColor } from './cli/color.js';
import { configFile, defaultConfig, parseConfig, type Config } from './cli/config.js';
import { unifiedDiff } from './cli/diff.js';
import { ioDiagnostic } from './cli/io-errors.js';
import { diagnostic, hasErrors, sortDiagnostics, type Diagnostic, type Result } from './diagnostics/diagnostic.js';
import { formatGithub } from './diagnostics/format-github.js';
import { formatSarif } from './diagnostics/format-sarif.js';
import { formatText } from './diagnostics/format-text.js';
import { Locator } from './diagnostics/location.js';
import { check, compile, type CheckOptions, type CheckResult, type EmittedModule } from './index.js';
import type { SourceFile } from './ir.js';
import { headerSpecPath } from './emit/header.js';
import { decodeSource } from './parse/decode-source.js';
import { checkJson, modelJson } from './report/check-json.js';
import { summaryMarkdown, summaryText } from './report/summary.js';

/** Where the CLI runs and writes; tests pass their own. */
export interface Environment {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly color: boolean;
}

const defaultEnvironment = (): Environment => ({
  cwd: process.cwd(),
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  color: wantsColor(process.stdout.isTTY, process.env),
});

/** Paths as shown to users and written into generated headers: relative to cwd (`.` for itself), `/`-separated. */
function displayPath(env: Environment, path: string): string {
  return relative(env.cwd, resolve(env.cwd, path)).split(sep).join('/') || '.';
}

/** The config, and its text for the excerpts of its diagnostics. */
function readConfig(env: Environment): Result<Config> & { readonly shown: readonly SourceFile[] } {
  const file = join(env.cwd, configFile);
  if (!existsSync(file)) return { value: defaultConfig, diagnostics: [], shown: [] };
  let text: string;
  try {
    // TextDecoder drops a byte order mark, which JSON.parse would reject.
    text = new TextDecoder('utf-8').decode(readFileSync(file));
  } catch (e) {
    return { diagnostics: [ioDiagnostic(e, configFile)], shown: [] };
  }
  return { ...parseConfig(text), shown: [{ path: configFile, text }] };
}

/** Every spec under the given paths, sorted; folders are searched for .yaml/.yml, minus `exclude`. */
function findSpecs(env: Environment, paths: readonly string[], exclude: readonly string[]): { files: string[]; diagnostics: Diagnostic[] } {
  const files = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const excluded = exclude.map((p) => displayPath(env, p));
  const isExcluded = (p: string) => excluded.some((e) => p === e || p.startsWith(e + '/'));
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(resolve(env.cwd, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch (e) {
      diagnostics.push(ioDiagnostic(e, dir));
      return;
    }
    for (const entry of entries) {
      const path = dir === '.' ? entry.name : `${dir}/${entry.name}`;
      if (isExcluded(path) || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry.name)) files.add(path);
    }
  };
  for (const p of paths) {
    const path = displayPath(env, p);
    try {
      if (statSync(resolve(env.cwd, path)).isDirectory()) walk(path);
      else files.add(path);
    } catch (e) {
      diagnostics.push(ioDiagnostic(e, path));
    }
  }
  if (files.size === 0 && diagnostics.length === 0) diagnostics.push(diagnostic('NS9002', undefined, `no .yaml specs found in ${paths.map((p) => displayPath(env, p)).join(', ')}`));
  return { files: [...files].sort(), diagnostics };
}

/** What reading the specs gave: the texts to check, every text as shown, and why some are missing from the first. */
interface Sources {
  readonly sources: readonly SourceFile[];
  readonly shown: readonly SourceFile[];
  /** NS1004 (or NS1005) for files that are not UTF-8 text: spec errors, so the others are still checked. */
  readonly diagnostics: readonly Diagnostic[];
  /** NS9001 for files that cannot be read: the run stops. */
  readonly unreadable: readonly Diagnostic[];
}

function readSources(env: Environment, files: readonly string[]): Sources {
  const sources: SourceFile[] = [];
  const shown: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const unreadable: Diagnostic[] = [];
  for (const path of files) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(resolve(env.cwd, path));
    } catch (e) {
      unreadable.push(ioDiagnostic(e, path));
      continue;
    }
    const decoded = decodeSource(path, bytes);
    if (decoded.value) sources.push(decoded.value);
    shown.push(decoded.shown);
    diagnostics.push(...decoded.diagnostics);
  }
  return { sources, shown, diagnostics, unreadable };
}

interface Loaded {
  readonly config: Config;
  /** The specs to check: every file found, except those that are not UTF-8 text. */
  readonly sources: readonly SourceFile[];
  /** Every file read, as the locator shows it. */
  readonly shown: readonly SourceFile[];
  /** NS1004 for the files that are not UTF-8 text. */
  readonly diagnostics: readonly Diagnostic[];
  /** True when the specs are the config's whole set, so that orphaned generated files can be told apart. */
  readonly wholeProject: boolean;
}

/** What stops a run before any spec is checked: a bad config, a path that cannot be read, no specs. */
interface NotLoaded {
  readonly diagnostics: readonly Diagnostic[];
  readonly shown: readonly SourceFile[];
}

function load(env: Environment, command: Command): Loaded | NotLoaded {
  const config = readConfig(env);
  if (!config.value) return config;
  const wholeProject = command.paths.length === 0;
  const found = findSpecs(env, wholeProject ? config.value.include : command.paths, wholeProject ? config.value.exclude : []);
  if (found.diagnostics.length > 0) return { diagnostics: found.diagnostics, shown: config.shown };
  const read = readSources(env, found.files);
  if (read.unreadable.length > 0) return { diagnostics: read.unreadable, shown: config.shown };
  return { config: config.value, sources: read.sources, shown: read.shown, diagnostics: read.diagnostics, wholeProject };
}

/** A check's diagnostics together with those of the files it could not decode, in one order. */
function merged(loaded: Loaded, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return loaded.diagnostics.length === 0 ? [...diagnostics] : sortDiagnostics([...loaded.diagnostics, ...diagnostics]);
}

/** How the library reads the files specs refer to (`weights:`), relative to the working directory. */
function fileReader(env: Environment): CheckOptions {
  return {
    readFile: (path) => {
      try {
        return readFileSync(resolve(env.cwd, path));
      } catch {
        return undefined;
      }
    },
  };
}

function locatorOf(sources: readonly SourceFile[]): Locator {
  return new Locator(new Map(sources.map((s) => [s.path, s.text])));
}

function exitCode(diagnostics: readonly Diagnostic[]): number {
  if (diagnostics.some((d) => d.code.startsWith('NS9'))) return 2;
  return hasErrors(diagnostics) ? 1 : 0;
}

function report(env: Environment, diagnostics: readonly Diagnostic[], sources: readonly SourceFile[], to: 'stdout' | 'stderr'): void {
  if (diagnostics.length > 0 || to === 'stdout') env[to](formatText(diagnostics, locatorOf(sources), { color: env.color }));
}

/** Generated files in outDir that carry netspec's header, by file name. */
function existingModules(env: Environment, outName: string): Map<string, string> | Diagnostic {
  const outDir = resolve(env.cwd, outName);
  const found = new Map<string, string>();
  if (!existsSync(outDir)) return found;
  let path = outName;
  try {
    for (const name of readdirSync(outDir).sort()) {
      if (!name.endsWith('.ts')) continue;
      path = `${outName}/${name}`;
      const text = readFileSync(join(outDir, name), 'utf8');
      if (headerSpecPath(text) !== undefined) found.set(name, text);
    }
  } catch (e) {
    return ioDiagnostic(e, displayPath(env, path));
  }
  return found;
}

/** `build --check`: prints what is stale; writes nothing. */
function checkModules(env: Environment, modules: readonly EmittedModule[], existing: ReadonlyMap<string, string>, orphans: readonly string[], outName: string): number {
  const outDir = resolve(env.cwd, outName);
  let stale = 0;
  for (const module of modules) {
    const current = existing.get(module.path) ?? (existsSync(join(outDir, module.path)) ? readFileSync(join(outDir, module.path), 'utf8') : undefined);
    if (current === module.text) continue;
    stale++;
    env.stdout(current === undefined ? `missing: ${outName}/${module.path}\n` : unifiedDiff(current, module.text, `${outName}/${module.path}`, `${outName}/${module.path} (expected)`));
  }
  for (const name of orphans) env.stdout(`no spec generates ${outName}/${name}; delete it or restore its spec\n`);
  const problems = stale + orphans.length;
  env.stdout(problems === 0 ? `${modules.length} generated files are up to date\n` : `${problems} generated file${problems === 1 ? ' is' : 's are'} stale: run netspec build\n`);
  return problems === 0 ? 0 : 1;
}

/** Writes the modules that changed and removes orphans; NS9001 names the first path that could not be written. */
function writeModules(env: Environment, modules: readonly EmittedModule[], existing: ReadonlyMap<string, string>, orphans: readonly string[], outName: string): Diagnostic | undefined {
  const outDir = resolve(env.cwd, outName);
  let path = outName;
  try {
    mkdirSync(outDir, { recursive: true });
    for (const module of modules) {
      path = `${outName}/${module.path}`;
      if (existing.get(module.path) !== module.text) writeFileSync(join(outDir, module.path), module.text);
    }
    for (const name of orphans) {
      path = `${outName}/${name}`;
      rmSync(join(outDir, name));
    }
  } catch (e) {
    return ioDiagnostic(e, displayPath(env, path), 'write');
  }
  return undefined;
}

function runBuild(env: Environment, command: Command): number {
  const loaded = load(env, command);
  if (!('config' in loaded)) return report(env, loaded.diagnostics, loaded.shown, 'stderr'), 2;
  const result = compile(loaded.sources, fileReader(env));
  const diagnostics = merged(loaded, result.diagnostics);
  report(env, diagnostics, loaded.shown, 'stderr');
  if (hasErrors(diagnostics)) {
    env.stderr('nothing written: fix the errors above first\n');
    return 1;
  }
  const outName = displayPath(env, command.out ?? loaded.config.outDir);
  const existing = existingModules(env, outName);
  if (!(existing instanceof Map)) return report(env, [existing], [], 'stderr'), 2;
  const orphans = loaded.wholeProject ? [...existing.keys()].filter((name) => !result.modules.some((m) => m.path === name)) : [];
  if (command.check) return checkModules(env, result.modules, existing, orphans, outName);
  const failed = writeModules(env, result.modules, existing, orphans, outName);
  if (failed) return report(env, [failed], [], 'stderr'), 2;
  env.stdout(`wrote ${result.modules.length} module${result.modules.length === 1 ? '' : 's'} to ${outName}/${orphans.length ? `, removed ${orphans.length} orphaned` : ''}\n`);
  return 0;
}

/** Checks the loaded specs; a run that could not load reports why, and no models. */
function checkLoaded(env: Environment, loaded: Loaded | NotLoaded): { diagnostics: readonly Diagnostic[]; models: CheckResult['models'] } {
  if (!('config' in loaded)) return { diagnostics: loaded.diagnostics, models: [] };
  const result = check(loaded.sources, fileReader(env));
  return { diagnostics: merged(loaded, result.diagnostics), models: result.models };
}

function runCheck(env: Environment, command: Command): number {
  const loaded = load(env, command);
  const { diagnostics, models } = checkLoaded(env, loaded);
  const locator = locatorOf(loaded.shown);
  if (command.format === 'json') env.stdout(checkJson(diagnostics, models, locator));
  else if (command.format === 'sarif') env.stdout(formatSarif(diagnostics, locator, version()));
  else if (command.format === 'github') env.stdout(formatGithub(diagnostics, locator));
  else report(env, diagnostics, loaded.shown, 'config' in loaded ? 'stdout' : 'stderr');
  return 'config' in loaded ? exitCode(diagnostics) : 2;
}

function runSummary(env: Environment, command: Command): number {
  const loaded = load(env, command);
  if (!('config' in loaded)) return report(env, loaded.diagnostics, loaded.shown, 'stderr'), 2;
  const result: CheckResult = check(loaded.sources, fileReader(env));
  const diagnostics = merged(loaded, result.diagnostics);
  report(env, diagnostics, loaded.shown, 'stderr');
  const models = result.models.filter((m) => command.model === undefined || m.model.name === command.model);
  if (command.model !== undefined && models.length === 0 && !hasErrors(diagnostics)) {
    env.stderr(`no model named '${command.model}'; models: ${result.models.map((m) => m.model.name).join(', ')}\n`);
    return 2;
  }
  const locator = locatorOf(loaded.shown);
  if (command.format === 'json') env.stdout(JSON.stringify(models.map((m) => modelJson(m, locator)), null, 2) + '\n');
  else env.stdout(models.map(command.format === 'markdown' ? summaryMarkdown : summaryText).join('\n'));
  return exitCode(diagnostics);
}

function runWatch(env: Environment, command: Command): Promise<number> {
  runBuild(env, command);
  const roots = command.paths.length > 0 ? command.paths : (readConfig(env).value?.include ?? defaultConfig.include);
  let timer: NodeJS.Timeout | undefined;
  const watchers: FSWatcher[] = [];
  for (const root of roots) {
    try {
      watchers.push(
        watch(resolve(env.cwd, root), { recursive: true }, () => {
          clearTimeout(timer);
          timer = setTimeout(() => runBuild(env, command), 100);
        }),
      );
    } catch (e) {
      watchers.forEach((w) => w.close());
      report(env, [ioDiagnostic(e, displayPath(env, root))], [], 'stderr');
      return Promise.resolve(2);
    }
  }
  env.stderr(`watching ${roots.map((root) => displayPath(env, root)).join(', ')} (Ctrl-C to stop)\n`);
  return new Promise((done) =>
    process.once('SIGINT', () => {
      watchers.forEach((w) => w.close());
      done(0);
    }),
  );
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs one command line; resolves to the exit code. */
export async function main(argv: readonly string[], env: Environment = defaultEnvironment()): Promise<number> {
  const command = parseArgs(argv);
  if ('error' in command) {
    env.stderr(`netspec: ${command.error}\n\n${usage}`);
    return 2;
  }
  switch (command.command) {
    case 'help':
      env.stdout(usage);
      return 0;
    case 'version':
      env.stdout(`netspec ${version()}\n`);
      return 0;
    case 'build':
      return command.watch ? runWatch(env, command) : runBuild(env, command);
    case 'check':
      return runCheck(env, command);
    case 'summary':
      return runSummary(env, command);
  }
}
