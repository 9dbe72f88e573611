import { diagnostic } from '../diagnostics/diagnostic.js';
import type { Span, SymbolIR } from '../ir.js';
import { pointerOf, spanAt, type Data } from '../parse/parse-spec.js';
import { checkIdentifier } from './ids.js';
import { mappingLayout } from './mapping-layout.js';
import { rejected, resolveValue, type ResolveContext, type Scope } from './values.js';

/**
 * The spec's `symbols:`: `[H, W]`, or `{ H: { multipleOf: 16, min: 32 }, W: {} }`.
 * A symbol whose declaration has an error (already reported) maps to
 * undefined: using it is not a second error.
 */
export function resolveSymbols(ctx: ResolveContext, raw: unknown, scope: Scope, params: ReadonlyMap<string, Span>): Map<string, SymbolIR | undefined> {
  const symbols = new Map<string, SymbolIR | undefined>();
  // Validation reports a wrong `symbols:` and its wrong entries (the entries' errors also mark `/symbols` itself).
  if (raw === null || typeof raw !== 'object') return symbols;
  const entries: [name: string, value: unknown, path: (string | number)[]][] = Array.isArray(raw)
    ? raw.flatMap((name, i): [string, unknown, (string | number)[]][] => (typeof name === 'string' ? [[name, null, ['symbols', i]]] : []))
    : Object.entries(raw as Data).map(([name, value]) => [name, value, ['symbols', name]]);
  for (const [name, value, path] of entries) {
    const span = spanAt(ctx.spec, path, Array.isArray(raw) ? 'value' : 'key');
    // Validation reported this declaration; using the symbol is not a second error.
    if (rejected(ctx, pointerOf(path))) {
      symbols.set(name, undefined);
      continue;
    }
    if (!checkIdentifier(ctx, name, span, 'symbol')) continue;
    const param = params.get(name);
    if (param) {
      ctx.diagnostics.push(
        diagnostic('NS3025', span, `'${name}' is both a symbol and a param: a size chosen at run time cannot also be a fixed number`, {
          // Which to rename, and to what, is the user's to say (and a rename reaches every expression): advice.
          notes: [{ message: `param '${name}' is defined here`, span: param }, { message: 'rename one of the two: a param where the size is fixed, a symbol where it varies' }],
        }),
      );
      continue;
    }
    const options = value !== null && typeof value === 'object' ? (value as Data) : {};
    const number = (option: string): number | undefined | null => {
      if (options[option] === undefined) return undefined;
      const resolved = resolveValue(ctx, options[option], [...path, option], scope, pointerOf([...path, option]));
      return resolved === undefined ? null : (resolved as number);
    };
    const multipleOf = number('multipleOf');
    const min = number('min');
    if (multipleOf === null || min === null) {
      symbols.set(name, undefined);
      continue;
    }
    const mapping = Array.isArray(raw) ? undefined : mappingLayout(ctx.spec, path);
    const empty = !Array.isArray(raw) && value !== null && typeof value === 'object' && Object.keys(value).length === 0;
    const names = Array.isArray(raw) && raw.every((n) => typeof n === 'string') ? (raw as string[]) : undefined;
    const layout = mapping ? { mapping } : empty ? { emptySpan: spanAt(ctx.spec, path) } : names ? { list: { span: spanAt(ctx.spec, ['symbols']), names } } : undefined;
    symbols.set(name, { name, multipleOf: multipleOf ?? 1, min: min ?? 1, span, ...(layout ? { layout } : {}) });
  }
  return symbols;
}
