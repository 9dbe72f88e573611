// The configurations the benchmark times, full and --quick. Shapes are channelsLast without
// the batch; `macs` is the multiply-accumulates of the full transposed convolution per sample
// (input positions x kernel taps x in x out channels), as `netspec summary` counts them.

const product = (values) => values.reduce((p, v) => p * v, 1);

/** One transposed-convolution layer: rank, input spatial size, channels in -> filters, kernel, stride, padding. */
function conv(name, rank, spatial, inChannels, filters, kernel, stride, padding, extra = {}) {
  const spatialArray = Array.isArray(spatial) ? spatial : new Array(rank).fill(spatial);
  return {
    name,
    rank,
    inputShape: [...spatialArray, inChannels],
    args: { rank, filters, kernelSize: kernel, strides: stride, padding, useBias: true, ...extra },
    macs: product(spatialArray) * kernel ** rank * inChannels * filters,
  };
}

/**
 * 2D layers where tf.layers.conv2dTranspose is correct: valid/same, no outputPadding, no
 * dilation. `divisor` scales the channels down (tfjs cpu's kernel gradient, Conv2DBackpropFilter,
 * runs at ~0.01 GFLOP/s, so full-width training steps would take seconds each).
 */
export function nativeCases(divisor = 1) {
  const ngf = 64 / divisor;
  const suffix = divisor === 1 ? '' : ` /${divisor}`;
  const cases = [
    // specs/dcgan.yaml, generator: up1, up2, up3, image.
    conv('dcgan up1 4x4x512->8x8x256', 2, 4, ngf * 8, ngf * 4, 5, 2, 'same'),
    conv('dcgan up2 8->16 256->128', 2, 8, ngf * 4, ngf * 2, 5, 2, 'same'),
    conv('dcgan up3 16->32 128->64', 2, 16, ngf * 2, ngf, 5, 2, 'same'),
    conv('dcgan image 32->64 64->3', 2, 32, ngf, 3, 5, 2, 'same', { activation: 'tanh' }),
    conv('k5 s2 valid 8->19 256->128', 2, 8, ngf * 4, ngf * 2, 5, 2, 'valid'),
    conv('k4 s2 same 16->32 128->64', 2, 16, ngf * 2, ngf, 4, 2, 'same'),
    conv('k4 s2 valid 8->18 256->128', 2, 8, ngf * 4, ngf * 2, 4, 2, 'valid'),
    conv('k3 s1 same 32->32 64->64', 2, 32, ngf, ngf, 3, 1, 'same'),
    conv('k3 s1 valid 16->18 128->64', 2, 16, ngf * 2, ngf, 3, 1, 'valid'),
  ];
  return cases.map((c) => ({ ...c, name: c.name + suffix }));
}

/**
 * Channel divisor of the forward and the training-step cases. Training on cpu
 * is slow on the native side (see nativeCases); wasm times netspec alone, at full width.
 */
export function divisors(backend, quick) {
  if (quick) return { forward: 4, train: backend === 'cpu' ? 16 : 4 };
  return { forward: 1, train: backend === 'cpu' ? 8 : 1 };
}

/** netspec-only layers (tfjs has no conv1dTranspose; its conv3dTranspose is wrong on wasm and cannot train). */
export function extraCases(quick) {
  if (quick) {
    return [
      conv('1d k25 s4 16->64 256->128', 1, 16, 256, 128, 25, 4, 'same'),
      conv('3d k4 s2 4^3x128->8^3x64', 3, 4, 128, 64, 4, 2, 'same'),
    ];
  }
  return [
    // WaveGAN generator (Donahue et al. 2019), d = 64: length x4 per layer.
    conv('1d k25 s4 16->64 1024->512', 1, 16, 1024, 512, 25, 4, 'same'),
    conv('1d k25 s4 64->256 512->256', 1, 64, 512, 256, 25, 4, 'same'),
    conv('1d k25 s4 256->1024 256->128', 1, 256, 256, 128, 25, 4, 'same'),
    conv('1d k25 s4 1024->4096 128->64', 1, 1024, 128, 64, 25, 4, 'same'),
    conv('1d k25 s4 4096->16384 64->1', 1, 4096, 64, 1, 25, 4, 'same', { activation: 'tanh' }),
    conv('3d k4 s2 4^3x512->8^3x256', 3, 4, 512, 256, 4, 2, 'same'),
    conv('3d k4 s2 16^3x128->32^3x64', 3, 16, 128, 64, 4, 2, 'same'),
  ];
}

/** Batch sizes: 1, and a larger one that keeps a call short enough to repeat. */
export function batches(backend, quick, kind) {
  if (quick) return [1, 2];
  if (kind === 'train') return backend === 'cpu' ? [1, 2] : [1, 4];
  return backend === 'cpu' ? [1, 4] : [1, 8];
}

/** Warm-up calls per contender, then timed rounds (each round runs every contender once). */
export function repetitions(backend, quick) {
  if (quick) return { layer: { warmup: 1, reps: 3 }, train: { warmup: 1, reps: 3 }, model: { warmup: 1, reps: 3 }, extra: { warmup: 1, reps: 2 } };
  const fast = backend !== 'cpu';
  return {
    layer: fast ? { warmup: 2, reps: 9 } : { warmup: 1, reps: 5 },
    train: fast ? { warmup: 1, reps: 5 } : { warmup: 1, reps: 5 },
    model: fast ? { warmup: 2, reps: 9 } : { warmup: 1, reps: 5 },
    // cpu's extra cases take up to 8 s a call: no warm-up; the median of 3 drops a slow first call.
    extra: fast ? { warmup: 1, reps: 3 } : { warmup: 0, reps: 3 },
  };
}

/** The DCGAN generator's width (specs/dcgan.yaml: ngf 64) and the model batches. */
export function modelSetup(quick) {
  return quick ? { ngf: 16, batches: [1, 2] } : { ngf: 64, batches: [1, 8] };
}

/**
 * The generated-modules section (bench/generated.js): per gallery generator, the batch of
 * `predict` and of the training step per backend, and warm-up calls and timed rounds per call.
 * A training step on tfjs cpu is slow wherever tfjs' own conv2d kernel gradient
 * (Conv2DBackpropFilter, ~0.03 GFLOP/s) runs: one DCGAN generator step at batch 1 takes ~50 s
 * per contender, so cpu trains only the DCGAN generator, one round, unless `--all-train`.
 */
export function generatedCases(quick, allTrain) {
  const reps = (warmup, rounds) => ({ warmup, rounds });
  const few = quick ? reps(1, 2) : reps(1, 5);
  const once = reps(0, 1);
  const cpuTrain = allTrain ? once : undefined;
  return [
    {
      label: 'DCGAN generator',
      module: 'dcgan',
      batch: { cpu: { predict: quick ? 1 : 8, train: quick ? undefined : 1 }, wasm: { predict: 8, train: quick ? 1 : 8 } },
      reps: { cpu: { predict: quick ? reps(1, 2) : reps(1, 5), train: once }, wasm: { predict: few, train: quick ? reps(1, 2) : reps(1, 3) } },
    },
    {
      label: 'pix2pix generator',
      module: 'pix2pix',
      batch: { cpu: { predict: 1, train: cpuTrain && 1 }, wasm: { predict: 1, train: quick ? undefined : 1 } },
      // One pix2pix predict on tfjs cpu takes tens of seconds: one round, no warm-up (cpu packs nothing).
      reps: { cpu: { predict: once, train: once }, wasm: { predict: quick ? reps(1, 1) : reps(1, 3), train: reps(1, 2) } },
    },
    {
      label: 'WaveGAN generator',
      module: 'wavegan',
      batch: { cpu: { predict: 1, train: cpuTrain && 1 }, wasm: { predict: quick ? 1 : 4, train: 1 } },
      reps: { cpu: { predict: quick ? once : reps(1, 3), train: once }, wasm: { predict: quick ? reps(1, 1) : reps(1, 3), train: quick ? reps(0, 1) : reps(1, 2) } },
    },
    {
      label: '3D-GAN generator',
      module: 'voxelGan',
      batch: { cpu: { predict: 1, train: cpuTrain && 1 }, wasm: { predict: 1, train: quick ? undefined : 1 } },
      reps: { cpu: { predict: quick ? once : reps(1, 3), train: once }, wasm: { predict: quick ? reps(1, 1) : reps(1, 3), train: reps(0, 1) } },
    },
  ];
}
