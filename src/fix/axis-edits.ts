/**
 * Fixes as edits of per-axis options (`strides`, `outputPadding`, `outputShape`): the new
 * values written the way the option is, one number where it is one number and every axis agrees.
 */
import type { FixEdits } from '../diagnostics/diagnostic.js';
import type { LayerIR, Value } from '../ir.js';
import { fixParts, type FixParts } from './alternatives.js';
import { optionFix, type OptionChange } from './option-edits.js';

/**
 * Sets per-axis options to `values` (one per spatial axis), or removes them (undefined), or
 * undefined when the option is written in tf.nn's full form (`[1, 2, 2, 1]`): the values are per
 * spatial axis, the text would have to keep the batch and channel entries.
 */
export function axisFix(layer: LayerIR, description: string, changes: readonly { option: string; values: readonly number[] | undefined }[]): FixEdits | undefined {
  if (changes.some((c) => layer.axisOffsets?.[c.option] !== undefined)) return undefined;
  const written = (option: string, values: readonly number[]): Value => (Array.isArray(layer.args[option]) || values.some((v) => v !== values[0]) ? values : values[0]!);
  const options: OptionChange[] = changes.map((c) => ({ option: c.option, value: c.values === undefined ? undefined : written(c.option, c.values) }));
  return optionFix(layer, description, options);
}

/**
 * Setting each of `options` to 1 on every axis, one alternative each (strides or dilation: either undoes
 * their combination); `check` may keep an alternative's edits or drop them (the model would not infer).
 */
export function unitAlternatives(
  layer: LayerIR,
  rank: number,
  options: readonly string[],
  check: (edits: FixEdits | undefined, changes: Record<string, Value>) => FixEdits | undefined = (edits) => edits,
): FixParts {
  return fixParts(
    options.map((option) => {
      const ones = new Array<number>(rank).fill(1);
      return { text: `set ${option} to 1`, edits: check(axisFix(layer, `set \`${option}: 1\``, [{ option, values: ones }]), { [option]: ones }) };
    }),
  );
}
