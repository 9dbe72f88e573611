import type { Shape } from '../ir.js';

/** A value the way a user wrote it in YAML, short enough for a message. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) {
    const items = value.slice(0, 8).map(show);
    return `[${items.join(', ')}${value.length > 8 ? ', ...' : ''}]`;
  }
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    return `{ ${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', ...' : ''} }`;
  }
  return String(value);
}

/** `[null, 16, 16, 256]` */
export function showShape(shape: Shape): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

/** `'a', 'b' or 'c'` */
export function oneOf(words: readonly string[], quote = true): string {
  const q = words.map((w) => (quote ? `'${w}'` : w));
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}

export function ordinalAxis(axis: number): string {
  return `axis ${axis}`;
}
