import * as tf from '@tensorflow/tfjs';
import { customGradient } from './custom-gradient.js';
import { channelGroups } from '../infer/formulas.js';
import { toConstraint, toInitializer, toRegularizer, type ConstraintDescriptor, type InitializerDescriptor, type RegularizerDescriptor } from './descriptors.js';
import { RuntimeLayer, single, singleShape, type BaseArgs } from './runtime-layer.js';

/**
 * groupNormalization and instanceNormalization (tfjs has neither), computed
 * as Keras 3 `GroupNormalization.call`: the channel axis reshaped to
 * `[groups, channels / groups]`, mean and (biased) variance per sample and
 * group over the group's channels and every other non-batch axis, then
 * `x * inv + (beta - mean * inv)` with `inv = gamma / sqrt(variance + epsilon)`.
 * Only reshapes, reductions and element-wise ops, which cpu and wasm both have.
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
 *
 * The gradient is written out, so that training keeps one normalized copy
 * `xhat` and the per-group `inv` instead of every intermediate of the
 * moments (about eight tensors the size of `x`): that is what lets the
 * 256x256 CycleGAN generator train within wasm's 4 GB memory. With
 * `g = dy * gamma` and means over a group's positions,
 * `dx = inv * (g - mean(g) - xhat * mean(g * xhat))` (the batch-norm
 * gradient of Ioffe and Szegedy 2015, applied per group);
 * `dgamma = sum(dy * xhat)` and `dbeta = sum(dy)` per channel.
 */
export function normalizeGroups(x: tf.Tensor, axis: number, groups: number, epsilon: number, gamma?: tf.Tensor, beta?: tf.Tensor): tf.Tensor {
  const shape = x.shape;
  const channels = shape[axis]!;
  const size = channels / groups;
  const before = shape.slice(1, axis).reduce((p, d) => p * d, 1);
  const after = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const view = [shape[0]!, before, groups, size, after];
  const perChannel = [1, 1, groups, size, 1];
  const statistics = [1, 3, 4];
  const channelSums = [0, 1, 4];
  const weights = [gamma, beta].filter((w): w is tf.Tensor => w !== undefined);
  const normalize = customGradient((...args: [...tf.Tensor[], tf.GradSaveFunc]) => {
    const [t, ...ws] = args.slice(0, -1) as tf.Tensor[];
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const g = gamma ? tf.reshape(ws[0]!, perChannel) : undefined;
    const b = beta ? tf.reshape(ws[gamma ? 1 : 0]!, perChannel) : undefined;
    const grouped = tf.reshape(t!, view);
    const { mean, variance } = tf.moments(grouped, statistics, true);
    const inv = tf.rsqrt(tf.add(variance, epsilon));
    const xhat = tf.mul(tf.sub(grouped, mean), inv);
    save(g ? [xhat, inv, g] : [xhat, inv]);
    let y = g ? tf.mul(xhat, g) : xhat;
    if (b) y = tf.add(y, b);
    return {
      value: tf.reshape(y, shape),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, iv, gm] = saved as [tf.Tensor, tf.Tensor, tf.Tensor | undefined];
        const d = tf.reshape(dy, view);
        const dxhat = gm ? tf.mul(d, gm) : d;
        const centered = tf.sub(dxhat, tf.mean(dxhat, statistics, true));
        const dx = tf.reshape(tf.mul(iv, tf.sub(centered, tf.mul(xh, tf.mean(tf.mul(dxhat, xh), statistics, true)))), shape);
        const grads = [dx];
        if (gamma) grads.push(tf.reshape(tf.sum(tf.mul(d, xh), channelSums), [channels]));
        if (beta) grads.push(tf.reshape(tf.sum(d, channelSums), [channels]));
        return grads;
      },
    };
  });
  return normalize(x, ...weights);
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
