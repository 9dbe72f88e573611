/**
 * Fixes as edits of the resolve, infer and lint stages: applying a diagnostic's edits to the
 * fixture text gives a spec that checks without that diagnostic and without new errors.
 * The fixtures are the ones of specs/invalid/, read unchanged.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check.js';
import type { Code } from '../../src/diagnostics/codes.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { applyEdits } from '../../src/fix/apply-edits.js';

function fixture(name: string): { path: string; text: string } {
  const path = `specs/invalid/${name}.yaml`;
  return { path, text: readFileSync(path, 'utf8') };
}

const errorKeys = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);

/** The diagnostics with `code`, each fix's edited text, and the re-check of each. */
function fixesOf(name: string, code: Code) {
  const source = fixture(name);
  const before = checkSource(source).diagnostics;
  const found = before.filter((d) => d.code === code);
  expect(found.length, `${name} reports ${code}`).toBeGreaterThan(0);
  return {
    source,
    before,
    found,
    apply(fixIndex = 0, diagnostic = found[0]!) {
      const fix = diagnostic.fixes?.[fixIndex];
      expect(fix, `${code} in ${name} has fix ${fixIndex}`).toBeDefined();
      const edited = applyEdits(source.text, fix!.edits).text;
      return { fix: fix!, text: edited, after: checkSource({ ...source, text: edited }).diagnostics };
    },
  };
}

/** The fix removes its diagnostic and adds no error the spec did not have. */
function expectFixed(before: readonly Diagnostic[], after: readonly Diagnostic[], code: Code): void {
  expect(after.filter((d) => d.code === code)).toEqual([]);
  const had = new Set(errorKeys(before));
  expect(errorKeys(after).filter((k) => !had.has(k))).toEqual([]);
}

describe('resolve: fixes as edits', () => {
  it('NS3005: the misspelled id in `from` becomes the id meant, one unambiguous fix', () => {
    const { before, found, apply } = fixesOf('NS3005-misspelled-skip', 'NS3005');
    expect(found[0]!.fixes).toHaveLength(1);
    const { after } = apply();
    expectFixed(before, after, 'NS3005');
  });

  it('NS3007: a misspelled output key becomes the id meant; without a close id there is no edit', () => {
    // The fixture's 'img' is close to no id (its fix lists the ids), so it has prose only.
    const { found } = fixesOf('NS3007-misspelled-output', 'NS3007');
    expect(found[0]!.fixes).toBeUndefined();
    const text = 'netspec: 1\nname: out\nmodels:\n  m:\n    inputs:\n      x: [8]\n    layers:\n      - { type: dense, id: image, units: 2 }\n    outputs:\n      imgae: [2]  # the output\n';
    const d = checkSource({ path: 'o.yaml', text }).diagnostics.find((x) => x.code === 'NS3007');
    expect(d?.fixes).toHaveLength(1);
    const edited = applyEdits(text, d!.fixes![0]!.edits).text;
    expect(edited).toBe(text.replace('imgae:', 'image:'));
    expect(checkSource({ path: 'o.yaml', text: edited }).diagnostics).toEqual([]);
  });

  it('NS3009: `name:` is removed, leaving the id', () => {
    const { before, apply, source } = fixesOf('NS3009-id-and-name', 'NS3009');
    const { text, after } = apply();
    expect(text.length).toBeLessThan(source.text.length);
    expectFixed(before, after, 'NS3009');
  });

  it('NS3008: a layer reading one of several inputs gets one alternative per input, each of which checks', () => {
    const { before, found, apply } = fixesOf('NS3008-two-inputs-no-from', 'NS3008');
    expect(found[0]!.fixes!.map((f) => f.description)).toEqual(['add `from: z`', 'add `from: label`']);
    // The first is what the spec means; the second removes NS3008 too, but then nothing reads 'z' (NS4019): a choice, not a fix to apply.
    expectFixed(before, apply(0).after, 'NS3008');
    expect(errorKeys(apply(1).after).map((k) => k.slice(0, 6))).toEqual(['NS4019']);
  });
});

describe('infer: the solver\'s verified changes as edits', () => {
  it('NS4006: the single verified change and the assertion of the inferred shape are two alternatives, and each edited spec checks clean', () => {
    const { found, apply } = fixesOf('NS4006-dcgan-output-65', 'NS4006');
    expect(found[0]!.fixes!.map((f) => f.description)).toEqual(["set `padding: [[0, 1], [0, 1]]` on 'image'", 'assert [64, 64, 3]']);
    const changed = apply(0);
    expect(changed.text).toContain('padding: [[0, 1], [0, 1]], activation: tanh }');
    expect(changed.after).toEqual([]);
    const asserted = apply(1);
    expect(asserted.text).toContain('image: [64, 64, 3]');
    expect(asserted.after).toEqual([]);
  });

  it('every alternative the solver offers for a spatial mismatch removes it', () => {
    const text = `netspec: 1
name: skipMismatch
models:
  unet:
    inputs:
      x: [15, 15, 8]
    layers:
      - { type: conv2d, id: down, filters: 8, kernelSize: 3, strides: 2, padding: same }
      - type: conv2dTranspose   # back up
        id: up
        filters: 8
        kernelSize: 4
        strides: 2
        padding: same
      - { type: concatenate, from: [up, x] }
`;
    const source = { path: 'skip.yaml', text };
    const before = checkSource(source).diagnostics;
    const error = before.find((d) => d.code === 'NS4003');
    expect(error?.fixes?.length).toBeGreaterThan(1);
    for (const fix of error!.fixes!) {
      const after = checkSource({ ...source, text: applyEdits(text, fix.edits).text }).diagnostics;
      expect(errorKeys(after), fix.description).toEqual([]);
    }
  });
});

describe('lint: fixes as edits', () => {
  it('NS5001: kernelSize becomes a multiple of the stride', () => {
    const { before, found, apply } = fixesOf('NS5001-kernel-3-stride-2', 'NS5001');
    expect(found[0]!.fixes!.map((f) => f.description)).toEqual(["set `kernelSize: 4` on 'up'"]);
    const { after } = apply();
    expectFixed(before, after, 'NS5001');
    expect(after).toEqual([]);
  });

  it('NS5001 as an error: the fix leaves the layer that lowered its own lint alone', () => {
    const { before, found, apply } = fixesOf('NS5001-lint-error-checkerboard', 'NS5001');
    const up = found.find((d) => d.severity === 'error')!;
    const { after } = apply(0, up);
    expect(errorKeys(after)).toEqual([]);
    expect(after.filter((d) => d.code === 'NS5001')).toHaveLength(before.filter((d) => d.code === 'NS5001').length - 1);
  });

  it('NS5002: each outputPadding below the stride is an alternative that states the size', () => {
    const { before, found, apply } = fixesOf('NS5002-decoder-valid-stride-2', 'NS5002');
    const fixes = found[0]!.fixes!;
    expect(fixes.length).toBeGreaterThan(1);
    // Each states a size, so the lint is gone; only the size the output asserts checks clean, which is why they are alternatives.
    const clean = fixes.filter((_, i) => {
      const { after } = apply(i);
      expect(after.filter((d) => d.code === 'NS5002')).toEqual([]);
      return errorKeys(after).length === 0;
    });
    expect(clean).toHaveLength(1);
    expect(errorKeys(before)).toEqual([]);
  });
});
