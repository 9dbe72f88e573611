/**
 * customGradient: tf.customGrad whose gradient's temporaries are freed as
 * soon as that gradient is computed, not at the end of the backward pass
 * (where tfjs 4.22 frees them), and whose values and gradients are tfjs'.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, test } from 'vitest';
import { customGradient } from '../../src/runtime/custom-gradient.js';

describe.each(['cpu', 'wasm'])('%s', (backend) => {
  test('a gradient\'s temporaries are disposed before the next gradient back runs; values and gradients are unchanged', async () => {
    await tf.setBackend(backend);
    const temporaries: tf.Tensor[] = [];
    const seenByEarlier: boolean[] = [];
    // double(x) = 2x, its gradient made through a temporary it does not return.
    const double = customGradient((x: tf.Tensor) => ({
      value: tf.mul(x, 2),
      gradFunc: (dy: tf.Tensor) => {
        const temporary = tf.mul(dy, 4);
        temporaries.push(temporary);
        return tf.div(temporary, 2);
      },
    }));
    // square(x) = x^2, whose gradient runs after double's (it is earlier in the graph) and records what it sees.
    const square = customGradient((x: tf.Tensor, save: tf.GradSaveFunc) => {
      save([x]);
      return {
        value: tf.square(x),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          seenByEarlier.push(...temporaries.map((t) => t.isDisposed));
          return tf.mul(dy, tf.mul(saved[0]!, 2));
        },
      };
    });
    const x = tf.tensor1d([1, -2, 3]);
    const before = tf.memory().numTensors;
    const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => tf.sum(double(square(t))))(x);
    // d/dx sum(2 x^2) = 4x
    expect(Array.from(value.dataSync())).toEqual([28]);
    expect(Array.from(grad.dataSync())).toEqual([4, -8, 12]);
    expect(seenByEarlier).toEqual([true]);
    tf.dispose([value, grad]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
