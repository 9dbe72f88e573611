import * as tf from '@tensorflow/tfjs';
import { RuntimeLayer, single, singleShape, type BaseArgs } from './runtime-layer.js';

/** Options of a global pooling layer, as Keras 3's. */
export interface GlobalPoolingArgs extends BaseArgs {
  /** Number of spatial axes: 1, 2 or 3. */
  readonly rank: 1 | 2 | 3;
  /** The largest value over the positions, or their mean. */
  readonly mode: 'max' | 'average';
  /** Default channelsLast. */
  readonly dataFormat?: 'channelsLast' | 'channelsFirst';
  /** Keep the pooled axes with size 1. Default false. */
  readonly keepdims?: boolean;
}

/**
 * Global max and average pooling of rank 1-3 in both data formats, with
 * Keras 3's `keepdims`: what tfjs' own layers lack (they have no 3D ones, no
 * channelsFirst in 1D and no keepdims). One reduction over the spatial axes,
 * `tf.max` or `tf.mean`, whose gradients tfjs has on every backend. No weights.
 */
export class GlobalPooling extends RuntimeLayer<GlobalPoolingArgs> {
  static className = 'NetspecGlobalPooling';

  constructor(args: GlobalPoolingArgs) {
    super(args);
    this.inputSpec = [{ ndim: args.rank + 2 }];
  }

  /** The spatial axes of the input. */
  private get axes(): number[] {
    const first = this.args.dataFormat === 'channelsFirst' ? 2 : 1;
    return Array.from({ length: this.args.rank }, (_, a) => first + a);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = singleShape(inputShape);
    const axes = this.axes;
    if (this.args.keepdims) return shape.map((d, a) => (axes.includes(a) ? 1 : d));
    return shape.filter((_, a) => !axes.includes(a));
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const keep = this.args.keepdims ?? false;
      return this.args.mode === 'max' ? tf.max(x, this.axes, keep) : tf.mean(x, this.axes, keep);
    });
  }
}
tf.serialization.registerClass(GlobalPooling);

function globalPoolingOf(rank: 1 | 2 | 3, mode: 'max' | 'average'): (args?: Omit<GlobalPoolingArgs, 'rank' | 'mode'>) => GlobalPooling {
  return (args = {}) => new GlobalPooling({ ...args, rank, mode });
}

/** Global pooling layers with Keras 3's dataFormat and keepdims, and the 3D ones tfjs lacks. */
export const globalAveragePooling1d = globalPoolingOf(1, 'average');
export const globalAveragePooling2d = globalPoolingOf(2, 'average');
export const globalAveragePooling3d = globalPoolingOf(3, 'average');
export const globalMaxPooling1d = globalPoolingOf(1, 'max');
export const globalMaxPooling2d = globalPoolingOf(2, 'max');
export const globalMaxPooling3d = globalPoolingOf(3, 'max');
