/**
 * How netspec/parallel splits a batch and joins the parts: slices cover the
 * batch in order, with sizes differing by at most one, and slicing then
 * joining gives back the tensor's data, checked against an element-wise copy.
 */
import { describe, expect, test } from 'vitest';
import { batchSize, batchSlices, concatRows, sliceRows } from '../../src/parallel/batch.js';
import type { FlatTensor } from '../../src/parallel/messages.js';
import { workerExecArgv } from '../../src/parallel/remote.js';

describe('batchSlices', () => {
  const cases: [string, { batch: number; workers: number }, [number, number][]][] = [
    ['even split', { batch: 32, workers: 2 }, [[0, 16], [16, 32]]],
    ['odd batch: the first worker takes the extra row', { batch: 5, workers: 2 }, [[0, 3], [3, 5]]],
    ['three workers', { batch: 7, workers: 3 }, [[0, 3], [3, 5], [5, 7]]],
    ['fewer rows than workers: no empty slice', { batch: 2, workers: 4 }, [[0, 1], [1, 2]]],
    ['one worker', { batch: 9, workers: 1 }, [[0, 9]]],
    ['empty batch goes to one worker', { batch: 0, workers: 2 }, [[0, 0]]],
  ];
  test.each(cases)('%s', (_, { batch, workers }, want) => {
    expect(batchSlices(batch, workers).map((s) => [s.start, s.end])).toEqual(want);
  });

  test('every split of batches 0..40 over 1..5 workers is contiguous, complete and balanced', () => {
    for (let batch = 0; batch <= 40; batch++)
      for (let workers = 1; workers <= 5; workers++) {
        const slices = batchSlices(batch, workers);
        expect(slices[0]!.start).toBe(0);
        expect(slices.at(-1)!.end).toBe(batch);
        slices.slice(1).forEach((s, n) => expect(s.start).toBe(slices[n]!.end));
        const sizes = slices.map((s) => s.end - s.start);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect(slices.length).toBe(Math.max(1, Math.min(batch, workers)));
      }
  });

  test('rejects a negative or fractional batch and a worker count below 1', () => {
    expect(() => batchSlices(-1, 2)).toThrow(/batch size must be a whole number, received -1/);
    expect(() => batchSlices(2.5, 2)).toThrow(/received 2.5/);
    expect(() => batchSlices(4, 0)).toThrow(/worker count must be a positive whole number, received 0/);
  });
});

/** A [batch, ...inner] float32 tensor whose value at flat index i is i. */
function counting(shape: number[]): FlatTensor {
  const size = shape.reduce((p, d) => p * d, 1);
  return { data: Float32Array.from({ length: size }, (_, i) => i), shape, dtype: 'float32' };
}

describe('sliceRows and concatRows', () => {
  test.each([[[5, 3]], [[7, 2, 3, 4]], [[1, 6]], [[4]]])('slicing %j into parts and joining them gives it back', (shape) => {
    const tensor = counting(shape);
    const row = shape.slice(1).reduce((p, d) => p * d, 1);
    for (let workers = 1; workers <= 3; workers++) {
      const parts = batchSlices(shape[0]!, workers).map((s) => sliceRows(tensor, s));
      parts.forEach((p, n) => {
        const { start, end } = batchSlices(shape[0]!, workers)[n]!;
        expect(p.shape).toEqual([end - start, ...shape.slice(1)]);
        // Element by element: part row r is tensor row start + r.
        for (let i = 0; i < p.data.length; i++) expect(p.data[i]).toBe(start * row + i);
      });
      const joined = concatRows(parts);
      expect(joined.shape).toEqual(shape);
      expect(Array.from(joined.data)).toEqual(Array.from(tensor.data));
    }
  });

  test('a slice owns its buffer, so transferring it leaves the source intact', () => {
    const tensor = counting([4, 2]);
    const part = sliceRows(tensor, { start: 1, end: 3 });
    expect(part.data.buffer).not.toBe(tensor.data.buffer);
    expect(part.data.byteLength).toBe(part.data.buffer.byteLength);
  });

  test('int32 parts stay int32', () => {
    const a: FlatTensor = { data: Int32Array.from([1, 2]), shape: [2, 1], dtype: 'int32' };
    const b: FlatTensor = { data: Int32Array.from([3]), shape: [1, 1], dtype: 'int32' };
    const joined = concatRows([a, b]);
    expect(joined.data).toBeInstanceOf(Int32Array);
    expect(Array.from(joined.data)).toEqual([1, 2, 3]);
  });

  test('parts of different inner shapes or dtypes are refused', () => {
    expect(() => concatRows([counting([2, 3]), counting([2, 4])])).toThrow(/different shapes: \[2, 3\] float32 and \[2, 4\] float32/);
    expect(() => concatRows([counting([2, 1]), { data: Int32Array.from([1]), shape: [1, 1], dtype: 'int32' }])).toThrow(/different shapes/);
  });
});

describe('batchSize', () => {
  test('the shared leading size of the inputs', () => {
    expect(batchSize([counting([3, 2]), counting([3, 5, 1])])).toBe(3);
  });
  test('inputs that disagree, a scalar, or none are refused', () => {
    expect(() => batchSize([counting([3, 2]), counting([2, 2])])).toThrow(/same batch size, received 3, 2/);
    expect(() => batchSize([{ data: new Float32Array(1), shape: [], dtype: 'float32' }])).toThrow(/batch axis/);
    expect(() => batchSize([])).toThrow(/at least one input/);
  });
});

describe('workerExecArgv', () => {
  const cases: [string, string[], string[]][] = [
    ['keeps memory and loader flags', ['--max-old-space-size=4096', '--import', 'tsx'], ['--max-old-space-size=4096', '--import', 'tsx']],
    ['drops an inline script and its input type', ['--input-type=module', '-e', 'code()', '--trace-warnings'], ['--trace-warnings']],
    ['drops separate-value and print forms', ['--input-type', 'module', '--print', '1+1', '-i'], []],
  ];
  test.each(cases)('%s', (_, given, want) => expect(workerExecArgv(given)).toEqual(want));
});
