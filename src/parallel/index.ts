/**
 * netspec/parallel: model.predict on large batches across Node worker_threads,
 * each worker with its own tfjs backend. See README.md, "Parallel predict".
 */
export { createPredictPool, type PredictPool, type PredictPoolOptions, type RawTensor, type TensorValue } from './pool.js';
export type { ModelInfo, TensorInfo } from './messages.js';
export { batchSlices, type BatchSlice } from './batch.js';
