import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { check } from '../../src/index.js';
import type { Diagnostic, TextEdit } from '../../src/diagnostics/diagnostic.js';
import type { SourceFile } from '../../src/ir.js';
import { applyEdits } from '../../src/fix/apply-edits.js';

/**
 * Every fix an NS4xxx or NS5xxx diagnostic of a specs/invalid fixture offers carries
 * edits, and each unambiguous one, applied alone, makes its diagnostic go: no diagnostic
 * of the same code is left where it was (at the same layer, after the text moved).
 */
const root = join(import.meta.dirname, '..', '..');
const folder = join(root, 'specs', 'invalid');
const names = readdirSync(folder).filter((f) => /^NS\d{4}-.*\.yaml$/.test(f)).sort();

function checkText(path: string, text: string): readonly Diagnostic[] {
  const readFile = (file: string) => {
    try {
      return readFileSync(join(root, file));
    } catch {
      return undefined;
    }
  };
  return check([{ path, text } satisfies SourceFile], { readFile }).diagnostics;
}

/** Where offset `at` of the text before the edits is after them; inside a replaced range, the start of its replacement. */
function mapOffset(at: number, edits: readonly TextEdit[]): number {
  let delta = 0;
  for (const e of [...edits].sort((a, b) => a.span.start - b.span.start)) {
    if (e.span.end <= at) delta += e.newText.length - (e.span.end - e.span.start);
    else if (e.span.start < at) return e.span.start + delta;
  }
  return at + delta;
}

const lineOf = (text: string, at: number) => text.slice(0, at).split('\n').length;

const ours = (d: Diagnostic) => /^NS[45]\d{3}$/.test(d.code);

describe('specs/invalid: NS4xxx and NS5xxx fixes as edits', () => {
  test.each(names)('%s', (name) => {
    const path = `specs/invalid/${name}`;
    const text = readFileSync(join(root, path), 'utf8');
    const diagnostics = checkText(path, text).filter(ours);
    for (const d of diagnostics) {
      // A fix in words always has edits, and edits always have their words.
      expect(d.fixes !== undefined, `${d.code} at ${d.span?.start}: ${d.fix ?? '(no fix)'}`).toBe(d.fix !== undefined);
      for (const f of d.fixes ?? []) expect(f.edits.length, `${d.code}: ${f.description}`).toBeGreaterThan(0);
      // Each alternative, applied alone, removes the diagnostic from its line.
      for (const f of d.fixes ?? []) {
        expect(f.edits.every((e) => e.span.file === path), `${d.code}: ${f.description} edits ${path} only`).toBe(true);
        const fixed = applyEdits(text, f.edits);
        expect(fixed.skipped).toEqual([]);
        const line = lineOf(fixed.text, mapOffset(d.span!.start, f.edits));
        const left = checkText(path, fixed.text).filter((a) => a.code === d.code && a.span && lineOf(fixed.text, a.span.start) === line);
        expect(left.map((a) => a.message), `${d.code}: ${f.description}`).toEqual([]);
      }
    }
  });
});
