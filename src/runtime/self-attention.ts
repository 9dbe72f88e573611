import * as tf from '@tensorflow/tfjs';
import { toInitializer, type InitializerDescriptor } from './descriptors.js';
import { RuntimeLayer, single, singleShape, type BaseArgs } from './runtime-layer.js';
import { toChannelsFirst, toChannelsLast } from './tensor-ops.js';

/** Options of `selfAttention`. */
export interface SelfAttentionArgs extends BaseArgs {
  /** Query and key have `C / reduction` channels. Default 8 (SAGAN). */
  readonly reduction?: number;
  /** Default channelsLast. */
  readonly dataFormat?: 'channelsLast' | 'channelsFirst';
  /** The three projection kernels. Default glorotUniform (Keras' Conv2D). */
  readonly kernelInitializer?: InitializerDescriptor;
  /** The three projection biases. Default zeros. */
  readonly biasInitializer?: InitializerDescriptor;
}

interface Projection {
  readonly kernel: tf.LayerVariable;
  readonly bias: tf.LayerVariable;
}

/**
 * SAGAN self-attention (Zhang et al. 2019), as the reference `Self_Attn`
 * computes it, channelsLast inside: with `x` as `[B, N, C]` over the N = H*W
 * positions, `q = x Wq + bq`, `k = x Wk + bk` (`C / reduction` channels),
 * `v = x Wv + bv` (C channels), `attention = softmax(q k^T)` over the last
 * axis (position i attends to every j), output `gamma * (attention v) + x`.
 * The 1x1 convolutions are matrix products, so their gradients work on every
 * backend (wasm's conv2d has no filter gradient), and the sizes are read
 * from the tensor, so any H and W run. Kernels keep Keras' Conv2D layout
 * `[1, 1, C, out]`; gamma starts at 0 (the block starts as the identity).
 */
export class SelfAttention extends RuntimeLayer<SelfAttentionArgs> {
  static className = 'NetspecSelfAttention';
  private query?: Projection;
  private key?: Projection;
  private value?: Projection;
  private gamma?: tf.LayerVariable;

  constructor(args: SelfAttentionArgs = {}) {
    super(args);
    this.inputSpec = [{ ndim: 4 }];
  }

  private get channelsFirst(): boolean {
    return this.args.dataFormat === 'channelsFirst';
  }

  private projection(name: string, channels: number, out: number): Projection {
    const kernel = this.addWeight(`${name}_kernel`, [1, 1, channels, out], 'float32', toInitializer(this.args.kernelInitializer ?? 'glorotUniform'));
    const bias = this.addWeight(`${name}_bias`, [out], 'float32', toInitializer(this.args.biasInitializer ?? 'zeros'));
    return { kernel, bias };
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = singleShape(inputShape);
    const channels = shape[this.channelsFirst ? 1 : 3];
    if (channels === null || channels === undefined) throw new Error(`netspec runtime: ${this.name}: the channel dimension must be known`);
    const r = this.args.reduction ?? 8;
    if (channels % r !== 0 || channels < r) throw new Error(`netspec runtime: ${this.name}: selfAttention with reduction ${r} needs a multiple of ${r} channels, received ${channels}`);
    this.query = this.projection('query', channels, channels / r);
    this.key = this.projection('key', channels, channels / r);
    this.value = this.projection('value', channels, channels);
    this.gamma = this.addWeight('gamma', [1], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return singleShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const input = single(inputs);
      const x = this.channelsFirst ? toChannelsLast(input) : input;
      const [b, h, w, c] = x.shape as [number, number, number, number];
      const rows = tf.reshape(x, [b * h * w, c]);
      const project = ({ kernel, bias }: Projection) => {
        const k = kernel.read();
        const out = k.shape[3]!;
        return tf.reshape(tf.add(tf.matMul(rows, tf.reshape(k, [c, out])), bias.read()), [b, h * w, out]);
      };
      const attention = tf.softmax(tf.matMul(project(this.query!), project(this.key!), false, true));
      const attended = tf.matMul(attention, project(this.value!));
      const y = tf.reshape(tf.add(tf.mul(this.gamma!.read(), attended), tf.reshape(rows, [b, h * w, c])), [b, h, w, c]);
      return this.channelsFirst ? toChannelsFirst(y) : y;
    });
  }
}
tf.serialization.registerClass(SelfAttention);

/** SAGAN's self-attention block; options as the spec's `selfAttention`. */
export const selfAttention = (args: SelfAttentionArgs = {}) => new SelfAttention(args);
