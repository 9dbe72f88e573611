import { diagnostic } from '../diagnostics/diagnostic.js';
import { closest, didYouMean } from '../diagnostics/suggest.js';
import { fixOrNote, wordFix } from '../fix/fix-or-note.js';
import { isAffine } from '../infer/affine.js';
import type { Dim, Shape } from '../ir.js';
import { pointerOf, type PathSegment } from '../parse/parse-spec.js';
import { evaluateDim, namesIn } from './expr/evaluate-affine.js';
import { parseExpr } from './expr/parse-expr.js';
import { expressionError, noteNames, resolveValue, textSpans, type ResolveContext, type Scope } from './values.js';

/**
 * The shapes of inputs and outputs, whose dims may use the spec's symbols:
 * `[H, W, 3]`, `[2 * H + 1]`, `[H / 4]`. A dim without symbols resolves like
 * any other expression; one with symbols becomes an affine expression.
 */
export function resolveShapeDims(ctx: ResolveContext, raw: unknown, path: readonly PathSegment[], scope: Scope): Shape | undefined {
  if (!Array.isArray(raw)) return resolveValue(ctx, raw, path, scope) as Shape | undefined;
  const dims = raw.map((item, i) => resolveDim(ctx, item, [...path, i], scope));
  return dims.some((d) => d === undefined) ? undefined : (dims as Dim[]);
}

/** Unknown names of a dim, reported once each; true when every name is a param or a symbol. */
function namesKnown(ctx: ResolveContext, text: string, names: readonly { name: string; start: number; end: number }[], path: readonly PathSegment[], scope: Scope): boolean {
  const symbols = [...(ctx.symbols?.keys() ?? [])];
  const spanOf = textSpans(ctx, path);
  const reported = new Set<string>();
  let ok = true;
  for (const { name, start, end } of names) {
    if (scope.lookup(name) !== undefined || ctx.symbols?.get(name)) continue;
    ok = false;
    if (scope.broken?.(name) || ctx.symbols?.has(name) || reported.has(name)) continue;
    reported.add(name);
    const explained = scope.explain?.(name);
    const known = [...scope.names(), ...symbols];
    const declare = `declare it under \`symbols:\` for a size chosen at run time (\`symbols: { ${name}: {} }\`), or under \`params:\` for a fixed one`;
    const span = spanOf(start, end);
    const meant = closest(name, known);
    // A symbol or a param is the user's choice (and a param needs its value): advice.
    const fix = meant !== undefined ? fixOrNote(didYouMean(name, known), wordFix(ctx.spec.source.text, span, name, meant)) : { notes: [{ message: known.length > 0 ? `${declare}; known names: ${known.join(', ')}` : declare }] };
    ctx.diagnostics.push(diagnostic('NS3002', span, `unknown name '${name}' in '${text}'${explained ? `: ${explained}` : ''}`, fix));
  }
  return ok;
}

function resolveDim(ctx: ResolveContext, raw: unknown, path: readonly PathSegment[], scope: Scope): Dim | undefined {
  if (typeof raw !== 'string' || !ctx.slots.has(pointerOf(path))) return resolveValue(ctx, raw, path, scope) as Dim | undefined;
  const parsed = parseExpr(raw);
  // A syntax error is reported as for any other expression.
  if ('error' in parsed) return resolveValue(ctx, raw, path, scope) as Dim | undefined;
  const names = namesIn(parsed.expr);
  noteNames(ctx, { path, offset: 0 }, () => names);
  if (!namesKnown(ctx, raw, names, path, scope)) return undefined;
  const isSymbol = (name: string) => scope.lookup(name) === undefined && (ctx.symbols?.has(name) ?? false);
  if (!names.some((n) => isSymbol(n.name))) return resolveValue(ctx, raw, path, scope) as Dim | undefined;
  const result = evaluateDim(parsed.expr, (name) => scope.lookup(name) ?? (isSymbol(name) ? 'symbol' : undefined));
  if ('error' in result && result.error.kind) {
    ctx.diagnostics.push(expressionError(raw, textSpans(ctx, path), raw, result.error));
    return undefined;
  }
  if ('error' in result) {
    ctx.diagnostics.push(diagnostic('NS3027', textSpans(ctx, path)(result.error.start, result.error.end), `dimension '${raw}' is not affine in the symbols: ${result.error.message}`));
    return undefined;
  }
  const value = result.value;
  if (isAffine(value)) return value;
  if (Number.isInteger(value) && value >= 1) return value;
  ctx.diagnostics.push(diagnostic('NS3003', textSpans(ctx, path)(0, raw.length), `dimension '${raw}' evaluates to ${value}; expected an integer >= 1`));
  return undefined;
}
