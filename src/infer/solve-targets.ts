import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { spanWithin } from '../diagnostics/location.js';
import type { LayerIR, ModelIR, Shape } from '../ir.js';
import { effectiveKernel, type PadPair } from './formulas.js';
import type { GraphPass } from './infer-shapes.js';

/**
 * The output lengths a transposed convolution upstream of a size error would
 * need, and the strides and kernel sizes that give them, derived from
 * `convTransposeOutputLength` (formulas.ts, Keras 3
 * `compute_conv_transpose_output_shape`) instead of tried blindly. Every
 * candidate is still checked by re-inferring the model.
 */

/** Candidates per axis and in all: a stride or a kernel of 1e9 must not ask for a billion re-inferences. */
const maxPerAxis = 4;
const maxValues = 8;

const spatialOf = (shape: Shape, channelsFirst: boolean) => (channelsFirst ? shape.slice(2) : shape.slice(1, -1));
const numbers = (dims: Shape): number[] | undefined => (dims.every((d) => typeof d === 'number') ? (dims as number[]) : undefined);

/** The spatial lengths the error wants and those it got: the asserted and inferred output, or the merge's inputs. */
function errorSizes(d: Diagnostic, model: ModelIR, pass: GraphPass): { wanted: number[][]; got: number[][] } {
  const shapeOf = (id: string) => pass.layers.find((l) => l.layer.id === id)?.outputShape ?? (() => {
    const input = model.inputs.find((i) => i.id === id);
    return input ? [input.batchSize, ...input.shape] : undefined;
  })();
  if (d.code === 'NS4006') {
    const output = model.outputs.find((o) => (o.shapeSpan ?? o.ref.span).start === d.span?.start && o.shape);
    const got = output && pass.outputs.find((o) => o.name === output.ref.id)?.shape;
    const wanted = output?.shape && numbers(spatialOf([null, ...output.shape], false));
    const have = got && numbers(spatialOf(got, false));
    return wanted && have ? { wanted: [wanted], got: [have] } : { wanted: [], got: [] };
  }
  const merge = model.layers.find((l) => spanWithin(d.span, l.span));
  const shapes = (merge?.from ?? []).map((r) => shapeOf(r.id)).flatMap((s) => (s ? [numbers(spatialOf(s, false))] : [])).filter((s): s is number[] => s !== undefined);
  return { wanted: shapes, got: shapes };
}

/**
 * Per axis, the output lengths `layer` would need for the error's tensor to
 * get the wanted size: the wanted length itself, and the layer's own output
 * scaled by wanted/got where that is whole (the layers between scale sizes).
 */
export function neededLengths(d: Diagnostic, model: ModelIR, pass: GraphPass, layer: LayerIR, rank: number): number[][] | undefined {
  const shapes = pass.layers.find((l) => l.layer === layer);
  const out = shapes && numbers(spatialOf(shapes.outputShape, layer.args['dataFormat'] === 'channelsFirst'));
  if (!out || out.length !== rank) return undefined;
  const { wanted, got } = errorSizes(d, model, pass);
  return out.map((o, a) => {
    const lengths = new Set<number>();
    for (const w of wanted) {
      for (const g of got) {
        const [wa, ga] = [w[a], g[a]];
        if (wa === undefined || ga === undefined || wa === ga || ga === 0) continue;
        if ((wa * o) % ga === 0) lengths.add((wa * o) / ga);
        lengths.add(wa);
      }
    }
    return [...lengths].filter((l) => l >= 1 && l !== o).slice(0, maxPerAxis);
  });
}

/** Whole numbers in `[low, high]`, nearest to `near` first, at most `maxPerAxis`. */
function within(low: number, high: number, near: number): number[] {
  const all: number[] = [];
  for (let v = Math.max(1, Math.ceil(low)); v <= Math.floor(high) && all.length < 64; v++) all.push(v);
  return all.sort((x, y) => Math.abs(x - near) - Math.abs(y - near)).slice(0, maxPerAxis);
}

/**
 * Strides that can give length `o` from input `i` under convTransposeOutputLength,
 * `(i-1)*s + c + op` with `0 <= op < s` (c = ek for valid, ek%2 for same,
 * ek - b - e for explicit pads), or `i*s` for same without outputPadding.
 */
export function stridesFor(i: number, o: number, k: number, d: number, padding: 'valid' | 'same' | PadPair, current: number): number[] {
  const ek = effectiveKernel(k, d);
  const c = padding === 'valid' ? ek : padding === 'same' ? ek % 2 : ek - padding[0] - padding[1];
  // (i-1)*s <= o - c <= (i-1)*s + s - 1  <=>  (o - c + 1) / i <= s <= (o - c) / (i - 1)
  // Same padding without outputPadding, `i*s`, is the plainest edit: it goes first.
  const exact = padding === 'same' && o % i === 0 ? [o / i] : [];
  return [...new Set([...exact, ...within((o - c + 1) / i, i > 1 ? (o - c) / (i - 1) : o, current)])];
}

/** Kernel sizes that give `o` at stride `s` without outputPadding: valid `(i-1)*s + ek` (when ek >= s), explicit `... + ek - b - e`. */
export function kernelFor(i: number, o: number, s: number, d: number, padding: 'valid' | 'same' | PadPair): number | undefined {
  if (padding === 'same') return undefined; // i*s: the kernel does not change the length
  const ek = o - (i - 1) * s + (padding === 'valid' ? 0 : padding[0] + padding[1]);
  if (padding === 'valid' && ek < s) return undefined;
  const k = (ek - 1) / d + 1;
  return Number.isInteger(k) && k >= 1 ? k : undefined;
}

/** At most `maxValues` distinct entries, in order. */
export const capped = (values: Iterable<number>): number[] => [...new Set(values)].slice(0, maxValues);
