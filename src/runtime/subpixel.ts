import * as tf from '@tensorflow/tfjs';
import { blockFoldedLength, blockSpreadLength } from '../infer/formulas.js';
import { RuntimeLayer, single, singleShape, type BaseArgs } from './runtime-layer.js';
import { toChannelsFirst, toChannelsLast } from './tensor-ops.js';

/**
 * depthToSpace, spaceToDepth (TensorFlow's channel order) and pixelShuffle
 * (PyTorch's), for rank-4 tensors in either data format. tfjs has only the
 * `tf.depthToSpace` op, channelsLast only and without a gradient, so these
 * are reshapes and transposes of rank 4 at most, which have gradients on
 * every backend and stay on wasm's fast transpose paths. Values are moved,
 * never computed: results are exact. See docs/spec-format.md for the orders.
 */

type DataFormat = 'channelsLast' | 'channelsFirst';

interface BlockArgs extends BaseArgs {
  /** Default channelsLast. */
  readonly dataFormat?: DataFormat;
}

/**
 * TensorFlow's depth_to_space, channelsLast:
 * `out[n, h*r + i, w*r + j, c] = x[n, h, w, (i*r + j)*C + c]`. The channel
 * index splits as `i * (r*C) + (j*C + c)`, so one rank-4 transpose swapping
 * `w` and `i` does it.
 */
export function depthToSpaceLast(x: tf.Tensor, r: number): tf.Tensor {
  const [n, h, w, d] = x.shape as [number, number, number, number];
  const c = d / (r * r);
  return tf.reshape(tf.transpose(tf.reshape(x, [n * h, w, r, r * c]), [0, 2, 1, 3]), [n, h * r, w * r, c]);
}

/** TensorFlow's space_to_depth, channelsLast, the inverse of `depthToSpaceLast`. */
export function spaceToDepthLast(x: tf.Tensor, r: number): tf.Tensor {
  const [n, hr, wr, c] = x.shape as [number, number, number, number];
  const [h, w] = [hr / r, wr / r];
  return tf.reshape(tf.transpose(tf.reshape(x, [n * h, r, w, r * c]), [0, 2, 1, 3]), [n, h, w, r * r * c]);
}

/**
 * PyTorch's pixel_shuffle, channelsLast: `out[n, h*r + i, w*r + j, c] = x[n, h, w, c*r*r + i*r + j]`.
 * At each position, channel `c*r*r + k` is first moved to `k*C + c`
 * (TensorFlow's order), then depth_to_space places it.
 */
export function pixelShuffleLast(x: tf.Tensor, r: number): tf.Tensor {
  const [n, h, w, d] = x.shape as [number, number, number, number];
  const c = d / (r * r);
  const reordered = tf.reshape(tf.transpose(tf.reshape(x, [n * h * w, c, r * r]), [0, 2, 1]), [n, h, w, d]);
  return depthToSpaceLast(reordered, r);
}

/** Shared plumbing: the sizes of src/infer/formulas.ts (`blockSpreadLength`, `blockFoldedLength`), channelsLast inside. */
abstract class BlockLayer<A extends BlockArgs> extends RuntimeLayer<A> {
  constructor(args: A) {
    super(args);
    this.inputSpec = [{ ndim: 4 }];
  }

  /** The block size r. */
  protected abstract get factor(): number;
  /** True when channels move into space (depthToSpace, pixelShuffle). */
  protected abstract get toSpace(): boolean;
  protected abstract apply1(x: tf.Tensor): tf.Tensor;

  private get channelsFirst(): boolean {
    return this.args.dataFormat === 'channelsFirst';
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = singleShape(inputShape);
    const r = this.factor;
    const c = this.channelsFirst ? 1 : 3;
    const spatial = this.channelsFirst ? [2, 3] : [1, 2];
    // As in TensorFlow, sizes that do not divide are an error, not a rounding.
    const fold = (d: number | null, by: number, what: string) => {
      if (d !== null && d % by !== 0) throw new Error(`netspec runtime: ${this.name}: ${what} ${d} is not a multiple of ${by}`);
      return blockFoldedLength(d, by);
    };
    return shape.map((d, a) => {
      const size = d ?? null;
      if (a === c) return this.toSpace ? fold(size, r * r, 'the channel count') : blockSpreadLength(size, r * r);
      if (spatial.includes(a)) return this.toSpace ? blockSpreadLength(size, r) : fold(size, r, 'the spatial size');
      return d;
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      // Checks the sizes of a tensor the graph did not see (a different size at run time).
      this.computeOutputShape(x.shape);
      if (!this.channelsFirst) return this.apply1(x);
      return toChannelsFirst(this.apply1(toChannelsLast(x)));
    });
  }
}

/** Options of `depthToSpace` and `spaceToDepth`. */
export interface BlockSizeArgs extends BlockArgs {
  /** The block size r, at least 2. */
  readonly blockSize: number;
}

/** Options of `pixelShuffle`. */
export interface PixelShuffleArgs extends BlockArgs {
  /** The factor r (PyTorch `upscale_factor`). */
  readonly upscaleFactor: number;
}

/** TensorFlow `tf.nn.depth_to_space`: `[H, W, r*r*C] -> [H*r, W*r, C]`, input channel `(i*r + j)*C + c` to offset `(i, j)` of channel `c`. */
export class DepthToSpace extends BlockLayer<BlockSizeArgs> {
  static className = 'NetspecDepthToSpace';
  protected get factor(): number {
    return this.args.blockSize;
  }
  protected get toSpace(): boolean {
    return true;
  }
  protected apply1(x: tf.Tensor): tf.Tensor {
    return depthToSpaceLast(x, this.args.blockSize);
  }
}

/** TensorFlow `tf.nn.space_to_depth`: `[H*r, W*r, C] -> [H, W, r*r*C]`, offset `(i, j)` of channel `c` to channel `(i*r + j)*C + c`. */
export class SpaceToDepth extends BlockLayer<BlockSizeArgs> {
  static className = 'NetspecSpaceToDepth';
  protected get factor(): number {
    return this.args.blockSize;
  }
  protected get toSpace(): boolean {
    return false;
  }
  protected apply1(x: tf.Tensor): tf.Tensor {
    return spaceToDepthLast(x, this.args.blockSize);
  }
}

/** PyTorch `torch.nn.PixelShuffle`: `[H, W, C*r*r] -> [H*r, W*r, C]`, input channel `c*r*r + i*r + j` to offset `(i, j)` of channel `c`. */
export class PixelShuffle extends BlockLayer<PixelShuffleArgs> {
  static className = 'NetspecPixelShuffle';
  protected get factor(): number {
    return this.args.upscaleFactor;
  }
  protected get toSpace(): boolean {
    return true;
  }
  protected apply1(x: tf.Tensor): tf.Tensor {
    return pixelShuffleLast(x, this.args.upscaleFactor);
  }
}

for (const cls of [DepthToSpace, SpaceToDepth, PixelShuffle]) tf.serialization.registerClass(cls);

export const depthToSpace = (args: BlockSizeArgs) => new DepthToSpace(args);
export const spaceToDepth = (args: BlockSizeArgs) => new SpaceToDepth(args);
export const pixelShuffle = (args: PixelShuffleArgs) => new PixelShuffle(args);
