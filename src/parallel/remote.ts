/**
 * One worker thread seen from the main thread: requests become promises,
 * answered by id; a worker that crashes or exits rejects everything it still
 * owed, with the worker's number in the message.
 */
import { Worker } from 'node:worker_threads';
import type { ModelInfo, RemoteError, Request, Response, WorkerSetup } from './messages.js';

type Pending = { readonly resolve: (value: unknown) => void; readonly reject: (error: Error) => void; readonly what: string };

/** A request without its id: the id is assigned when sent. */
type RequestBody = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;

/**
 * The parent's Node flags (a worker inherits them by default), without those
 * about the parent's own entry: `node --input-type=module -e ...` would
 * otherwise make every worker fail to load its script.
 */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const withValue = new Set(['--input-type', '-e', '--eval', '-p', '--print']);
  const alone = new Set(['-i', '--interactive']);
  const kept: string[] = [];
  for (let n = 0; n < execArgv.length; n++) {
    const flag = execArgv[n]!;
    const name = flag.split('=')[0]!;
    if (withValue.has(name)) {
      if (!flag.includes('=')) n++;
    } else if (!alone.has(name)) kept.push(flag);
  }
  return kept;
}

function remoteError(label: string, what: string, error: RemoteError): Error {
  const cause = Object.assign(new Error(error.message), { name: error.name, stack: error.stack });
  return new Error(`${label}: ${what} failed: ${error.message}`, { cause });
}

export class RemoteModel {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | undefined;
  /** Resolves with the model the worker built, or rejects with why it could not. */
  readonly ready: Promise<ModelInfo>;

  constructor(
    script: URL,
    setup: WorkerSetup,
    private readonly label: string,
  ) {
    this.ready = new Promise<unknown>((resolve, reject) => this.pending.set(0, { resolve, reject, what: `building the model with ${setup.build}() of ${setup.module}` })) as Promise<ModelInfo>;
    // Handled here so a worker that fails while another one's failure is being reported raises no unhandled rejection.
    this.ready.catch(() => undefined);
    this.worker = new Worker(script, { workerData: setup, execArgv: workerExecArgv(process.execArgv) });
    this.worker.on('message', (response: Response) => this.settle(response));
    this.worker.on('error', (error) => this.fail(new Error(`${label} crashed: ${error.message}`, { cause: error })));
    this.worker.on('messageerror', (error) => this.fail(new Error(`${label} sent a message that could not be read: ${error.message}`, { cause: error })));
    this.worker.on('exit', (code) => this.fail(new Error(`${label} exited${code ? ` with code ${code}` : ''}`)));
  }

  /** `what` names the request in an error message ("predict of rows 3 to 4", say). */
  request<T>(body: RequestBody, transfer: readonly ArrayBuffer[] = [], what: string = body.kind): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, what });
      this.worker.postMessage({ ...body, id }, transfer as ArrayBuffer[]);
    });
  }

  /** Stops the worker; whatever it still owed rejects with `reason`. */
  async terminate(reason: Error): Promise<void> {
    this.fail(reason);
    await this.worker.terminate();
  }

  private settle(response: Response): void {
    const entry = this.pending.get(response.id);
    if (entry === undefined) return;
    this.pending.delete(response.id);
    if (response.ok) entry.resolve(response.value);
    else entry.reject(remoteError(this.label, entry.what, response.error));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const entry of this.pending.values()) entry.reject(this.failure);
    this.pending.clear();
  }
}
