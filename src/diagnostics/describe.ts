import { showDim } from '../infer/affine.js';
import type { Shape } from '../ir.js';

/** Strings longer than this are cut in messages: a whole file can arrive as one string (prose parses as a scalar). */
export const maxShownLength = 40;

/**
 * A string cut to `max` characters with `…`, never inside a surrogate pair,
 * and with line breaks and other control characters escaped so that a
 * message stays on one line and cannot drive the terminal.
 */
export function shorten(text: string, max = maxShownLength): string {
  // 2 * max + 2 UTF-16 units hold more than `max` code points whenever the text has more.
  const chars = Array.from(text.slice(0, 2 * max + 2));
  const cut = chars.length > max ? chars.slice(0, max - 1).join('') + '…' : text;
  return cut.replace(/[\x00-\x1f\x7f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/** A value the way a user wrote it in YAML, short enough for a message. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${shorten(value)}'`;
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) {
    const items = value.slice(0, 8).map(show);
    return `[${items.join(', ')}${value.length > 8 ? ', ...' : ''}]`;
  }
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    return `{ ${keys.slice(0, 4).map((k) => shorten(k)).join(', ')}${keys.length > 4 ? ', ...' : ''} }`;
  }
  if (typeof value === 'number') return showNumber(value);
  return String(value);
}

/**
 * A number for a message: as JavaScript prints it while that is exact and
 * plain, else in words, so no message shows `1e+21` for an integer it cannot
 * print exactly.
 */
export function showNumber(n: number): string {
  if (Number.isNaN(n)) return 'not a number';
  if (!Number.isFinite(n)) return n > 0 ? 'infinitely large' : 'infinitely small';
  if (Math.abs(n) > Number.MAX_SAFE_INTEGER) return `a number ${n > 0 ? 'larger' : 'smaller'} than ${n > 0 ? '' : '-'}9,007,199,254,740,991 (2^53 - 1)`;
  return String(n);
}

/** `[null, 16, 16, 256]` */
export function showShape(shape: Shape): string {
  return `[${shape.map(showDim).join(', ')}]`;
}

/** `'a', 'b' or 'c'` */
export function oneOf(words: readonly string[], quote = true): string {
  const q = words.map((w) => (quote ? `'${w}'` : w));
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}

/** `5126723` -> `5,126,723`, locale-independent. */
export function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
