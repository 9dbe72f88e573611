/**
 * Fixes as edits for the most common kind of fix: set, replace or remove options of one layer.
 * Works from the layout resolve recorded (LayerIR.mapping), since later stages have no source
 * text; text outside the edited entries (comments, indentation, other entries) is left as it is.
 * Layers a `repeat` made share their template's mapping, so every copy yields the same edits
 * and applyEdits counts them once.
 */
import { stringify } from 'yaml';
import type { FixEdits, TextEdit } from '../diagnostics/diagnostic.js';
import type { LayerIR, MappingLayout, Value } from '../ir.js';

/**
 * A value as YAML flow text: `same`, `[[0, 1], [0, 1]]`, `"1"`. The yaml library decides the
 * quoting; the value is written as an item of a flow sequence, so that it is also valid
 * inside a flow mapping (`{a: "x, y"}`), and the brackets are taken off again.
 */
export function flowYaml(value: Value): string {
  const text = stringify([value], { collectionStyle: 'flow', flowCollectionPadding: false, lineWidth: 0 }).trim();
  return text.slice(1, -1);
}

/** One change: set `option` to `value`, or remove it when `value` is undefined. */
export interface OptionChange {
  readonly option: string;
  readonly value: Value | undefined;
}

/** A key as written, without case and `_`/`-`: `output_padding` and `outputPadding` are one option. */
const folded = (key: string) => key.toLowerCase().replace(/[_-]/g, '');

/**
 * The entry that sets `option`: written so, or under a Keras spelling (`output_padding`), whose
 * value netspec checks as the option it means. Its value is then edited in place; adding the
 * option beside it would make a duplicate key once NS2002's rename is applied too.
 */
function entryOf(mapping: MappingLayout, option: string) {
  return mapping.entries.find((e) => e.key === option) ?? mapping.entries.find((e) => folded(e.key) === folded(option));
}

/**
 * The edits that make `changes` on the layer's mapping, or undefined when they cannot be written
 * as edits (no recorded layout, an option to replace written with no value, removing the only entry).
 * Options written in the mapping are replaced in place; new ones are added after the last entry,
 * all in one edit (two insertions at one place would conflict), in the mapping's style.
 */
export function optionEdits(layer: Pick<LayerIR, 'mapping' | 'span' | 'args'>, changes: readonly OptionChange[]): TextEdit[] | undefined {
  const mapping = layer.mapping;
  if (!mapping) return undefined;
  const file = layer.span.file;
  const edits: TextEdit[] = [];
  const added: string[] = [];
  for (const { option, value } of changes) {
    const entry = entryOf(mapping, option);
    if (value === undefined) {
      // Removing an option the layer does not write is nothing to do, unless it has it from `defaults:`
      // (or under another spelling): that cannot be removed here.
      if (!entry) {
        if (layer.args[option] !== undefined) return undefined;
        continue;
      }
      if (!entry.removal) return undefined;
      edits.push({ span: entry.removal, newText: '' });
    } else if (entry) {
      if (!entry.valueSpan) return undefined;
      edits.push({ span: entry.valueSpan, newText: flowYaml(value) });
    } else {
      added.push(`${option}: ${flowYaml(value)}`);
    }
  }
  if (added.length > 0) {
    // The last block entry is removed with its line, where the new ones would go: they take its place.
    const replaced = edits.findIndex((e) => e.newText === '' && e.span.start <= mapping.insertAt && mapping.insertAt < e.span.end);
    if (replaced >= 0) {
      const entry = mapping.entries.find((e) => e.removal === edits[replaced]!.span)!;
      if (!entry.valueSpan) return undefined;
      edits[replaced] = { span: { file, start: entry.keySpan.start, end: entry.valueSpan.end }, newText: added.join(mapping.flow ? ', ' : `\n${' '.repeat(mapping.indent)}`) };
      return edits;
    }
    const newText = mapping.flow ? added.map((a) => `, ${a}`).join('') : added.map((a) => `\n${' '.repeat(mapping.indent)}${a}`).join('');
    edits.push({ span: { file, start: mapping.insertAt, end: mapping.insertAt }, newText });
  }
  // A removal of the last line takes the line break an insertion there would follow: keep them apart.
  const spans = edits.map((e) => e.span);
  if (spans.some((a, i) => spans.some((b, j) => i !== j && a.start < b.end && b.start < a.end))) return undefined;
  return edits.length > 0 ? edits : undefined;
}

/** `optionEdits` as one fix with its description, or undefined when there are no edits. */
export function optionFix(layer: Pick<LayerIR, 'mapping' | 'span' | 'args'>, description: string, changes: readonly OptionChange[]): FixEdits | undefined {
  const edits = optionEdits(layer, changes);
  return edits ? { description, edits } : undefined;
}

/** A fix that replaces the text of one span, e.g. a misspelled id in `from:` with the id it meant. */
export function replaceFix(description: string, span: TextEdit['span'], newText: string): FixEdits {
  return { description, edits: [{ span, newText }] };
}
