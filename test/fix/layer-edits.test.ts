import { describe, expect, test } from 'vitest';
import { checkSource } from '../../src/check.js';
import { applyEdits } from '../../src/fix/apply-edits.js';
import { insertLayerBeforeFix, removeLayerFix } from '../../src/fix/layer-edits.js';
import { removeInputFix, removeParamFix, symbolFix } from '../../src/fix/spec-edits.js';
import type { ModelIR, SpecIR } from '../../src/ir.js';

/**
 * The edit builders of src/fix/layer-edits.ts and src/fix/spec-edits.ts on real specs: the
 * text they leave, or undefined where the edit would change what other layers read.
 */
const file = 'spec.yaml';

function specOf(text: string): SpecIR {
  const spec = checkSource({ path: file, text }).spec;
  expect(spec).toBeDefined();
  return spec!;
}

function modelOf(text: string): ModelIR {
  return specOf(text).models[0]!;
}

const layers = (items: readonly string[], outputs = '') => `netspec: 1
models:
  m:
    inputs:
      x: [8]
    layers:
${items.map((i) => `      - ${i}\n`).join('')}${outputs}`;

/** The text after removing the layer `id`, or undefined when no removal is offered. */
function removed(text: string, id: string): string | undefined {
  const model = modelOf(text);
  const fix = removeLayerFix(model, model.layers.find((l) => l.id === id)!, `remove '${id}'`);
  return fix && applyEdits(text, fix.edits).text;
}

describe('removeLayerFix', () => {
  const cases: [string, { given: string; id: string; want: string | undefined }][] = [
    [
      'a block item, its whole line',
      { given: layers(['{ type: dense, id: a, units: 4 }', '{ type: reLU, id: b }', '{ type: dense, id: c, units: 2 }']), id: 'b', want: layers(['{ type: dense, id: a, units: 4 }', '{ type: dense, id: c, units: 2 }']) },
    ],
    [
      'a layer read in `from:` by id: not offered',
      { given: layers(['{ type: dense, id: a, units: 4 }', '{ type: reLU, id: b }', '{ type: dense, id: c, from: b, units: 2 }']), id: 'b', want: undefined },
    ],
    [
      'a layer the next one reads, which itself reads another than the one before it: not offered',
      { given: layers(['{ type: dense, id: a, units: 4 }', '{ type: dense, id: b, from: x, units: 4 }', '{ type: dense, id: c, units: 2 }']), id: 'b', want: undefined },
    ],
    [
      'the output: the layer it reads takes its id',
      { given: layers(['{ type: dense, units: 4 }', '{ type: reLU, id: out }']), id: 'out', want: layers(['{ type: dense, units: 4, id: out }']) },
    ],
    [
      'the output, when the layer it reads has an id of its own: not offered',
      { given: layers(['{ type: dense, id: a, units: 4 }', '{ type: reLU, id: out }']), id: 'out', want: undefined },
    ],
    [
      'a layer with a generated id, when a later generated id is named in `from:`: not offered (it would shift)',
      { given: layers(['{ type: reLU }', '{ type: dense, id: a, units: 4 }', '{ type: reLU }', '{ type: dense, id: b, from: reLU_2, units: 2 }']), id: 'reLU_1', want: undefined },
    ],
    ['the only layer: not offered', { given: layers(['{ type: dense, id: a, units: 4 }']), id: 'a', want: undefined }],
  ];
  test.each(cases)('%s', (_, { given, id, want }) => expect(removed(given, id)).toBe(want));

  test('an item of a flow sequence, with its comma', () => {
    const text = 'netspec: 1\nmodels:\n  m:\n    inputs: { x: [8] }\n    layers: [{ type: dense, id: a, units: 4 }, { type: reLU, id: b }, { type: dense, id: c, units: 2 }]\n';
    expect(removed(text, 'b')).toBe('netspec: 1\nmodels:\n  m:\n    inputs: { x: [8] }\n    layers: [{ type: dense, id: a, units: 4 }, { type: dense, id: c, units: 2 }]\n');
  });

  test('a layer a repeat made: not offered (its template stands for every copy)', () => {
    const text = layers(['repeat: 2\n        layers:\n          - { type: dense, units: 4 }', '{ type: dense, id: c, units: 2 }']);
    const model = modelOf(text);
    expect(model.layers.map((l) => removeLayerFix(model, l, 'remove') !== undefined)).toEqual([false, false, false]);
  });
});

describe('insertLayerBeforeFix', () => {
  test('a block item on its own line, at the indent of the one it comes before', () => {
    const text = layers(['{ type: dense, id: a, units: 8 }', '{ type: dense, id: c, units: 2 }']);
    const model = modelOf(text);
    const fix = insertLayerBeforeFix(model, model.layers[1]!, { type: 'reshape', targetShape: [2, 4] }, 'add a reshape');
    expect(applyEdits(text, fix!.edits).text).toBe(layers(['{ type: dense, id: a, units: 8 }', '{ type: reshape, targetShape: [2, 4] }', '{ type: dense, id: c, units: 2 }']));
  });

  test('not before a layer that names what it reads in `from:`', () => {
    const model = modelOf(layers(['{ type: dense, id: a, units: 8 }', '{ type: dense, id: c, from: x, units: 2 }']));
    expect(insertLayerBeforeFix(model, model.layers[1]!, { type: 'flatten' }, 'add a flatten')).toBeUndefined();
  });
});

describe('spec-edits', () => {
  test('a param of a flow mapping goes with its comma; the only param with its `params:` key', () => {
    const two = 'netspec: 1\nparams: { a: 1, b: 2 }\nmodels:\n  m:\n    inputs: { x: [8] }\n    layers:\n      - { type: dense, units: a }\n';
    const fix = removeParamFix(specOf(two).params.find((p) => p.name === 'b')!, 'remove b');
    expect(applyEdits(two, fix!.edits).text).toBe(two.replace(', b: 2', ''));
    const one = 'netspec: 1\nparams:\n  b: 2\nmodels:\n  m:\n    inputs: { x: [8] }\n    layers:\n      - { type: dense, units: 4 }\n';
    const only = removeParamFix(specOf(one).params[0]!, 'remove b');
    expect(applyEdits(one, only!.edits).text).toBe(one.replace('params:\n  b: 2\n', ''));
  });

  test('a symbol: its option in place, an empty declaration whole, a list of names as a mapping', () => {
    const spec = (symbols: string) => `netspec: 1\nsymbols: ${symbols}\nmodels:\n  m:\n    inputs: { x: [H, W, 3] }\n    layers:\n      - { type: conv2d, filters: 2, kernelSize: 1 }\n`;
    const set = (symbols: string) => {
      const text = spec(symbols);
      const h = specOf(text).models[0]!.symbols!.find((s) => s.name === 'H')!;
      return applyEdits(text, symbolFix(h, 'set', [{ option: 'multipleOf', value: 8 }])!.edits).text;
    };
    expect(set('{ H: { multipleOf: 4, min: 16 }, W: {} }')).toBe(spec('{ H: { multipleOf: 8, min: 16 }, W: {} }'));
    expect(set('{ H: {}, W: {} }')).toBe(spec('{ H: {multipleOf: 8}, W: {} }'));
    expect(set('[H, W]')).toBe(spec('{ H: {multipleOf: 8}, W: {} }'));
  });

  test('an input no layer reads, with its line; not one a layer reads', () => {
    const text = 'netspec: 1\nmodels:\n  m:\n    inputs:\n      x: [8]\n      label: [10]\n    layers:\n      - { type: dense, from: x, units: 4 }\n';
    const model = modelOf(text);
    const label = model.inputs.find((i) => i.id === 'label')!;
    expect(applyEdits(text, removeInputFix(model, label, 'remove')!.edits).text).toBe(text.replace('      label: [10]\n', ''));
    expect(removeInputFix(model, model.inputs.find((i) => i.id === 'x')!, 'remove')).toBeUndefined();
  });
});
