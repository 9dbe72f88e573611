import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkText } from '../helpers/found.js';
import { main, type Environment } from '../../src/cli.js';
import type { Code } from '../../src/diagnostics/codes.js';
import { Locator } from '../../src/diagnostics/location.js';
import { check, compile } from '../../src/index.js';
import type { ModelIR, Span, Value } from '../../src/ir.js';
import { parseSpec } from '../../src/parse/parse-spec.js';
import { resolveSpec } from '../../src/resolve/resolve-spec.js';
import { validateSpec } from '../../src/validate/validate-spec.js';

const file = 'specs/test.yaml';

/**
 * A spec with one model `g` reading `x: [4]`. `body` lines are indented under
 * `layers:`: the first body line is line 6 (plus one per `head` line) and a
 * top-level item's `-` is in column 7.
 */
function spec(body: readonly string[], { head = [] as readonly string[], inputs = '{ x: [4] }' } = {}): string {
  return ['netspec: 1', ...head, 'models:', '  g:', `    inputs: ${inputs}`, '    layers:', ...body.map((l) => `      ${l}`), ''].join('\n');
}

interface Found {
  readonly code: Code;
  /** `line:column`, 1-based. */
  readonly at: string;
  readonly message: string;
  readonly fix?: string;
  /** `line:column message` per note. */
  readonly notes: readonly string[];
}

function located(text: string): (span: Span) => string {
  const locator = new Locator(new Map([[file, text]]));
  return (span) => {
    const { line, column } = locator.locate(span);
    return `${line}:${column}`;
  };
}

/** parse -> validate -> resolve; validation must accept the spec unless `schemaErrors`. */
function resolve(text: string): { models: readonly ModelIR[]; found: Found[] } {
  const parsed = parseSpec({ path: file, text });
  expect(parsed.diagnostics).toEqual([]);
  const validated = validateSpec(parsed.value!);
  expect(validated.diagnostics).toEqual([]);
  const result = resolveSpec(validated.value!);
  const where = located(text);
  const found = result.diagnostics.map((d) => ({
    code: d.code,
    at: where(d.span!),
    message: d.message,
    ...(d.fix ? { fix: d.fix } : {}),
    notes: d.notes.map((n) => `${n.span ? where(n.span) + ' ' : ''}${n.message}`),
  }));
  return { models: result.value?.models ?? [], found };
}

function model(text: string): ModelIR {
  const { models, found } = resolve(text);
  expect(found).toEqual([]);
  expect(models).toHaveLength(1);
  expect(models[0]!.incomplete).toBe(false);
  return models[0]!;
}

/** `id <- from, from`: the graph as ids. */
const wiring = (m: ModelIR): string[] => m.layers.map((l) => `${l.id} <- ${l.from.map((r) => r.id).join(', ')}`);

describe('repeat: expansion into ordinary layers', () => {
  const cases: [string, { given: string; wiring: string[]; args?: Record<string, Value>[] }][] = [
    ['a count, with the index i from 0', {
      given: spec(['- repeat: 3', '  layers:', '    - { type: dense, units: i + 1 }']),
      wiring: ['dense_1 <- x', 'dense_2 <- dense_1', 'dense_3 <- dense_2'],
      args: [{ units: 1 }, { units: 2 }, { units: 3 }],
    }],
    ['a count from params', {
      given: spec(['- repeat: n + 1', '  layers:', '    - { type: dense, units: n }'], { head: ['params: { n: 1 }'] }),
      wiring: ['dense_1 <- x', 'dense_2 <- dense_1'],
    }],
    ['zero iterations make no layers', {
      given: spec(['- { type: dense, id: a, units: 2 }', '- repeat: n', '  layers:', '    - { type: dense, units: 3 }', '- { type: dense, id: b, units: 2 }'], { head: ['params: { n: 0 }'] }),
      wiring: ['a <- x', 'b <- a'],
    }],
    ['zipped lists of expressions, with i beside them', {
      given: spec(['- repeat: { f: [ngf * 2, ngf], k: [5, 3] }', '  layers:', '    - { type: dense, units: f + k + i }'], { head: ['params: { ngf: 8 }'] }),
      wiring: ['dense_1 <- x', 'dense_2 <- dense_1'],
      args: [{ units: 21 }, { units: 12 }],
    }],
    ['`as` renames the index', {
      given: spec(['- repeat: 2', '  as: k', '  layers:', '    - { type: dense, id: "d{k}", units: 10 * k + 1 }']),
      wiring: ['d0 <- x', 'd1 <- d0'],
      args: [{ units: 1 }, { units: 11 }],
    }],
    ['nested repeats, the inner count using the outer index', {
      given: spec(['- repeat: 2', '  layers:', '    - repeat: i + 1', '      as: j', '      layers:', '        - { type: dense, id: "b{i}_{j}", units: 10 * i + j + 1 }']),
      wiring: ['b0_0 <- x', 'b1_0 <- b0_0', 'b1_1 <- b1_0'],
      args: [{ units: 1 }, { units: 11 }, { units: 12 }],
    }],
    ['the first layer of an iteration reads the last of the one before; the layer after the repeat reads the last', {
      given: spec(['- { type: dense, id: stem, units: 2 }', '- repeat: 2', '  layers:', '    - { type: dense, id: "a{i}", units: 2 }', '    - { type: dense, id: "b{i}", units: 2 }', '- { type: dense, id: head, units: 1 }']),
      wiring: ['stem <- x', 'a0 <- stem', 'b0 <- a0', 'a1 <- b0', 'b1 <- a1', 'head <- b1'],
    }],
    ['a U-Net: skips reach the mirrored encoder layer with `down{2 - i}`', {
      given: spec(
        [
          '- repeat: { f: [8, 16, 32] }',
          '  layers:',
          '    - { type: conv2d, id: "down{i}", filters: f, kernelSize: 4, strides: 2, padding: same }',
          '- repeat: { f: [16, 8, 4] }',
          '  layers:',
          '    - { type: conv2dTranspose, id: "up{i}", filters: f, kernelSize: 4, strides: 2, padding: same }',
          '    - { type: concatenate, id: "skip{i}", from: ["up{i}", "down{2 - i}"] }',
        ],
        { inputs: '{ x: [32, 32, 3] }' },
      ),
      wiring: ['down0 <- x', 'down1 <- down0', 'down2 <- down1', 'up0 <- down2', 'skip0 <- up0, down2', 'up1 <- skip0', 'skip1 <- up1, down1', 'up2 <- skip1', 'skip2 <- up2, down0'],
    }],
    ['`{expr}` outside a repeat sees params', {
      given: spec(['- { type: dense, id: "fc{n}", units: 2 }', '- { type: dense, from: "fc{n}", units: 2 }'], { head: ['params: { n: 3 }'] }),
      wiring: ['fc3 <- x', 'dense_1 <- fc3'],
    }],
    ['`prev` is an ordinary id', {
      given: spec(['- { type: dense, id: prev, units: 2 }', '- repeat: 2', '  layers:', '    - { type: add, id: "sum{i}", from: [prev, prev] }']),
      wiring: ['prev <- x', 'sum0 <- prev, prev', 'sum1 <- prev, prev'],
    }],
    ['generated ids count on through iterations and skip written ones', {
      given: spec(['- { type: dense, id: dense_2, units: 2 }', '- repeat: 2', '  layers:', '    - { type: dense, units: 2 }', '- { type: dense, units: 2 }']),
      wiring: ['dense_2 <- x', 'dense_1 <- dense_2', 'dense_3 <- dense_1', 'dense_4 <- dense_3'],
    }],
    ['defaults fill the layers of a repeat body, evaluated in the iteration', {
      given: spec(['- repeat: 2', '  layers:', '    - { type: dense }'], { head: ['params: { n: 4 }', 'defaults: { dense: { units: n * (i + 1) } }'] }),
      wiring: ['dense_1 <- x', 'dense_2 <- dense_1'],
      args: [{ units: 4 }, { units: 8 }],
    }],
  ];
  test.each(cases)('%s', (_, { given, wiring: want, args }) => {
    const m = model(given);
    expect(wiring(m)).toEqual(want);
    if (args) expect(m.layers.map((l) => ({ ...l.args }))).toEqual(args);
  });

  test('every iteration keeps the template spans, and says which iteration made it', () => {
    const text = spec(['- repeat: { f: [4, 2] }', '  layers:', '    - { type: dense, id: "fc{i}", units: f }']);
    const m = model(text);
    const where = located(text);
    expect(m.layers.map((l) => [where(l.span), where(l.idSpan), where(l.argSpans['units']!)])).toEqual([
      ['8:13', '8:32', '8:48'],
      ['8:13', '8:32', '8:48'],
    ]);
    expect(m.layers.map((l) => l.explicitId)).toEqual([true, true]);
    expect(m.layers.map((l) => l.origin?.map((n) => `${where(n.span)} ${n.message}`))).toEqual([['6:9 in repeat iteration i = 0 (f = 4)'], ['6:9 in repeat iteration i = 1 (f = 2)']]);
  });

  test('params used only by repeat counts and lists count as used', () => {
    const text = spec(['- repeat: n', '  layers:', '    - repeat: { u: [w, 2] }', '      as: j', '      layers:', '        - { type: dense, id: "d{i}_{j}", units: u }'], { head: ['params: { n: 2, w: 4, unused: 1 }'] });
    const validated = validateSpec(parseSpec({ path: file, text }).value!);
    expect(resolveSpec(validated.value!).value!.params.map((p) => [p.name, p.used])).toEqual([['n', true], ['w', true], ['unused', false]]);
  });

  test('a layer outside any repeat has no origin', () => {
    expect(model(spec(['- { type: dense, units: 2 }'])).layers[0]!.origin).toBeUndefined();
  });
});

/** One expected diagnostic: code and place exactly; message, fix and notes by substring. */
interface Want {
  readonly code: Code;
  readonly at: string;
  readonly message: string;
  readonly fix?: string;
  /** Every note, `line:column message`, in order; each by substring. */
  readonly notes?: readonly string[];
}

describe('repeat: errors point at the exact item and name the iteration', () => {
  const cases: [string, { given: string; want: Want[] }][] = [
    ['NS3016 zipped lists of different lengths, at the list that differs', {
      given: spec(['- repeat: { f: [4, 2, 1], k: [3, 3] }', '  layers:', '    - { type: dense, units: f * k }']),
      want: [{ code: 'NS3016', at: '6:36', message: "repeat list 'k' has 2 entries but 'f' has 3", fix: "give 'k' 3 entries, or 'f' 2", notes: ["6:22 'f' has 3 entries"] }],
    }],
    ['NS3017 a nested repeat reuses i, at its `repeat`', {
      given: spec(['- repeat: 2', '  layers:', '    - repeat: 2', '      layers:', '        - { type: dense, units: i + 1 }']),
      want: [{ code: 'NS3017', at: '8:13', message: "loop index 'i' is already the index of an enclosing repeat", fix: 'add `as: j` to this repeat', notes: ["6:9 'i' is the index of this repeat"] }],
    }],
    ['NS3017 a nested `as` names a list of the enclosing repeat, at the `as` value', {
      given: spec(['- repeat: { f: [4, 2] }', '  layers:', '    - repeat: 2', '      as: f', '      layers:', '        - { type: dense, units: f }']),
      want: [{ code: 'NS3017', at: '9:17', message: "loop index 'f' is already a list variable of an enclosing repeat", fix: 'use another name, e.g. `as: j`', notes: ["6:9 'f' is a list variable of this repeat"] }],
    }],
    ['NS3017 a list named like a param', {
      given: spec(['- repeat: { ngf: [4, 2] }', '  layers:', '    - { type: dense, units: ngf }'], { head: ['params: { ngf: 8 }'] }),
      want: [{ code: 'NS3017', at: '7:19', message: "loop variable 'ngf' is already a param", notes: ["2:11 param 'ngf' is defined here", 'rename the list'] }],
    }],
    ['NS3017 a list named i without `as`', {
      given: spec(['- repeat: { i: [4, 2] }', '  layers:', '    - { type: dense, units: i }']),
      want: [{ code: 'NS3017', at: '6:19', message: "loop variable 'i' has the name of the repeat's index", fix: 'add `as: j`' }],
    }],
    ['NS3018 a count that makes too many layers, at the count', {
      given: spec(['- repeat: size', '  layers:', '    - { type: dense, units: 2 }'], { head: ['params: { size: 65536 }'] }),
      want: [{ code: 'NS3018', at: '7:17', message: 'repeating 65536 times makes more than 10,000 layers' }],
    }],
    ['NS3018 nested: blamed on the largest count', {
      given: spec(['- repeat: 100000', '  layers:', '    - repeat: 2', '      as: j', '      layers:', '        - { type: dense, units: 2 }']),
      want: [{ code: 'NS3018', at: '6:17', message: 'repeating 100000 times makes more than 10,000 layers', notes: ['check the repeat count: it is the number of iterations, not a size'] }],
    }],
    ['NS3018 a billion iterations are refused before the first runs', {
      given: spec(['- repeat: 1000000000', '  layers:', '    - { type: dense, units: 2 }']),
      want: [{ code: 'NS3018', at: '6:17', message: 'repeating 1000000000 times is more than netspec expands: at most 100,000 iterations and layers per spec' }],
    }],
    ['NS3018 iterations that make no layers still count', {
      given: spec(['- repeat: 3000000', '  layers:', '    - repeat: 0', '      as: j', '      layers:', '        - { type: dense, units: 2 }', '- { type: dense, units: 2 }']),
      want: [{ code: 'NS3018', at: '6:17', message: 'repeating 3000000 times is more than netspec expands' }],
    }],
    ['NS3003 a negative count', {
      given: spec(['- repeat: n - 3', '  layers:', '    - { type: dense, units: 2 }'], { head: ['params: { n: 1 }'] }),
      want: [{ code: 'NS3003', at: '7:17', message: "'repeat' = n - 3 evaluates to -2; it must be >= 0" }],
    }],
    ['NS3002 an unknown name in a list entry', {
      given: spec(['- repeat: { f: [4, ngff] }', '  layers:', '    - { type: dense, units: f }'], { head: ['params: { ngf: 8 }'] }),
      want: [{ code: 'NS3002', at: '7:26', message: "unknown name 'ngff' in 'ngff'", fix: "did you mean 'ngf'?" }],
    }],
    ['NS3004 an interpolated id collides, with both iterations', {
      given: spec(['- repeat: 3', '  layers:', '    - { type: dense, id: "up{i // 2}", units: 2 }']),
      want: [{ code: 'NS3004', at: '8:32', message: "duplicate id 'up0' in model 'g'", fix: 'e.g. `id: "up{i}"`', notes: ["8:32 'up0' is first used here, in repeat iteration i = 0", '6:9 in repeat iteration i = 1'] }],
    }],
    ['NS3004 an id without `{}` in a repeat', {
      given: spec(['- repeat: 2', '  layers:', '    - { type: dense, id: fc, units: 2 }']),
      want: [{ code: 'NS3004', at: '8:32', message: "duplicate id 'fc' in model 'g'", fix: 'e.g. `id: "fc{i}"`', notes: ["8:32 'fc' is first used here, in repeat iteration i = 0", '6:9 in repeat iteration i = 1'] }],
    }],
    ['NS3004 an interpolated id collides with a layer outside the repeat', {
      given: spec(['- { type: dense, id: up1, units: 2 }', '- repeat: 2', '  layers:', '    - { type: dense, id: "up{i}", units: 2 }']),
      want: [{ code: 'NS3004', at: '9:32', message: "duplicate id 'up1' in model 'g'", notes: ["6:28 'up1' is first used here", '7:9 in repeat iteration i = 1'] }],
    }],
    ['NS3006 a `from` that resolves to a later iteration, naming both iterations', {
      given: spec(['- repeat: 2', '  layers:', '    - { type: dense, id: "a{i}", units: 2, from: "a{1 - i}" }']),
      want: [{ code: 'NS3006', at: '8:56', message: "layer 'a0' reads 'a1', which is defined after it", notes: ["8:32 'a1' is defined here, in repeat iteration i = 1", 'reorder the layers', '6:9 in repeat iteration i = 0'] }],
    }],
    ['NS3005 a skip that runs off the encoder in one iteration', {
      given: spec(['- repeat: 2', '  layers:', '    - { type: dense, id: "down{i}", units: 2 }', '- repeat: 2', '  layers:', '    - { type: concatenate, id: "cat{i}", from: [down0, "down{2 - i}"] }']),
      want: [{ code: 'NS3005', at: '11:62', message: "'down2' names no input or layer of model 'g'", notes: ["did you mean 'down0'?", '9:9 in repeat iteration i = 0'] }],
    }],
    ['NS3001 an unclosed brace, at the brace', {
      given: spec(['- repeat: 2', '  layers:', '    - { type: dense, id: "up{i", units: 2 }']),
      want: [{ code: 'NS3001', at: '8:35', message: "bad interpolation 'up{i': '{' is never closed", notes: ['write `{expression}`'] }],
    }],
    ['NS3001 a bad expression in braces, at the token', {
      given: spec(['- repeat: 2', '  layers:', '    - { type: dense, id: "up{i +}", units: 2 }']),
      want: [{ code: 'NS3001', at: '8:39', message: "bad expression 'up{i +}': expected a number, a name or (, found end of expression" }],
    }],
    ['NS3002 an unknown name in braces, at the name, once for all iterations', {
      given: spec(['- repeat: 2', '  layers:', '    - { type: dense, id: "up{j}", units: 2 }']),
      want: [{ code: 'NS3002', at: '8:36', message: "unknown name 'j' in 'up{j}'", fix: "did you mean 'i'?", notes: [] }],
    }],
    ['NS3002 the index outside any repeat', {
      given: spec(['- { type: dense, id: "up{i}", units: 2 }']),
      want: [{ code: 'NS3002', at: '6:32', message: "unknown name 'i' in 'up{i}'" }],
    }],
    ['NS3003 a fractional interpolation, at `{...}`, in the iteration that makes it', {
      given: spec(['- repeat: 2', '  layers:', '    - { type: dense, id: "up{i / 2}", units: 2 }']),
      want: [{ code: 'NS3003', at: '8:35', message: "'{i / 2}' in 'up{i / 2}' evaluates to 0.5; expected an integer", fix: 'use //', notes: ['6:9 in repeat iteration i = 1'] }],
    }],
    ['NS3003 an option value wrong in one iteration only', {
      given: spec(['- repeat: { f: [2, 1] }', '  layers:', '    - { type: dense, units: f - 1 }']),
      want: [{ code: 'NS3003', at: '8:35', message: "'units' = f - 1 evaluates to 0", notes: ['6:9 in repeat iteration i = 1 (f = 1)'] }],
    }],
    ['NS3012 an interpolated id that is no identifier', {
      given: spec(['- repeat: 2', '  layers:', '    - { type: dense, id: "up{i - 1}", units: 2 }']),
      want: [{ code: 'NS3012', at: '8:32', message: "layer id 'up-1' is not an identifier", notes: ["use letters, digits and _, e.g. 'up_1'", '6:9 in repeat iteration i = 0'] }],
    }],
    ['nested: notes give every enclosing iteration, outermost first', {
      given: spec(['- repeat: 2', '  layers:', '    - repeat: 2', '      as: j', '      layers:', '        - { type: dense, units: "2 - i - j" }']),
      want: [{ code: 'NS3003', at: '11:39', message: "'units' = 2 - i - j evaluates to 0", notes: ['6:9 in repeat iteration i = 1', '8:13 in repeat iteration j = 1'] }],
    }],
  ];
  test.each(cases)('%s', (_, { given, want }) => {
    const { models, found } = resolve(given);
    expect(found.map((f) => `${f.code} ${f.at}`)).toEqual(want.map((w) => `${w.code} ${w.at}`));
    want.forEach((w, i) => {
      const got = found[i]!;
      expect(got.message).toContain(w.message);
      if (w.fix !== undefined) expect(got.fix ?? '').toContain(w.fix);
      if (w.notes !== undefined) {
        expect(got.notes).toHaveLength(w.notes.length);
        w.notes.forEach((n, k) => expect(got.notes[k]).toContain(n));
      }
    });
    expect(models.map((m) => m.incomplete)).toEqual([true]);
  });

  test('a repeat with an error leaves no spurious errors for the layers that read its ids', () => {
    const { found } = resolve(spec(['- repeat: { f: [4, 2], k: [3] }', '  layers:', '    - { type: dense, id: "d{i}", units: f }', '- { type: add, from: [d0, d1] }']));
    expect(found.map((f) => f.code)).toEqual(['NS3016']);
  });
});

describe('repeat: schema errors are one message at the right node', () => {
  const cases: [string, { given: string; want: Want[] }][] = [
    ['an unknown option in a repeat body, with did-you-mean', {
      given: spec(['- repeat: 2', '  layers:', '    - { type: conv2d, filters: 3, kernel_size: 3 }']),
      want: [{ code: 'NS2002', at: '8:41', message: "unknown option 'kernel_size' for layer (conv2d)", fix: "did you mean 'kernelSize'?" }],
    }],
    ['an unknown option two repeats deep', {
      given: spec(['- repeat: 2', '  layers:', '    - repeat: 2', '      as: j', '      layers:', '        - { type: dense, unit: 3 }']),
      want: [{ code: 'NS2002', at: '11:32', message: "unknown option 'unit' for layer (dense)", fix: "did you mean 'units'?" }],
    }],
    ['`layer:` for `layers:`', {
      given: spec(['- repeat: 2', '  layer:', '    - { type: dense, units: 3 }']),
      want: [{ code: 'NS2002', at: '7:9', message: "unknown option 'layer' for repeat block #1", fix: "did you mean 'layers'?" }],
    }],
    ['a repeat block without layers', {
      given: spec(['- repeat: 2']),
      want: [{ code: 'NS2004', at: '6:9', message: "repeat block #1 is missing required option 'layers'" }],
    }],
    ['`repeat` on a layer', {
      given: spec(['- { type: dense, units: 3, repeat: 2 }']),
      want: [{ code: 'NS2002', at: '6:34', message: "unknown option 'repeat' for layer 'dense_1' (dense)" }],
    }],
    ['an item that is neither', {
      given: spec(['- { units: 3 }']),
      want: [{ code: 'NS2004', at: '6:9', message: "is missing required option 'type'" }],
    }],
    ['a negative count', {
      given: spec(['- repeat: -1', '  layers:', '    - { type: dense, units: 3 }']),
      want: [{ code: 'NS2001', at: '6:17', message: "'repeat' of repeat block #1 must be" }],
    }],
    ['a zipped variable that is not a list', {
      given: spec(['- repeat: { f: 3 }', '  layers:', '    - { type: dense, units: f }']),
      want: [{ code: 'NS2001', at: '6:22', message: 'must be a list; received 3' }],
    }],
    ['a wrong option value in a repeat body keeps the rest of the layer', {
      given: spec(['- repeat: 2', '  layers:', '    - { type: dense, units: 3, activation: relx }']),
      want: [{ code: 'NS2005', at: '8:50', message: "'activation' of layer (dense)", fix: "did you mean 'relu'?" }],
    }],
  ];
  test.each(cases)('%s', (_, { given, want }) => {
    const parsed = parseSpec({ path: file, text: given });
    const validated = validateSpec(parsed.value!);
    const where = located(given);
    const found = validated.diagnostics.map((d) => ({ code: d.code, at: where(d.span!), message: d.message, fix: d.fix ?? '' }));
    expect(found.map((f) => `${f.code} ${f.at}`)).toEqual(want.map((w) => `${w.code} ${w.at}`));
    want.forEach((w, i) => {
      expect(found[i]!.message).toContain(w.message);
      if (w.fix !== undefined) expect(found[i]!.fix).toContain(w.fix);
    });
  });

  test('expression slots in repeat bodies are known to resolve', () => {
    const parsed = parseSpec({ path: file, text: spec(['- repeat: { f: [4, n] }', '  layers:', '    - { type: conv2d, filters: f, kernelSize: [k, k + 2] }'], { head: ['params: { n: 2, k: 1 }'] }) });
    const slots = validateSpec(parsed.value!).value!.exprSlots;
    expect([...slots.keys()].filter((p) => p.startsWith('/models/g/layers/')).sort()).toEqual(['/models/g/layers/0/layers/0/filters', '/models/g/layers/0/layers/0/kernelSize', '/models/g/layers/0/layers/0/kernelSize/0', '/models/g/layers/0/layers/0/kernelSize/1', '/models/g/layers/0/repeat/f/0', '/models/g/layers/0/repeat/f/1']);
  });
});

describe('repeat: shapes, summaries and JSON name expanded layers by their ids', () => {
  const text = spec(
    [
      '- repeat: { f: [8, 4] }',
      '  layers:',
      '    - { type: conv2dTranspose, id: "up{i + 1}", filters: f, kernelSize: 4, strides: 2, padding: same }',
      '    - { type: batchNormalization }',
    ],
    { inputs: '{ x: [4, 4, 16] }' },
  );

  test('check infers every expanded layer', () => {
    const result = check([{ path: file, text }]);
    expect(result.diagnostics).toEqual([]);
    const shapes = result.models[0]!.layers.map((l) => `${l.layer.id} ${JSON.stringify(l.outputShape)}`);
    expect(shapes).toEqual(['up1 [null,8,8,8]', 'batchNormalization_1 [null,8,8,8]', 'up2 [null,16,16,4]', 'batchNormalization_2 [null,16,16,4]']);
  });

  test('a shape error in one iteration names the layer by id and gives the iteration', () => {
    const bad = spec(['- repeat: { s: [2, 0] }', '  layers:', '    - { type: conv2dTranspose, id: "up{i}", filters: 2, kernelSize: 3, strides: s + 1, outputPadding: 2, padding: same }'], { inputs: '{ x: [4, 4, 16] }' });
    const result = check([{ path: file, text: bad }]);
    const where = located(bad);
    expect(result.diagnostics.map((d) => [d.code, where(d.span!), d.message.slice(0, 11), d.notes.map((n) => `${where(n.span!)} ${n.message}`).at(-1)])).toEqual([
      ['NS4008', '8:109', "layer 'up1'", '6:9 in repeat iteration i = 1 (s = 0)'],
    ]);
  });

  test('summary and check --format json list the interpolated ids', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netspec-repeat-'));
    try {
      mkdirSync(join(dir, 'specs'));
      writeFileSync(join(dir, 'specs', 'up.yaml'), text.replace('models:', 'lint: { unusedLayer: off }\nmodels:'));
      const run = async (...argv: string[]) => {
        const out: string[] = [];
        const env: Environment = { cwd: dir, stdout: (t) => out.push(t), stderr: (t) => out.push(t), color: false };
        expect(await main(argv, env)).toBe(0);
        return out.join('');
      };
      const summary = await run('summary', 'specs/up.yaml');
      expect(summary.split('\n').filter((l) => /^\s+(up\d|batchNormalization_\d)\s/.test(l)).map((l) => l.trim().split(/\s+/)[0])).toEqual(['up1', 'batchNormalization_1', 'up2', 'batchNormalization_2']);
      const json = JSON.parse(await run('check', '--format', 'json', 'specs/up.yaml')) as { models: { layers: { id: string; line: number }[] }[] };
      expect(json.models[0]!.layers.map((l) => [l.id, l.line])).toEqual([['up1', 9], ['batchNormalization_1', 10], ['up2', 9], ['batchNormalization_2', 10]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('repeat: a DCGAN generator written with repeat compiles to the hand-written one', () => {
  const root = join(import.meta.dirname, '..', '..');
  const byHand = readFileSync(join(root, 'specs', 'dcgan.yaml'), 'utf8');
  const block = `      - { type: conv2dTranspose, id: up1, filters: ngf * 4, kernelSize: 5, strides: 2, padding: same, useBias: false }
      - { type: batchNormalization }
      - { type: activation, activation: relu }
      - { type: conv2dTranspose, id: up2, filters: ngf * 2, kernelSize: 5, strides: 2, padding: same, useBias: false }
      - { type: batchNormalization }
      - { type: activation, activation: relu }
      - { type: conv2dTranspose, id: up3, filters: ngf, kernelSize: 5, strides: 2, padding: same, useBias: false }
      - { type: batchNormalization }
      - { type: activation, activation: relu }
`;
  const repeated = `      - repeat: { f: [ngf * 4, ngf * 2, ngf] }
        layers:
          - { type: conv2dTranspose, id: "up{i + 1}", filters: f, kernelSize: 5, strides: 2, padding: same, useBias: false }
          - { type: batchNormalization }
          - { type: activation, activation: relu }
`;

  test('same layers, shapes, parameters and generated code', () => {
    expect(byHand).toContain(block);
    const withRepeat = byHand.replace(block, repeated);
    const [hand, loop] = [byHand, withRepeat].map((text) => compile([{ path: 'specs/dcgan.yaml', text }]));
    for (const result of [hand, loop]) expect(result!.diagnostics).toEqual([]);
    const table = (r: ReturnType<typeof compile>) =>
      r.models.map((m) => ({ model: m.model.name, params: m.params, layers: m.layers.map((l) => [l.layer.id, l.layer.type, l.outputShape, l.weights.map((w) => w.shape), l.macs]) }));
    expect(table(loop!)).toEqual(table(hand!));
    const generator = loop!.models.find((m) => m.model.name === 'generator')!;
    expect(generator.params).toEqual({ trainable: 5_126_723, nonTrainable: 1_920 });
    // The generated module differs only in the header's source hash.
    const body = (r: ReturnType<typeof compile>) => r.modules[0]!.text.replace(/^\/\/ Source hash: .*$/m, '');
    expect(body(loop!)).toEqual(body(hand!));
  });
});

test('the expansion budget is per spec: two models of 60,000 empty iterations each are refused at the second', () => {
  const model = (name: string) => [`  ${name}:`, '    inputs: { x: [4] }', '    layers:', '      - repeat: 60000', '        layers:', '          - repeat: 0', '            as: j', '            layers:', '              - { type: dense, units: 2 }', '      - { type: dense, units: 2 }'];
  const text = ['netspec: 1', 'models:', ...model('a'), ...model('b'), ''].join('\n');
  const started = performance.now();
  const { found } = checkText(text);
  expect(found.map((f) => `${f.code} ${f.at}`)).toEqual(['NS3018 16:17']);
  // A hang guard, not a speed test: the refused expansion never runs.
  expect(performance.now() - started).toBeLessThan(10_000);
});

describe('repeat: `input:` names the tensor entering each iteration (residual chains without dummy layers)', () => {
  const cases: [string, { given: string; wiring: string[] }][] = [
    ['a residual block: the first iteration reads the layer before the block, each later one the iteration before', {
      given: spec(['- { type: dense, id: stem, units: 4 }', '- repeat: 2', '  input: x0', '  layers:', '    - { type: dense, id: "a{i}", units: 4 }', '    - { type: add, id: "res{i}", from: [x0, "a{i}"] }']),
      wiring: ['stem <- x', 'a0 <- stem', 'res0 <- stem, a0', 'a1 <- res0', 'res1 <- res0, a1'],
    }],
    ['a block that starts the model: its first input is the model input', {
      given: spec(['- repeat: 2', '  input: entry', '  layers:', '    - { type: dense, id: "a{i}", units: 4 }', '    - { type: add, id: "r{i}", from: ["a{i}", entry] }']),
      wiring: ['a0 <- x', 'r0 <- a0, x', 'a1 <- r0', 'r1 <- a1, r0'],
    }],
    ['nested repeats: each names its own input, and the inner one sees the outer one too', {
      given: spec([
        '- { type: dense, id: stem, units: 4 }',
        '- repeat: 2',
        '  input: stage',
        '  layers:',
        '    - repeat: 2',
        '      as: j',
        '      input: unit',
        '      layers:',
        '        - { type: dense, id: "d{i}{j}", units: 4 }',
        '        - { type: add, id: "u{i}{j}", from: [unit, "d{i}{j}"] }',
        '    - { type: add, id: "s{i}", from: [stage, "u{i}1"] }',
      ]),
      wiring: ['stem <- x', 'd00 <- stem', 'u00 <- stem, d00', 'd01 <- u00', 'u01 <- u00, d01', 's0 <- stem, u01', 'd10 <- s0', 'u10 <- s0, d10', 'd11 <- u10', 'u11 <- u10, d11', 's1 <- s0, u11'],
    }],
  ];
  test.each(cases)('%s', (_, { given, wiring: want }) => {
    expect(wiring(model(given))).toEqual(want);
  });

  const errors: [string, { given: string; want: string[] }][] = [
    ['the name is also a layer id', {
      given: spec(['- { type: dense, id: stem, units: 4 }', '- repeat: 2', '  input: stem', '  layers:', '    - { type: add, id: "r{i}", from: [stem, stem] }']),
      want: ["NS3017 8:16 repeat input name 'stem' is also the id of a layer of model 'g'"],
    }],
    ['an inner repeat reuses the outer name', {
      given: spec(['- repeat: 2', '  input: x0', '  layers:', '    - repeat: 2', '      as: j', '      input: x0', '      layers:', '        - { type: add, id: "r{i}{j}", from: [x0, x0] }']),
      want: ["NS3017 11:20 repeat input name 'x0' is already the input of an enclosing repeat"],
    }],
    ['a block that starts a model of two inputs has no one input', {
      given: spec(['- repeat: 1', '  input: entry', '  layers:', '    - { type: dense, id: a, units: 4, from: entry }'], { inputs: '{ x: [4], y: [4] }' }),
      want: ["NS3008 9:51 'entry' is the input of a repeat that starts model 'g', which has 2 inputs"],
    }],
    ['not a tfjs name', {
      given: spec(['- repeat: 1', '  input: _in', '  layers:', '    - { type: dense, units: 4 }']),
      want: ["NS3012 7:16 repeat input name '_in' is not a name tfjs accepts: tfjs names must start with a letter or digit (tfjs-layers isValidTensorName)"],
    }],
  ];
  test.each(errors)('%s', (_, { given, want }) => {
    expect(resolve(given).found.map((f) => `${f.code} ${f.at} ${f.message}`)).toEqual(want);
  });
});
