import { diagnostic } from '../diagnostics/diagnostic.js';
import { fixOrNote, floorDivisionFix } from '../fix/fix-or-note.js';
import type { PathSegment } from '../parse/parse-spec.js';
import { evaluateText, textSpans, type ResolveContext, type Scope } from './values.js';

/** One piece of an `id` or `from` string: literal text, or the expression between `{` and `}` at `offset`. */
type Piece = { readonly text: string } | { readonly expr: string; readonly offset: number };

/** Splits `down{6 - i}` into pieces; an unbalanced or empty brace is an error at its offset. */
function pieces(text: string): Piece[] | { readonly error: string; readonly start: number; readonly end: number } {
  const found: Piece[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{', at);
    const close = text.indexOf('}', at);
    if (close !== -1 && (open === -1 || close < open)) return { error: `'}' without a '{' before it`, start: close, end: close + 1 };
    if (open === -1) {
      found.push({ text: text.slice(at) });
      break;
    }
    if (open > at) found.push({ text: text.slice(at, open) });
    const end = text.indexOf('}', open + 1);
    const nested = text.indexOf('{', open + 1);
    if (end === -1) return { error: `'{' is never closed`, start: open, end: text.length };
    if (nested !== -1 && nested < end) return { error: `'{' inside '{ }'`, start: nested, end: nested + 1 };
    const expr = text.slice(open + 1, end);
    if (expr.trim() === '') return { error: `empty '{}'`, start: open, end: end + 1 };
    found.push({ expr, offset: open + 1 });
    at = end + 1;
  }
  return found;
}

/**
 * `up{i}` -> `up2`: every `{expr}` in an `id` or `from` string, evaluated in
 * `scope` (params and loop variables), must be an integer. Text without braces
 * is returned as it is. Undefined after reporting an error located inside the string.
 */
export function interpolateAt(ctx: ResolveContext, text: string, path: readonly PathSegment[], scope: Scope): string | undefined {
  if (!text.includes('{') && !text.includes('}')) return text;
  const split = pieces(text);
  if (!Array.isArray(split)) {
    ctx.diagnostics.push(diagnostic('NS3001', textSpans(ctx, path)(split.start, split.end), `bad interpolation '${text}': ${split.error}`, { notes: [{ message: 'write `{expression}`, e.g. `"up{i + 1}"`' }] }));
    return undefined;
  }
  let out = '';
  for (const piece of split) {
    if ('text' in piece) {
      out += piece.text;
      continue;
    }
    const spanOf = textSpans(ctx, path, piece.offset);
    const value = evaluateText(ctx, piece.expr, spanOf, scope, text, { path, offset: piece.offset });
    if (value === undefined) return undefined;
    if (!Number.isInteger(value)) {
      // The span of `{expr}`, braces included.
      const span = spanOf(-1, piece.expr.length + 1);
      ctx.diagnostics.push(diagnostic('NS3003', span, `'{${piece.expr}}' in '${text}' evaluates to ${value}; expected an integer`, fixOrNote('use // for integer division', floorDivisionFix(ctx.spec.source.text, span))));
      return undefined;
    }
    out += String(value);
  }
  return out;
}
