import { describe, expect, test } from 'vitest';
import { PositionMap } from '../../../src/lsp/navigation/positions.js';

describe('PositionMap', () => {
  const text = 'a: 1\r\nb: "🎛️x"\r\n\r\nc';
  const map = new PositionMap(text);

  test.each([
    ['start', { line: 0, character: 0 }, 0],
    ['end of a CRLF line: before its \\r', { line: 0, character: 99 }, 4],
    ['after a surrogate pair and a variation selector (3 UTF-16 units)', { line: 1, character: 7 }, 13],
    ['an empty CRLF line', { line: 2, character: 5 }, 17],
    ['the last line, without a line break', { line: 3, character: 1 }, 20],
    ['past the last line: its start', { line: 9, character: 0 }, 19],
    ['negative', { line: -1, character: -1 }, 0],
  ])('%s', (_, position, offset) => {
    expect(map.offsetAt(position)).toBe(offset);
  });

  test('offsets back to positions, and spans to ranges', () => {
    expect(map.positionAt(13)).toEqual({ line: 1, character: 7 });
    expect(map.positionAt(999)).toEqual({ line: 3, character: 1 });
    expect(map.rangeOf({ start: 6, end: 9 })).toEqual({ start: { line: 1, character: 0 }, end: { line: 1, character: 3 } });
    expect(text.slice(6 + 4, 13)).toBe('🎛️');
  });
});
