import * as tf from '@tensorflow/tfjs';
import { customGradient } from './custom-gradient.js';
import { toInitializer, type Initializer, type InitializerDescriptor } from './descriptors.js';

/** `true`, or `{ powerIterations }` (default 1, Keras 3 `SpectralNormalization`). */
export type SpectralNormalizationOption = boolean | { readonly powerIterations?: number };
/** `true`, or `{ lrMultiplier }` (default 1, StyleGAN's `lrmul`). */
export type EqualizedLearningRateOption = boolean | { readonly lrMultiplier?: number };

/** The weight reparametrizations of dense, conv* and conv*Transpose; at most one per layer. See docs/spec-format.md. */
export interface ReparametrizationArgs {
  /** Divide the kernel by its largest singular value, estimated by power iteration. Default false. */
  readonly spectralNormalization?: SpectralNormalizationOption;
  /** Use g * v / ||v||, one trainable g per kernel's last axis. Default false. */
  readonly weightNormalization?: boolean;
  /** Draw the kernel from N(0, 1 / lrMultiplier) and scale it at run time by sqrt(2 / fanIn) * lrMultiplier. Default false. */
  readonly equalizedLearningRate?: EqualizedLearningRateOption;
}

/** `addWeight` of the layer (protected in tfjs), as the reparametrization needs it. */
export type AddWeight = (name: string, shape: number[], initializer: Initializer, trainable: boolean) => tf.LayerVariable;

/** How a layer's stored kernel and bias become the ones it computes with. */
export interface KernelReparametrization {
  /** The kernel initializer it draws from, when it decides it (equalized learning rate). */
  readonly kernelInitializer?: InitializerDescriptor;
  /** Adds its own weights, after the layer's kernel and bias (as Keras' wrappers do). */
  build(addWeight: AddWeight, kernel: tf.LayerVariable): void;
  /** The kernel the layer computes with; `training` decides whether spectral normalization's `u` moves. */
  kernel(stored: tf.Tensor, training: boolean): tf.Tensor;
  /** The bias the layer computes with. */
  bias(stored: tf.Tensor): tf.Tensor;
  /** Called after `weights:` set some weights by name: weight normalization's g follows a kernel set without it. */
  afterInitialWeights?(names: readonly string[], kernel: tf.LayerVariable): void;
}

/** PyTorch `F.normalize`'s eps: a zero vector stays zero instead of becoming NaN. */
const epsilon = 1e-12;

function l2Normalize(x: tf.Tensor): tf.Tensor {
  return tf.div(x, tf.maximum(tf.sqrt(tf.sum(tf.square(x))), epsilon));
}

/** The identity with a zero gradient (tfjs has no stopGradient op): the power iteration's vectors are constants to the gradient. */
const stopGradient = customGradient((x: tf.Tensor) => ({ value: x.clone(), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) }));

/**
 * Spectral normalization (Miyato et al. 2018, "Spectral Normalization for
 * Generative Adversarial Networks"), with the weight layout of Keras 3
 * `keras/src/layers/normalization/spectral_normalization.py`: the kernel as
 * a matrix W [-1, last axis], `vector_u` [1, last axis] from
 * TruncatedNormal(stddev 0.02), non-trainable. In training each call runs
 * `powerIterations` of v = normalize(u W^T), u = normalize(v W), stores u and
 * divides by sigma = v W u^T; u and v are constants to the gradient, W is not
 * (as in PyTorch's `spectral_norm`, the gradient flows through sigma). In
 * inference u stays and sigma = ||W u^T||: v = normalize(u W^T) from the
 * stored u, no iteration.
 */
function spectralNormalization(powerIterations: number): KernelReparametrization {
  let u: tf.LayerVariable | undefined;
  return {
    build(addWeight, kernel) {
      const last = kernel.shape[kernel.shape.length - 1]!;
      u = addWeight('vector_u', [1, last], toInitializer({ type: 'truncatedNormal', mean: 0, stddev: 0.02 }), false);
    },
    kernel(stored, training) {
      const w = tf.reshape(stored, [-1, stored.shape[stored.rank - 1]!]);
      const constant = stopGradient(w);
      let vectorU = u!.read();
      let vectorV = l2Normalize(tf.matMul(vectorU, constant, false, true));
      if (training) {
        for (let i = 0; i < powerIterations; i++) {
          if (i > 0) vectorV = l2Normalize(tf.matMul(vectorU, constant, false, true));
          vectorU = l2Normalize(tf.matMul(vectorV, constant));
        }
        // An all-zero kernel keeps its u, as Keras 3 skips the update then: a zero u would never recover.
        const next = tf.where(tf.greater(tf.sum(tf.abs(vectorU)), 0), vectorU, u!.read());
        tf.tidy(() => {
          u!.write(next);
        });
      }
      // sigma = ||v W|| >= 0; an all-zero kernel (sigma 0) stays zero instead of becoming NaN.
      const sigma = tf.maximum(tf.reshape(tf.matMul(tf.matMul(vectorV, w), vectorU, false, true), []), epsilon);
      return tf.div(stored, sigma);
    },
    bias: (stored) => stored,
  };
}

/** ||v|| over every axis but the last (PyTorch `_weight_norm` with dim 0 of its own weight layout), one per last-axis entry. */
function directionNorms(v: tf.Tensor): tf.Tensor {
  return tf.sqrt(tf.sum(tf.square(v), [...v.shape.keys()].slice(0, -1)));
}

/**
 * Weight normalization (Salimans & Kingma 2016, "Weight Normalization"),
 * as PyTorch `torch.nn.utils.weight_norm(module)` with dim=0: W = g * v / ||v||,
 * the norm over every axis of the weight but PyTorch's dim 0. That axis is the
 * Keras kernel's last one for dense ([in, out] vs PyTorch's [out, in]), conv*
 * ([k..., in, out] vs [out, in, k...]) and conv*Transpose ([k..., out, in] vs
 * [in, out, k...]). g is trainable and starts at ||v||, so the layer first
 * computes what it would without the normalization.
 */
function weightNormalization(): KernelReparametrization {
  let g: tf.LayerVariable | undefined;
  return {
    build(addWeight, kernel) {
      const last = kernel.shape[kernel.shape.length - 1]!;
      g = addWeight('g', [last], toInitializer('ones'), true);
      tf.tidy(() => {
        g!.write(directionNorms(kernel.read()));
      });
    },
    kernel: (stored) => tf.mul(stored, tf.div(g!.read(), directionNorms(stored))),
    bias: (stored) => stored,
    afterInitialWeights(names, kernel) {
      if (!names.includes('kernel') || names.includes('g')) return;
      tf.tidy(() => {
        g!.write(directionNorms(kernel.read()));
      });
    },
  };
}

/**
 * Equalized learning rate (Karras et al. 2018, "Progressive Growing of
 * GANs"; StyleGAN's `dense`/`conv2d` with `use_wscale` and `lrmul` in
 * training/networks_stylegan.py): the kernel is drawn from N(0, 1) / lrMultiplier and
 * multiplied at run time by the He constant sqrt(2 / fanIn) times
 * lrMultiplier, the bias by lrMultiplier.
 */
function equalizedLearningRate(lrMultiplier: number, fanIn: number): KernelReparametrization {
  const scale = Math.sqrt(2 / fanIn) * lrMultiplier;
  return {
    kernelInitializer: { type: 'randomNormal', mean: 0, stddev: 1 / lrMultiplier },
    build() {},
    kernel: (stored) => tf.mul(stored, scale),
    bias: (stored) => (lrMultiplier === 1 ? stored : tf.mul(stored, lrMultiplier)),
  };
}

/**
 * The layer's reparametrization, if any, made in `build` once the channels are
 * known. `fanIn`: inputs per output, for the He constant (dense: in; conv:
 * k... * in; transposed: k... * in too, as StyleGAN's upscale2d_conv2d, which
 * draws its weight as a conv2d's).
 */
export function reparametrizationOf(args: ReparametrizationArgs, fanIn: number): KernelReparametrization | undefined {
  const sn = args.spectralNormalization;
  if (sn) return spectralNormalization(typeof sn === 'object' ? (sn.powerIterations ?? 1) : 1);
  if (args.weightNormalization) return weightNormalization();
  const elr = args.equalizedLearningRate;
  if (elr) return equalizedLearningRate(typeof elr === 'object' ? (elr.lrMultiplier ?? 1) : 1, fanIn);
  return undefined;
}
