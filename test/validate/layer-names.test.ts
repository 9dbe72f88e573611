import { expect, test } from 'vitest';
import { check } from '../../src/check.js';

/**
 * Schema errors name an unnamed layer by the id resolve generates for it, the
 * name every later message and the generated module use. The ids expected
 * here are not written by hand: they are read from the checked model of the
 * same spec without the error.
 */
const spec = (bad: string) => `netspec: 1
models:
  m:
    inputs: { z: [8] }
    layers:
      - { type: dense, units: 4 }
      - { type: dense, units: 4, id: dense_1 }
      - { type: model, model: head }
      - { type: dense, units: 4${bad} }
  head:
    inputs: { x: [4] }
    layers:
      - { type: dense, units: 2 }
`;

test('an unnamed layer with a schema error is called by its generated id', () => {
  const good = check([{ path: 'specs/m.yaml', text: spec('') }]);
  expect(good.diagnostics).toEqual([]);
  const ids = good.models.find((m) => m.model.name === 'm')!.layers.map((l) => l.layer.id);
  const bad = check([{ path: 'specs/m.yaml', text: spec(', use_bias: false') }]);
  expect(bad.diagnostics.map((d) => d.message)).toEqual([`unknown option 'use_bias' for layer '${ids[3]}' (dense)`]);
  expect(ids[3]).toBe('dense_3');
});

test('within a repeat block the layer keeps its type only: its id depends on the iteration', () => {
  const bad = check([{ path: 'specs/m.yaml', text: spec('').replace('      - { type: dense, units: 4 }\n', '      - repeat: 2\n        layers:\n          - { type: dense, units: 4, use_bias: false }\n') }]);
  expect(bad.diagnostics.map((d) => d.message)).toEqual(["unknown option 'use_bias' for layer (dense)"]);
});
