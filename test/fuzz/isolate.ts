import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, Worker, isMainThread, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Diagnostic, EmittedModule, ModelShapes, SourceFile } from '../../src/index.js';
import { weightFiles } from './files.js';

/**
 * Runs the compiler on a case in a worker thread, so that a case that never
 * ends (a repeat of a billion empty iterations) or runs out of memory is
 * killed after a hard limit instead of hanging the run. The fuzz loop is
 * synchronous (fast-check's property), so the call is too: the main thread
 * posts the case and sleeps on an Atomics flag until the worker answers or
 * the limit passes.
 *
 * Workers run plain JavaScript, so `buildIsolate()` first compiles src/ and
 * this file with the project's tsc into scratch/fuzz/build/ (source maps on,
 * so stacks name src/*.ts lines). The worker gets the main thread's default
 * stack size (about 1 MB): recursion depth behaves as in the CLI.
 */

/** What the compiler did with one case: every value the properties look at, cloned out of the worker. */
export interface Raw {
  readonly thrown: readonly { stage: string; name: string; message: string; stack: string }[];
  readonly checkDiagnostics?: readonly Diagnostic[];
  readonly compiled?: {
    readonly diagnostics: readonly Diagnostic[];
    readonly modules: readonly EmittedModule[];
    readonly files: readonly string[];
    /** Undefined if the models could not be cloned out of the worker (they then skip the tfjs sample). */
    readonly models?: readonly ModelShapes[];
  };
  readonly ms: number;
}

// ---- worker side -------------------------------------------------------------

interface Data {
  readonly netspecFuzz: true;
  readonly port: MessagePort;
  readonly flag: Int32Array;
  readonly root: string;
}

function errorOf(stage: string, e: unknown) {
  const error = e instanceof Error ? e : new Error(String(e));
  return { stage, name: error.name, message: error.message, stack: error.stack ?? '' };
}

async function serve(data: Data): Promise<void> {
  const netspec = await import('../../src/index.js');
  const readFile = weightFiles(data.root);
  // Loaded: the main thread, waiting for this, may now time each case alone.
  Atomics.store(data.flag, 0, 2);
  Atomics.notify(data.flag, 0);
  data.port.on('message', (sources: SourceFile[]) => {
    // A user runs one of them (`netspec check` or `netspec build`), so the slower one is what is bounded, not their sum.
    let started = performance.now();
    let ms = 0;
    const thrown: ReturnType<typeof errorOf>[] = [];
    let raw: Omit<Raw, 'ms' | 'thrown'> = {};
    try {
      const checked = netspec.check(sources, { readFile });
      ms = performance.now() - started;
      raw = { checkDiagnostics: checked.diagnostics };
      try {
        netspec.formatText(checked.diagnostics, new netspec.Locator(new Map(sources.map((s) => [s.path, s.text]))), { color: false });
      } catch (e) {
        thrown.push(errorOf('formatText', e));
      }
      if (!checked.diagnostics.some((d) => d.severity === 'error')) {
        try {
          started = performance.now();
          const result = netspec.compile(sources, { readFile });
          ms = Math.max(ms, performance.now() - started);
          raw = { ...raw, compiled: { diagnostics: result.diagnostics, modules: result.modules, files: result.specs.map((s) => s.file), models: result.models } };
        } catch (e) {
          thrown.push(errorOf('compile', e));
        }
      }
    } catch (e) {
      thrown.push(errorOf('check', e));
    }
    const answer = { ...raw, thrown, ms: Math.max(ms, performance.now() - started) };
    try {
      data.port.postMessage(answer);
    } catch {
      // The inferred models hold something that cannot be cloned: send the rest.
      data.port.postMessage({ ...answer, compiled: answer.compiled && { ...answer.compiled, models: undefined } });
    }
    Atomics.store(data.flag, 0, 1);
    Atomics.notify(data.flag, 0);
  });
}

if (!isMainThread && (workerData as Partial<Data> | null)?.netspecFuzz) void serve(workerData as Data);

// ---- main side ---------------------------------------------------------------

/** Compiles src/ and the worker into scratch/fuzz/build/ (the schema and its compiled validator are copied where src/ looks for them). */
export function buildIsolate(root: string, scratch: string): string {
  const build = join(scratch, 'build');
  const config = join(scratch, 'tsconfig.isolate.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: '../../tsconfig.base.json',
      compilerOptions: { rootDir: '../..', outDir: './build', sourceMap: true, noEmit: false, noUnusedLocals: false },
      files: ['../../test/fuzz/isolate.ts'],
    }),
  );
  const run = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config, '--pretty', 'false'], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`building the fuzz worker failed:\n${run.stdout}${run.stderr}`);
  mkdirSync(join(build, 'schemas'), { recursive: true });
  copyFileSync(join(root, 'schemas', 'netspec.schema.json'), join(build, 'schemas', 'netspec.schema.json'));
  // The validator the build compiles from the schema is JavaScript, which tsc does not copy.
  copyFileSync(join(root, 'src', 'validate', 'compiled-schema.js'), join(build, 'src', 'validate', 'compiled-schema.js'));
  return join(build, 'test', 'fuzz', 'isolate.js');
}

export class Isolate {
  #worker?: Worker;
  #port?: MessagePort;
  #flag = new Int32Array(new SharedArrayBuffer(4));
  /** Workers started: more than one means some case was killed. */
  starts = 0;

  constructor(
    readonly file: string,
    readonly root: string,
  ) {}

  #start(): void {
    const { port1, port2 } = new MessageChannel();
    this.#worker = new Worker(this.file, {
      workerData: { netspecFuzz: true, port: port2, flag: this.#flag, root: this.root },
      transferList: [port2],
      execArgv: ['--enable-source-maps'],
      resourceLimits: { stackSizeMb: 1, maxOldGenerationSizeMb: 1536 },
    });
    this.#worker.unref();
    this.#port = port1;
    this.starts++;
    const started = performance.now();
    this.#wait(started + 60_000);
    this.loadMs += performance.now() - started;
  }

  /** Time spent starting workers (loading the compiler), not counted against any case. */
  loadMs = 0;

  /** Sleeps until the worker sets the flag or the deadline passes. */
  #wait(deadline: number): void {
    while (Atomics.load(this.#flag, 0) === 0 && performance.now() < deadline) Atomics.wait(this.#flag, 0, 0, Math.max(1, deadline - performance.now()));
  }

  /** The compiler's answer, or undefined when it gave none within `limitMs` (the worker is then replaced). */
  run(sources: readonly SourceFile[], limitMs: number): Raw | undefined {
    if (!this.#worker) {
      Atomics.store(this.#flag, 0, 0);
      this.#start();
    }
    Atomics.store(this.#flag, 0, 0);
    this.#port!.postMessage(sources);
    this.#wait(performance.now() + limitMs);
    const answer = receiveMessageOnPort(this.#port!);
    if (answer) return answer.message as Raw;
    void this.#worker!.terminate();
    this.#worker = undefined;
    return undefined;
  }

  close(): void {
    void this.#worker?.terminate();
    this.#worker = undefined;
  }
}
