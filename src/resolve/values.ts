import { shorten, showNumber } from '../diagnostics/describe.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { closest, didYouMean } from '../diagnostics/suggest.js';
import { fixOrNote, floorDivisionFix, wordFix } from '../fix/fix-or-note.js';
import type { NameUse, RepeatIR, Span, SymbolIR, Value } from '../ir.js';
import { pointerOf, scalarTextStart, spanAt, type ParsedSpec, type PathSegment } from '../parse/parse-spec.js';
import type { ExprSlot } from '../validate/schema.js';
import { tooLarge } from './expr/arithmetic.js';
import { fold, type Expr, type ExprError } from './expr/ast.js';
import { evaluate } from './expr/evaluate.js';
import { parseExpr } from './expr/parse-expr.js';

/** The names an expression can see: params, and loop variables inside `repeat`. */
export interface Scope {
  lookup(name: string): number | undefined;
  names(): readonly string[];
  /** Why a name is unknown here when it exists elsewhere, e.g. a param defined later. */
  explain?(name: string): string | undefined;
  /** Names whose own definition has an error, already reported: using one is not a second error. */
  broken?(name: string): boolean;
}

export const emptyScope: Scope = { lookup: () => undefined, names: () => [] };

export function scopeOf(values: ReadonlyMap<string, number>, parent: Scope = emptyScope, broken: ReadonlySet<string> = new Set()): Scope {
  return {
    lookup: (name) => values.get(name) ?? parent.lookup(name),
    names: () => [...values.keys(), ...parent.names()],
    broken: (name) => broken.has(name) || (parent.broken?.(name) ?? false),
  };
}

/** State shared by the resolve passes over one spec; diagnostics accumulate here. */
export interface ResolveContext {
  readonly spec: ParsedSpec;
  readonly slots: ReadonlyMap<string, ExprSlot>;
  readonly diagnostics: Diagnostic[];
  /** Reads a file the spec refers to (weights), by project-relative path; supplied by the CLI. */
  readonly readFile: ReadFile;
  /** Pointers of values validation rejected (and reported): resolve leaves out what they affect. */
  readonly invalid: ReadonlySet<string>;
  /** Per layer type, options whose default validation rejected. */
  readonly rejectedDefaults: ReadonlyMap<string, ReadonlySet<string>>;
  /** Misspelled option keys (pointer as written) read as the option they mean (ValidatedSpec.renamed). */
  readonly renamed?: ReadonlyMap<string, string>;
  /** The spec's symbols: they stand only in input and output shapes (see dims.ts). Undefined for a declaration with an error. */
  readonly symbols?: ReadonlyMap<string, SymbolIR | undefined>;
  /** How much `repeat` expansion the spec has cost so far, in iterations and layers made (see repeat.ts `maxExpansion`). */
  readonly expansion: { spent: number };
  /** The names each expression writes, by its place, so that a repeat body evaluated per iteration adds them once (the IR's `names`). */
  readonly names?: Map<string, readonly NameUse[]>;
  /** The repeat blocks as written, keyed by JSON pointer (the IR's `repeats`). */
  readonly repeats?: Map<string, RepeatIR>;
}

/** Where an expression's text lies: the scalar at `path`, from `offset` on (the part inside `{ }` of an interpolation). */
export interface ExprPlace {
  readonly path: readonly PathSegment[];
  readonly offset: number;
}

/**
 * Notes each name of an expression at its place in the source, once: the place is looked up
 * first, since a repeat body evaluates the same text once per iteration. A scalar whose text is
 * not its value as written (escapes, block scalars) is skipped: its offsets would not map.
 */
export function noteNames(ctx: ResolveContext, place: ExprPlace, names: () => readonly { readonly name: string; readonly start: number; readonly end: number }[]): void {
  if (!ctx.names) return;
  // Only for telling places apart: a NUL joins segments no key of a spec contains.
  const key = `${place.path.join('\0')}\0${place.offset}`;
  if (ctx.names.has(key)) return;
  ctx.names.set(key, []);
  const base = scalarTextStart(ctx.spec, place.path);
  if (base === undefined) return;
  const at = base + place.offset;
  ctx.names.set(key, names().map(({ name, start, end }) => ({ name, span: { file: ctx.spec.source.path, start: at + start, end: at + end } })));
}

/** The names of a parsed expression with their offsets, left to right. */
function namesOf(expr: Expr): { name: string; start: number; end: number }[] {
  const names: { name: string; start: number; end: number }[] = [];
  fold<null>(expr, () => null, (e) => void (e.kind === 'name' && names.push({ name: e.name, start: e.start, end: e.end })));
  return names;
}

/** Each pointer validation rejected and every pointer that contains one (`/models/g/layers/3` contains `/models/g/layers/3/units`). */
const rejectedOrContaining = new WeakMap<ReadonlySet<string>, ReadonlySet<string>>();

function withAncestors(invalid: ReadonlySet<string>): ReadonlySet<string> {
  let found = rejectedOrContaining.get(invalid);
  if (!found) {
    const all = new Set<string>();
    for (const pointer of invalid) for (let at = pointer; !all.has(at); at = at.slice(0, Math.max(at.lastIndexOf('/'), 0))) all.add(at);
    rejectedOrContaining.set(invalid, (found = all));
  }
  return found;
}

/**
 * Whether validation rejected the value at `pointer` or anything inside it.
 * One lookup: resolve asks this of every option of every layer, and a spec
 * may have as many rejected values as layers.
 */
export function rejected(ctx: ResolveContext, pointer: string): boolean {
  return ctx.invalid.size > 0 && withAncestors(ctx.invalid).has(pointer);
}

/**
 * Why a file a spec refers to was not read. The reader (the CLI) decides: the
 * library never touches the file system, it reports the reason at the place
 * in the spec that names the file.
 */
export interface ReadFailure {
  /**
   * `missing`: no such file; `outside`: it lies outside the project root, e.g.
   * through a symbolic link; `not-a-file`: a folder, FIFO, device or socket;
   * `too-large`: over the reader's size limit; `unreadable`: anything else.
   */
  readonly reason: 'missing' | 'outside' | 'not-a-file' | 'too-large' | 'unreadable';
  /** The reader's own words, e.g. `it is a FIFO (named pipe)`; never the file's content. */
  readonly detail?: string;
}

/**
 * How the library reads files a spec refers to, by project-relative,
 * `/`-separated path: the bytes, or why not (undefined: there is no such file).
 */
export type ReadFile = (path: string) => Uint8Array | ReadFailure | undefined;

function withinBounds(value: number, slot: ExprSlot): boolean {
  return (
    (slot.minimum === undefined || value >= slot.minimum) &&
    (slot.exclusiveMinimum === undefined || value > slot.exclusiveMinimum) &&
    (slot.maximum === undefined || value <= slot.maximum) &&
    (slot.exclusiveMaximum === undefined || value < slot.exclusiveMaximum)
  );
}

function boundsText(slot: ExprSlot): string {
  return [
    slot.minimum !== undefined ? `>= ${slot.minimum}` : '',
    slot.exclusiveMinimum !== undefined ? `> ${slot.exclusiveMinimum}` : '',
    slot.maximum !== undefined ? `<= ${slot.maximum}` : '',
    slot.exclusiveMaximum !== undefined ? `< ${slot.exclusiveMaximum}` : '',
  ].filter(Boolean).join(' and ');
}

/** Evaluates the expression text at `path`; reports and returns undefined on any error. */
export function evaluateAt(ctx: ResolveContext, text: string, path: readonly PathSegment[], slot: ExprSlot, scope: Scope): number | undefined {
  const value = evaluateText(ctx, text, textSpans(ctx, path), scope, text, { path, offset: 0 });
  return value === undefined ? undefined : checkNumber(ctx, value, path, slot, text);
}

/** Maps offsets into the scalar's text at `path` to source spans (the whole scalar when they cannot be mapped). */
export function textSpans(ctx: ResolveContext, path: readonly PathSegment[], offset = 0): (start: number, end: number) => Span {
  // Looked up when a span is asked for, which is when there is an error: most expressions have none.
  return (start, end) => {
    const whole = spanAt(ctx.spec, path);
    const base = scalarTextStart(ctx.spec, path);
    return base === undefined ? whole : { file: whole.file, start: base + offset + start, end: base + offset + Math.max(end, start + 1) };
  };
}

/**
 * Parses and evaluates expression text, reporting at `spanOf(start, end)` (offsets into `text`); undefined after an error.
 * Messages quote `shown`: the whole string when the expression is a part of it (`{6 - i}` in `down{6 - i}`).
 * `place`, where the text is, notes the names it uses (see noteNames).
 */
export function evaluateText(ctx: ResolveContext, text: string, spanOf: (start: number, end: number) => Span, scope: Scope, shown = text, place?: ExprPlace): number | undefined {
  const parsed = parseExpr(text);
  if ('error' in parsed) {
    ctx.diagnostics.push(expressionError(text, spanOf, shown, parsed.error));
    return undefined;
  }
  if (place) noteNames(ctx, place, () => namesOf(parsed.expr));
  const result = evaluate(parsed.expr, (name) => scope.lookup(name));
  if ('error' in result && result.error.kind) {
    ctx.diagnostics.push(expressionError(text, spanOf, shown, result.error));
    return undefined;
  }
  if ('error' in result) {
    const unknown = (result.error as { unknownName?: string }).unknownName;
    const span = spanOf(result.error.start, result.error.end);
    if (unknown !== undefined && scope.broken?.(unknown)) return undefined;
    if (unknown !== undefined && ctx.symbols?.has(unknown)) {
      const symbol = ctx.symbols.get(unknown);
      if (!symbol) return undefined;
      ctx.diagnostics.push(
        // Which number or param was meant is the user's to say: advice.
        diagnostic('NS3026', span, `'${unknown}' in '${shown}' is a symbol, a size chosen at run time; symbols stand only in the shapes of inputs and outputs`, {
          notes: [{ message: `'${unknown}' is declared here`, span: symbol.span }, { message: 'use a number or a param here; netspec infers every other size from the inputs' }],
        }),
      );
      return undefined;
    }
    if (unknown !== undefined) {
      const known = scope.names();
      const explained = scope.explain?.(unknown);
      const meant = closest(unknown, known);
      // Declaring the param needs its value, which only the user knows: advice, as is the list of names.
      const fix = meant !== undefined ? fixOrNote(didYouMean(unknown, known), wordFix(ctx.spec.source.text, span, unknown, meant)) : { notes: [{ message: explained || known.length === 0 ? `declare '${unknown}' under \`params:\`` : `known names: ${known.join(', ')}` }] };
      ctx.diagnostics.push(diagnostic('NS3002', span, `unknown name '${unknown}' in '${shown}'${explained ? `: ${explained}` : ''}`, fix));
    } else {
      ctx.diagnostics.push(diagnostic('NS3001', span, `bad expression '${shown}': ${result.error.message}`));
    }
    return undefined;
  }
  return result.value;
}

/**
 * An expression error as a diagnostic at its part of the text: one past a
 * limit (NS3028), a value that is not a finite, exact number (NS3003), else
 * a bad expression (NS3001). Expressions past the limits are quoted shortened.
 */
export function expressionError(text: string, spanOf: (start: number, end: number) => Span, shown: string, error: ExprError): Diagnostic {
  const span = spanOf(error.start, error.end);
  if (error.kind === 'limit') {
    // Which parts to name is the user's design: advice.
    return diagnostic('NS3028', span, `expression '${shorten(shown)}' is too complex: ${error.message}`, { notes: [{ message: 'give parts of it names under `params:` and use those' }] });
  }
  if (error.kind === 'value') {
    const part = text.slice(error.start, error.end);
    const where = part === shown ? `'${shown}'` : `'${part}' in '${shown}'`;
    const advice = error.message === tooLarge ? 'check the numbers and exponents: no size or option needs a value that large' : 'raise only a number >= 0 to a fractional power';
    return diagnostic('NS3003', span, `${where} is ${error.message}`, { notes: [{ message: advice }] });
  }
  return diagnostic('NS3001', span, `bad expression '${shown}': ${error.message}`);
}

/** Integer-ness and bounds of an evaluated expression (the schema checked literal numbers already). */
function checkNumber(ctx: ResolveContext, value: number, path: readonly PathSegment[], slot: ExprSlot, text: string): number | undefined {
  const option = String(path[path.length - 1]);
  if (slot.kind === 'int' && !Number.isInteger(value)) {
    ctx.diagnostics.push(
      diagnostic('NS3003', spanAt(ctx.spec, path), `'${option}' = ${text} evaluates to ${showNumber(value)}; expected an integer`, fixOrNote('use // for integer division', floorDivisionFix(ctx.spec.source.text, spanAt(ctx.spec, path)))),
    );
    return undefined;
  }
  if (!withinBounds(value, slot)) {
    ctx.diagnostics.push(diagnostic('NS3003', spanAt(ctx.spec, path), `'${option}' = ${text} evaluates to ${showNumber(value)}; it must be ${boundsText(slot)}`));
    return undefined;
  }
  return value;
}

/**
 * Resolves a value from the YAML data: expressions (where the schema allows
 * them) are evaluated, everything else is copied. Undefined means an error was
 * reported inside.
 */
export function resolveValue(ctx: ResolveContext, raw: unknown, path: readonly PathSegment[], scope: Scope, pointer = pointerOf(path)): Value | undefined {
  const slot = ctx.slots.get(pointer);
  if (typeof raw === 'string' && slot) return evaluateAt(ctx, raw, path, slot, scope);
  if (Array.isArray(raw)) {
    const items = raw.map((item, i) => resolveValue(ctx, item, [...path, i], scope, `${pointer}/${i}`));
    return items.some((v) => v === undefined) ? undefined : (items as Value[]);
  }
  if (raw !== null && typeof raw === 'object') {
    const out: Record<string, Value> = {};
    let ok = true;
    for (const [key, item] of Object.entries(raw)) {
      const v = resolveValue(ctx, item, [...path, key], scope, pointer + pointerOf([key]));
      if (v === undefined) ok = false;
      else out[key] = v;
    }
    return ok ? out : undefined;
  }
  return raw as Value;
}
