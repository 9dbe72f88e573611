import { describe, expect, test } from 'vitest';
import { applyEdits } from '../../src/fix/apply-edits.js';
import type { TextEdit } from '../../src/diagnostics/diagnostic.js';

const edit = (start: number, end: number, newText: string): TextEdit => ({ span: { file: 'a.yaml', start, end }, newText });

describe('applyEdits', () => {
  test('applies edits in source order whatever order they come in', () => {
    expect(applyEdits('abc def ghi', [edit(8, 11, 'XYZ'), edit(0, 3, 'A')]).text).toBe('A def XYZ');
  });
  test('of two overlapping edits the first wins and the other is skipped', () => {
    const r = applyEdits('kernel_size: 3', [edit(0, 11, 'kernelSize'), edit(7, 11, 'Size')]);
    expect(r.text).toBe('kernelSize: 3');
    expect(r.skipped).toEqual([edit(7, 11, 'Size')]);
  });
  test('a repeated edit counts once', () => {
    const r = applyEdits('silu', [edit(0, 4, 'swish'), edit(0, 4, 'swish')]);
    expect(r.text).toBe('swish');
    expect(r.applied).toHaveLength(1);
    expect(r.skipped).toHaveLength(0);
  });
  test('an insertion, and a second insertion at the same place waits', () => {
    const r = applyEdits('{ a: 1 ', [edit(7, 7, '}'), edit(7, 7, ']')]);
    expect(r.text).toBe('{ a: 1 }');
    expect(r.skipped).toEqual([edit(7, 7, ']')]);
  });
  test('a deletion', () => {
    expect(applyEdits('a: !!str b', [edit(3, 9, '')]).text).toBe('a: b');
  });
});
