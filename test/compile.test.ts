import { expect, test } from 'vitest';
import { compile } from '../src/index.js';

const spec = (name: string) => `netspec: 1\nname: ${name}\nmodels:\n  m:\n    inputs: { x: [4] }\n    layers: [{ type: dense, units: 2 }]\n`;

test.each([
  ['the same name', 'gan', 'gan', "module name 'gan' is also used by specs/a.yaml; both would write gan.ts"],
  ['names that differ only in case, one file where case is ignored', 'gan', 'Gan', "module name 'Gan' differs only in case from 'gan' of specs/a.yaml; both would write gan.ts where case is ignored (macOS, Windows)"],
])('two specs with %s: NS3010, and nothing is emitted', (_, first, second, message) => {
  const result = compile([
    { path: 'specs/a.yaml', text: spec(first) },
    { path: 'specs/b.yaml', text: spec(second) },
  ]);
  expect(result.diagnostics.map((d) => [d.code, d.span?.file, d.message])).toEqual([['NS3010', 'specs/b.yaml', message]]);
  expect(result.modules).toEqual([]);
});
