import { expect } from 'vitest';
import type { Code } from '../../src/diagnostics/codes.js';
import type { Args, InputIR, LayerIR, ModelIR, OutputIR, Shape, Span } from '../../src/ir.js';
import type { RuleContext, RuleOutput } from '../../src/infer/rule.js';
import { argumentChecks, rules } from '../../src/infer/rules.js';

/** A span in a fake file; `start` tells test spans apart. */
export function span(start = 0, end = start + 1): Span {
  return { file: 'test.yaml', start, end };
}

/**
 * A LayerIR as resolve would produce it, reading from `from` (default: `x`).
 * Its spans start at `at`: the layer `at+10..at+40`, its id `at+12..at+16`, `from` refs `at+50...`, options `at+100...`.
 */
export function layer(type: string, args: Args = {}, from: readonly string[] = ['x'], id = `${type}_1`, at = 0): LayerIR {
  const argSpans = Object.fromEntries(Object.keys(args).map((option, i) => [option, span(at + 100 + i)]));
  return { id, explicitId: true, type, args, from: from.map((ref, i) => ({ id: ref, span: span(at + 50 + i) })), span: span(at + 10, at + 40), idSpan: span(at + 12, at + 16), argSpans };
}

/** What a rule reported through `ctx.error`. */
export interface Reported {
  readonly code: Code;
  readonly message: string;
  readonly option?: string;
}

/** The ids a rule's inputs get: `x` for one input, `a`, `b`, `c`, ... for several. */
export function inputIds(count: number): string[] {
  return count === 1 ? ['x'] : Array.from({ length: count }, (_, i) => String.fromCharCode(97 + i));
}

/**
 * Runs `argumentChecks[type]` and `rules[type]` on inputs of the given shapes (batch included) and
 * records every error it reports.
 */
export function applyRule(type: string, args: Args, inputs: readonly Shape[]): { out: RuleOutput | undefined; errors: Reported[] } {
  const ids = inputIds(inputs.length);
  const errors: Reported[] = [];
  const ctx: RuleContext = {
    layer: layer(type, args, ids),
    inputs: inputs.map((shape, i) => ({ shape, id: ids[i]!, span: span(200 + i) })),
    error: (code, message, extras) => {
      errors.push({ code, message, ...(extras?.option ? { option: extras.option } : {}) });
      return undefined;
    },
  };
  const rule = rules[type];
  if (!rule) throw new Error(`no rule for ${type}`);
  // As inferGraph does: the layer's own options first, the shape rule only when they fit.
  const ownOptionsFit = argumentChecks[type]?.(ctx) ?? true;
  return { out: ownOptionsFit ? rule(ctx) : undefined, errors };
}

/** A weight as the tables write it: `[name, shape]`, or `[name, shape, false]` for a non-trainable one. */
export type WeightRow = readonly [string, readonly number[]] | readonly [string, readonly number[], false];

export function weights(rows: readonly WeightRow[]): { name: string; shape: readonly number[]; trainable: boolean }[] {
  return rows.map(([name, shape, trainable]) => ({ name, shape, trainable: trainable ?? true }));
}

/** The inputs of a table case: one shape, or several for merges. */
export interface Given {
  readonly args?: Args;
  readonly input?: Shape;
  readonly inputs?: readonly Shape[];
}

export interface Success {
  readonly shape: Shape;
  readonly weights?: readonly WeightRow[];
  readonly macs?: number | null;
}

export interface Failure {
  readonly code: Code;
  readonly message: string;
  readonly option?: string;
}

export type Want = Success | Failure;

export type Case = readonly [string, { readonly given: Given; readonly want: Want }];

/** Checks one table case against `rules[type]`. */
export function check(type: string, given: Given, want: Want): void {
  const inputs = given.inputs ?? [given.input!];
  const { out, errors } = applyRule(type, given.args ?? {}, inputs);
  if ('code' in want) {
    expect(out).toEqual(undefined);
    expect(errors.map((e) => ({ code: e.code, message: e.message, ...(want.option ? { option: e.option } : {}) }))).toEqual([
      { code: want.code, message: want.message, ...(want.option ? { option: want.option } : {}) },
    ]);
    return;
  }
  expect(errors).toEqual([]);
  expect(out?.outputShape).toEqual(want.shape);
  expect(out?.weights).toEqual(weights(want.weights ?? []));
  if (want.macs !== undefined) expect(out?.macs).toEqual(want.macs);
}

/** A model for inferModel: inputs by id, layers in order, outputs (by default the last layer, as resolve makes it). */
export function model(inputs: readonly InputIR[], layers: readonly LayerIR[], outputs?: readonly OutputIR[]): ModelIR {
  const last = layers[layers.length - 1];
  const outs = outputs ?? (last ? [{ ref: { id: last.id, span: last.idSpan } }] : []);
  return { name: 'm', span: span(0, 1000), nameSpan: span(0, 1), inputs, layers, outputs: outs, incomplete: false };
}

export function input(id: string, shape: Shape, batchSize: number | null = null): InputIR {
  return { id, shape, batchSize, dtype: 'float32', span: span(1) };
}

export function output(id: string, shape?: Shape): OutputIR {
  return { ref: { id, span: span(900) }, ...(shape ? { shape, shapeSpan: span(950) } : {}) };
}
