import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check.js';
import { applyEdits } from '../../src/fix/apply-edits.js';
import { flowYaml, optionEdits, type OptionChange } from '../../src/fix/option-edits.js';
import type { LayerIR } from '../../src/ir.js';

const file = 'spec.yaml';

function layersOf(text: string): LayerIR[] {
  const result = checkSource({ path: file, text });
  return result.spec?.models.flatMap((m) => m.layers) ?? [];
}

/** Applies the edits for `changes` on every layer with `id` (a repeat makes several), as `check --fix` would. */
function edited(text: string, id: string, changes: readonly OptionChange[]): string {
  const layers = layersOf(text).filter((l) => l.id === id);
  expect(layers.length).toBeGreaterThan(0);
  const edits = layers.flatMap((l) => optionEdits(l, changes) ?? []);
  return applyEdits(text, edits).text;
}

const block = `netspec: 1
name: blockSpec
models:
  m:
    inputs:
      x: [8]
    layers:
      # the hidden layer
      - type: dense   # comment after the type
        id: hidden
        units: 4      # four units
        activation: relu
      - type: dense
        id: out
        units: 2
`;

const flow = `netspec: 1
name: flowSpec
models:
  m:
    inputs:
      x: [8]
    layers:
      - { type: dense, id: hidden, units: 4 }  # trailing
      - {type: dense, id: out, units: 2}
`;

describe('flowYaml', () => {
  it('writes values as YAML flow text, quoting only what needs it', () => {
    expect(flowYaml('same')).toBe('same');
    expect(flowYaml([[0, 1], [0, 1]])).toBe('[[0, 1], [0, 1]]');
    expect(flowYaml(3)).toBe('3');
    expect(flowYaml(true)).toBe('true');
    // A string that would read back as a number, or that contains flow indicators.
    expect(flowYaml('1')).toBe('"1"');
    expect(flowYaml('a, b')).toBe('"a, b"');
    expect(flowYaml('x: y')).toBe('"x: y"');
  });
});

describe('option edits on a block mapping', () => {
  it('replaces a written value in place, keeping the comment after it', () => {
    expect(edited(block, 'hidden', [{ option: 'units', value: 16 }])).toBe(block.replace('units: 4      # four units', 'units: 16      # four units'));
  });

  it('adds a new option after the last entry, at the keys\' indentation', () => {
    expect(edited(block, 'hidden', [{ option: 'useBias', value: false }])).toBe(block.replace('activation: relu\n', 'activation: relu\n        useBias: false\n'));
    // The last layer of the file, and two options at once.
    expect(edited(block, 'out', [{ option: 'useBias', value: false }, { option: 'activation', value: 'tanh' }])).toBe(block.replace('units: 2\n', 'units: 2\n        useBias: false\n        activation: tanh\n'));
  });

  it('removes an option with its line and its comment', () => {
    expect(edited(block, 'hidden', [{ option: 'units', value: undefined }])).toBe(block.replace('        units: 4      # four units\n', ''));
    expect(edited(block, 'out', [{ option: 'units', value: undefined }])).toBe(block.replace('        units: 2\n', ''));
  });

  it('removes the last entry and adds another in its place', () => {
    expect(edited(block, 'hidden', [{ option: 'activation', value: undefined }, { option: 'useBias', value: false }])).toBe(block.replace('activation: relu', 'useBias: false'));
  });

  it('removes the first entry on the sequence line by moving the next key up', () => {
    const text = block.replace('      - type: dense   # comment after the type\n        id: hidden', '      - id: hidden\n        type: dense');
    expect(edited(text, 'hidden', [{ option: 'id', value: undefined }])).toBe(text.replace('- id: hidden\n        type: dense', '- type: dense'));
  });

  it('writes strings the way YAML reads them back', () => {
    const out = edited(block, 'hidden', [{ option: 'name', value: '1' }]);
    expect(out).toBe(block.replace('activation: relu\n', 'activation: relu\n        name: "1"\n'));
  });
});

describe('option edits on a flow mapping', () => {
  it('replaces a value and adds an option before the closing brace', () => {
    expect(edited(flow, 'hidden', [{ option: 'units', value: 16 }, { option: 'activation', value: 'relu' }])).toBe(
      flow.replace('{ type: dense, id: hidden, units: 4 }', '{ type: dense, id: hidden, units: 16, activation: relu }'),
    );
    expect(edited(flow, 'out', [{ option: 'kernelInitializer', value: 'a, b' }])).toBe(flow.replace('units: 2}', 'units: 2, kernelInitializer: "a, b"}'));
  });

  it('removes an entry with its separator, first or not', () => {
    expect(edited(flow, 'hidden', [{ option: 'units', value: undefined }])).toBe(flow.replace(', units: 4', ''));
    expect(edited(flow, 'out', [{ option: 'type', value: undefined }])).toBe(flow.replace('{type: dense, id: out', '{id: out'));
  });

  it('values with brackets stay flow', () => {
    expect(edited(flow, 'out', [{ option: 'units', value: [[0, 1], [0, 1]] }])).toBe(flow.replace('units: 2}', 'units: [[0, 1], [0, 1]]}'));
  });
});

describe('option edits on repeat templates', () => {
  const repeated = `netspec: 1
name: repeated
models:
  m:
    inputs:
      x: [4, 4, 8]
    layers:
      - repeat: 2
        as: i
        layers:
          - repeat: 2
            as: j
            layers:
              # every copy comes from this mapping
              - type: conv2dTranspose
                id: "up{i}{j}"
                filters: 8
                kernelSize: 3
                strides: 2
                padding: same
`;

  it('edits the template once for all copies of a nested repeat', () => {
    const layers = layersOf(repeated);
    expect(layers.map((l) => l.id)).toEqual(['up00', 'up01', 'up10', 'up11']);
    const edits = layers.flatMap((l) => optionEdits(l, [{ option: 'kernelSize', value: 4 }]) ?? []);
    expect(edits).toHaveLength(4);
    const result = applyEdits(repeated, edits);
    expect(result.applied).toHaveLength(1);
    expect(result.text).toBe(repeated.replace('kernelSize: 3', 'kernelSize: 4'));
    // The edited spec checks clean: the NS5001 checkerboard lint the 3x3 kernel had is gone.
    expect(checkSource({ path: file, text: repeated }).diagnostics.map((d) => d.code)).toContain('NS5001');
    expect(checkSource({ path: file, text: result.text }).diagnostics).toEqual([]);
  });
});

describe('layers edits cannot be made for', () => {
  it('an anchored layer, or one merging an alias, has no layout, so no edits (they would change the other users too)', () => {
    const text = `netspec: 1
name: aliased
models:
  m:
    inputs:
      x: [8]
    layers:
      - &d { type: dense, id: a, units: 4 }
      - { <<: *d, id: b }
`;
    const layers = layersOf(text);
    expect(layers.find((l) => l.id === 'a')?.mapping).toBeUndefined();
    expect(layers.find((l) => l.id === 'b')?.mapping).toBeUndefined();
    expect(optionEdits(layers.find((l) => l.id === 'b')!, [{ option: 'units', value: 2 }])).toBeUndefined();
  });
});
