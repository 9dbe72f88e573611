/**
 * Plain-loop references for depthToSpace, spaceToDepth (TensorFlow's
 * channel order) and pixelShuffle (PyTorch's), channelsLast
 * (`[batch, rows, cols, channels]`), written from the definitions in
 * docs/spec-format.md. Independent of src/.
 *
 * Each layer is a map from an output position to the input position it
 * copies; the forward pass reads through it and the gradient of a sum over
 * the output adds back through it.
 */
import { zeros, type NdArray } from './conv-transpose.js';

type Position = readonly [n: number, y: number, x: number, c: number];

interface BlockMove {
  readonly outShape: readonly [number, number, number, number];
  /** The input position output position `at` copies. */
  readonly source: (at: Position) => Position;
}

function dims(shape: readonly number[]): [number, number, number, number] {
  return [shape[0]!, shape[1]!, shape[2]!, shape[3]!];
}

const offset = (shape: readonly number[], [n, y, x, c]: Position) => ((n * shape[1]! + y) * shape[2]! + x) * shape[3]! + c;

/** TensorFlow depth_to_space: output `(h*r + i, w*r + j, c)` copies input `(h, w, (i*r + j)*C + c)`. */
export function depthToSpaceMove(inShape: readonly number[], r: number): BlockMove {
  const [N, H, W, D] = dims(inShape);
  const C = D / (r * r);
  return { outShape: [N, H * r, W * r, C], source: ([n, y, x, c]) => [n, Math.floor(y / r), Math.floor(x / r), ((y % r) * r + (x % r)) * C + c] };
}

/** TensorFlow space_to_depth: output `(h, w, (i*r + j)*C + c)` copies input `(h*r + i, w*r + j, c)`. */
export function spaceToDepthMove(inShape: readonly number[], r: number): BlockMove {
  const [N, H, W, C] = dims(inShape);
  return {
    outShape: [N, H / r, W / r, C * r * r],
    source: ([n, h, w, d]) => {
      const block = Math.floor(d / C);
      return [n, h * r + Math.floor(block / r), w * r + (block % r), d % C];
    },
  };
}

/** PyTorch pixel_shuffle: output `(h*r + i, w*r + j, c)` copies input `(h, w, c*r*r + i*r + j)`. */
export function pixelShuffleMove(inShape: readonly number[], r: number): BlockMove {
  const [N, H, W, D] = dims(inShape);
  return { outShape: [N, H * r, W * r, D / (r * r)], source: ([n, y, x, c]) => [n, Math.floor(y / r), Math.floor(x / r), c * r * r + (y % r) * r + (x % r)] };
}

function forEachPosition(shape: readonly number[], visit: (at: Position) => void): void {
  const [N, Y, X, C] = dims(shape);
  for (let n = 0; n < N; n++) for (let y = 0; y < Y; y++) for (let x = 0; x < X; x++) for (let c = 0; c < C; c++) visit([n, y, x, c]);
}

/** The layer's output for input `x`. */
export function moveForward(move: BlockMove, x: NdArray): NdArray {
  const out = zeros(move.outShape);
  forEachPosition(move.outShape, (at) => {
    out.data[offset(move.outShape, at)] = x.data[offset(x.shape, move.source(at))]!;
  });
  return out;
}

/** The gradient of `sum(output * dy)` with respect to the input of shape `inShape`. */
export function moveBackward(move: BlockMove, inShape: readonly number[], dy: NdArray): NdArray {
  const dx = zeros(inShape);
  forEachPosition(move.outShape, (at) => {
    dx.data[offset(inShape, move.source(at))]! += dy.data[offset(move.outShape, at)]!;
  });
  return dx;
}
