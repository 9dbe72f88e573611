import * as tf from '@tensorflow/tfjs';
import { convOutputLength, samePadding, type PadPair } from '../infer/formulas.js';
import {
  toActivation,
  toConstraint,
  toInitializer,
  toRegularizer,
  type ConstraintDescriptor,
  type InitializerDescriptor,
  type RegularizerDescriptor,
} from './descriptors.js';
import { RuntimeLayer, single, singleShape, type BaseArgs } from './runtime-layer.js';
import { slice, toChannelsFirst, toChannelsLast } from './tensor-ops.js';

type Tuple = number | readonly number[];

/** Options of depthwiseConv2d (Keras 3 `DepthwiseConv2D`). See docs/spec-format.md. */
export interface DepthwiseConvArgs extends BaseArgs {
  /** Number of spatial axes: 1 or 2. */
  readonly rank: 1 | 2;
  /** Window size per spatial axis. */
  readonly kernelSize: Tuple;
  /** Stride per spatial axis. Default 1. */
  readonly strides?: Tuple;
  /** `valid` (default) or `same`. */
  readonly padding?: 'valid' | 'same';
  /** Default channelsLast. */
  readonly dataFormat?: 'channelsLast' | 'channelsFirst';
  /** Dilation per spatial axis. Default 1; never with a stride above 1. */
  readonly dilationRate?: Tuple;
  /** Kernels per input channel. Default 1. */
  readonly depthMultiplier?: number;
  /** Default: none (linear). */
  readonly activation?: string;
  /** Default true. */
  readonly useBias?: boolean;
  /** Default glorotUniform. */
  readonly depthwiseInitializer?: InitializerDescriptor;
  /** Default zeros. */
  readonly biasInitializer?: InitializerDescriptor;
  readonly depthwiseRegularizer?: RegularizerDescriptor;
  readonly biasRegularizer?: RegularizerDescriptor;
  readonly activityRegularizer?: RegularizerDescriptor;
  readonly depthwiseConstraint?: ConstraintDescriptor;
  readonly biasConstraint?: ConstraintDescriptor;
}

/** Options of separableConv1d/2d (Keras 3 `SeparableConv1D/2D`): a depthwise convolution, then a pointwise one. */
export interface SeparableConvArgs extends DepthwiseConvArgs {
  /** Number of output channels. */
  readonly filters: number;
  /** Default glorotUniform. */
  readonly pointwiseInitializer?: InitializerDescriptor;
  readonly pointwiseRegularizer?: RegularizerDescriptor;
  readonly pointwiseConstraint?: ConstraintDescriptor;
}

function tuple(value: Tuple | undefined, rank: number, fallback: number): number[] {
  if (value === undefined) return new Array<number>(rank).fill(fallback);
  return typeof value === 'number' ? new Array<number>(rank).fill(value) : value.slice();
}

/** Positions 0, s, 2s, ... (`count` of them) along `axis`; by reshape and slice, whose gradients every backend has. */
function everyNth(t: tf.Tensor, axis: number, s: number, count: number): tf.Tensor {
  if (s === 1) return t;
  const shape = t.shape as number[];
  const padded = tf.pad(t, shape.map((n, a): [number, number] => [0, a === axis ? count * s - n : 0]));
  const split = [...shape.slice(0, axis), count, s, ...shape.slice(axis + 1)];
  const first = slice(padded.reshape(split), split.map(() => 0), split.map((n, a) => (a === axis + 1 ? 1 : n)));
  return first.reshape([...shape.slice(0, axis), count, ...shape.slice(axis + 1)]);
}

/**
 * TensorFlow's depthwise convolution, channelsLast: `x [n, ...spatial, C]`,
 * `w [...k, C, m]` -> `[n, ...out, C*m]`, output channel `c*m + j` the sum over
 * kernel taps of the tap's input window times `w[tap, c, j]`. One slice,
 * multiply and add per tap, so it runs at rank 1 and 2, with any dilation,
 * and its gradients are tfjs' own on every backend: tfjs' depthwiseConv2d has
 * no gradient for a dilation, and wasm has neither backprop kernel.
 */
export function depthwiseCorrelate(x: tf.Tensor, w: tf.Tensor, strides: readonly number[], dilation: readonly number[], pads: readonly PadPair[]): tf.Tensor {
  const rank = strides.length;
  const shape = x.shape as number[];
  const [n, c] = [shape[0]!, shape[rank + 1]!];
  const kernel = (w.shape as number[]).slice(0, rank);
  const m = w.shape[rank + 1]!;
  const xp = pads.some(([b, e]) => b > 0 || e > 0) ? tf.pad(x, [[0, 0], ...pads.map((p): [number, number] => [p[0], p[1]]), [0, 0]]) : x;
  const out = shape.slice(1, rank + 1).map((i, a) => convOutputLength(i, kernel[a]!, strides[a]!, dilation[a]!, pads[a]!));
  const taps = kernel.reduce((p, k) => p * k, 1);
  let sum: tf.Tensor | undefined;
  for (let t = 0; t < taps; t++) {
    // The tap's index per spatial axis, row-major as the kernel is laid out.
    const at = kernel.map((_, a) => Math.floor(t / kernel.slice(a + 1).reduce((p, k) => p * k, 1)) % kernel[a]!);
    let window = slice(xp, [0, ...at.map((i, a) => i * dilation[a]!), 0], [n, ...out.map((o, a) => (o - 1) * strides[a]! + 1), c]);
    strides.forEach((s, a) => (window = everyNth(window, a + 1, s, out[a]!)));
    const tap = slice(w, [...at, 0, 0], [...at.map(() => 1), c, m]).reshape(m === 1 ? [c] : [c, m]);
    const term = m === 1 ? tf.mul(window, tap) : tf.mul(window.expandDims(-1), tap);
    sum = sum ? tf.add(sum, term) : term;
  }
  return m === 1 ? sum! : sum!.reshape([n, ...out, c * m]);
}

/**
 * Shared by depthwiseConv2d and separableConv1d/2d: weights named and laid
 * out as in Keras (`depthwise_kernel [k..., C, m]`, `bias`), the sizes of
 * src/infer/formulas.ts, channelsLast inside, activity regularization as
 * Keras 3 (penalty / batch size, which tfjs' own layers throw on).
 */
abstract class DepthwiseBase<A extends DepthwiseConvArgs> extends RuntimeLayer<A> {
  protected readonly kernelSize: number[];
  protected readonly strides: number[];
  protected readonly dilation: number[];
  protected readonly multiplier: number;
  private readonly activationFn: (x: tf.Tensor) => tf.Tensor;
  protected depthwiseKernel?: tf.LayerVariable;
  protected bias?: tf.LayerVariable;
  /** The latest output, read by the activity-regularizer loss inside the same training step. */
  private lastOutput?: tf.Tensor;

  constructor(args: A) {
    super(args);
    this.kernelSize = tuple(args.kernelSize, args.rank, 1);
    this.strides = tuple(args.strides, args.rank, 1);
    this.dilation = tuple(args.dilationRate, args.rank, 1);
    this.multiplier = args.depthMultiplier ?? 1;
    this.activationFn = toActivation(args.activation);
    this.inputSpec = [{ ndim: args.rank + 2 }];
    const activity = toRegularizer(args.activityRegularizer);
    if (activity) this.addLoss(() => (this.lastOutput ? tf.div(activity.apply(this.lastOutput), this.lastOutput.shape[0]!) : tf.scalar(0)));
  }

  protected get channelsFirst(): boolean {
    return this.args.dataFormat === 'channelsFirst';
  }

  /** Channels after the whole layer. */
  protected abstract outputChannels(inputChannels: number | null): number | null;
  /** The pointwise step, if any, on the depthwise result (channelsLast). */
  protected abstract pointwise(y: tf.Tensor): tf.Tensor;

  protected inputChannels(shape: tf.Shape): number {
    const channels = shape[this.channelsFirst ? 1 : shape.length - 1];
    if (channels === null || channels === undefined) throw new Error(`${this.name}: the channel dimension must be known`);
    return channels;
  }

  protected addDepthwiseKernel(channels: number): void {
    const a = this.args;
    this.depthwiseKernel = this.addWeight(
      'depthwise_kernel',
      [...this.kernelSize, channels, this.multiplier],
      'float32',
      toInitializer(a.depthwiseInitializer ?? 'glorotUniform'),
      toRegularizer(a.depthwiseRegularizer),
      true,
      toConstraint(a.depthwiseConstraint),
    );
  }

  protected addBias(biasLength: number): void {
    const a = this.args;
    if (a.useBias ?? true) {
      this.bias = this.addWeight('bias', [biasLength], 'float32', toInitializer(a.biasInitializer ?? 'zeros'), toRegularizer(a.biasRegularizer), true, toConstraint(a.biasConstraint));
    }
  }

  private pads(i: number, axis: number): PadPair {
    return this.args.padding === 'same' ? samePadding(i, this.kernelSize[axis]!, this.strides[axis]!, this.dilation[axis]!) : [0, 0];
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = singleShape(inputShape);
    const spatial = this.channelsFirst ? shape.slice(2) : shape.slice(1, -1);
    const out = spatial.map((i, a) => convOutputLength(i ?? null, this.kernelSize[a]!, this.strides[a]!, this.dilation[a]!, this.args.padding ?? 'valid'));
    const channels = this.outputChannels(shape[this.channelsFirst ? 1 : shape.length - 1] ?? null);
    return this.channelsFirst ? [shape[0]!, channels, ...out] : [shape[0]!, ...out, channels];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const output = tf.tidy(() => {
      let x = single(inputs);
      if (this.channelsFirst) x = toChannelsLast(x);
      const pads = (x.shape.slice(1, -1) as number[]).map((i, a) => this.pads(i, a));
      let y = this.pointwise(depthwiseCorrelate(x, this.depthwiseKernel!.read(), this.strides, this.dilation, pads));
      if (this.bias) y = tf.add(y, this.bias.read());
      y = this.activationFn(y);
      return this.channelsFirst ? toChannelsFirst(y) : y;
    });
    if (this.args.activityRegularizer !== undefined) this.lastOutput = output;
    return output;
  }
}

/**
 * Keras 3 `DepthwiseConv2D`. tfjs' own layer drops `dilationRate` (it never
 * passes it to its op, and its output shape ignores it), cannot train on
 * wasm (no depthwise backprop kernels) and writes the regularizer where its
 * config names the constraint, so netspec always builds this one.
 */
export class DepthwiseConv extends DepthwiseBase<DepthwiseConvArgs> {
  static className = 'NetspecDepthwiseConv';

  protected outputChannels(inputChannels: number | null): number | null {
    return inputChannels === null ? null : inputChannels * this.multiplier;
  }

  protected pointwise(y: tf.Tensor): tf.Tensor {
    return y;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const channels = this.inputChannels(singleShape(inputShape));
    this.addDepthwiseKernel(channels);
    this.addBias(channels * this.multiplier);
    this.built = true;
  }
}

/**
 * Keras 3 `SeparableConv1D/2D`: the depthwise convolution, then a pointwise
 * kernel `[1..., C*m, filters]` as a matrix product over the channels, then
 * the bias. tfjs has separableConv2d, which cannot train on wasm (no
 * depthwise or conv2d filter backprop there), and no separableConv1d.
 */
export class SeparableConv extends DepthwiseBase<SeparableConvArgs> {
  static className = 'NetspecSeparableConv';
  private pointwiseKernel?: tf.LayerVariable;

  protected outputChannels(): number {
    return this.args.filters;
  }

  protected pointwise(y: tf.Tensor): tf.Tensor {
    const shape = y.shape as number[];
    const depth = shape[shape.length - 1]!;
    const kernel = this.pointwiseKernel!.read().reshape([depth, this.args.filters]);
    return tf.matMul(y.reshape([-1, depth]), kernel).reshape([...shape.slice(0, -1), this.args.filters]);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const a = this.args;
    const channels = this.inputChannels(singleShape(inputShape));
    // Keras' weight order: depthwise, pointwise, bias.
    this.addDepthwiseKernel(channels);
    this.pointwiseKernel = this.addWeight(
      'pointwise_kernel',
      [...this.kernelSize.map(() => 1), channels * this.multiplier, a.filters],
      'float32',
      toInitializer(a.pointwiseInitializer ?? 'glorotUniform'),
      toRegularizer(a.pointwiseRegularizer),
      true,
      toConstraint(a.pointwiseConstraint),
    );
    this.addBias(a.filters);
    this.built = true;
  }
}

for (const cls of [DepthwiseConv, SeparableConv]) tf.serialization.registerClass(cls);

/** Keras 3 DepthwiseConv2D, trainable on every backend, with dilation. */
export const depthwiseConv2d = (args: Omit<DepthwiseConvArgs, 'rank'>) => new DepthwiseConv({ ...args, rank: 2 });
/** Keras 3 SeparableConv1D (tfjs has none). */
export const separableConv1d = (args: Omit<SeparableConvArgs, 'rank'>) => new SeparableConv({ ...args, rank: 1 });
/** Keras 3 SeparableConv2D, trainable on every backend. */
export const separableConv2d = (args: Omit<SeparableConvArgs, 'rank'>) => new SeparableConv({ ...args, rank: 2 });
