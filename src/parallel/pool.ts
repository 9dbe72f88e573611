/**
 * createPredictPool: model.predict on a large batch, split across Node
 * worker_threads, each with its own tfjs backend (wasm by default). tfjs'
 * wasm backend runs on one thread in Node (its threaded build needs browser
 * cross-origin isolation), so a pool of N workers can use N cores.
 */
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { batchSize, batchSlices, concatRows, sliceRows } from './batch.js';
import type { FlatTensor, ModelInfo, PackedWeights, TensorDtype } from './messages.js';
import { RemoteModel } from './remote.js';

/** Plain data for a tensor: `data` row-major, `shape` batch first. */
export interface RawTensor {
  readonly data: Float32Array | Int32Array;
  readonly shape: readonly number[];
}

export type TensorValue = tf.Tensor | RawTensor;

export interface PredictPoolOptions {
  /**
   * The compiled JavaScript module whose export `build` makes the model (a
   * generated module after tsc, say): a `file:` URL, or a path, relative to
   * the working directory. Each worker imports it, so it must resolve
   * `@tensorflow/tfjs` and `netspec/runtime` from where it lies.
   */
  readonly module: string | URL;
  /** The name of the exported function that builds the model, e.g. `buildGenerator`; called with no arguments. */
  readonly build: string;
  /** Worker threads. Default: `os.availableParallelism()`. */
  readonly workers?: number;
  /** The tfjs backend of every worker. Default `'wasm'` (which needs @tensorflow/tfjs-backend-wasm installed). */
  readonly backend?: 'wasm' | 'cpu';
  /**
   * The weights every worker computes with, in `model.getWeights()` order.
   * Default: the first worker's freshly initialized ones, copied to the others,
   * so all workers agree.
   */
  readonly weights?: readonly TensorValue[];
}

export interface PredictPool {
  /** Worker threads in the pool. */
  readonly size: number;
  /** The model each worker built: its name, inputs, outputs and weights. */
  readonly model: ModelInfo;
  /**
   * `model.predict` over the batch: rows split into contiguous slices, one per
   * worker, and the outputs joined in order. One tensor for a one-output model,
   * otherwise one per output; the inputs are not disposed.
   */
  predict(inputs: TensorValue | readonly TensorValue[]): Promise<tf.Tensor | tf.Tensor[]>;
  /** Sets every worker's weights (`model.getWeights()` order), e.g. after training in the main thread. */
  setWeights(weights: readonly TensorValue[]): Promise<void>;
  /** Terminates the workers; pending and later calls reject. */
  dispose(): Promise<void>;
}

const workerScript = new URL('./worker.js', import.meta.url);

function moduleUrl(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (/^file:/i.test(module)) return module;
  return pathToFileURL(isAbsolute(module) ? module : resolve(module)).href;
}

/** A tf.Tensor, also one from another copy of tfjs than this module's (where instanceof fails). */
function isTensor(value: TensorValue): value is tf.Tensor {
  return value instanceof tf.Tensor || typeof (value as { dataSync?: unknown }).dataSync === 'function';
}

function dtypeOf(value: TensorValue): TensorDtype {
  const dtype = isTensor(value) ? value.dtype : value.data instanceof Int32Array ? 'int32' : 'float32';
  if (dtype !== 'float32' && dtype !== 'int32') throw new TypeError(`the pool passes float32 and int32 tensors, received ${dtype}`);
  return dtype;
}

async function flat(value: TensorValue): Promise<FlatTensor> {
  const dtype = dtypeOf(value);
  if (isTensor(value)) return { data: (await value.data()) as Float32Array | Int32Array, shape: value.shape, dtype };
  const size = value.shape.reduce((p, d) => p * d, 1);
  if (size !== value.data.length) throw new TypeError(`shape [${value.shape.join(', ')}] holds ${size} values, received ${value.data.length}`);
  return { data: value.data, shape: [...value.shape], dtype };
}

/** The weights in one SharedArrayBuffer: every worker copies its tensors from the same bytes. */
function pack(weights: readonly FlatTensor[]): PackedWeights {
  // float32 and int32 are both 4 bytes, so every entry stays aligned.
  const buffer = new SharedArrayBuffer(weights.reduce((n, w) => n + w.data.length * 4, 0));
  let offset = 0;
  const entries = weights.map((w) => {
    const view = w.dtype === 'int32' ? new Int32Array(buffer, offset, w.data.length) : new Float32Array(buffer, offset, w.data.length);
    view.set(w.data);
    const entry = { offset, length: w.data.length, shape: [...w.shape], dtype: w.dtype };
    offset += w.data.length * 4;
    return entry;
  });
  return { buffer, entries };
}

/** Starts the workers, builds the model in each, and gives them all the same weights. */
export async function createPredictPool(options: PredictPoolOptions): Promise<PredictPool> {
  const size = options.workers ?? availableParallelism();
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`workers must be a positive whole number, received ${size}`);
  const setup = { module: moduleUrl(options.module), build: options.build, backend: options.backend ?? 'wasm', prod: tf.env().getBool('PROD') };
  const remotes = Array.from({ length: size }, (_, n) => new RemoteModel(workerScript, setup, `netspec/parallel worker ${n + 1} of ${size}`));
  let disposed: Promise<void> | undefined;
  const dispose = (reason = 'the predict pool was disposed'): Promise<void> =>
    (disposed ??= Promise.all(remotes.map((r) => r.terminate(new Error(reason)))).then(() => undefined));

  const setWeights = async (weights: readonly TensorValue[]): Promise<void> => {
    const packed = pack(await Promise.all(weights.map(flat)));
    await Promise.all(remotes.map((r) => r.request({ kind: 'setWeights', weights: packed })));
  };

  let model: ModelInfo;
  try {
    model = (await Promise.all(remotes.map((r) => r.ready)))[0]!;
    if (options.weights) await setWeights(options.weights);
    else if (size > 1) await setWeights(await remotes[0]!.request<FlatTensor[]>({ kind: 'getWeights' }));
  } catch (error) {
    await dispose('the predict pool could not start');
    throw error;
  }

  const predict = async (inputs: TensorValue | readonly TensorValue[]): Promise<tf.Tensor | tf.Tensor[]> => {
    const list = Array.isArray(inputs) ? (inputs as readonly TensorValue[]) : [inputs as TensorValue];
    if (list.length !== model.inputs.length)
      throw new TypeError(`model '${model.name}' takes ${model.inputs.length} input${model.inputs.length === 1 ? '' : 's'} (${model.inputs.map((i) => i.name).join(', ')}), received ${list.length}`);
    const flats = await Promise.all(list.map(flat));
    const slices = batchSlices(batchSize(flats), size);
    const parts = await Promise.all(
      slices.map((slice, n) => {
        const sliced = flats.map((t) => sliceRows(t, slice));
        const count = slice.end - slice.start;
        const rows = count === 0 ? 'an empty batch' : count === 1 ? `row ${slice.start}` : `rows ${slice.start} to ${slice.end - 1}`;
        return remotes[n]!.request<FlatTensor[]>({ kind: 'predict', inputs: sliced }, sliced.map((t) => t.data.buffer as ArrayBuffer), `predict of ${rows}`);
      }),
    );
    const outputs = model.outputs.map((_, k) => {
      const joined = concatRows(parts.map((p) => p[k]!));
      return tf.tensor(joined.data, [...joined.shape], joined.dtype);
    });
    return outputs.length === 1 ? outputs[0]! : outputs;
  };

  return { size, model, predict, setWeights, dispose: () => dispose() };
}
