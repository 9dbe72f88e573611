import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect, test } from 'vitest';
import { decodeModel, toOnnx } from '../../src/onnx/index.js';
import { root } from '../helpers/gallery.js';

test('the committed protobuf descriptor is the one scripts/build-onnx-proto.js makes from the vendored onnx.proto', async () => {
  // A plain script without types: imported by a computed specifier.
  const script = '../../scripts/build-onnx-proto.js';
  const { descriptorModule } = (await import(script)) as { descriptorModule: () => string };
  expect(readFileSync(join(root, 'src/onnx/onnx-descriptor.ts'), 'utf8')).toBe(descriptorModule());
});

test('a ModelProto decodes with opset 18, the tfjs names and dynamic dims named batch and <input>_<axis>', () => {
  const x = tf.input({ shape: [null, 8, 3], name: 'image' });
  const model = tf.model({ inputs: x, outputs: tf.layers.conv2d({ filters: 2, kernelSize: 3, name: 'features' }).apply(x) as tf.SymbolicTensor });
  const decoded = decodeModel(toOnnx(model)) as {
    opset_import: { version: number }[];
    graph: { input: { name: string; type: { tensor_type: { shape: { dim: Record<string, unknown>[] } } } }[]; output: { name: string }[] };
  };
  expect(decoded.opset_import.map((o) => o.version)).toEqual([18]);
  expect(decoded.graph.input.map((i) => i.name)).toEqual(['image']);
  expect(decoded.graph.output.map((o) => o.name)).toEqual(['features']);
  expect(decoded.graph.input[0]!.type.tensor_type.shape.dim).toEqual([{ dim_param: 'batch' }, { dim_param: 'image_1' }, { dim_value: 8 }, { dim_value: 3 }]);
  model.dispose();
});
