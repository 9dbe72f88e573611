import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Analysis } from '../../../src/lsp/analysis.js';
import { completion } from '../../../src/lsp/navigation/completion.js';
import { definition } from '../../../src/lsp/navigation/definition.js';
import { references } from '../../../src/lsp/navigation/references.js';
import { prepareRename, rename } from '../../../src/lsp/navigation/rename.js';
import { root } from '../../helpers/gallery.js';
import { analysisOf, positionAt } from './analysis.js';

const gallery = readdirSync(join(root, 'specs')).filter((f) => f.endsWith('.yaml')).map((f) => `specs/${f}`);
// Broken on purpose, at every stage: YAML, schema, names, repeats, composition.
const invalid = readdirSync(join(root, 'specs/invalid')).filter((f) => /^NS(1001|1002|1007|2002|2003|3002|3004|3005|3006|3012|3016|3017|3021|3024|4001)-.*\.yaml$/.test(f)).map((f) => `specs/invalid/${f}`);

/** Every request at one position; each answers something or null, never throws. */
function everyRequest(analysis: Analysis, line: number, character: number, newName: string): void {
  const position = { line, character };
  const answers = [definition(analysis, position), references(analysis, position, true), references(analysis, position, false), prepareRename(analysis, position), rename(analysis, position, newName), completion(analysis, position)];
  for (const answer of answers) expect(answer === null || typeof answer === 'object').toBe(true);
}

const names = fc.oneof(fc.constantFrom('renamed', 'x', 'i', 'null', '2x', 'constructor', ''), fc.string({ maxLength: 6 }));

describe('navigation never throws', () => {
  test('the corpus is there', () => {
    expect(gallery.length).toBeGreaterThanOrEqual(16);
    expect(invalid.length).toBeGreaterThanOrEqual(20);
  });

  test.each([...gallery, ...invalid])('random positions in %s', (file) => {
    const analysis = analysisOf(file, readFileSync(join(root, file), 'utf8'));
    const lines = analysis.text.split('\n').length;
    fc.assert(
      fc.property(fc.integer({ min: -1, max: lines + 1 }), fc.integer({ min: -1, max: 140 }), names, (line, character, newName) => everyRequest(analysis, line, character, newName)),
      { numRuns: 150, seed: 14 },
    );
  });

  test('every position of a gallery spec with a slice cut out (the state of a spec while it is typed)', () => {
    const texts = gallery.map((file) => readFileSync(join(root, file), 'utf8'));
    fc.assert(
      fc.property(fc.nat(texts.length - 1), fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(40), fc.double({ min: 0, max: 1, noNaN: true }), names, (k, from, length, where, newName) => {
        const text = texts[k]!;
        const start = Math.floor(from * text.length);
        const cut = text.slice(0, start) + text.slice(start + length);
        const analysis = analysisOf(gallery[k]!, cut);
        const position = positionAt(cut, Math.floor(where * cut.length));
        everyRequest(analysis, position.line, position.character, newName);
        // Where the cut was: the cursor of someone typing there.
        const typed = positionAt(cut, start);
        everyRequest(analysis, typed.line, typed.character, newName);
      }),
      { numRuns: 120, seed: 14 },
    );
  });

  test('at a YAML or expression character typed anywhere in a gallery spec', () => {
    const texts = gallery.map((file) => readFileSync(join(root, file), 'utf8'));
    const typed = fc.constantFrom('{', '}', '[', ']', ':', ',', '"', "'", '#', '- ', '\n', '\n  ', '{i', '*', '&a', '🎛️');
    fc.assert(
      fc.property(fc.nat(texts.length - 1), fc.double({ min: 0, max: 1, noNaN: true }), typed, names, (k, where, inserted, newName) => {
        const text = texts[k]!;
        const at = Math.floor(where * text.length);
        const changed = text.slice(0, at) + inserted + text.slice(at);
        const cursor = positionAt(changed, at + inserted.length);
        everyRequest(analysisOf(gallery[k]!, changed), cursor.line, cursor.character, newName);
      }),
      { numRuns: 120, seed: 14 },
    );
  });
});
