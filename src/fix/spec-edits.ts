/**
 * Fixes as edits outside the layers: params, symbols, a model's inputs and outputs. Works from the
 * layout resolve recorded for each (their removal spans, shape spans and mappings).
 */
import type { FixEdits } from '../diagnostics/diagnostic.js';
import type { InputIR, ModelIR, Shape, SpecIR, SymbolIR, Value } from '../ir.js';
import { flowYaml, optionFix, type OptionChange } from './option-edits.js';

/** Removes a param's entry from `params:`. */
export function removeParamFix(param: SpecIR['params'][number], description: string): FixEdits | undefined {
  return param.removal ? { description, edits: [{ span: param.removal, newText: '' }] } : undefined;
}

/**
 * Sets options of a symbol's declaration: `H: { multipleOf: 4 }` -> `H: { multipleOf: 8 }`; `H: {}` is
 * replaced whole, and a list of names becomes a mapping (`[H, W]` -> `{ H: { multipleOf: 8 }, W: {} }`).
 */
export function symbolFix(symbol: SymbolIR, description: string, changes: readonly OptionChange[]): FixEdits | undefined {
  const { mapping, emptySpan, list } = symbol.layout ?? {};
  if (mapping) return optionFix({ mapping, span: symbol.span, args: {} }, description, changes);
  if (changes.some((c) => c.value === undefined)) return undefined;
  const options = flowYaml(Object.fromEntries(changes.map((c) => [c.option, c.value!])) as Record<string, Value>);
  if (emptySpan) return { description, edits: [{ span: emptySpan, newText: options }] };
  if (!list) return undefined;
  return { description, edits: [{ span: list.span, newText: `{ ${list.names.map((n) => `${n}: ${n === symbol.name ? options : '{}'}`).join(', ')} }` }] };
}

/** Declares a model input with another shape (batch left out), when only its shape is written there. */
export function inputShapeFix(input: InputIR, shape: readonly number[], description: string): FixEdits | undefined {
  return input.shapeSpan ? { description, edits: [{ span: input.shapeSpan, newText: flowYaml(shape) }] } : undefined;
}

/** Removes an input no layer reads from `inputs:`. */
export function removeInputFix(model: ModelIR, input: InputIR, description: string): FixEdits | undefined {
  const read = model.layers.some((l) => l.from.some((r) => r.id === input.id)) || model.outputs.some((o) => o.ref.id === input.id);
  return input.removal && !read ? { description, edits: [{ span: input.removal, newText: '' }] } : undefined;
}

/**
 * Lists `id` under the model's `outputs:`, asserting `shape` (batch left out) when every size is fixed.
 * Only where `outputs:` is written: without it the last layer is the output, and listing one more would drop it.
 */
export function addOutputFix(model: ModelIR, id: string, shape: Shape | undefined, description: string): FixEdits | undefined {
  if (!model.outputsMapping) return undefined;
  const sizes = shape?.slice(1);
  const asserted: Value = sizes && sizes.every((d): d is number => typeof d === 'number') ? sizes : null;
  return optionFix({ mapping: model.outputsMapping, span: model.span, args: {} }, description, [{ option: id, value: asserted }]);
}
