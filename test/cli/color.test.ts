import { expect, test } from 'vitest';
import { wantsColor } from '../../src/cli/color.js';
import { formatText } from '../../src/diagnostics/format-text.js';
import { diagnostic } from '../../src/diagnostics/diagnostic.js';
import { Locator } from '../../src/diagnostics/location.js';

test.each([
  [true, {}, true],
  [false, {}, false],
  [undefined, {}, false],
  [true, { NO_COLOR: '1' }, false],
  [true, { NO_COLOR: 'false' }, false],
  // no-color.org: an empty NO_COLOR does not turn colour off.
  [true, { NO_COLOR: '' }, true],
  [false, { NO_COLOR: '1' }, false],
] as const)('a TTY %s with %j wants colour: %s', (isTTY, env, want) => {
  expect(wantsColor(isTTY, env)).toBe(want);
});

test('colour is ANSI escapes around the severity, and nothing else changes', () => {
  const text = 'netspec: 1\n';
  const d = diagnostic('NS2006', { file: 'a.yaml', start: 9, end: 10 }, 'unsupported spec version 1');
  const locator = new Locator(new Map([['a.yaml', text]]));
  const plain = formatText([d], locator, { color: false });
  const coloured = formatText([d], locator, { color: true });
  expect(plain).not.toMatch(/\x1b\[/);
  expect(coloured).toMatch(/\x1b\[31merror NS2006\x1b\[0m/);
  expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
});
