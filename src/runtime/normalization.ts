import * as tf from '@tensorflow/tfjs';
import { nativeClass, type NativeClass, single } from './runtime-layer.js';

/** Options of tfjs `batchNormalization`, unchanged: same names, same defaults. */
export type BatchNormalizationArgs = NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>;
/** Options of tfjs `layerNormalization`, unchanged: same names, same defaults. */
export type LayerNormalizationArgs = NonNullable<Parameters<typeof tf.layers.layerNormalization>[0]>;

type NativeBatchNormalization = ReturnType<typeof tf.layers.batchNormalization>;
type NativeLayerNormalization = ReturnType<typeof tf.layers.layerNormalization>;
type Kwargs = Parameters<tf.layers.Layer['call']>[1];

/** The fields tfjs' BatchNormalization keeps (private in its typings). */
interface BatchNormalizationFields {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly gamma?: tf.LayerVariable;
  readonly beta?: tf.LayerVariable;
  readonly movingMean: tf.LayerVariable;
  readonly movingVariance: tf.LayerVariable;
}

/** The fields tfjs' LayerNormalization keeps; `axis` is a list of non-negative axes once built. */
interface LayerNormalizationFields {
  readonly axis: number[];
  readonly epsilon: number;
  readonly gamma: tf.LayerVariable | null;
  readonly beta: tf.LayerVariable | null;
}

const BatchNormalizationBase: NativeClass<NativeBatchNormalization, BatchNormalizationArgs> = nativeClass('BatchNormalization');

/**
 * tfjs' `batchNormalization` for inputs of any rank from 2 (tfjs itself
 * throws above rank 4, e.g. after conv3d or conv3dTranspose). Same options, defaults,
 * config, weights (gamma, beta, moving_mean, moving_variance, in that order)
 * and arithmetic: with the normalized axis last it computes exactly what tfjs
 * computes, and a rank-5 (or higher) input is reshaped to rank 4 around the
 * same computation. Where tfjs departs from Keras 3 it follows Keras 3:
 * - any other axis (channelsFirst) is moved last around the computation:
 *   tfjs 4.22 broadcasts wrongly on cpu and wasm there and has no training gradient;
 * - `center: false` or `scale: false` trains (tfjs throws in training mode);
 * - a frozen layer (`trainable: false`, or every weight frozen by a frozen
 *   parent model) normalizes with its moving statistics and leaves them
 *   unchanged even in training mode (Keras 3 `training and self.trainable`).
 */
export class BatchNormalization extends BatchNormalizationBase {
  static override className = 'NetspecBatchNormalization';

  private get fields(): BatchNormalizationFields {
    return this as unknown as BatchNormalizationFields;
  }

  /** Keras 3 uses batch statistics only `if training and self.trainable`. */
  private get frozen(): boolean {
    const { gamma, beta } = this.fields;
    const weights = [gamma, beta].filter((w): w is tf.LayerVariable => w != null);
    return !this.trainable || (weights.length > 0 && weights.every((w) => !w.trainable));
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const input = single(inputs);
      const rank = input.rank;
      const axis = this.fields.axis >= 0 ? this.fields.axis : this.fields.axis + rank;
      const order = [...input.shape.keys()].filter((a) => a !== axis).concat(axis);
      const moved = axis === rank - 1 ? input : tf.transpose(input, order);
      // Rank 5 -> 4 by merging the leading axes; every axis but the last is reduced either way.
      const leading = moved.shape.slice(0, rank - 3).reduce((p, d) => p * d, 1);
      const x = rank > 4 ? tf.reshape(moved, [leading, ...moved.shape.slice(rank - 3)]) : moved;
      const training = Boolean(kwargs?.['training']) && !this.frozen;
      const y = training ? this.normalizeInTraining(x) : this.normalizeInference(x);
      const unmerged = rank > 4 ? tf.reshape(y, moved.shape) : y;
      return axis === rank - 1 ? unmerged : tf.transpose(unmerged, order.map((_, a) => order.indexOf(a)));
    });
  }

  /** tfjs `normalizeInference` with the channel axis last: the moving statistics. */
  private normalizeInference(x: tf.Tensor): tf.Tensor {
    const { movingMean, movingVariance, epsilon } = this.fields;
    return tf.batchNorm(x, movingMean.read(), movingVariance.read(), this.betaOrZeros(), this.gammaOrOnes(), epsilon);
  }

  /** tfjs `regularNormalizeBatchInTraining` and its moving-average update, in the same order and arithmetic. */
  private normalizeInTraining(x: tf.Tensor): tf.Tensor {
    const { movingMean, movingVariance, momentum, epsilon } = this.fields;
    const { mean, variance } = tf.moments(x, [...x.shape.keys()].slice(0, -1));
    const normed = tf.batchNorm(x, mean, variance, this.betaOrZeros(), this.gammaOrOnes(), epsilon);
    for (const [variable, value] of [[movingMean, mean], [movingVariance, variance]] as const) {
      tf.tidy(() => {
        const original = variable.read();
        variable.write(tf.sub(original, tf.mul(tf.sub(original, value), 1 - momentum)));
      });
    }
    return normed;
  }

  // tfjs' batchNorm gradient fails on a missing offset or scale; 0 and 1 compute the same values.
  private betaOrZeros(): tf.Tensor {
    const { beta, movingMean } = this.fields;
    return beta ? beta.read() : tf.zerosLike(movingMean.read());
  }

  private gammaOrOnes(): tf.Tensor {
    const { gamma, movingMean } = this.fields;
    return gamma ? gamma.read() : tf.onesLike(movingMean.read());
  }
}

const LayerNormalizationBase: NativeClass<NativeLayerNormalization, LayerNormalizationArgs> = nativeClass('LayerNormalization');

/**
 * tfjs' `layerNormalization` for inputs of any rank from 2 (tfjs itself
 * throws above rank 4), trainable without gamma or beta (`center: false` or
 * `scale: false`: tfjs' batchNorm gradient fails on the missing offset or
 * scale). Same options, defaults, config and weights; ranks up to 4 with
 * both weights run tfjs' own computation, the rest the same formula,
 * `(x - mean) / sqrt(variance + epsilon) * gamma + beta` over `axis`.
 */
export class LayerNormalization extends LayerNormalizationBase {
  static override className = 'NetspecLayerNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const input = single(inputs);
    const { axis, epsilon, gamma, beta } = this as unknown as LayerNormalizationFields;
    if (input.rank <= 4 && gamma && beta) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(input, axis, true);
      const shape = input.shape.map((d, a) => (axis.includes(a) ? d : 1));
      let y = tf.mul(tf.sub(input, mean), tf.rsqrt(tf.add(variance, epsilon)));
      if (gamma) y = tf.mul(y, tf.reshape(gamma.read(), shape));
      if (beta) y = tf.add(y, tf.reshape(beta.read(), shape));
      return y;
    });
  }
}

tf.serialization.registerClass(BatchNormalization);
tf.serialization.registerClass(LayerNormalization);

/** A batch normalization for inputs of rank 2 and up (conv3d outputs included); options as tfjs `batchNormalization`. */
export function batchNormalization(args: BatchNormalizationArgs = {}): BatchNormalization {
  return new BatchNormalization(args);
}

/** A layer normalization for inputs of rank 2 and up; options as tfjs `layerNormalization`. */
export function layerNormalization(args: LayerNormalizationArgs = {}): LayerNormalization {
  return new LayerNormalization(args);
}
