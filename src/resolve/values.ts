import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { Value } from '../ir.js';
import { scalarTextStart, spanAt, type ParsedSpec, type PathSegment } from '../parse/parse-spec.js';
import type { ExprSlot } from '../validate/schema.js';
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
}

/** Whether validation rejected the value at `pointer` or anything inside it. */
export function rejected(ctx: ResolveContext, pointer: string): boolean {
  if (ctx.invalid.has(pointer)) return true;
  for (const p of ctx.invalid) if (p.startsWith(pointer + '/')) return true;
  return false;
}

/** How the library reads files a spec refers to; undefined when the file cannot be read. */
export type ReadFile = (path: string) => Uint8Array | undefined;

export function pointerOf(path: readonly PathSegment[]): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

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
  const whole = spanAt(ctx.spec, path);
  const base = scalarTextStart(ctx.spec, path);
  const spanOf = (start: number, end: number) =>
    base === undefined ? whole : { file: whole.file, start: base + start, end: base + Math.max(end, start + 1) };
  const parsed = parseExpr(text);
  if ('error' in parsed) {
    ctx.diagnostics.push(diagnostic('NS3001', spanOf(parsed.error.start, parsed.error.end), `bad expression '${text}': ${parsed.error.message}`));
    return undefined;
  }
  const result = evaluate(parsed.expr, (name) => scope.lookup(name));
  if ('error' in result) {
    const unknown = (result.error as { unknownName?: string }).unknownName;
    const span = spanOf(result.error.start, result.error.end);
    if (unknown !== undefined && scope.broken?.(unknown)) return undefined;
    if (unknown !== undefined) {
      const known = scope.names();
      const explained = scope.explain?.(unknown);
      ctx.diagnostics.push(
        diagnostic('NS3002', span, `unknown name '${unknown}' in '${text}'${explained ? `: ${explained}` : ''}`, {
          fix: didYouMean(unknown, known) ?? (explained || known.length === 0 ? `declare '${unknown}' under \`params:\`` : `known names: ${known.join(', ')}`),
        }),
      );
    } else {
      ctx.diagnostics.push(diagnostic('NS3001', span, `bad expression '${text}': ${result.error.message}`));
    }
    return undefined;
  }
  return checkNumber(ctx, result.value, path, slot, text);
}

/** Integer-ness and bounds of an evaluated expression (the schema checked literal numbers already). */
function checkNumber(ctx: ResolveContext, value: number, path: readonly PathSegment[], slot: ExprSlot, text: string): number | undefined {
  const option = String(path[path.length - 1]);
  if (slot.kind === 'int' && !Number.isInteger(value)) {
    ctx.diagnostics.push(
      diagnostic('NS3003', spanAt(ctx.spec, path), `'${option}' = ${text} evaluates to ${value}; expected an integer`, { fix: 'use // for integer division' }),
    );
    return undefined;
  }
  if (!withinBounds(value, slot)) {
    ctx.diagnostics.push(diagnostic('NS3003', spanAt(ctx.spec, path), `'${option}' = ${text} evaluates to ${value}; it must be ${boundsText(slot)}`));
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
      const v = resolveValue(ctx, item, [...path, key], scope, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      if (v === undefined) ok = false;
      else out[key] = v;
    }
    return ok ? out : undefined;
  }
  return raw as Value;
}
