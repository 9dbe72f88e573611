import * as tf from '@tensorflow/tfjs';
import { convTransposeCropBefore, convTransposeOutputLength, type PadPair } from '../infer/formulas.js';
import {
  toActivation,
  toRegularizer,
  type RegularizerDescriptor,
} from './descriptors.js';
import { addKernelWeights, type KernelWeightArgs } from './kernel-weights.js';
import { reparametrizationOf, type KernelReparametrization, type ReparametrizationArgs } from './reparametrization.js';
import { RuntimeLayer, single, singleShape, type BaseArgs } from './runtime-layer.js';
import { interleaveZeros, toChannelsFirst, toChannelsLast } from './tensor-ops.js';
import { releaseCachedFilters, transposedConvolution } from './transpose-kernels.js';

type Tuple = number | readonly number[];
type Kwargs = Parameters<tf.layers.Layer['call']>[1];

/** Options of a transposed convolution, named as in tfjs/Keras. See docs/semantics.md. */
export interface ConvTransposeArgs extends BaseArgs, ReparametrizationArgs, KernelWeightArgs {
  /** Number of spatial axes: 1, 2 or 3. */
  readonly rank: 1 | 2 | 3;
  /** Number of output channels. */
  readonly filters: number;
  /** Window size per spatial axis. */
  readonly kernelSize: Tuple;
  /** Stride per spatial axis. Default 1. */
  readonly strides?: Tuple;
  /** `valid` (default), `same`, or `[begin, end]` pairs per axis. */
  readonly padding?: 'valid' | 'same' | readonly PadPair[];
  /** Extra length at the end of each axis, < stride. Default: inferred. */
  readonly outputPadding?: Tuple;
  /** Spatial output size, as in tf.nn.conv_transpose. Default: inferred. */
  readonly outputShape?: readonly number[];
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

/**
 * A transposed convolution of rank 1, 2 or 3 that computes exactly the Keras 3
 * semantics of docs/semantics.md on every backend, with gradients: the full transposed
 * convolution, then a crop from the start and a zero-extension at the end.
 * The kernel keeps the Keras layout `[k..., filters, inChannels]`.
 */
export class ConvTranspose extends RuntimeLayer<ConvTransposeArgs> {
  static className = 'NetspecConvTranspose';
  private readonly kernelSize: number[];
  private readonly strides: number[];
  private readonly dilation: number[];
  private readonly outputPadding?: number[];
  private readonly activationFn: (x: tf.Tensor) => tf.Tensor;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;
  private reparametrization?: KernelReparametrization;
  /** The latest output, read by the activity-regularizer loss inside the same training step. */
  private lastOutput?: tf.Tensor;

  constructor(args: ConvTransposeArgs) {
    super(args);
    this.kernelSize = tuple(args.kernelSize, args.rank, 1);
    this.strides = tuple(args.strides, args.rank, 1);
    this.dilation = tuple(args.dilationRate, args.rank, 1);
    if (args.outputPadding !== undefined) this.outputPadding = tuple(args.outputPadding, args.rank, 0);
    this.activationFn = toActivation(args.activation);
    this.inputSpec = [{ ndim: args.rank + 2 }];
    const activity = toRegularizer(args.activityRegularizer);
    // tfjs' own activityRegularizer throws. As in Keras 3 (Layer.__call__), the penalty of the
    // output, divided by the batch size, joins the losses that fit minimizes.
    if (activity) this.addLoss(() => (this.lastOutput ? tf.div(activity.apply(this.lastOutput), this.lastOutput.shape[0]!) : tf.scalar(0)));
  }

  private get channelsFirst(): boolean {
    return this.args.dataFormat === 'channelsFirst';
  }

  private padding(axis: number): 'valid' | 'same' | PadPair {
    const p = this.args.padding ?? 'valid';
    return typeof p === 'string' ? p : p[axis]!;
  }

  /** Output length of one spatial axis for input length `i` (null stays null). */
  private outputLength(i: number | null, axis: number): number | null {
    if (this.args.outputShape) return this.args.outputShape[axis]!;
    return convTransposeOutputLength(i, this.kernelSize[axis]!, this.strides[axis]!, this.dilation[axis]!, this.padding(axis), this.outputPadding?.[axis]);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = singleShape(inputShape);
    const channels = shape[this.channelsFirst ? 1 : shape.length - 1];
    if (channels === null || channels === undefined) throw new Error(`${this.name}: the channel dimension must be known`);
    this.reparametrization = reparametrizationOf(this.args, this.kernelSize.reduce((a, b) => a * b, 1) * channels);
    ({ kernel: this.kernel, bias: this.bias } = addKernelWeights(
      (name, weightShape, initializer, regularizer, trainable, constraint) => this.addWeight(name, weightShape, 'float32', initializer, regularizer, trainable, constraint),
      this.args,
      [...this.kernelSize, this.args.filters, channels],
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
    const out = spatial.map((i, a) => this.outputLength(i ?? null, a));
    return this.channelsFirst ? [shape[0]!, this.args.filters, ...out] : [shape[0]!, ...out, this.args.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs?: Kwargs): tf.Tensor {
    const output = tf.tidy(() => {
      let x = single(inputs);
      if (this.channelsFirst) x = toChannelsLast(x);
      // Dilation is materialized in the kernel: it never combines with a stride, and the ops' own dilation has no gradients.
      let kernel = this.usedKernel(Boolean(kwargs?.['training']));
      this.dilation.forEach((d, a) => (kernel = interleaveZeros(kernel, a, d)));
      const windows = (x.shape.slice(1, -1) as number[]).map((i, a) => {
        const length = this.outputLength(i, a)!;
        return { crop: convTransposeCropBefore(i, this.kernelSize[a]!, this.strides[a]!, this.dilation[a]!, this.padding(a), length), length };
      });
      let y = transposedConvolution(x, kernel, this.strides, windows);
      if (this.bias) y = tf.add(y, this.reparametrization ? this.reparametrization.bias(this.bias.read()) : this.bias.read());
      y = this.activationFn(y);
      return this.channelsFirst ? toChannelsFirst(y) : y;
    });
    if (this.args.activityRegularizer !== undefined) this.lastOutput = output;
    return output;
  }

  /** Frees the sub-pixel filters cached for the kernel with the kernel, so a disposed model holds no memory. */
  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    const kernel = this.kernel?.read();
    const result = super.dispose();
    if (result.refCountAfterDispose === 0 && kernel instanceof tf.Variable) releaseCachedFilters(kernel);
    return result;
  }
}
tf.serialization.registerClass(ConvTranspose);

export function convTranspose(rank: 1 | 2 | 3): (args: Omit<ConvTransposeArgs, 'rank'>) => ConvTranspose {
  return (args) => new ConvTranspose({ ...args, rank });
}

/** A 1D transposed convolution (tfjs has none). */
export const conv1dTranspose = convTranspose(1);
/** A 2D transposed convolution honouring outputPadding, dilationRate, outputShape and explicit padding. */
export const conv2dTranspose = convTranspose(2);
/** A 3D transposed convolution, correct on cpu and wasm and trainable. */
export const conv3dTranspose = convTranspose(3);
