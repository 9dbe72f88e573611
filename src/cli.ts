/**
 * The command line: the only module (with src/cli/) that touches the file
 * system or the process. Everything it prints comes from the pure library.
 */
import { mkdirSync, readFileSync, realpathSync, statSync, watch, type FSWatcher } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs, usage, type Command } from './cli/args.js';
import { wantsColor } from './cli/color.js';
import { unifiedDiff } from './cli/diff.js';
import { cannot, ioDiagnostic } from './cli/io-errors.js';
import { load, outFolder, outsideDiagnostic, type Loaded, type NotLoaded } from './cli/load.js';
import { planModules, type OutFolder, type Plan } from './cli/modules.js';
import { isInside, projectAt, projectPath, rootFinder, type Project } from './cli/project.js';
import { readSavedModel } from './cli/saved-model.js';
import { maxSpecBytes, projectReader, readProjectFile, readRegularFile } from './cli/read-file.js';
import { removeIfPresent, writeAtomically } from './cli/write-file.js';
import { outsideTarget, writeInsideProject } from './cli/write-inside.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { formatGithub } from './diagnostics/format-github.js';
import { formatSarif } from './diagnostics/format-sarif.js';
import { escapeControls, formatText } from './diagnostics/format-text.js';
import { explainCode } from './diagnostics/explain.js';
import { Locator } from './diagnostics/location.js';
import { check, type CheckOptions, type CheckResult } from './check.js';
import { fixSources } from './fix/fix-sources.js';
import type { compile, EmittedModule } from './index.js';
import { importModel } from './import/import-model.js';
import type { SourceFile } from './ir.js';
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

/** Exit codes: 0 no errors, 1 errors in specs, 2 usage or I/O errors, 3 a bug in netspec. */
const internalErrorExit = 3;

/** A check's diagnostics together with those of the files it could not decode, in one order. */
function merged(loaded: Loaded, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return loaded.diagnostics.length === 0 ? [...diagnostics] : sortDiagnostics([...loaded.diagnostics, ...diagnostics]);
}

/** How the library reads the files specs refer to (`weights:`): see `projectReader`. */
function fileReader(project: Project): CheckOptions {
  return { readFile: projectReader(project) };
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

/**
 * JSON text with the characters JSON.stringify leaves raw but a terminal
 * acts on (DEL, C1 controls, bidi controls, line separators) written as
 * `\uXXXX`: the same JSON value, safe to print. They occur only in strings.
 */
function safeJson(text: string): string {
  return text.replace(/[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The current text of a module, for the diff of `build --check`; undefined when it is too large to diff or unreadable. */
function currentText(path: string, expected: string): string | undefined {
  const bytes = readRegularFile(path, Math.max(2 * Buffer.byteLength(expected, 'utf8'), 1 << 20));
  return bytes instanceof Uint8Array ? new TextDecoder().decode(bytes) : undefined;
}

/** `build --check`: prints what is stale; writes nothing. */
function checkModules(env: Environment, modules: readonly EmittedModule[], plan: Plan, out: OutFolder): number {
  const shownOut = escapeControls(out.shown);
  for (const { name, exists } of plan.stale) {
    const shown = `${shownOut}/${escapeControls(name)}`;
    const expected = modules.find((m) => m.path === name)!.text;
    const current = exists ? currentText(join(out.absolute, name), expected) : undefined;
    if (!exists) env.stdout(`missing: ${shown}\n`);
    else if (current === undefined) env.stdout(`differs: ${shown} (too large to show the difference)\n`);
    else env.stdout(escapeControls(unifiedDiff(current, expected, shown, `${shown} (expected)`), true));
  }
  for (const name of plan.removals) env.stdout(`no spec generates ${shownOut}/${escapeControls(name)}; delete it or restore its spec\n`);
  const problems = plan.stale.length + plan.removals.length;
  env.stdout(problems === 0 ? `${modules.length} generated files are up to date\n` : `${problems} generated file${problems === 1 ? ' is' : 's are'} stale: run netspec build\n`);
  return problems === 0 ? 0 : 1;
}

/**
 * Carries out a plan that has no obstacles: makes the folder, writes each
 * changed module atomically, removes orphans. NS9001 names the first path
 * that failed; a delete that finds the file gone is no failure.
 */
function writeModules(project: Project, plan: Plan, out: OutFolder): Diagnostic | undefined {
  try {
    mkdirSync(out.absolute, { recursive: true });
  } catch (e) {
    return ioDiagnostic(e, out.shown, 'write');
  }
  // Checked again now that it exists: a link made on the way must not lead the writes out of the project.
  let real: string;
  try {
    real = realpathSync(out.absolute);
  } catch (e) {
    return ioDiagnostic(e, out.shown, 'write');
  }
  if (!isInside(project.realRoot, real)) return outsideDiagnostic('the out folder', out.shown, undefined, ': a symbolic link leads there', 'write the modules into a folder inside the project');
  for (const write of plan.writes) {
    try {
      writeAtomically(join(real, write.name), write.text, write.mode);
    } catch (e) {
      return ioDiagnostic(e, `${out.shown}/${write.name}`, 'write');
    }
  }
  for (const name of plan.removals) {
    try {
      removeIfPresent(join(real, name));
    } catch (e) {
      return ioDiagnostic(e, `${out.shown}/${name}`, 'delete');
    }
  }
  return undefined;
}

/** The compiler with its emitter: loaded by `build` only (ts-morph alone takes longer to load than a check of the gallery). */
type Compile = typeof compile;

const loadCompile = async (): Promise<Compile> => (await import('./index.js')).compile;

function runBuild(env: Environment, command: Command, compile: Compile): number {
  const loaded = load(env.cwd, command.paths);
  if (!('config' in loaded)) return report(env, loaded.diagnostics, loaded.shown, 'stderr'), 2;
  const out = outFolder(env.cwd, loaded, command.out);
  if (!('absolute' in out)) return report(env, [out], loaded.shown, 'stderr'), 2;
  const result = compile(loaded.sources, fileReader(loaded.project));
  const diagnostics = merged(loaded, result.diagnostics);
  report(env, diagnostics, loaded.shown, 'stderr');
  if (hasErrors(diagnostics)) {
    env.stderr('nothing written: fix the errors above first\n');
    return 1;
  }
  // Orphans only when this run is the whole configured project writing where the config says.
  const scope = loaded.wholeProject && out.configured ? { include: loaded.config.include.map((p) => projectPath(loaded.project, resolve(loaded.project.root, p))) } : undefined;
  const plan = planModules(loaded.project, out, result.modules, scope);
  if (plan.diagnostics.length > 0) {
    report(env, plan.diagnostics, loaded.shown, 'stderr');
    env.stderr('nothing written: move the files above out of the way first\n');
    return 2;
  }
  if (command.check) return checkModules(env, result.modules, plan, out);
  const failed = writeModules(loaded.project, plan, out);
  if (failed) return report(env, [failed], loaded.shown, 'stderr'), 2;
  const removed = plan.removals.length;
  env.stdout(`wrote ${result.modules.length} module${result.modules.length === 1 ? '' : 's'} to ${escapeControls(out.shown)}/${removed ? `, removed ${removed} orphaned` : ''}\n`);
  return 0;
}

/** Checks the loaded specs; a run that could not load reports why, and no models. */
function checkLoaded(loaded: Loaded | NotLoaded): { diagnostics: readonly Diagnostic[]; models: CheckResult['models'] } {
  if (!('config' in loaded)) return { diagnostics: loaded.diagnostics, models: [] };
  const result = check(loaded.sources, fileReader(loaded.project));
  return { diagnostics: merged(loaded, result.diagnostics), models: result.models };
}

/** A spec as it was read: its bytes must still be these when `check --fix` writes, and a byte order mark stays. */
function specOnDisk(project: Project, absolute: string, text: string): { bom: boolean } | undefined {
  const bytes = readProjectFile(project, absolute, maxSpecBytes);
  if (!(bytes instanceof Uint8Array)) return undefined;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return new TextDecoder().decode(bom ? bytes.subarray(3) : bytes) === text ? { bom } : undefined;
}

/** The permissions of the file a fix replaces, so that the rename keeps them. */
function modeOf(absolute: string): number | undefined {
  try {
    return statSync(absolute).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/**
 * `check --fix` and `--fix-dry-run`: applies the unambiguous fixes in memory
 * (src/fix/fix-sources.ts), then writes each changed spec inside the project
 * (or prints the diff), says what it changed, and reports what is left as
 * `check` would. A spec changed on disk since it was read is not overwritten.
 */
function runFix(env: Environment, command: Command, loaded: Loaded): number {
  const reader = fileReader(loaded.project);
  const fixed = fixSources(loaded.sources, (sources) => merged(loaded, check(sources, reader).diagnostics));
  const result = check(fixed.sources, reader);
  const diagnostics = merged(loaded, result.diagnostics);
  const byPath = new Map(fixed.sources.map((s) => [s.path, s]));
  const shown = loaded.shown.map((s) => byPath.get(s.path) ?? s);
  const changed = loaded.sources.filter((s) => byPath.get(s.path)!.text !== s.text);
  const problems: Diagnostic[] = [];
  let diff = '';
  for (const source of changed) {
    const text = byPath.get(source.path)!.text;
    const name = escapeControls(source.path);
    if (command.fix === 'dry-run') {
      diff += escapeControls(unifiedDiff(source.text, text, name, `${name} (fixed)`), true);
      continue;
    }
    const absolute = join(loaded.project.root, ...source.path.split('/'));
    const outside = outsideTarget(loaded.project, absolute, 'the spec', source.path, 'fix specs inside the project only');
    const onDisk = outside ? undefined : specOnDisk(loaded.project, absolute, source.text);
    const failed = outside ?? (onDisk ? writeInsideProject(loaded.project, absolute, (onDisk.bom ? '\ufeff' : '') + text, source.path, modeOf(absolute)) : cannot('write', source.path, 'it changed since it was read', 'run netspec check --fix again'));
    if (failed) problems.push(failed);
  }
  const verb = command.fix === 'dry-run' ? 'would fix' : 'fixed';
  const lines = fixed.changes.map((c) => `${verb} ${escapeControls(c.file)}:${c.line}:${c.column} ${c.code}: ${escapeControls(c.description)}\n`).join('');
  if (problems.length > 0) {
    report(env, problems, [], 'stderr');
    env.stderr('not every fix was written: see the errors above\n');
  }
  const locator = locatorOf(shown);
  if (command.format === 'json') {
    const document = JSON.parse(checkJson(diagnostics, result.models, locator)) as Record<string, unknown>;
    const extra = { fixed: fixed.changes, written: command.fix === 'write' && problems.length === 0, ...(command.fix === 'dry-run' ? { diff } : {}) };
    env.stdout(safeJson(JSON.stringify({ ...document, ...extra }, null, 2) + '\n'));
  } else {
    env.stdout(lines + diff);
    report(env, diagnostics, shown, 'stdout');
  }
  return problems.length > 0 ? 2 : exitCode(diagnostics);
}

function runCheck(env: Environment, command: Command): number {
  const loaded = load(env.cwd, command.paths);
  if (command.fix !== undefined && 'config' in loaded) return runFix(env, command, loaded);
  const { diagnostics, models } = checkLoaded(loaded);
  const locator = locatorOf(loaded.shown);
  if (command.format === 'json') env.stdout(safeJson(checkJson(diagnostics, models, locator)));
  else if (command.format === 'sarif') env.stdout(safeJson(formatSarif(diagnostics, locator, version())));
  else if (command.format === 'github') env.stdout(formatGithub(diagnostics, locator));
  else report(env, diagnostics, loaded.shown, 'config' in loaded ? 'stdout' : 'stderr');
  return 'config' in loaded ? exitCode(diagnostics) : 2;
}

function runSummary(env: Environment, command: Command): number {
  const loaded = load(env.cwd, command.paths);
  if (!('config' in loaded)) return report(env, loaded.diagnostics, loaded.shown, 'stderr'), 2;
  const result: CheckResult = check(loaded.sources, fileReader(loaded.project));
  const diagnostics = merged(loaded, result.diagnostics);
  report(env, diagnostics, loaded.shown, 'stderr');
  const models = result.models.filter((m) => command.model === undefined || m.model.name === command.model);
  if (command.model !== undefined && models.length === 0 && !hasErrors(diagnostics)) {
    // Specs in different files may name a model alike: each name once.
    const names = [...new Set(result.models.map((m) => m.model.name))];
    env.stderr(`no model named '${escapeControls(command.model)}'; models: ${escapeControls(names.join(', '))}\n`);
    return 2;
  }
  const locator = locatorOf(loaded.shown);
  if (command.format === 'json') env.stdout(safeJson(JSON.stringify(models.map((m) => modelJson(m, locator)), null, 2) + '\n'));
  else env.stdout(escapeControls(models.map(command.format === 'markdown' ? summaryMarkdown : summaryText).join('\n'), true));
  return exitCode(diagnostics);
}

/** One build of `--watch`; an exception is reported like any other and the watch goes on. */
function watchedBuild(env: Environment, command: Command, compile: Compile): void {
  try {
    runBuild(env, command, compile);
  } catch (e) {
    internalError(env, e);
  }
}

function runWatch(env: Environment, command: Command, compile: Compile): Promise<number> {
  runBuild(env, command, compile);
  const loaded = load(env.cwd, command.paths);
  if (!('config' in loaded)) return Promise.resolve(2);
  const roots = command.paths.length > 0 ? command.paths.map((p) => resolve(env.cwd, p)) : loaded.config.include.map((p) => resolve(loaded.project.root, p));
  let timer: NodeJS.Timeout | undefined;
  const watchers: FSWatcher[] = [];
  for (const root of roots) {
    try {
      watchers.push(
        watch(root, { recursive: true }, () => {
          clearTimeout(timer);
          timer = setTimeout(() => watchedBuild(env, command, compile), 100);
        }),
      );
    } catch (e) {
      watchers.forEach((w) => w.close());
      report(env, [ioDiagnostic(e, projectPath(loaded.project, root))], [], 'stderr');
      return Promise.resolve(2);
    }
  }
  env.stderr(`watching ${roots.map((root) => escapeControls(projectPath(loaded.project, root))).join(', ')} (Ctrl-C to stop)\n`);
  return new Promise((done) =>
    process.once('SIGINT', () => {
      watchers.forEach((w) => w.close());
      done(0);
    }),
  );
}

/**
 * An exception that reached the top: a bug in netspec, never a user error.
 * One line says so, the stack follows for the bug report, exit code 3.
 */
function internalError(env: Environment, error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error && error.stack ? error.stack : '(no stack)';
  const text = `netspec: internal error (a bug): ${escapeControls(message.split('\n')[0] ?? '')}\n${escapeControls(stack, true)}\n`;
  try {
    env.stderr(text);
  } catch {
    process.stderr.write(text);
  }
  return internalErrorExit;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * `import`: model.json (and its weight files) -> a spec and its .npy files.
 * Everything is read and checked first; nothing is written when there is an
 * error, and only inside the project root.
 */
function runImport(env: Environment, command: Command): number {
  const modelPath = resolve(env.cwd, command.paths[0]!);
  const project = projectAt(rootFinder(env.cwd)(dirname(modelPath)));
  const read = readSavedModel(project, modelPath);
  if (!read.value || read.diagnostics.length > 0) return report(env, read.diagnostics, [], 'stderr'), 2;
  const { source, weightData } = read.value;
  const specAbsolute = command.out !== undefined ? resolve(env.cwd, command.out) : join(dirname(modelPath), `${source.path.split('/').pop()!.replace(/\.json$/, '')}.yaml`);
  const specShown = projectPath(project, specAbsolute);
  const outside = outsideTarget(project, specAbsolute, 'the spec', specShown, 'write the spec into a folder inside the project');
  if (outside) return report(env, [outside], [], 'stderr'), 2;
  const imported = importModel(source, { weightData, specPath: specShown });
  report(env, imported.diagnostics, [source], 'stderr');
  if (!imported.value || hasErrors(imported.diagnostics)) {
    env.stderr('nothing written: fix the errors above first\n');
    return 1;
  }
  const folder = dirname(specAbsolute);
  const files = [...imported.value.weightFiles.map((f) => ({ absolute: join(folder, ...f.path.split('/')), bytes: f.bytes as string | Uint8Array })), { absolute: specAbsolute, bytes: imported.value.spec as string | Uint8Array }];
  for (const file of files) {
    const failed = writeInsideProject(project, file.absolute, file.bytes, projectPath(project, file.absolute));
    if (failed) return report(env, [failed], [], 'stderr'), 2;
  }
  const weights = imported.value.weightFiles.length;
  env.stdout(`wrote ${escapeControls(specShown)}${weights ? ` and ${weights} weight file${weights === 1 ? '' : 's'}` : ''}\n`);
  return 0;
}

/**
 * `export onnx`: a saved tfjs model (model.json and its weight files) -> an
 * ONNX file. tfjs is loaded only for this command. Nothing is written when
 * there is an error, and only inside the project root.
 */
async function runExport(env: Environment, command: Command): Promise<number> {
  const modelPath = resolve(env.cwd, command.paths[0]!);
  const project = projectAt(rootFinder(env.cwd)(dirname(modelPath)));
  const read = readSavedModel(project, modelPath);
  if (!read.value || read.diagnostics.length > 0) return report(env, read.diagnostics, [], 'stderr'), 2;
  const target = resolve(env.cwd, command.out!);
  const shown = projectPath(project, target);
  const outside = outsideTarget(project, target, 'the ONNX file', shown, 'write the ONNX file into a folder inside the project');
  if (outside) return report(env, [outside], [], 'stderr'), 2;
  const { onnxFromModelJson } = await import('./onnx/from-model-json.js');
  const exported = await onnxFromModelJson(read.value.source, read.value.weightData);
  report(env, exported.diagnostics, [read.value.source], 'stderr');
  if (!exported.value || hasErrors(exported.diagnostics)) {
    env.stderr('nothing written: fix the errors above first\n');
    return 1;
  }
  const failed = writeInsideProject(project, target, exported.value, shown);
  if (failed) return report(env, [failed], [], 'stderr'), 2;
  env.stdout(`wrote ${escapeControls(shown)} (${exported.value.length} bytes, ONNX opset 18)\n`);
  return 0;
}

/** Runs one command line; resolves to the exit code. Never throws: an exception is reported as a bug (exit 3). */
export async function main(argv: readonly string[], env: Environment = defaultEnvironment()): Promise<number> {
  try {
    return await run(argv, env);
  } catch (e) {
    return internalError(env, e);
  }
}

async function run(argv: readonly string[], env: Environment): Promise<number> {
  const command = parseArgs(argv);
  if ('error' in command) {
    env.stderr(`netspec: ${escapeControls(command.error)}\n\n${usage}`);
    return 2;
  }
  switch (command.command) {
    case 'help':
      env.stdout(usage);
      return 0;
    case 'version':
      env.stdout(`netspec ${version()}\n`);
      return 0;
    case 'explain': {
      const explained = explainCode(command.paths[0]!);
      if ('error' in explained) return env.stderr(`netspec: ${escapeControls(explained.error)}\n`), 2;
      env.stdout(explained.text);
      return 0;
    }
    case 'build': {
      const compile = await loadCompile();
      return command.watch ? runWatch(env, command, compile) : runBuild(env, command, compile);
    }
    case 'check':
      return runCheck(env, command);
    case 'summary':
      return runSummary(env, command);
    case 'import':
      return runImport(env, command);
    case 'export':
      return runExport(env, command);
    case 'lsp': {
      // Loaded only here, so that no other command loads vscode-languageserver.
      const { startServer } = await import('./lsp/server.js');
      startServer();
      // The server ends the process itself, on the client's `exit` or when stdin closes.
      return new Promise<number>(() => undefined);
    }
  }
}
