import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { codes, type Code } from '../../src/diagnostics/codes.js';
import { root } from '../helpers/gallery.js';
import { runCli } from '../helpers/cli.js';

/** `netspec --explain NSxxxx` prints a code's long help, as `rustc --explain` does. */
const anchors = new Set(
  [...readFileSync(join(root, 'docs/diagnostics.md'), 'utf8').matchAll(/^### (NS\d{4}): (.+)$/gm)].map(([, code, title]) => `${code!.toLowerCase()}-${title!.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')}`),
);

test.each(Object.keys(codes) as Code[])('%s: severity, title, help, and a link that docs/diagnostics.md has', async (code) => {
  const r = await runCli(root, '--explain', code.toLowerCase());
  expect(r.code).toBe(0);
  const link = r.stdout.match(/docs\/diagnostics\.md#(\S+)\n$/)?.[1];
  expect(r.stdout.startsWith(`${code} (${codes[code].severity}): ${codes[code].title}\n\n${codes[code].help}\n\n`)).toBe(true);
  expect(anchors.has(link!), `docs/diagnostics.md has #${link}`).toBe(true);
});

test('an unknown code is a usage error with the nearest code', async () => {
  const r = await runCli(root, 'explain', 'NS4O03');
  expect(r.code).toBe(2);
  expect(r.stderr).toBe("netspec: no diagnostic code 'NS4O03'; did you mean 'NS4003'? (docs/diagnostics.md lists them all)\n");
  expect((await runCli(root, '--explain')).stderr).toContain('explain takes one code');
});
