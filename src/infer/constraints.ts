import { diagnostic, type Diagnostic, type FixEdits, type Note, type TextEdit } from '../diagnostics/diagnostic.js';
import { fixParts, withNotes } from '../fix/alternatives.js';
import { symbolFix } from '../fix/spec-edits.js';
import { showShape } from '../diagnostics/describe.js';
import { spanWithin } from '../diagnostics/location.js';
import type { Affine, Dim, InputIR, ModelIR, Shape, Span, SymbolIR } from '../ir.js';
import { maxTensorElements, tooMany } from './limits.js';
import { constantPart, evaluateAffine, factorNeeded, gcd, isAffine, lcm, multiply, showDim, substitute, subtract, symbolsOf, type Sized } from './affine.js';
import type { Bound, Requirement } from './rule.js';

/**
 * The constraints symbolic shapes put on the symbols, checked once a model's
 * graph is inferred. A symbol `S` declared `multipleOf: m` takes the values
 * `S = m*k` (k = 1, 2, ...; at least `min`), so an expression is a whole
 * number at every legal size exactly when each symbol's coefficient times its
 * `m` is whole (that is what a larger `multipleOf` can fix, NS4013) and its
 * constant is whole (which none can, NS4014). Sizes must also be positive at
 * the smallest legal values (NS4004).
 */

/** A requirement with the place it is reported at. */
export interface LocatedRequirement extends Requirement {
  readonly span: Span;
}

/** A lower bound on a symbolic size with the place it is reported at. */
export interface LocatedBound extends Bound {
  readonly span: Span;
}

/** A shape whose symbolic dims must be positive, and what it is: `layer 'c3'` or `input 'x'`. */
export interface SizedShape {
  readonly shape: Shape;
  readonly what: string;
  readonly span: Span;
}

type Table = ReadonlyMap<string, SymbolIR>;

const multipleOf = (table: Table, name: string) => table.get(name)?.multipleOf ?? 1;

/** The smallest legal value of a symbol: the first multiple of `multipleOf` at or above `min`. */
function smallest(table: Table, name: string): number {
  const m = multipleOf(table, name);
  const min = table.get(name)?.min ?? 1;
  return Math.max(1, Math.ceil(min / m)) * m;
}

/** `H: { multipleOf: 16, min: 32 }`, keeping what the declaration says besides the change. */
function declaration(table: Table, name: string, change: { multipleOf?: number; min?: number }): string {
  const m = change.multipleOf ?? multipleOf(table, name);
  const min = change.min ?? table.get(name)?.min ?? 1;
  const fields = [...(m > 1 ? [`multipleOf: ${m}`] : []), ...(min > 1 ? [`min: ${min}`] : [])];
  return `\`${name}: { ${fields.join(', ')} }\``;
}

/** The edits that declare each symbol with its change (one fix for all of them), or undefined when one cannot be written. */
function declareEdits(table: Table, changes: readonly { name: string; change: { multipleOf?: number; min?: number } }[], description: string): FixEdits | undefined {
  const edits = changes.map(({ name, change }) => {
    const symbol = table.get(name);
    const options = Object.entries(change).map(([option, value]) => ({ option, value }));
    return symbol ? symbolFix(symbol, description, options) : undefined;
  });
  if (!edits.every((e) => e !== undefined)) return undefined;
  // Two symbols of one `[H, W]` list would each rewrite the whole list.
  const all = edits.flatMap((e) => e!.edits);
  return all.some((a, i) => all.some((b, j) => i < j && a.span.start < b.span.end && b.span.start < a.span.end)) ? undefined : { description, edits: all };
}

function declaredAt(table: Table, name: string): Note[] {
  const symbol = table.get(name);
  if (!symbol) return [];
  const m = symbol.multipleOf;
  return [{ message: `'${name}' is declared here${m > 1 ? ` as a multiple of ${m}` : ' without multipleOf'}`, span: symbol.span }];
}

/** Re-infers a model (with every symbol replaced by a number) and returns what it reports. */
export interface Reinfer {
  readonly model: ModelIR;
  readonly infer: (model: ModelIR) => readonly Diagnostic[];
}

function concreteShape(shape: Shape, values: ReadonlyMap<string, number>): Shape {
  return shape.map((d) => (isAffine(d) ? [...values].reduce<Sized>((x, [s, v]) => substitute(x, s, v), d) : d));
}

/** The model at fixed sizes: every symbol in its input and output shapes replaced by a number. */
function concreteModel(model: ModelIR, values: ReadonlyMap<string, number>): ModelIR {
  return {
    ...model,
    inputs: model.inputs.map((i) => ({ ...i, shape: concreteShape(i.shape, values) })),
    outputs: model.outputs.map((o) => (o.shape ? { ...o, shape: concreteShape(o.shape, values) } : o)),
  };
}

/**
 * What goes wrong at a size the symbol's declaration allows but the layers do
 * not (the other symbols at sizes that are fine): a skip that no longer lines
 * up, or an output of another size, found by inferring the model at that size.
 */
function consequence(reinfer: Reinfer, symbols: readonly string[], wants: ReadonlyMap<string, number>, table: Table, name: string): { text: string; note: Note } | undefined {
  const m = multipleOf(table, name);
  const want = wants.get(name)!;
  // A legal size (a multiple of m) that is not a multiple of want: want + m, or the smallest legal one if larger.
  const least = smallest(table, name);
  const value = least <= want ? want + m : least % want === 0 ? least + m : least;
  const values = new Map(symbols.map((s) => [s, s === name ? value : Math.ceil(smallest(table, s) / (wants.get(s) ?? 1)) * (wants.get(s) ?? 1)]));
  const found = reinfer.infer(concreteModel(reinfer.model, values)).find((d) => d.code === 'NS4003' || d.code === 'NS4006');
  if (!found?.span) return undefined;
  const layer = reinfer.model.layers.find((l) => spanWithin(found.span, l.span));
  const output = reinfer.model.outputs.find((o) => (o.shapeSpan ?? o.ref.span).start === found.span!.start);
  const text = found.code === 'NS4003' && layer ? `, and for the skip at '${layer.id}' to line up` : output ? `, and for output '${output.ref.id}' to have its asserted shape` : '';
  return { text, note: { message: `at ${name} = ${value}: ${found.message}`, span: found.span } };
}

/** NS4013: the least multiple every requirement on the symbol needs, reported at the requirement that needs the most. */
function checkMultiple(table: Table, name: string, requirements: readonly LocatedRequirement[], explain?: (want: number) => { text: string; note: Note } | undefined): Diagnostic | undefined {
  // A requirement with a fractional constant holds for no multiple at all; NS4014 gives its exact condition.
  const needing = requirements.filter((r) => Number.isInteger(constantPart(r.whole))).map((r) => ({ r, factor: factorNeeded(r.whole, name) })).filter((n) => n.factor > 1);
  const m = multipleOf(table, name);
  const needed = needing.reduce((l, n) => lcm(l, n.factor), 1);
  if (m % needed === 0) return undefined;
  const want = lcm(m, needed);
  const primary = needing.reduce((best, n) => (n.factor > best.factor ? n : best));
  if (!(want <= maxTensorElements)) {
    return diagnostic('NS4018', primary.r.span, `${name} would have to be a multiple of ${tooMany(maxTensorElements)} for ${primary.r.reason}, larger than any dimension tfjs can allocate`, {
      notes: declaredAt(table, name),
      fix: `divide ${name} less: smaller strides, or fewer strided layers`,
    });
  }
  const others: Note[] = [];
  let covered = primary.factor;
  for (const n of needing) {
    if (covered % n.factor === 0) continue;
    covered = lcm(covered, n.factor);
    others.push({ message: `${name} must also be a multiple of ${n.factor} for ${n.r.reason}`, span: n.r.span });
  }
  const why = explain?.(want);
  const text = `declare ${declaration(table, name, { multipleOf: want })} under \`symbols:\``;
  return diagnostic('NS4013', primary.r.span, `${name} must be a multiple of ${want} for ${primary.r.reason}${why?.text ?? ''}`, {
    ...withNotes(fixParts([{ text, edits: declareEdits(table, [{ name, change: { multipleOf: want } }], text) }]), [...others, ...(why ? [why.note] : []), ...declaredAt(table, name)]),
  });
}

/** `which holds only for some sizes (L = 5, 9, 13, ...)`, for an expression of one symbol, from its legal values. */
function examples(table: Table, whole: Affine): string {
  const [name] = symbolsOf(whole);
  if (name === undefined || whole.terms.length !== 1) return 'which holds only for some sizes';
  const m = multipleOf(table, name);
  const found: number[] = [];
  const first = Math.ceil(smallest(table, name) / m);
  // Bounded: a stride of 1e9 gives a denominator no one wants to count through.
  for (let k = first; found.length < 3 && k <= first + Math.min(3 * whole.denominator, 10_000); k++) {
    if (Number.isInteger(evaluateAffine(whole, () => k * m))) found.push(k * m);
  }
  return found.length === 0 ? `which never holds with ${name} a multiple of ${m}` : `which holds only for some sizes (${name} = ${found.join(', ')}, ...)`;
}

/**
 * For `(n*S + c) / d` of one symbol: `p*S + r` to write in place of `S`, so
 * that it is whole at every `S` (S = p*k + r), or undefined when no `r` is.
 */
function rewrite(whole: Affine): string | undefined {
  if (whole.terms.length !== 1) return undefined;
  const { symbol, coefficient: n } = whole.terms[0]!;
  const d = whole.denominator;
  const p = d / gcd(n, d);
  for (let r = 1; r < Math.min(p, 10_000); r++) if ((((n * r + whole.constant) % d) + d) % d === 0) return `${p}*${symbol} + ${r}`;
  return undefined;
}

/**
 * The input shapes with `form` written in place of the symbol `name`, one fix for every input that
 * uses it; only where each such shape holds nothing but sizes and bare symbols (it is written back whole).
 */
function rewriteInputs(inputs: readonly InputIR[], name: string, form: string, description: string): FixEdits | undefined {
  const bare = (d: Dim): string | undefined => (isAffine(d) && d.denominator === 1 && d.constant === 0 && d.terms.length === 1 && d.terms[0]!.coefficient === 1 ? d.terms[0]!.symbol : undefined);
  const using = inputs.filter((i) => i.shape.some((d) => bare(d) === name));
  const written = using.map((i) => {
    const dims = i.shape.map((d) => (d === null || typeof d === 'number' ? String(d) : bare(d) === name ? form : bare(d)));
    return i.shapeSpan && dims.every((d) => d !== undefined) ? { span: i.shapeSpan, newText: `[${dims.join(', ')}]` } : undefined;
  });
  return using.length > 0 && written.every((e) => e !== undefined) ? { description, edits: written as TextEdit[] } : undefined;
}

/** NS4014: a constant no multipleOf can make whole: the exact condition instead. */
function checkOffset(table: Table, r: LocatedRequirement, inputs: readonly InputIR[]): Diagnostic | undefined {
  if (Number.isInteger(constantPart(r.whole))) return undefined;
  const numerator = multiply(r.whole, r.whole.denominator);
  const shown = showDim(numerator);
  const [first] = symbolsOf(r.whole);
  const form = rewrite(r.whole);
  const removeOffset = 'remove the offset before the division (e.g. padding: same instead of valid)';
  const text = `write \`${form}\` in place of \`${first}\` in the input shape, so that it always divides`;
  const alternatives = form ? [{ text, edits: rewriteInputs(inputs, first!, form, `write \`${form}\` in place of \`${first}\` in the input shape`) }] : [];
  return diagnostic('NS4014', r.span, `${shown} must be a multiple of ${r.whole.denominator} for ${r.reason}, ${examples(table, r.whole)}; no multipleOf can express that`, {
    ...withNotes(fixParts(alternatives, [removeOffset]), symbolsOf(r.whole).flatMap((s) => declaredAt(table, s))),
  });
}

/** The smallest legal value of `name` at which `d` is positive, when it grows with `name` alone. */
function minimumFor(table: Table, name: string, d: Affine): number | undefined {
  if (d.terms.length !== 1 || d.terms[0]!.coefficient <= 0) return undefined;
  // (c*v + constant) / denominator >= 1  <=>  v >= (denominator - constant) / c
  const m = multipleOf(table, name);
  const least = (d.denominator - d.constant) / d.terms[0]!.coefficient;
  return Math.max(smallest(table, name), Math.ceil(least / m) * m);
}

/**
 * NS4004: the first shape, in graph order, with a symbolic dim that is not
 * positive at the smallest legal sizes; the fix raises the `min` of every
 * symbol involved anywhere enough for all shapes.
 */
function checkPositive(table: Table, shapes: readonly SizedShape[]): Diagnostic | undefined {
  const at = (symbol: string) => smallest(table, symbol);
  // A size that is not whole there has an NS4013 or NS4014 of its own.
  const empty = (d: unknown): d is Affine => isAffine(d) && Number.isInteger(evaluateAffine(d, at)) && (evaluateAffine(d, at) < 1 || d.terms.some((t) => t.coefficient < 0));
  const first = shapes.find((s) => s.shape.some(empty));
  if (!first) return undefined;
  const symbolsIn = (dims: readonly unknown[]) => [...new Set(dims.flatMap((d) => (isAffine(d) ? symbolsOf(d) : [])))].sort();
  const values = first.shape.map((d) => (isAffine(d) ? evaluateAffine(d, at) : d));
  const failing = shapes.flatMap((s) => s.shape.filter(empty));
  const mins = symbolsIn(failing).map((name) => {
    const least = failing.filter((d) => symbolsOf(d).includes(name)).map((d) => minimumFor(table, name, d));
    return least.every((v) => v !== undefined) ? Math.max(...(least as number[])) : undefined;
  });
  const fixes = symbolsIn(failing).map((name, n) => (mins[n] === undefined ? undefined : declaration(table, name, { min: mins[n] })));
  const text = `declare ${fixes.join(' and ')} under \`symbols:\``;
  const raised = symbolsIn(failing).map((name, n) => ({ name, change: { min: mins[n]! } }));
  const parts = fixes.every((f) => f !== undefined) ? fixParts([{ text, edits: declareEdits(table, raised, text) }], ['use padding: same']) : fixParts([], ['use padding: same, or smaller kernels, so that no size shrinks below 1']);
  return diagnostic('NS4004', first.span, `${first.what} would be empty at the smallest sizes the symbols allow: ${showShape(first.shape)} is ${showShape(values)} at ${symbolsIn(first.shape).map((s) => `${s} = ${at(s)}`).join(', ')}`, {
    ...withNotes(parts, symbolsIn(first.shape.filter(empty)).flatMap((s) => declaredAt(table, s))),
  });
}

/**
 * NS4009: a size a layer needs to be at least some length (reflection
 * padding: the padding must be shorter than the axis) that is shorter at the
 * smallest legal sizes; one per place, with the `min` that fixes it.
 */
function checkBounds(table: Table, bounds: readonly LocatedBound[]): Diagnostic[] {
  const at = (symbol: string) => smallest(table, symbol);
  const reported = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const b of bounds) {
    const value = evaluateAffine(b.size, at);
    // A size that is not whole there has an NS4013 or NS4014 of its own.
    if (!Number.isInteger(value) || (value >= b.least && b.size.terms.every((t) => t.coefficient > 0))) continue;
    const key = `${b.span.file}:${b.span.start}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const names = symbolsOf(b.size);
    const margin = subtract(b.size, b.least - 1) as Affine;
    const mins = names.map((name) => (names.length === 1 ? minimumFor(table, name, margin) : undefined));
    const text = `declare ${names.map((name, n) => declaration(table, name, { min: mins[n]! })).join(' and ')} under \`symbols:\``;
    const raised = names.map((name, n) => ({ name, change: { min: mins[n]! } }));
    const parts = mins.every((v) => v !== undefined) ? fixParts([{ text, edits: declareEdits(table, raised, text) }], ['pad less']) : fixParts([], ['pad less, or declare the symbols with a larger `min`']);
    diagnostics.push(
      diagnostic('NS4009', b.span, `${showDim(b.size)} must be at least ${b.least} for ${b.reason}, but the symbols allow ${value} (at ${names.map((s) => `${s} = ${at(s)}`).join(', ')})`, {
        ...withNotes(parts, names.flatMap((s) => declaredAt(table, s))),
      }),
    );
  }
  return diagnostics;
}

/** Every constraint of one model on the symbols, reported once per symbol and kind. */
export function checkSymbols(
  symbols: readonly SymbolIR[],
  requirements: readonly LocatedRequirement[],
  shapes: readonly SizedShape[],
  reinfer?: Reinfer,
  bounds: readonly LocatedBound[] = [],
  inputs: readonly InputIR[] = [],
): Diagnostic[] {
  const table: Table = new Map(symbols.map((s) => [s.name, s]));
  const diagnostics: Diagnostic[] = [];
  const names = [...new Set([...requirements.flatMap((r) => symbolsOf(r.whole)), ...shapes.flatMap((s) => s.shape.flatMap((d) => (isAffine(d) ? symbolsOf(d) : [])))])];
  const on = (name: string) => requirements.filter((r) => symbolsOf(r.whole).includes(name));
  // The multiple each symbol needs, so that a counterexample for one keeps the others at fitting sizes.
  const wants = new Map(names.map((n) => [n, on(n).filter((r) => Number.isInteger(constantPart(r.whole))).reduce((l, r) => lcm(l, factorNeeded(r.whole, n)), multipleOf(table, n))]));
  const unfit = new Set<string>();
  for (const name of names) {
    const explain = reinfer && (() => consequence(reinfer, names, wants, table, name));
    const found = checkMultiple(table, name, on(name), explain);
    if (found) {
      diagnostics.push(found);
      unfit.add(name);
    }
  }
  for (const r of requirements) {
    const found = checkOffset(table, r, inputs);
    if (found) diagnostics.push(found);
  }
  // Positivity is judged at the legal sizes, which a symbol with a wrong multipleOf does not have yet.
  const judged = shapes.map((s) => ({ ...s, shape: s.shape.map((d) => (isAffine(d) && symbolsOf(d).some((n) => unfit.has(n)) ? null : d)) }));
  const empty = checkPositive(table, judged);
  if (empty) diagnostics.push(empty);
  diagnostics.push(...checkBounds(table, bounds.filter((b) => !symbolsOf(b.size).some((n) => unfit.has(n)))));
  return diagnostics;
}
