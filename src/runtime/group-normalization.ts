import * as tf from '@tensorflow/tfjs';
import { channelGroups } from '../infer/formulas.js';
import { toConstraint, toInitializer, toRegularizer, type ConstraintDescriptor, type InitializerDescriptor, type RegularizerDescriptor } from './descriptors.js';
import { RuntimeLayer, single, singleShape, type BaseArgs } from './runtime-layer.js';

/**
 * groupNormalization and instanceNormalization (tfjs has neither), computed
 * as Keras 3 `GroupNormalization.call`: the channel axis reshaped to
 * `[groups, channels / groups]`, mean and (biased) variance per sample and
 * group over the group's channels and every other non-batch axis, then
 * `x * inv + (beta - mean * inv)` with `inv = gamma / sqrt(variance + epsilon)`.
 * Only reshapes, reductions and element-wise ops, all with gradients on cpu
 * and wasm, so tfjs' own gradients train it.
 */

/** Options both layers share, named as in Keras 3 (camelCase). */
export interface ChannelNormalizationArgs extends BaseArgs {
  /** The channel axis. Default -1. */
  readonly axis?: number;
  /** Added to the variance. Default 1e-3 (Keras). */
  readonly epsilon?: number;
  /** Learn beta [channels]. Default true. */
  readonly center?: boolean;
  /** Learn gamma [channels]. Default true. */
  readonly scale?: boolean;
  /** Default zeros. */
  readonly betaInitializer?: InitializerDescriptor;
  /** Default ones. */
  readonly gammaInitializer?: InitializerDescriptor;
  readonly betaRegularizer?: RegularizerDescriptor;
  readonly gammaRegularizer?: RegularizerDescriptor;
  readonly betaConstraint?: ConstraintDescriptor;
  readonly gammaConstraint?: ConstraintDescriptor;
}

/** Options of `groupNormalization`. */
export interface GroupNormalizationArgs extends ChannelNormalizationArgs {
  /** Number of groups, dividing the channels; -1 is one per channel. Default 32. */
  readonly groups?: number;
}

/**
 * Normalizes `x` in groups of contiguous channels along `axis`, as Keras 3
 * `GroupNormalization._apply_normalization`. The input is viewed as
 * `[batch, before, groups, size, after]` (`before`/`after`: the products of
 * the axes before and after the channel axis), so the statistics are one
 * reduction over axes 1, 3 and 4, for any rank and any channel axis, with no transpose.
 */
export function normalizeGroups(x: tf.Tensor, axis: number, groups: number, epsilon: number, gamma?: tf.Tensor, beta?: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const shape = x.shape;
    const channels = shape[axis]!;
    const size = channels / groups;
    const before = shape.slice(1, axis).reduce((p, d) => p * d, 1);
    const after = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
    const grouped = tf.reshape(x, [shape[0]!, before, groups, size, after]);
    const { mean, variance } = tf.moments(grouped, [1, 3, 4], true);
    let inv = tf.rsqrt(tf.add(variance, epsilon));
    const perChannel = [1, 1, groups, size, 1];
    if (gamma) inv = tf.mul(inv, tf.reshape(gamma, perChannel));
    let offset = tf.neg(tf.mul(mean, inv));
    if (beta) offset = tf.add(offset, tf.reshape(beta, perChannel));
    return tf.reshape(tf.add(tf.mul(grouped, inv), offset), shape);
  });
}

/** The shared layer: gamma and beta [channels] (Keras names and order), groups from the channel count. */
abstract class ChannelNormalization<A extends ChannelNormalizationArgs> extends RuntimeLayer<A> {
  private gamma?: tf.LayerVariable;
  private beta?: tf.LayerVariable;

  /** The number of groups for `channels` channels. */
  protected abstract groupsOf(channels: number): number;

  /** The channel axis as a non-negative index into a shape of `rank`. */
  protected channelAxis(rank: number): number {
    const axis = this.args.axis ?? -1;
    const index = axis < 0 ? rank + axis : axis;
    if (index < 1 || index >= rank) throw new Error(`netspec runtime: ${this.name}: axis ${axis} is not a non-batch axis of a rank-${rank} input`);
    return index;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = singleShape(inputShape);
    const channels = shape[this.channelAxis(shape.length)] ?? null;
    const scale = this.args.scale ?? true;
    const center = this.args.center ?? true;
    if ((scale || center) && channels === null) throw new Error(`netspec runtime: ${this.name}: the channel dimension must be known to create gamma and beta`);
    if (channels !== null) this.groupsOf(channels);
    if (scale) {
      this.gamma = this.addWeight('gamma', [channels!], 'float32', toInitializer(this.args.gammaInitializer ?? 'ones'), toRegularizer(this.args.gammaRegularizer), true, toConstraint(this.args.gammaConstraint));
    }
    if (center) {
      this.beta = this.addWeight('beta', [channels!], 'float32', toInitializer(this.args.betaInitializer ?? 'zeros'), toRegularizer(this.args.betaRegularizer), true, toConstraint(this.args.betaConstraint));
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return singleShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const axis = this.channelAxis(x.rank);
      return normalizeGroups(x, axis, this.groupsOf(x.shape[axis]!), this.args.epsilon ?? 1e-3, this.gamma?.read(), this.beta?.read());
    });
  }
}

/** Keras 3 `GroupNormalization` (PyTorch `GroupNorm` with `epsilon: 1e-5`). */
export class GroupNormalization extends ChannelNormalization<GroupNormalizationArgs> {
  static className = 'NetspecGroupNormalization';

  protected groupsOf(channels: number): number {
    const groups = this.args.groups ?? 32;
    const split = channelGroups(channels, groups);
    if (!split) throw new Error(`netspec runtime: ${this.name}: ${groups} groups do not divide ${channels} channels`);
    return split.groups;
  }
}

/** Instance normalization: one group per channel (PyTorch `InstanceNorm2d` with `epsilon: 1e-5`; without center and scale its default `affine=False`). */
export class InstanceNormalization extends ChannelNormalization<ChannelNormalizationArgs> {
  static className = 'NetspecInstanceNormalization';

  protected groupsOf(channels: number): number {
    return channels;
  }
}

tf.serialization.registerClass(GroupNormalization);
tf.serialization.registerClass(InstanceNormalization);

/** A group normalization; options as Keras 3 `GroupNormalization`. */
export function groupNormalization(args: GroupNormalizationArgs = {}): GroupNormalization {
  return new GroupNormalization(args);
}

/** An instance normalization; options as `groupNormalization` without `groups`. */
export function instanceNormalization(args: ChannelNormalizationArgs = {}): InstanceNormalization {
  return new InstanceNormalization(args);
}
