import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { TextEdit } from '../../src/diagnostics/diagnostic.js';
import { applyEdits } from '../../src/fix/apply-edits.js';
import { runCli } from '../helpers/cli.js';

/**
 * A fix is a concrete change, so it comes with the edits that make it: for every spec in
 * specs/invalid/, each diagnostic of the codes below that has a `fix` has `fixes`, each with
 * at least one edit, and applying any one of them (the one fix, or each alternative) to the
 * spec makes that diagnostic go away: no diagnostic of its code is left where it was.
 * Advice no edit can express is a note instead.
 */
const families = ['NS1', 'NS2', 'NS3'] as const;

const covered = (code: string) => families.some((f) => code.startsWith(f));

const folder = join(import.meta.dirname, '..', '..', 'specs', 'invalid');
const names = readdirSync(folder).filter((f) => /^NS\d{4}-.*\.yaml$/.test(f)).map((f) => f.slice(0, -5)).sort();

interface JsonEdit { file: string; startOffset: number; endOffset: number; newText: string }
interface JsonFix { description: string; edits: JsonEdit[] }
interface JsonDiagnostic { code: string; message: string; file?: string; line?: number; column?: number; fix?: string; fixes?: JsonFix[] }

/** A project of one fixture (and the files it refers to), in a temporary folder, to check edited copies in. */
const dir = mkdtempSync(join(tmpdir(), 'netspec-every-fix-'));
writeFileSync(join(dir, 'netspec.config.json'), '{ "include": ["specs"] }\n');
mkdirSync(join(dir, 'specs', 'invalid'), { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function check(name: string, text: string): Promise<JsonDiagnostic[]> {
  for (const f of readdirSync(folder).filter((f) => f.startsWith(`${name}.`) && !f.endsWith('.txt') && !f.endsWith('.yaml'))) copyFileSync(join(folder, f), join(dir, 'specs', 'invalid', f));
  writeFileSync(join(dir, 'specs', 'invalid', `${name}.yaml`), text);
  return (JSON.parse((await runCli(dir, 'check', `specs/invalid/${name}.yaml`, '--format', 'json')).stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
}

/** The offset of a 1-based line and column. */
function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) at = text.indexOf('\n', at) + 1;
  return at + column - 1;
}

/** Where `offset` is after the edits: moved by what they insert or remove before it; an edit over it puts it at the edit's start. */
function moved(offset: number, edits: readonly TextEdit[]): number {
  let shift = 0;
  for (const e of edits) {
    if (e.span.end <= offset && e.span.start < offset) shift += e.newText.length - (e.span.end - e.span.start);
    else if (e.span.start <= offset && offset < e.span.end) return e.span.start + shift;
  }
  return offset + shift;
}

describe(`specs/invalid: every fix of ${families.join(', ')} codes has edits that remove its diagnostic`, () => {
  test.each(names)('%s', async (name) => {
    const path = `specs/invalid/${name}.yaml`;
    const text = readFileSync(join(folder, `${name}.yaml`), 'utf8');
    const before = (await check(name, text)).filter((d) => d.fix !== undefined && covered(d.code));
    for (const d of before) {
      const where = `${name}: ${d.code} ${d.line}:${d.column} (${d.fix})`;
      expect(d.fixes?.length ?? 0, `${where} has no edits`).toBeGreaterThan(0);
      for (const fix of d.fixes!) {
        expect(fix.edits.length, `${where}: '${fix.description}' has no edits`).toBeGreaterThan(0);
        const edits = fix.edits.filter((e) => e.file === path).map((e) => ({ span: { file: path, start: e.startOffset, end: e.endOffset }, newText: e.newText }));
        const applied = applyEdits(text, edits);
        expect(applied.skipped, `${where}: '${fix.description}' has overlapping edits`).toEqual([]);
        const at = d.line === undefined ? undefined : moved(offsetOf(text, d.line, d.column!), applied.applied);
        const fixed = applied.text;
        const left = (await check(name, fixed)).filter((a) => a.code === d.code && (at === undefined || (a.line !== undefined && offsetOf(fixed, a.line, a.column!) === at)));
        expect(left.map((a) => a.message), `${where}: still there after '${fix.description}'`).toEqual([]);
      }
    }
  });
});
