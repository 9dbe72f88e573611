import { describe, expect, test } from 'vitest';
import { checkSource } from '../../src/check.js';
import type { Span } from '../../src/ir.js';

const text = `netspec: 1
params: { n: 4, k: n - 1 }
symbols: [H]
models:
  g:
    inputs: { x: [H, n] }
    layers:
      - repeat: { f: [n, n] }
        as: j
        input: block
        layers:
          - { type: conv1d, id: "c{j + k}", filters: f, kernelSize: 1 }
          - { type: add, from: [block, "c{j + k}"] }
      - { type: dense, units: n }
`;
const result = checkSource({ path: 'n.yaml', text });
const shown = (span: Span | undefined) => (span ? text.slice(span.start, span.end) : undefined);

describe('names written in expressions and repeat blocks (for the language server)', () => {
  test('every name of every expression, once per place, in source order', () => {
    expect(result.diagnostics).toEqual([]);
    const names = result.spec!.names!.map((n) => [n.name, n.span.start, shown(n.span)]);
    const at = (needle: string, from = 0) => text.indexOf(needle, from);
    expect(names).toEqual([
      ['n', at('n - 1'), 'n'],
      ['H', at('H, n'), 'H'],
      ['n', at('n]'), 'n'],
      ['n', at('n, n]', at('repeat')), 'n'],
      ['n', at('n] }', at('repeat')), 'n'],
      ['j', at('j + k'), 'j'],
      ['k', at('k}'), 'k'],
      ['f', at('f, kernelSize'), 'f'],
      ['j', at('j + k}"]'), 'j'],
      ['k', at('k}"]'), 'k'],
      ['n', at('n }'), 'n'],
    ]);
  });

  test('a repeat block keeps its declarations and its body', () => {
    const [repeat] = result.spec!.repeats!;
    expect(result.spec!.repeats).toHaveLength(1);
    expect(shown(repeat!.keySpan)).toBe('repeat');
    expect(shown(repeat!.countSpan)).toBe('{ f: [n, n] }');
    expect(shown(repeat!.bodySpan)?.startsWith('- { type: conv1d')).toBe(true);
    expect(repeat!.index.name).toBe('j');
    expect(shown(repeat!.index.span)).toBe('j');
    expect(repeat!.lists.map((l) => [l.name, shown(l.span)])).toEqual([['f', 'f']]);
    expect(repeat!.input?.name).toBe('block');
    expect(shown(repeat!.input?.span)).toBe('block');
  });

  test('a from the spec did not write is implicit', () => {
    const layers = result.spec!.models[0]!.layers;
    expect(layers.map((l) => l.from.map((r) => [r.id, r.implicit ?? false]))).toEqual([
      [['x', true]],
      [['x', false], ['c3', false]],
      [['add_1', true]],
      [['add_1', false], ['c4', false]],
      [['add_2', true]],
    ]);
  });
});
