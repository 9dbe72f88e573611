/**
 * What the pool (./pool.ts) and its worker script (./worker.js) send each
 * other. Every request carries an id; the worker answers each with that id,
 * in the order it received them, and announces the built model as answer 0.
 */

export type TensorDtype = 'float32' | 'int32';

/** A tensor as plain data: row-major values, batch axis first. */
export interface FlatTensor {
  readonly data: Float32Array | Int32Array;
  readonly shape: readonly number[];
  readonly dtype: TensorDtype;
}

/** Weights in one SharedArrayBuffer, so every worker reads the same copy (model.getWeights() order). */
export interface PackedWeights {
  readonly buffer: SharedArrayBuffer;
  readonly entries: readonly { readonly offset: number; readonly length: number; readonly shape: readonly number[]; readonly dtype: TensorDtype }[];
}

/** Sent once as workerData: what the worker loads and builds. */
export interface WorkerSetup {
  /** A file: URL of the compiled module. */
  readonly module: string;
  readonly build: string;
  readonly backend: string;
  /** The main thread's tfjs PROD flag, so a worker prints (or silences) what the main thread would. */
  readonly prod: boolean;
}

export type Request =
  | { readonly id: number; readonly kind: 'predict'; readonly inputs: readonly FlatTensor[] }
  | { readonly id: number; readonly kind: 'setWeights'; readonly weights: PackedWeights }
  | { readonly id: number; readonly kind: 'getWeights' };

export interface TensorInfo {
  readonly name: string;
  readonly shape: readonly (number | null)[];
  readonly dtype: string;
}

/** The answer to the setup (id 0): the model the worker built. */
export interface ModelInfo {
  readonly name: string;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly weights: readonly TensorInfo[];
}

export interface RemoteError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

export type Response = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: RemoteError };
