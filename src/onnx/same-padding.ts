import { samePadding } from '../infer/formulas.js';
import { refuse, type LayerCall } from './layer-call.js';

/**
 * The Conv attributes of TensorFlow's `same` padding. ONNX SAME_UPPER is the
 * same split (the smaller half first), but onnxruntime refuses it with
 * dilation, so dilated windows get explicit pads: from the input size when it
 * is known, or at stride 1, where they do not depend on it (`d*(k-1)` in all).
 */
export function samePaddingAttributes(call: LayerCall, sizes: readonly (number | null | undefined)[], k: readonly number[], s: readonly number[], d: readonly number[]): Record<string, string | number[]> {
  if (d.every((x) => x === 1)) return { auto_pad: 'SAME_UPPER' };
  const pads = k.map((kk, a) => {
    const i = sizes[a];
    if (i !== null && i !== undefined) return samePadding(i, kk, s[a]!, d[a]!);
    if (s[a] === 1) return samePadding(kk, kk, 1, d[a]!);
    return refuse(call, `'same' padding with dilation and stride on spatial axis ${a + 1} needs a known input size`);
  });
  return { pads: [...pads.map((p) => p[0]), ...pads.map((p) => p[1])] };
}
