import { describe, expect, test } from 'vitest';
import { maxShownLength, shorten, show } from '../../src/diagnostics/describe.js';

describe('show: values in messages, short', () => {
  const long = 'The decoder takes a 100-dimensional noise vector, projects it to 4x4x512';
  const cases: [string, { given: unknown; want: string }][] = [
    ['a short string', { given: 'same', want: "'same'" }],
    ['a string of exactly the limit', { given: 'x'.repeat(maxShownLength), want: `'${'x'.repeat(maxShownLength)}'` }],
    ['a long string is cut with …', { given: long, want: "'The decoder takes a 100-dimensional noi…'" }],
    ['a 200 KB string', { given: long.repeat(3000), want: "'The decoder takes a 100-dimensional noi…'" }],
    ['line breaks are escaped', { given: 'a\nb\tc', want: "'a\\nb\\tc'" }],
    ['astral characters are not split', { given: '𝄞'.repeat(50), want: `'${'𝄞'.repeat(maxShownLength - 1)}…'` }],
    ['long strings inside a list', { given: [long, 2], want: "['The decoder takes a 100-dimensional noi…', 2]" }],
    ['a long key of a mapping', { given: { [long]: 1 }, want: '{ The decoder takes a 100-dimensional noi… }' }],
    ['numbers, null', { given: [1, null, true], want: '[1, null, true]' }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    expect(show(given)).toBe(want);
  });

  test('shorten takes its own limit', () => {
    expect(shorten('abcdef', 4)).toBe('abc…');
    expect(shorten('abcd', 4)).toBe('abcd');
  });
});
