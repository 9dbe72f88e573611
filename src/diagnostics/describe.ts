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
  return String(value);
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
