import * as tf from '@tensorflow/tfjs';

/** A float32 tensor from little-endian bytes in base64, as generated modules embed `weights:` files. */
export function tensorFromBase64(base64: string, shape: number[]): tf.Tensor {
  const binary = atob(base64);
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) view.setUint8(i, binary.charCodeAt(i));
  const values = new Float32Array(binary.length / 4);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(4 * i, true);
  return tf.tensor(values, shape, 'float32');
}

/** Sets some of a layer's weights by name (`kernel`, `bias`, ...), keeping the others; disposes the given tensors. */
export function setInitialWeights(layer: tf.layers.Layer, values: Record<string, tf.Tensor>): void {
  const current = layer.getWeights();
  const names = layer.weights.map((w) => w.originalName.split('/').pop()!);
  for (const name of Object.keys(values)) if (!names.includes(name)) throw new Error(`netspec runtime: layer '${layer.name}' has no weight '${name}'`);
  layer.setWeights(names.map((name, i) => values[name] ?? current[i]!));
  tf.dispose(Object.values(values));
  // A weight-normalized layer's g follows a kernel given without it, as it follows the initial kernel.
  (layer as { afterInitialWeights?: (given: readonly string[]) => void }).afterInitialWeights?.(Object.keys(values));
}
