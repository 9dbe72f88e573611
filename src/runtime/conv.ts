import * as tf from '@tensorflow/tfjs';
import { customGradient } from './custom-gradient.js';
import { causalPadding, convOutputLength, samePadding, type PadPair } from '../infer/formulas.js';
import {
  toActivation,
  toRegularizer,
  type RegularizerDescriptor,
} from './descriptors.js';
import { reflectPad } from './padding.js';
import { addKernelWeights, type KernelWeightArgs } from './kernel-weights.js';
import { reparametrizationOf, type KernelReparametrization, type ReparametrizationArgs } from './reparametrization.js';
import { RuntimeLayer, single, singleShape, type BaseArgs } from './runtime-layer.js';
import { interleaveZeros, slice, toChannelsFirst, toChannelsLast } from './tensor-ops.js';

type Tuple = number | readonly number[];
type Kwargs = Parameters<tf.layers.Layer['call']>[1];

/** Options of a convolution, named as in tfjs/Keras, plus PyTorch's padding forms. See docs/spec-format.md. */
export interface ConvArgs extends BaseArgs, ReparametrizationArgs, KernelWeightArgs {
  /** Number of spatial axes: 1, 2 or 3. */
  readonly rank: 1 | 2 | 3;
  /** Number of output channels. */
  readonly filters: number;
  /** Window size per spatial axis. */
  readonly kernelSize: Tuple;
  /** Stride per spatial axis. Default 1. */
  readonly strides?: Tuple;
  /** `valid` (default), `same`, `causal` (rank 1), or `[begin, end]` pairs per axis (PyTorch `padding`). */
  readonly padding?: 'valid' | 'same' | 'causal' | readonly PadPair[];
  /** What the padding holds: `zeros` (default) or `reflect` (PyTorch `padding_mode`). */
  readonly paddingMode?: 'zeros' | 'reflect';
  /** Default channelsLast. */
  readonly dataFormat?: 'channelsLast' | 'channelsFirst';
  /** Dilation per spatial axis. Default 1. */
  readonly dilationRate?: Tuple;
  /** Default: none (linear). */
  readonly activation?: string;
  readonly activityRegularizer?: RegularizerDescriptor;
}

function tuple(value: Tuple | undefined, rank: number, fallback: number): number[] {
  if (value === undefined) return new Array<number>(rank).fill(fallback);
  return typeof value === 'number' ? new Array<number>(rank).fill(value) : value.slice();
}

const spatialAxes = (rank: number) => Array.from({ length: rank }, (_, a) => a + 1);

/** A stride-`s` valid correlation of rank 1-3 (`[b, spatial..., c]` with `[k..., c, f]`); rank 1 runs as 2 with a unit axis. */
function correlate(x: tf.Tensor, w: tf.Tensor, s: readonly number[]): tf.Tensor {
  if (x.rank === 3) return tf.conv2d(x.expandDims(1) as tf.Tensor4D, w.expandDims(0) as tf.Tensor4D, [1, s[0]!], 'valid').squeeze([1]);
  if (x.rank === 4) return tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s as [number, number], 'valid');
  return tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, s as [number, number, number], 'valid');
}

/**
 * The zero-padded convolution's value: tf.conv2d takes the pads itself
 * (tfjs' explicit padding, `[[0, 0], [top, bottom], [left, right], [0, 0]]`,
 * exact on cpu and wasm); conv1d runs as conv2d with a unit axis, conv3d
 * (whose op takes no explicit pads) pads first.
 */
function paddedCorrelate(x: tf.Tensor, w: tf.Tensor, s: readonly number[], pads: readonly PadPair[]): tf.Tensor {
  const explicit = (p: readonly PadPair[]) => [[0, 0], ...p.map((q): [number, number] => [q[0], q[1]]), [0, 0]] as [number, number][];
  if (pads.every(([b, e]) => b === 0 && e === 0)) return correlate(x, w, s);
  if (x.rank === 3) return tf.conv2d(x.expandDims(1) as tf.Tensor4D, w.expandDims(0) as tf.Tensor4D, [1, s[0]!], explicit([[0, 0], ...pads]) as never).squeeze([1]);
  if (x.rank === 4) return tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s as [number, number], explicit(pads) as never);
  return correlate(tf.pad(x, explicit(pads)), w, s);
}

/**
 * `conv(pad(x, pads), w)` with stride `s` and zero pads, whose gradients are
 * forward correlations, so it trains on every backend: wasm has no conv2d
 * filter gradient and a wrong conv3d input gradient, and cpu's filter
 * gradient reads element by element (docs/semantics.md).
 * - dx: the padded input's gradient is `dy`, dilated by `s`, fully correlated
 *   with the flipped kernel (channels swapped); the pads are cut off again.
 * - dw: the padded input correlated with `dy` dilated by `s`, the batch as
 *   the channel axis.
 */
function convolution(s: readonly number[], pads: readonly PadPair[]): (x: tf.Tensor, w: tf.Tensor) => tf.Tensor {
  const full = (p: readonly PadPair[]) => [[0, 0], ...p.map((q): [number, number] => [q[0], q[1]]), [0, 0]] as [number, number][];
  return customGradient((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, w]);
    return {
      value: paddedCorrelate(x, w, s, pads),
      gradFunc: (grad: tf.Tensor, saved: tf.Tensor[]) => {
        const [input, kernel] = saved as [tf.Tensor, tf.Tensor];
        const rank = input.rank - 2;
        const axes = spatialAxes(rank);
        const xp = pads.some(([b, e]) => b > 0 || e > 0) ? tf.pad(input, full(pads)) : input;
        const padded = xp.shape.slice(1, -1) as number[];
        const k = kernel.shape.slice(0, rank) as number[];
        let dilated = grad;
        s.forEach((stride, a) => (dilated = interleaveZeros(dilated, a + 1, stride)));
        const span = dilated.shape.slice(1, -1) as number[];
        // Positions of the padded input past the last window: they get no gradient.
        const rest = padded.map((p, a) => p - span[a]! - k[a]! + 1);
        const flipped = tf.reverse(kernel, axes.map((a) => a - 1)).transpose([...axes.map((a) => a - 1), rank + 1, rank]);
        const around = tf.pad(dilated, full(k.map((n, a): PadPair => [n - 1, n - 1 + rest[a]!])));
        const dxp = correlate(around, flipped, new Array<number>(rank).fill(1));
        const dx = slice(dxp, [0, ...pads.map(([b]) => b), 0], input.shape);
        const xT = xp.transpose([rank + 1, ...axes, 0]);
        const dyT = dilated.transpose([...axes, 0, rank + 1]);
        const windows = correlate(xT, dyT, new Array<number>(rank).fill(1));
        const dw = slice(windows, new Array<number>(rank + 2).fill(0), [windows.shape[0]!, ...k, windows.shape[rank + 1]!]).transpose([...axes, 0, rank + 1]);
        return [dx, dw];
      },
    };
  });
}

/**
 * A convolution of rank 1, 2 or 3 for what tfjs' conv layers cannot do:
 * explicit `[begin, end]` pads and reflection padding (PyTorch `Conv*d`
 * `padding` and `padding_mode: 'reflect'`: pad, then a valid convolution),
 * `causal` padding (Keras: `(k - 1) * d` zeros before the sequence) and
 * conv1d in channelsFirst. The kernel keeps the Keras layout
 * `[k..., inChannels, filters]`; gradients are forward convolutions, so it
 * trains on cpu and wasm.
 */
export class Conv extends RuntimeLayer<ConvArgs> {
  static className = 'NetspecConv';
  private readonly kernelSize: number[];
  private readonly strides: number[];
  private readonly dilation: number[];
  private readonly activationFn: (x: tf.Tensor) => tf.Tensor;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;
  private reparametrization?: KernelReparametrization;
  /** The latest output, read by the activity-regularizer loss inside the same training step. */
  private lastOutput?: tf.Tensor;

  constructor(args: ConvArgs) {
    super(args);
    this.kernelSize = tuple(args.kernelSize, args.rank, 1);
    this.strides = tuple(args.strides, args.rank, 1);
    this.dilation = tuple(args.dilationRate, args.rank, 1);
    this.activationFn = toActivation(args.activation);
    this.inputSpec = [{ ndim: args.rank + 2 }];
    const activity = toRegularizer(args.activityRegularizer);
    // As in ConvTranspose: tfjs' own activityRegularizer throws; Keras 3 adds penalty / batch size to the loss.
    if (activity) this.addLoss(() => (this.lastOutput ? tf.div(activity.apply(this.lastOutput), this.lastOutput.shape[0]!) : tf.scalar(0)));
  }

  private get channelsFirst(): boolean {
    return this.args.dataFormat === 'channelsFirst';
  }

  private padding(axis: number): 'valid' | 'same' | 'causal' | PadPair {
    const p = this.args.padding ?? 'valid';
    return typeof p === 'string' ? p : p[axis]!;
  }

  /** The `[begin, end]` the input of length `i` is padded with on `axis` (src/infer/formulas.ts). */
  private pads(i: number, axis: number): PadPair {
    const p = this.padding(axis);
    const [k, s, d] = [this.kernelSize[axis]!, this.strides[axis]!, this.dilation[axis]!];
    if (typeof p !== 'string') return p;
    if (p === 'same') return samePadding(i, k, s, d);
    return p === 'causal' ? causalPadding(k, d) : [0, 0];
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = singleShape(inputShape);
    const channels = shape[this.channelsFirst ? 1 : shape.length - 1];
    if (channels === null || channels === undefined) throw new Error(`${this.name}: the channel dimension must be known`);
    this.reparametrization = reparametrizationOf(this.args, this.kernelSize.reduce((a, b) => a * b, 1) * channels);
    ({ kernel: this.kernel, bias: this.bias } = addKernelWeights(
      (name, weightShape, initializer, regularizer, trainable, constraint) => this.addWeight(name, weightShape, 'float32', initializer, regularizer, trainable, constraint),
      this.args,
      [...this.kernelSize, channels, this.args.filters],
      this.args.filters,
      this.reparametrization,
    ));
    this.built = true;
  }

  /** The kernel the layer computes with: the stored one, or its reparametrization's. */
  private usedKernel(training: boolean): tf.Tensor {
    const stored = this.kernel!.read();
    return this.reparametrization ? this.reparametrization.kernel(stored, training) : stored;
  }

  /** The kernel and bias of an inference call, reparametrization applied (what netspec/onnx exports). */
  inferenceWeights(): { kernel: tf.Tensor; bias?: tf.Tensor } {
    const kernel = this.reparametrization ? this.reparametrization.kernel(this.kernel!.read(), false) : this.kernel!.read();
    if (!this.bias) return { kernel };
    return { kernel, bias: this.reparametrization ? this.reparametrization.bias(this.bias.read()) : this.bias.read() };
  }

  /** setInitialWeights calls it after `weights:` set some weights by name. */
  afterInitialWeights(names: readonly string[]): void {
    this.reparametrization?.afterInitialWeights?.(names, this.kernel!);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = singleShape(inputShape);
    const spatial = this.channelsFirst ? shape.slice(2) : shape.slice(1, -1);
    const out = spatial.map((i, a) => convOutputLength(i ?? null, this.kernelSize[a]!, this.strides[a]!, this.dilation[a]!, this.padding(a)));
    return this.channelsFirst ? [shape[0]!, this.args.filters, ...out] : [shape[0]!, ...out, this.args.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs?: Kwargs): tf.Tensor {
    const output = tf.tidy(() => {
      let x = single(inputs);
      if (this.channelsFirst) x = toChannelsLast(x);
      const pads = (x.shape.slice(1, -1) as number[]).map((i, a) => this.pads(i, a));
      // Reflection pads the input itself; zeros are the convolution's own padding.
      const reflect = this.args.paddingMode === 'reflect';
      if (reflect) x = reflectPad(x, pads);
      // Dilation is materialized in the kernel, as in ConvTranspose: it never combines with a stride.
      let kernel = this.usedKernel(Boolean(kwargs?.['training']));
      this.dilation.forEach((d, a) => (kernel = interleaveZeros(kernel, a, d)));
      let y = convolution(this.strides, reflect ? pads.map((): PadPair => [0, 0]) : pads)(x, kernel);
      if (this.bias) y = tf.add(y, this.reparametrization ? this.reparametrization.bias(this.bias.read()) : this.bias.read());
      y = this.activationFn(y);
      return this.channelsFirst ? toChannelsFirst(y) : y;
    });
    if (this.args.activityRegularizer !== undefined) this.lastOutput = output;
    return output;
  }
}
tf.serialization.registerClass(Conv);

function convOf(rank: 1 | 2 | 3): (args: Omit<ConvArgs, 'rank'>) => Conv {
  return (args) => new Conv({ ...args, rank });
}

/** conv1d with explicit pads, reflection padding, `causal` padding or channelsFirst. */
export const conv1d = convOf(1);
/** conv2d with explicit pads or reflection padding. */
export const conv2d = convOf(2);
/** conv3d with explicit pads or reflection padding. */
export const conv3d = convOf(3);
