import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { codes } from '../../src/diagnostics/codes.js';
import { formatText } from '../../src/diagnostics/format-text.js';
import { Locator } from '../../src/diagnostics/location.js';
import { check, compile } from '../../src/index.js';
import { gallerySources, root } from '../helpers/gallery.js';
import { random } from '../helpers/random.js';

/**
 * User errors never throw: a thrown exception is a compiler bug. Every gallery
 * spec and every fixture is mutated the way hands and editors break YAML
 * (a number changed, a line dropped, doubled or moved, the file cut short,
 * stray characters), and each mutant must come back as diagnostics with a
 * known code and a span inside the file, printable as text.
 */

const replacements = ['0', '-1', '1.5', '1e9', '3', 'x', 'null', '[]', '{}', '"', 'same', '-', '[1, [2]]'];

function mutate(text: string, next: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const lines = text.split('\n');
  const at = Math.floor(next() * lines.length);
  switch (Math.floor(next() * 6)) {
    case 0: {
      const numbers = [...text.matchAll(/\b\d+\b/g)];
      if (numbers.length === 0) return text;
      const m = pick(numbers);
      return text.slice(0, m.index) + pick(replacements) + text.slice(m.index! + m[0].length);
    }
    case 1:
      return [...lines.slice(0, at), ...lines.slice(at + 1)].join('\n');
    case 2:
      return [...lines.slice(0, at + 1), lines[at]!, ...lines.slice(at + 1)].join('\n');
    case 3: {
      const other = Math.floor(next() * lines.length);
      const swapped = lines.slice();
      [swapped[at], swapped[other]] = [swapped[other]!, swapped[at]!];
      return swapped.join('\n');
    }
    case 4:
      return text.slice(0, Math.floor(next() * text.length));
    default: {
      const where = Math.floor(next() * text.length);
      return text.slice(0, where) + pick([':', '- ', '{', ']', '\t', '&a ', '*a', '!!int ', '#', '{i}', 'repeat: 2\n']) + text.slice(where);
    }
  }
}

const fixtures = readdirSync(join(root, 'specs', 'invalid'))
  .filter((f) => f.endsWith('.yaml') && !f.startsWith('NS1004') && !f.startsWith('NS1005'))
  .map((f) => ({ path: `specs/invalid/${f}`, text: readFileSync(join(root, 'specs', 'invalid', f), 'utf8') }));
const sources = [...gallerySources(), ...fixtures];

test.each(sources.map((s) => [s.path, s] as const))('mutants of %s give diagnostics, never an exception', (_, source) => {
  const next = random(source.path.length * 7919);
  // Large specs cost more per check (the solver re-infers on size errors): fewer mutants keep the suite quick.
  const count = source.text.length > 2500 ? 12 : 40;
  for (let n = 0; n < count; n++) {
    const text = mutate(mutate(source.text, next), next);
    const mutant = { path: source.path, text };
    let result: ReturnType<typeof check> | undefined;
    expect(() => (result = check([mutant], { readFile: () => undefined })), `mutant ${n} of ${source.path}:\n${text}`).not.toThrow();
    for (const d of result!.diagnostics) {
      expect(codes[d.code], d.code).toBeDefined();
      expect(d.span, `${d.code} ${d.message}`).toBeDefined();
      // A span is never empty, so the end of the file is marked by the one character past it.
      expect(d.span!.start >= 0 && d.span!.start < d.span!.end && d.span!.end <= text.length + 1, `${d.code} span ${JSON.stringify(d.span)} in ${text.length} chars`).toBe(true);
    }
    expect(() => formatText(result!.diagnostics, new Locator(new Map([[source.path, text]])), { color: false })).not.toThrow();
    // Emitting what checks clean must not throw either.
    if (!result!.diagnostics.some((d) => d.severity === 'error')) expect(() => compile([mutant], { readFile: () => undefined })).not.toThrow();
  }
});

/** Mutants that once threw or ran out of memory, kept as they were found. */
const found: [string, string][] = [
  [
    'a layer reading a later layer that has errors of its own (NS3006 pointed at a layer that was not there)',
    `netspec: 1
models:
  g:
    inputs: { z: [4], label: [2] }
    layers:
      - { type: dense, id: labelProj, from: label, units: 4 }
      - { type: concatenate, from: [zProj, labelProj] }
      - { type: dense, id: zProj, from: z, units: 4 * ngf }
`,
  ],
  [
    'a stride of 1e9 (the solver listed a billion outputPaddings; the symbol check counted to 4e9)',
    `netspec: 1
symbols: { H: { multipleOf: 4 } }
models:
  u:
    inputs: { x: [H, 8, 3] }
    layers:
      - { type: conv2d, id: down, filters: 4, kernelSize: 3, strides: 1e9, padding: same }
      - { type: conv2dTranspose, id: up, filters: 3, kernelSize: 4, strides: 1e9, padding: same }
      - { type: concatenate, from: [up, x] }
`,
  ],
];

test.each(found)('%s', (_, text) => {
  const result = check([{ path: 'specs/found.yaml', text }]);
  expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  expect(() => formatText(result.diagnostics, new Locator(new Map([['specs/found.yaml', text]])), { color: false })).not.toThrow();
});
