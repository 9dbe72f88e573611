import type { Diagnostic, FixEdits, Note } from '../diagnostics/diagnostic.js';
import { optionFix, replaceFix } from '../fix/option-edits.js';
import { showShape } from '../diagnostics/describe.js';
import { spanWithin } from '../diagnostics/location.js';
import type { Args, LayerIR, ModelIR, Shape, Value } from '../ir.js';
import { transposeRank } from './conv-transpose.js';
import { convTransposeOutputRange, type PadPair } from './formulas.js';
import type { GraphPass } from './infer-shapes.js';
import { perAxis } from './rule.js';
import { fixVerdict, type Verdict } from './solve-valid.js';
import { capped, kernelFor, neededLengths, stridesFor } from './solve-targets.js';
import { ambiguousSize, checkerboard } from '../lint/rules.js';

/**
 * The transposed-convolution solver. When an `outputs` assertion (NS4006) or a
 * merge (NS4003) fails, it tries changes to the transposed convolutions the
 * failing tensor comes from (outputPadding, padding, outputShape, kernelSize,
 * strides), re-infers the whole model with each, and suggests the changes after
 * which that error is gone and no new error appears where the first pass could
 * look (solve-valid.ts: errors that were there before, or that lie behind the
 * error in layers the first pass skipped, do not count). Strides and kernel
 * sizes beyond the written ones come from the output-length formula
 * (solve-targets.ts). Suggestions are ordered: the layer nearest to the error
 * first, then changes that earn no lint (NS5001, NS5002), then the least
 * invasive. When no single change works, pairs of changes on two transposed
 * convolutions are tried. At most `maxSingle` + `maxPairs` re-inferences per error, fewer in large models
 * (`maxLayerInferences`).
 */

/** How many transposed convolutions upstream of an error are tried, nearest first. */
const maxCandidates = 4;
/** How many verified changes one diagnostic suggests. */
const maxSuggestions = 3;
/** Per-axis combinations tried for one option, so 3D layers with stride 3 stay cheap. */
const maxCombinations = 64;
/** Re-inferences one error may cost for single changes, and then for pairs. */
const maxSingle = 400;
const maxPairs = 120;
/** Layers re-inferred in all for one error: a model of thousands of layers gets fewer tries (the fuzzer times it). */
const maxLayerInferences = 40000;
/** Changes per layer that enter the pair search. */
const pairChanges = 8;

type Kind = 'outputPadding' | 'padding' | 'outputShape' | 'kernelSize' | 'strides';

interface Change {
  readonly kind: Kind;
  /** Options to set; `undefined` removes one. */
  readonly patch: { readonly [option: string]: Value | undefined };
}

interface Suggestion {
  readonly layer: LayerIR;
  readonly change: Change;
  readonly outputShape: Shape;
  /** How many layers the edit changes: a repeat makes several from the one YAML mapping. */
  readonly copies: number;
  /** The second change of a pair, made together with this one. */
  readonly with?: Suggestion;
}

/** `[1, 1]` is written `1`, the way users write uniform options. */
function compact(values: readonly number[]): Value {
  return values.every((v) => v === values[0]) ? values[0]! : values;
}

/** Every vector with `choices[a]` options on axis `a`, at most `maxCombinations`. */
function combinations(choices: readonly (readonly number[])[]): number[][] {
  let all: number[][] = [[]];
  for (const axis of choices) {
    // Cut at every axis, never before the last: each vector needs an entry per axis.
    const next: number[][] = [];
    for (const prefix of all) for (const v of axis) if (next.length < maxCombinations) next.push([...prefix, v]);
    all = next;
  }
  return all;
}

/** `low..high`, at most `maxCombinations` of them: a stride of 1e9 must not ask for a billion candidates. */
const range = (low: number, high: number) => Array.from({ length: Math.max(0, Math.min(high - low + 1, maxCombinations)) }, (_, k) => low + k);

/** The input's spatial lengths as the first pass inferred them, when known. */
function spatialIn(layer: LayerIR, pass: GraphPass, rank: number): number[] | undefined {
  const shape = pass.layers.find((l) => l.layer === layer)?.inputShapes[0];
  if (!shape) return undefined;
  const spatial = layer.args['dataFormat'] === 'channelsFirst' ? shape.slice(2) : shape.slice(1, -1);
  // A symbolic input allows no fixed outputShape.
  return spatial.length === rank && spatial.every((d) => typeof d === 'number') ? (spatial as number[]) : undefined;
}

/** The changes worth trying on one transposed convolution, least invasive first. */
function changesFor(layer: LayerIR, pass: GraphPass, needed: readonly number[][] | undefined): Change[] {
  const rank = transposeRank[layer.type]!;
  const strides = perAxis(layer.args['strides'], rank, 1);
  const kernel = perAxis(layer.args['kernelSize'], rank, 1);
  const dilation = perAxis(layer.args['dilationRate'], rank, 1);
  const padding = (layer.args['padding'] ?? 'valid') as 'valid' | 'same' | readonly PadPair[];
  const outputPaddings = combinations(strides.map((s) => range(0, s - 1)));
  const changes: Change[] = [];

  if (layer.args['outputPadding'] !== undefined) changes.push({ kind: 'outputPadding', patch: { outputPadding: undefined } });
  if (layer.args['outputShape'] !== undefined) changes.push({ kind: 'outputShape', patch: { outputShape: undefined } });
  if (strides.some((s) => s > 1)) {
    for (const op of outputPaddings) changes.push({ kind: 'outputPadding', patch: { outputPadding: compact(op), outputShape: undefined } });
  }
  for (const mode of ['same', 'valid'] as const) {
    if (padding === mode) continue;
    if (mode === 'same') changes.push({ kind: 'padding', patch: { padding: mode, outputPadding: undefined, outputShape: undefined } });
    // A valid stride > 1 convolution states its size, or NS5002 would ask for it.
    for (const op of strides.some((s) => s > 1) ? outputPaddings : [undefined]) {
      changes.push({ kind: 'padding', patch: { padding: mode, outputPadding: op && compact(op), outputShape: undefined } });
    }
  }
  // Explicit [begin, end] pairs reach every size; the smaller half goes first, as TensorFlow pads `same`.
  const pairsTried = combinations(kernel.map((k, a) => range(0, (k - 1) * dilation[a]!)))
    .map((t) => t.map((total): PadPair => [Math.floor(total / 2), total - Math.floor(total / 2)]))
    .filter((pairs) => typeof padding === 'string' || !pairs.every((p, a) => p[0] === padding[a]![0] && p[1] === padding[a]![1]));
  for (const pairs of pairsTried) changes.push({ kind: 'padding', patch: { padding: pairs, outputPadding: undefined, outputShape: undefined } });
  const input = spatialIn(layer, pass, rank);
  if (input) {
    const ranges = input.map((i, a) => {
      const [low, high] = convTransposeOutputRange(i, kernel[a]!, strides[a]!, dilation[a]!, typeof padding === 'string' ? padding : padding[a]!);
      return range(Math.max(1, low), high);
    });
    for (const shape of combinations(ranges)) changes.push({ kind: 'outputShape', patch: { outputShape: shape, outputPadding: undefined } });
  }
  // Kernels stay multiples of the stride where they were, so the fix does not earn an NS5001 warning.
  const evenlyTiled = (k: readonly number[]) => k.every((v, a) => strides[a]! === 1 || v % strides[a]! === 0);
  for (const delta of [1, -1, 2, -2, 3, -3, 4, -4]) {
    const k = kernel.map((v) => v + delta);
    if (k.some((v) => v < 1) || (evenlyTiled(kernel) && !evenlyTiled(k))) continue;
    changes.push({ kind: 'kernelSize', patch: { kernelSize: compact(k) } });
  }
  // A stray stride is a common slip, often with the padding that went with it; outputPadding must stay below the new stride.
  const paddings: ({ padding?: Value })[] = [{}, ...(padding === 'same' ? [] : [{ padding: 'same' }]), ...pairsTried.map((pairs) => ({ padding: pairs }))];
  // Strides the formula says can reach a needed length (a mistyped `strides: 2` for 4), and kernels that do at the written stride.
  const pad0 = typeof padding === 'string' ? padding : padding[0]!;
  const derived = input && needed ? needed.flatMap((lengths, a) => lengths.flatMap((o) => stridesFor(input[a]!, o, kernel[a]!, dilation[a]!, pad0, strides[a]!))) : [];
  if (input && needed && needed.every((l) => l.length > 0)) {
    const k = needed.map((lengths, a) => lengths.map((o) => kernelFor(input[a]!, o, strides[a]!, dilation[a]!, typeof padding === 'string' ? padding : padding[a]!)).find((v) => v !== undefined));
    if (k.every((v) => v !== undefined) && k.some((v, a) => v !== kernel[a])) changes.push({ kind: 'kernelSize', patch: { kernelSize: compact(k as number[]) } });
  }
  for (const stride of capped([...range(1, Math.max(...strides) + 1), ...derived])) {
    if (strides.every((v) => v === stride)) continue;
    const dropped = layer.args['outputPadding'] !== undefined && perAxis(layer.args['outputPadding'], rank, 0).some((op) => op >= stride);
    for (const pad of paddings) changes.push({ kind: 'strides', patch: { strides: stride, ...pad, ...(dropped ? { outputPadding: undefined } : {}) } });
  }
  return changes;
}

function applied(layer: LayerIR, change: Change): LayerIR {
  const args: Record<string, Value> = { ...layer.args };
  for (const [option, value] of Object.entries(change.patch)) {
    if (value === undefined) delete args[option];
    else args[option] = value;
  }
  return { ...layer, args: args as Args };
}

/** Transposed convolutions the tensors of `ids` come from, nearest first. */
function upstreamTransposed(model: ModelIR, ids: readonly string[]): LayerIR[] {
  const byId = new Map(model.layers.map((l) => [l.id, l]));
  const seen = new Set<string>();
  const found: LayerIR[] = [];
  let frontier = [...ids];
  while (frontier.length > 0 && found.length < maxCandidates) {
    const next: string[] = [];
    for (const id of frontier) {
      const layer = byId.get(id);
      if (!layer || seen.has(id)) continue;
      seen.add(id);
      if (transposeRank[layer.type] !== undefined) found.push(layer);
      next.push(...layer.from.map((r) => r.id));
    }
    frontier = next;
  }
  return found.slice(0, maxCandidates);
}

/** The ids whose tensors an error is about: the merge's inputs, or the asserted output. */
function subjectOf(d: Diagnostic, model: ModelIR): readonly string[] | undefined {
  if (d.code === 'NS4006') {
    const output = model.outputs.find((o) => (o.shapeSpan ?? o.ref.span).start === d.span?.start && o.shape);
    return output ? [output.ref.id] : undefined;
  }
  if (d.code === 'NS4003') {
    const merge = model.layers.find((l) => spanWithin(d.span, l.span));
    return merge ? merge.from.map((r) => r.id) : undefined;
  }
  return undefined;
}

/** A value the way it is written in a flow-style spec: `same`, `[[0, 1], [0, 1]]`. */
function inYaml(value: Value): string {
  return Array.isArray(value) ? `[${value.map(inYaml).join(', ')}]` : String(value);
}

function describe(s: Suggestion): string {
  if (s.with) return `${describe({ ...s, with: undefined } as Suggestion)}, and ${describe(s.with)}`;
  const entries = Object.entries(s.change.patch);
  const set = entries.filter(([, v]) => v !== undefined).map(([option, v]) => `\`${option}: ${inYaml(v!)}\``);
  const removed = entries.filter(([option, v]) => v === undefined && s.layer.args[option] !== undefined).map(([option]) => option);
  const where = `'${s.layer.id}'${s.copies > 1 ? ` (in the repeat body: all ${s.copies} layers made from it)` : ''}`;
  if (set.length === 0) return `remove ${removed.join(' and ')} from ${where}`;
  return `set ${set.join(' and ')}${removed.length > 0 ? ` and remove ${removed.join(', ')}` : ''} on ${where}`;
}

/** A changed model: every layer a repeat made from the same YAML mapping changes with it, as the edit is made in the YAML. */
function changedModel(model: ModelIR, edits: readonly (readonly [LayerIR, Change])[]): { model: ModelIR; copies: number[]; changed: LayerIR[] } {
  let layers = model.layers;
  const copies: number[] = [];
  const changed: LayerIR[] = [];
  for (const [layer, change] of edits) {
    const same = new Set(model.layers.filter((l) => l.span.file === layer.span.file && l.span.start === layer.span.start));
    layers = layers.map((l, n) => (same.has(model.layers[n]!) ? applied(l, change) : l));
    copies.push(same.size);
    changed.push(layers[model.layers.indexOf(layer)]!);
  }
  return { model: { ...model, layers }, copies, changed };
}

/** Whether the changed layer earns a lint the original did not: the lint rules decide, not a copy of their conditions. */
function addsLint(before: LayerIR, after: LayerIR, again: GraphPass): boolean {
  const shapes = (l: LayerIR) => again.layers.find((s) => s.layer === l);
  return (!checkerboard(before) && checkerboard(after) !== undefined) || (!ambiguousSize(before, undefined) && ambiguousSize(after, shapes(after)) !== undefined);
}

interface Tried extends Suggestion {
  readonly lint: boolean;
}

/** Re-infers with `edits`; the suggestion when the verdict accepts it. */
function attempt(model: ModelIR, edits: readonly (readonly [LayerIR, Change])[], verdict: Verdict, infer: (model: ModelIR) => GraphPass): Tried | undefined {
  const next = changedModel(model, edits);
  const again = infer(next.model);
  if (!verdict(again)) return undefined;
  const steps = edits.map(([layer, change], n): Tried | undefined => {
    const shape = again.layers.find((l) => l.layer === next.changed[n])?.outputShape;
    return shape && { layer, change, outputShape: shape, copies: next.copies[n]!, lint: addsLint(layer, next.changed[n]!, again) };
  });
  if (steps.some((s) => !s)) return undefined;
  const [first, second] = steps as Tried[];
  return second ? { ...first!, with: second, lint: first!.lint || second.lint } : first;
}

function solve(model: ModelIR, pass: GraphPass, target: Diagnostic, ids: readonly string[], infer: (model: ModelIR) => GraphPass): Suggestion[] {
  const verdict = fixVerdict(model, pass, target);
  const candidates = upstreamTransposed(model, ids);
  const changes = candidates.map((layer) => changesFor(layer, pass, neededLengths(target, model, pass, layer, transposeRank[layer.type]!)));
  const scale = Math.max(1, model.layers.length);
  let budget = Math.min(maxSingle, Math.floor(maxLayerInferences / scale));
  const suggestions: Tried[] = [];
  for (const [n, layer] of candidates.entries()) {
    // One suggestion per kind of change; a kind's first change without lint is preferred to earlier ones with it.
    const found = new Map<Kind, Tried>();
    for (const change of changes[n]!) {
      if (found.get(change.kind)?.lint === false || budget === 0) continue;
      if (found.has(change.kind) && change.kind !== 'kernelSize' && change.kind !== 'strides') continue;
      budget--;
      const tried = attempt(model, [[layer, change]], verdict, infer);
      if (tried && (!found.has(change.kind) || !tried.lint)) found.set(change.kind, tried);
    }
    // Nearest layer first, then no lint, then the least invasive (the order of changesFor).
    suggestions.push(...[...found.values()].sort((a, b) => Number(a.lint) - Number(b.lint)));
    if (suggestions.length >= maxSuggestions) break;
  }
  // Pairs when no single change works, or when each earns a lint (two layers one stride short: one layer at twice the stride overlaps unevenly).
  const pairs = suggestions.every((s) => s.lint) ? solvePairs(model, candidates, changes, verdict, infer).filter((p) => suggestions.length === 0 || !p.lint) : [];
  // A pair without lint goes before single changes that all earn one.
  return [...pairs, ...suggestions].slice(0, maxSuggestions).map(({ lint: _, ...s }) => s as Suggestion);
}

/** Two changes on two transposed convolutions, nearest pairs first, within `maxPairs` re-inferences. */
function solvePairs(model: ModelIR, candidates: readonly LayerIR[], changes: readonly Change[][], verdict: Verdict, infer: (model: ModelIR) => GraphPass): Tried[] {
  let budget = Math.min(maxPairs, Math.floor(maxLayerInferences / 4 / Math.max(1, model.layers.length)));
  const found: Tried[] = [];
  // Strides and outputPadding first: the slips a pair of up-sampling layers most often share.
  const rank = (c: Change) => (c.kind === 'strides' ? 0 : c.kind === 'outputPadding' ? 1 : 2);
  const short = changes.map((list) => [...list].sort((a, b) => rank(a) - rank(b)).slice(0, pairChanges));
  for (let a = 0; a < candidates.length; a++) {
    for (let b = a + 1; b < candidates.length; b++) {
      const [la, lb] = [candidates[a]!, candidates[b]!];
      if (la.span.file === lb.span.file && la.span.start === lb.span.start) continue; // one YAML mapping
      const kinds = new Set<string>();
      for (const ca of short[a]!) {
        for (const cb of short[b]!) {
          if (budget === 0 || kinds.has(`${ca.kind}/${cb.kind}`)) continue;
          budget--;
          const tried = attempt(model, [[la, ca], [lb, cb]], verdict, infer);
          if (!tried) continue;
          kinds.add(`${ca.kind}/${cb.kind}`);
          found.push(tried);
        }
      }
      if (found.length > 0) return found.sort((x, y) => Number(x.lint) - Number(y.lint)).slice(0, maxSuggestions);
    }
  }
  return [];
}

/**
 * NS4006's own fix, "assert the inferred shape", as an edit of the assertion. It is offered only
 * beside the solver's changes: alone it would be applied by `check --fix`, making the spec agree
 * with whatever the layers compute. Only fixed sizes can be written back.
 */
function assertion(d: Diagnostic, model: ModelIR, pass: GraphPass): FixEdits[] {
  if (d.code !== 'NS4006') return [];
  const output = model.outputs.find((o) => o.shape && o.shapeSpan?.start === d.span?.start);
  const inferred = pass.outputs.find((o) => o.name === output?.ref.id)?.shape.slice(1);
  if (!output?.shapeSpan || !inferred || !inferred.every((dim) => typeof dim === 'number')) return [];
  return [replaceFix(`assert ${showShape(inferred)}`, output.shapeSpan, showShape(inferred))];
}

/** The diagnostics of a failed pass, with verified transposed-convolution changes added to the size errors they fix. */
export function withTransposeFixes(model: ModelIR, pass: GraphPass, infer: (model: ModelIR) => GraphPass): Diagnostic[] {
  return pass.diagnostics.map((d) => {
    const ids = subjectOf(d, model);
    if (!ids) return d;
    const found = solve(model, pass, d, ids, infer);
    if (found.length === 0) return d;
    const notes: Note[] = found.map((s) => ({
      message: `${describe(s)}: ${s.with ? `they then output ${showShape(s.outputShape)} and ${showShape(s.with.outputShape)}` : `it then outputs ${showShape(s.outputShape)}`} and this error is gone (checked by re-inferring the model)`,
      span: s.layer.argSpans[s.change.kind] ?? s.layer.idSpan,
    }));
    const solved = `${describe(found[0]!)}${found.length > 1 ? ', or another change the notes list' : ''}`;
    // Each verified change is one fix as edits: several are alternatives (never applied by `check --fix`), a single one is unambiguous.
    // The edits go to the layer's mapping, which a repeat's copies share, as the check above assumed.
    // A pair's two changes are one fix: both layers' edits, or none.
    const changes = (s: Suggestion) => Object.entries(s.change.patch).map(([option, value]) => ({ option, value }));
    const fixes = found.flatMap((s): FixEdits[] => {
      const first = optionFix(s.layer, describe(s), changes(s));
      const second = s.with ? optionFix(s.with.layer, describe(s), changes(s.with)) : undefined;
      if (!first || (s.with && !second)) return [];
      return [{ description: first.description, edits: [...first.edits, ...(second?.edits ?? [])] }];
    });
    // A fix whose edits could not all be written (no recorded layout) stays prose, and then none is offered as the only one.
    // The diagnostic's own fix (assert the inferred shape) is one more alternative: with it, even one verified change is a choice.
    const others = d.fixes ?? assertion(d, model, pass);
    const complete = fixes.length === found.length && (d.fix === undefined || others.length > 0 || fixes.length > 1);
    const edits = complete ? { fixes: [...fixes, ...others] } : {};
    return { ...d, notes: [...d.notes, ...notes], fix: d.fix ? `${solved}; or ${d.fix}` : solved, ...edits };
  });
}
