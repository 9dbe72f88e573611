import * as tf from '@tensorflow/tfjs';
import {
  toActivation,
  toRegularizer,
  type RegularizerDescriptor,
} from './descriptors.js';
import { addKernelWeights, type KernelWeightArgs } from './kernel-weights.js';
import { reparametrizationOf, type KernelReparametrization, type ReparametrizationArgs } from './reparametrization.js';
import { RuntimeLayer, single, singleShape, type BaseArgs } from './runtime-layer.js';

type Kwargs = Parameters<tf.layers.Layer['call']>[1];

/** Options of a dense layer, named as in tfjs/Keras, plus the weight reparametrizations. */
export interface DenseArgs extends BaseArgs, ReparametrizationArgs, KernelWeightArgs {
  /** Size of the output. */
  readonly units: number;
  /** Default: none (linear). */
  readonly activation?: string;
  readonly activityRegularizer?: RegularizerDescriptor;
}

/**
 * A dense layer on the last axis (Keras `Dense`, kernel `[in, units]`) whose
 * kernel goes through a weight reparametrization (reparametrization.ts);
 * tfjs' dense reads its kernel directly, so it cannot. Every other dense is
 * tfjs' own.
 */
export class Dense extends RuntimeLayer<DenseArgs> {
  static className = 'NetspecDense';
  private readonly activationFn: (x: tf.Tensor) => tf.Tensor;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;
  private reparametrization?: KernelReparametrization;
  /** The latest output, read by the activity-regularizer loss inside the same training step. */
  private lastOutput?: tf.Tensor;

  constructor(args: DenseArgs) {
    super(args);
    this.activationFn = toActivation(args.activation);
    this.inputSpec = [{ minNDim: 2 }];
    const activity = toRegularizer(args.activityRegularizer);
    // As in Conv: tfjs' own activityRegularizer throws; Keras 3 adds penalty / batch size to the loss.
    if (activity) this.addLoss(() => (this.lastOutput ? tf.div(activity.apply(this.lastOutput), this.lastOutput.shape[0]!) : tf.scalar(0)));
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = singleShape(inputShape);
    const features = shape[shape.length - 1];
    if (features === null || features === undefined) throw new Error(`${this.name}: the last dimension must be known`);
    this.reparametrization = reparametrizationOf(this.args, features);
    ({ kernel: this.kernel, bias: this.bias } = addKernelWeights(
      (name, weightShape, initializer, regularizer, trainable, constraint) => this.addWeight(name, weightShape, 'float32', initializer, regularizer, trainable, constraint),
      this.args,
      [features, this.args.units],
      this.args.units,
      this.reparametrization,
    ));
    this.built = true;
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
    return [...shape.slice(0, -1), this.args.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs?: Kwargs): tf.Tensor {
    const output = tf.tidy(() => {
      const x = single(inputs);
      const stored = this.kernel!.read();
      const kernel = this.reparametrization ? this.reparametrization.kernel(stored, Boolean(kwargs?.['training'])) : stored;
      const features = x.shape[x.rank - 1]!;
      let y = tf.matMul(tf.reshape(x, [-1, features]), kernel);
      if (this.bias) y = tf.add(y, this.reparametrization ? this.reparametrization.bias(this.bias.read()) : this.bias.read());
      return this.activationFn(tf.reshape(y, [...x.shape.slice(0, -1), this.args.units]));
    });
    if (this.args.activityRegularizer !== undefined) this.lastOutput = output;
    return output;
  }
}
tf.serialization.registerClass(Dense);

/** A dense layer with a weight reparametrization. */
export function dense(args: DenseArgs): Dense {
  return new Dense(args);
}
