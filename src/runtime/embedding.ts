import * as tf from '@tensorflow/tfjs';
import { customGradient } from './custom-gradient.js';
import { nativeClass, type NativeClass, single } from './runtime-layer.js';

/** Options of tfjs `embedding`, unchanged: same names, same defaults. */
export type EmbeddingArgs = Parameters<typeof tf.layers.embedding>[0];

type NativeEmbedding = ReturnType<typeof tf.layers.embedding>;

/** The fields tfjs' Embedding keeps (private in its typings). */
interface EmbeddingFields {
  readonly embeddings: tf.LayerVariable;
  readonly outputDim: number;
}

/**
 * `tf.gather` of table rows whose gradient is a scatter-add on every backend:
 * row `k` of the table's gradient is the sum of `dy` over the positions that
 * read index `k` (`tf.scatterND` sums repeated indices). tfjs' own gather
 * gradient is `unsortedSegmentSum`, which tfjs-backend-wasm does not have.
 */
const gatherRows = customGradient((table: tf.Tensor, indices: tf.Tensor, save: tf.GradSaveFunc) => {
  save([indices]);
  const shape = table.shape;
  return {
    value: tf.gather(table, indices),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.scatterND(tf.expandDims(saved[0]!, 1), dy, shape), tf.zerosLike(saved[0]!)],
  };
});

const EmbeddingBase: NativeClass<NativeEmbedding, EmbeddingArgs> = nativeClass('Embedding');

/**
 * tfjs' `embedding` (Keras `Embedding`), trainable on every backend: the same
 * options, config and weight (`embeddings [inputDim, outputDim]`), and the
 * same lookup (indices cast to int32, one row per index, the output the
 * input's shape plus `outputDim`), with the gradient of `gatherRows`.
 * An index outside [0, inputDim) throws in tfjs' gather, on cpu and wasm.
 */
export class Embedding extends EmbeddingBase {
  static override className = 'NetspecEmbedding';

  constructor(args: EmbeddingArgs) {
    super(args);
    // tfjs' Embedding sets a batchInputShape (for Sequential models) after its base constructor, which
    // then records no dtype, while a copy loaded from that config gets float32: set it now, so that
    // save -> load -> save writes the same topology.
    const self = this as unknown as { dtype?: string };
    self.dtype ??= 'float32';
  }

  /** tfjs writes unset `maskZero` and `inputLength` as undefined, which a saved model reads back as null: write null. */
  override getConfig(): tf.serialization.ConfigDict {
    const config = super.getConfig();
    for (const key of ['maskZero', 'inputLength']) config[key] ??= null;
    return config;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const indices = x.dtype === 'int32' ? x : tf.cast(x, 'int32');
      const { embeddings, outputDim } = this as unknown as EmbeddingFields;
      const rows = gatherRows(embeddings.read(), tf.reshape(indices, [indices.size]));
      return tf.reshape(rows, [...x.shape, outputDim]);
    });
  }
}

tf.serialization.registerClass(Embedding);

/** An embedding that trains on every backend (wasm included); options as tfjs `embedding`. */
export function embedding(args: EmbeddingArgs): Embedding {
  return new Embedding(args);
}
