import type { Code } from '../diagnostics/codes.js';
import { showShape } from '../diagnostics/describe.js';
import type { DiagnosticExtras, FixEdits, Note } from '../diagnostics/diagnostic.js';
import { choiceParts, fixParts, withNotes, type Alternative, type FixParts } from '../fix/alternatives.js';
import { insertLayerBeforeFix } from '../fix/layer-edits.js';
import { optionFix } from '../fix/option-edits.js';
import { inputShapeFix } from '../fix/spec-edits.js';
import { withFrom, withInputShape, withLayerBefore, withOptions } from './changed-model.js';
import type { Affine, Dim, InputIR, LayerIR, ModelIR, Shape, Span, Value, WeightInfo } from '../ir.js';
import { layerTypes } from '../validate/schema.js';
import { isAffine, showDim } from './affine.js';
import type { Need } from './formulas.js';

/** A tensor a layer receives: its shape and where it came from. */
export interface Received {
  readonly shape: Shape;
  /** Id of the input or layer that produced it. */
  readonly id: string;
  /** Where that input or layer is defined. */
  readonly span: Span;
  /** The channel layout, when a spatial layer laid it out (see layout.ts). */
  readonly layout?: Layout;
  /** True when it is a model input, whose declared shape a fix may change. */
  readonly declared?: boolean;
  /** That input, when it is one. */
  readonly input?: InputIR;
}

/** A channel layout and the layer that laid it out. */
export interface Layout {
  readonly format: DataFormat;
  readonly id: string;
  readonly span: Span;
}

/** What a shape rule works with; `error` locates at an option when one is named. */
export interface RuleContext {
  readonly layer: LayerIR;
  readonly inputs: readonly Received[];
  /** The model the layer is in, for fixes as edits that change more than the layer (remove it, insert one before it). */
  readonly model?: ModelIR;
  /**
   * Whether `changed` (the model as a fix would leave it, src/infer/changed-model.ts) infers without
   * a `code` error at this layer and without any error the model does not have now. Absent while a
   * model is inferred to check a fix (whose fixes are never shown), and in unit tests of one rule: fixes are then not checked.
   */
  readonly verify?: (changed: ModelIR, code: Code) => boolean;
  /** Reports at `at`, else at the value of `option`, else at the layer's id. */
  error(code: Code, message: string, extras?: DiagnosticExtras & { readonly option?: string; readonly at?: Span | undefined }): undefined;
}

export interface RuleOutput {
  readonly outputShape: Shape;
  readonly weights: readonly WeightInfo[];
  /** Multiply-accumulates per sample; null when a dimension is unknown or symbolic. */
  readonly macs: number | null;
  /** Divisions of symbolic sizes the output shape relies on; checked against the symbols' `multipleOf`. */
  readonly requirements?: readonly Requirement[];
  /** Symbolic sizes the layer needs to be at least some length (reflection padding); checked at the smallest legal sizes. */
  readonly bounds?: readonly Bound[];
}

/** A symbolic size that must be at least `least` at every legal size of its symbols. */
export interface Bound {
  readonly size: Affine;
  readonly least: number;
  /** Completes "H must be at least 3 for ...": `'pad' to reflect 2 positions on spatial axis 0`. */
  readonly reason: string;
  /** The option that needs it; the error is located at it. */
  readonly option?: string;
}

/** A symbolic size a layer divides: `whole` must be a whole number at every legal size of its symbols. */
export interface Requirement {
  readonly whole: Affine;
  /** Why, completing "H must be a multiple of 16 for ...": `'down3' (strides 2) to divide H/4 evenly`. */
  readonly reason: string;
  /** The option that divides; the error is located at it. */
  readonly option?: string;
}

/** A formula's `need` callback that records requirements of the layer; `why()` words the reason, only when one is recorded. */
export function needing(into: Requirement[], why: () => string, option?: string): Need {
  return (whole) => {
    into.push({ whole, reason: why(), ...(option ? { option } : {}) });
  };
}

/** A shape rule: checks the layer against what it receives and computes its output, or reports and returns undefined. */
export type Rule = (ctx: RuleContext) => RuleOutput | undefined;

/**
 * A check of a layer's own options that needs nothing the layer receives
 * (outputPadding < strides, a stride with a dilation): it runs before the
 * shape rule on every layer, also on one whose input an earlier error left
 * unknown, so that one run reports it. Returns false after reporting.
 */
export type ArgumentCheck = (ctx: Pick<RuleContext, 'layer' | 'error' | 'model' | 'verify'>) => boolean;

/**
 * `edits`, when the model as `change` leaves it infers without this `code` error at the layer and
 * without new errors (or when fixes are not checked); else undefined, and the fix stays words.
 */
export function verified(ctx: Pick<RuleContext, 'model' | 'verify'>, code: Code, edits: FixEdits | undefined, change: (model: ModelIR) => ModelIR): FixEdits | undefined {
  if (!edits || !ctx.model || !ctx.verify) return edits;
  return ctx.verify(change(ctx.model), code) ? edits : undefined;
}

/** "shape [null, 8, 8] comes from layer 'up1'", pointing at that layer. */
export function cameFrom(input: Received): Note {
  return { message: `shape ${showShape(input.shape)} comes from '${input.id}'`, span: input.span };
}

export function arg<T extends Value>(layer: LayerIR, option: string, fallback: T): T {
  const value = layer.args[option];
  return value === undefined ? fallback : (value as T);
}

/** A per-axis option the way a user writes it: `2` when every axis is 2, else `[1, 2]`. */
export function written(values: readonly number[]): string {
  return values.every((v) => v === values[0]) ? String(values[0]) : `[${values.join(', ')}]`;
}

/** An int-or-list option as one number per axis: `3` -> `[3, 3]` for two axes. */
export function perAxis(value: Value | undefined, axes: number, fallback: number): number[] {
  if (value === undefined || value === null) return new Array<number>(axes).fill(fallback);
  if (typeof value === 'number') return new Array<number>(axes).fill(value);
  return (value as readonly number[]).slice();
}

/** `[begin, end]` per axis from `n`, `[b, e]` (1 axis) or a list mixing ints and pairs. Source: tfjs ZeroPadding2D/Cropping2D args. */
export function pairsPerAxis(value: Value | undefined, axes: number, fallback: number): [number, number][] {
  if (value === undefined || value === null) return new Array(axes).fill(0).map(() => [fallback, fallback]);
  if (typeof value === 'number') return new Array(axes).fill(0).map(() => [value, value]);
  const list = value as readonly (number | readonly number[])[];
  if (axes === 1 && list.length === 2 && list.every((v) => typeof v === 'number')) return [[list[0] as number, list[1] as number]];
  return list.map((v) => (typeof v === 'number' ? [v, v] : [v[0]!, v[1]!]));
}

export type DataFormat = 'channelsLast' | 'channelsFirst';

/** A batch-first tensor shape split into batch, spatial axes and channels. */
export interface Split {
  readonly batch: Dim;
  readonly spatial: readonly Dim[];
  readonly channels: Dim;
}

export function split(shape: Shape, format: DataFormat): Split {
  return format === 'channelsFirst'
    ? { batch: shape[0]!, channels: shape[1]!, spatial: shape.slice(2) }
    : { batch: shape[0]!, channels: shape[shape.length - 1]!, spatial: shape.slice(1, -1) };
}

export function join(parts: Split, format: DataFormat): Shape {
  return format === 'channelsFirst' ? [parts.batch, parts.channels, ...parts.spatial] : [parts.batch, ...parts.spatial, parts.channels];
}

const axisNames: Record<number, string[]> = { 1: ['steps'], 2: ['rows', 'cols'], 3: ['depth', 'rows', 'cols'] };

/** `[batch, rows, cols, channels]` for a 2D layer in channelsLast. */
export function layoutOf(spatialRank: number, format: DataFormat): string {
  const spatial = axisNames[spatialRank] ?? [];
  return `[${(format === 'channelsFirst' ? ['batch', 'channels', ...spatial] : ['batch', ...spatial, 'channels']).join(', ')}]`;
}

/** Checks that the layer received exactly `count` tensors. */
export function expectInputs(ctx: RuleContext, count: number): boolean {
  if (ctx.inputs.length === count) return true;
  // Too many: each way to keep `count` of them, in order, is one alternative.
  const kept = ctx.inputs.length > count ? subsets(ctx.inputs.map((i) => i.id), count) : [];
  const alternatives = kept.map((ids): Alternative => {
    const value = ids.length === 1 ? ids[0]! : ids;
    const text = `set \`from: ${ids.length === 1 ? ids[0] : `[${ids.join(', ')}]`}\``;
    return { text, edits: verified(ctx, 'NS4002', optionFix(ctx.layer, text, [{ option: 'from', value }]), (m) => withFrom(m, ctx.layer, ids)) };
  });
  const listed = `list ${count === 1 ? 'one id' : `${count} ids`} in \`from\``;
  const parts = choiceParts(alternatives, [listed]);
  ctx.error('NS4002', `${ctx.layer.type} takes ${count} input${count === 1 ? '' : 's'}, received ${ctx.inputs.length} (${ctx.inputs.map((i) => `'${i.id}'`).join(', ')})`, {
    option: 'from',
    ...withNotes(parts),
  });
  return false;
}

/** The ways to pick `count` of `ids` in order; none past a handful, where listing them would not help. */
function subsets(ids: readonly string[], count: number): string[][] {
  const pick = (from: readonly string[], n: number): string[][] => {
    if (n === 0) return [[]];
    if (from.length < n) return [];
    const [first, ...rest] = from;
    return [...pick(rest, n - 1).map((s) => [first!, ...s]), ...pick(rest, n)];
  };
  const found = pick(ids, count);
  return found.length <= 6 ? found : [];
}

/** Checks the rank (batch included) of the single input. */
export function expectRank(ctx: RuleContext, rank: number, layout?: string): Received | undefined {
  if (!expectInputs(ctx, 1)) return undefined;
  const input = ctx.inputs[0]!;
  if (input.shape.length === rank) return input;
  ctx.error('NS4001', `${ctx.layer.type} expects rank ${rank} input${layout ? ` ${layout}` : ''}, received rank ${input.shape.length} ${showShape(input.shape)} from '${input.id}'`, {
    ...withNotes(rankFix(ctx, rank, input), [cameFrom(input)]),
  });
  return undefined;
}

/** The same layer for another number of spatial axes (`conv2dTranspose` -> `conv1dTranspose` for rank 3), if the spec language has it. */
function sameLayerForRank(type: string, rank: number): string | undefined {
  const spatial = rank - 2;
  const other = spatial >= 1 && spatial <= 3 ? type.replace(/[123]d/, `${spatial}d`) : type;
  return other !== type && layerTypes.includes(other) ? other : undefined;
}

/**
 * The non-batch sizes of `shape` at `rank` (batch included): leading 1s added
 * (`[8192]` -> `[1, 1, 8192]`), or leading axes merged; undefined when a size is not fixed.
 */
function atRank(shape: Shape, rank: number): number[] | undefined {
  const dims = shape.slice(1);
  if (!dims.every((d): d is number => typeof d === 'number')) return undefined;
  const want = rank - 1;
  if (want < 1) return undefined;
  if (dims.length <= want) return [...new Array<number>(want - dims.length).fill(1), ...dims];
  const merged = dims.slice(0, dims.length - want + 1).reduce((a, b) => a * b, 1);
  return [merged, ...dims.slice(dims.length - want + 1)];
}

/** Whether an option is a list (sizes per axis, pairs): a layer of another rank would not fit it. */
const listPerAxis = (value: Value | undefined) => Array.isArray(value);

/**
 * The targets a reshape to `rank` (batch included) could have: equal spatial sizes and the rest in
 * the last axis, `[1, 1, 8192]`, `[2, 2, 2048]`, ... (`[steps, features]` for rank 3), first the
 * one `atRank` gives; none when a size is not fixed.
 */
function reshapeTargets(shape: Shape, rank: number): number[][] {
  const dims = shape.slice(1);
  if (rank < 3 || !dims.every((d): d is number => typeof d === 'number')) return [];
  const elements = dims.reduce((a, b) => a * b, 1);
  const axes = rank - 2;
  const targets: number[][] = [];
  for (let side = 1; side ** axes <= elements && targets.length < 32; side++) {
    if (elements % side ** axes === 0) targets.push([...new Array<number>(axes).fill(side), elements / side ** axes]);
  }
  const first = atRank(shape, rank);
  const key = (t: readonly number[]) => t.join(',');
  return first ? [first, ...targets.filter((t) => key(t) !== key(first))] : targets;
}

/**
 * The fixes that fit a rank mismatch, nearest first: the same layer for the rank it
 * receives, the model input declared at the rank wanted, or a reshape (a flatten, to rank 2).
 * Each is an edit where it changes nothing else: the other layer only when no option lists sizes
 * per axis (they would be one short or one too many), the input only when no other layer reads it.
 */
function rankFix(ctx: RuleContext, rank: number, input: Received): FixParts {
  const { layer, model } = ctx;
  const alternatives: Alternative[] = [];
  const other = sameLayerForRank(layer.type, input.shape.length);
  if (other) {
    const text = `use ${other}, the layer for rank ${input.shape.length} input`;
    const fits = !Object.values(layer.args).some(listPerAxis);
    alternatives.push({ text, edits: fits ? verified(ctx, 'NS4001', optionFix(layer, `use ${other}`, [{ option: 'type', value: other }]), (m) => withOptions(m, layer, {}, other)) : undefined });
  }
  const target = atRank(input.shape, rank);
  const example = target ? `, e.g. ${showShape(target)}` : '';
  if (input.declared) {
    const text = `declare input '${input.id}' with ${rank - 1} sizes${example}`;
    const alone = model !== undefined && model.layers.filter((l) => l.from.some((r) => r.id === input.id)).length === 1;
    const edits = target && input.input && alone ? inputShapeFix(input.input, target, `declare input '${input.id}' as ${showShape(target)}`) : undefined;
    alternatives.push({ text, edits: target ? verified(ctx, 'NS4001', edits, (m) => withInputShape(m, input.id, target)) : undefined });
  }
  if (rank === 2 && input.shape.length > 2) {
    const edits = model ? insertLayerBeforeFix(model, layer, { type: 'flatten' }, 'add a flatten before this layer') : undefined;
    alternatives.push({ text: 'add a flatten before this layer', edits: verified(ctx, 'NS4001', edits, (m) => withLayerBefore(m, layer, 'flatten', {})) });
    return fixParts(alternatives);
  }
  // The target is a guess: of the shapes `reshapeTargets` lists, the first three with which the model infers.
  const reshapes: { shape: number[]; edits: FixEdits }[] = [];
  for (const shape of model ? reshapeTargets(input.shape, rank) : []) {
    const edits = insertLayerBeforeFix(model!, layer, { type: 'reshape', targetShape: shape }, `add a reshape to ${showShape(shape)} before this layer`);
    const checked = verified(ctx, 'NS4001', edits, (m) => withLayerBefore(m, layer, 'reshape', { targetShape: shape }));
    if (checked) reshapes.push({ shape, edits: checked });
    if (reshapes.length === 3 || !edits) break;
  }
  if (reshapes.length === 0) alternatives.push({ text: `add a reshape before this layer${target ? `: \`{ type: reshape, targetShape: ${showShape(target)} }\`` : ''}` });
  for (const { shape, edits } of reshapes) alternatives.push({ text: `add a reshape before this layer: \`{ type: reshape, targetShape: ${showShape(shape)} }\``, edits });
  return fixParts(alternatives);
}

/** The single input of a layer with `rank` spatial axes, checked for rank and split by the layer's data format. */
export function spatialInput(ctx: RuleContext, rank: number): { input: Received; parts: Split; format: DataFormat } | undefined {
  const format = arg<DataFormat>(ctx.layer, 'dataFormat', 'channelsLast');
  const input = expectRank(ctx, rank + 2, layoutOf(rank, format));
  return input ? { input, parts: split(input.shape, format), format } : undefined;
}

/** Checks that the channel dimension is known, since the weights depend on it. */
export function knownChannels(ctx: RuleContext, input: Received, channels: Dim): channels is number {
  if (isAffine(channels)) {
    ctx.error('NS4015', `${ctx.layer.type} needs a fixed channel dimension to create its weights; received ${showShape(input.shape)} from '${input.id}', whose channels ${showDim(channels)} depend on a symbol`, {
      notes: [cameFrom(input)],
      fix: 'give the channel axis a fixed size; only spatial sizes may be symbolic',
    });
    return false;
  }
  if (channels !== null) return true;
  ctx.error('NS4007', `${ctx.layer.type} needs a known channel dimension to create its weights; received ${showShape(input.shape)} from '${input.id}'`, {
    notes: [cameFrom(input)],
  });
  return false;
}

/** Checks that every computed length is positive; names the first axis that is not. */
export function positiveLengths(ctx: RuleContext, lengths: readonly Dim[], explain: (axis: number) => string, option?: string): boolean {
  // Symbolic lengths are checked at the smallest size the symbols allow, once all of the model is inferred.
  const axis = lengths.findIndex((l) => typeof l === 'number' && l <= 0);
  if (axis < 0) return true;
  ctx.error('NS4004', `${ctx.layer.type} would produce an empty output: spatial axis ${axis} has length ${lengths[axis]} (${explain(axis)})`, {
    notes: ctx.inputs.map(cameFrom),
    ...(option ? { option } : {}),
  });
  return false;
}

export function weight(name: string, shape: readonly number[], trainable = true): WeightInfo {
  return { name, shape, trainable };
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
