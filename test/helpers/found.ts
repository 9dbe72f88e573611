import { check } from '../../src/index.js';
import type { Code } from '../../src/diagnostics/codes.js';
import { Locator } from '../../src/diagnostics/location.js';
import type { CheckResult } from '../../src/index.js';
import type { Span } from '../../src/ir.js';

/** A diagnostic as the tables write it: code, `line:column`, message, notes as `line:column message`, fix. */
export interface Found {
  readonly code: Code;
  readonly at: string;
  readonly message: string;
  readonly notes: readonly string[];
  readonly fix?: string;
}

/** Runs `check` on one spec text and lists its errors and warnings as Found, lints (NS5xxx) left out. */
export function checkText(text: string, path = 'specs/test.yaml'): { result: CheckResult; found: Found[] } {
  const result = check([{ path, text }]);
  const locator = new Locator(new Map([[path, text]]));
  const where = (span: Span) => {
    const loc = locator.locate(span);
    return `${loc.line}:${loc.column}`;
  };
  const found = result.diagnostics
    .filter((d) => !d.code.startsWith('NS5'))
    .map((d) => ({
      code: d.code,
      at: d.span ? where(d.span) : '',
      message: d.message,
      notes: d.notes.map((n) => `${n.span ? `${where(n.span)} ` : ''}${n.message}`),
      ...(d.fix ? { fix: d.fix } : {}),
    }));
  return { result, found };
}
