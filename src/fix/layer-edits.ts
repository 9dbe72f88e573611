/**
 * Fixes as edits that change a model's list of layers: remove a layer, or insert one before
 * another. Works from the layout resolve recorded (LayerIR.item, LayerIR.mapping). Each is
 * offered only where the rest of the model reads the same tensors afterwards: no `from:` or
 * output is left naming a layer that is gone, and no generated id another layer names shifts.
 */
import type { FixEdits, TextEdit } from '../diagnostics/diagnostic.js';
import type { LayerIR, ModelIR, Value } from '../ir.js';
import { flowYaml, optionEdits } from './option-edits.js';

/** Whether the layer writes `from:` (or may: without a recorded layout it is not known). */
function writesFrom(layer: LayerIR): boolean {
  return !layer.mapping || layer.mapping.entries.some((e) => e.key === 'from');
}

/** The output the model has when it lists no `outputs:`: the last layer, located at the layer itself. */
function isDefaultOutput(model: ModelIR, id: string): boolean {
  const layer = model.layers.find((l) => l.id === id);
  return model.outputs.length === 1 && model.outputs[0]!.ref.id === id && layer !== undefined && model.outputs[0]!.ref.span.start === layer.span.start;
}

interface NamedIds {
  /** The ids named in writing: in a `from:` or under `outputs:`. */
  readonly ids: ReadonlySet<string>;
  /** The index of the last layer with a generated id that is named in writing, or -1. */
  readonly lastGenerated: number;
  readonly indexOf: ReadonlyMap<LayerIR, number>;
  /** The layers that read each id, whether they name it or read it implicitly. */
  readonly readers: ReadonlyMap<string, readonly LayerIR[]>;
}

// Per model, computed once: a lint can offer a removal for each of thousands of layers, and each asks.
const namedCache = new WeakMap<ModelIR, NamedIds>();

function namedIds(model: ModelIR): NamedIds {
  let found = namedCache.get(model);
  if (!found) {
    const ids = new Set<string>();
    for (const l of model.layers) if (writesFrom(l)) for (const r of l.from) ids.add(r.id);
    for (const o of model.outputs) if (!isDefaultOutput(model, o.ref.id)) ids.add(o.ref.id);
    let lastGenerated = -1;
    model.layers.forEach((l, k) => {
      if (!l.explicitId && ids.has(l.id)) lastGenerated = k;
    });
    const readers = new Map<string, LayerIR[]>();
    for (const l of model.layers) for (const r of l.from) readers.set(r.id, [...(readers.get(r.id) ?? []), l]);
    found = { ids, lastGenerated, indexOf: new Map(model.layers.map((l, k) => [l, k])), readers };
    namedCache.set(model, found);
  }
  return found;
}

/** Whether `id` is named in writing: in a `from:` or under `outputs:`. */
function namedInWriting(model: ModelIR, id: string): boolean {
  return namedIds(model).ids.has(id);
}

/**
 * Whether adding or removing a layer with a generated id at `index` would shift a generated id
 * (`conv2d_3` -> `conv2d_2`) that is named in writing: ids are counted per type, in order.
 */
function shiftsNamedIds(model: ModelIR, index: number): boolean {
  return index <= namedIds(model).lastGenerated;
}

/** What the layer at `index` reads when it writes no `from:`: the layer before it, or the model's only input. */
function implicitSource(model: ModelIR, index: number): string | undefined {
  if (index > 0) return model.layers[index - 1]!.id;
  return model.inputs.length === 1 ? model.inputs[0]!.id : undefined;
}

/**
 * Removes `layer` from its model, or undefined when that would change what other layers read.
 * A layer reading it without `from:` (the next one) then reads what it read, so it must read the
 * layer before it. An output it is keeps its name: the layer it reads takes its id, which suits
 * layers that keep the shape (a normalization, an activation).
 */
export function removeLayerFix(model: ModelIR, layer: LayerIR, description: string): FixEdits | undefined {
  const removal = layer.item?.removal;
  const index = namedIds(model).indexOf.get(layer) ?? -1;
  if (!removal || index < 0 || model.incomplete) return undefined;
  const readers = namedIds(model).readers.get(layer.id) ?? [];
  if (readers.some(writesFrom)) return undefined;
  const single = layer.from.length === 1 ? layer.from[0]!.id : undefined;
  if (readers.length > 0 && (single === undefined || single !== implicitSource(model, index))) return undefined;
  if (!layer.explicitId && shiftsNamedIds(model, index)) return undefined;
  const edits: TextEdit[] = [{ span: removal, newText: '' }];
  if (model.outputs.some((o) => o.ref.id === layer.id)) {
    const source = model.layers.find((l) => l.id === single);
    if (!layer.explicitId || !source || source.explicitId || source.origin || namedInWriting(model, source.id)) return undefined;
    if (shiftsNamedIds(model, model.layers.indexOf(source))) return undefined;
    const named = optionEdits(source, [{ option: 'id', value: layer.id }]);
    if (!named) return undefined;
    edits.push(...named);
  }
  return { description, edits };
}

/** A layer as one flow mapping: `{ type: reshape, targetShape: [1, 64, 80] }`. */
function flowLayer(options: Readonly<Record<string, Value>>): string {
  return `{ ${Object.entries(options).map(([option, value]) => `${option}: ${flowYaml(value)}`).join(', ')} }`;
}

/**
 * Inserts the layer `options` describes right before `layer`, which then reads it, or undefined
 * when `layer` names what it reads in `from:` (the new layer would not be in between).
 * The new layer gets a generated id, so it must not shift one named in writing.
 */
export function insertLayerBeforeFix(model: ModelIR, layer: LayerIR, options: Readonly<Record<string, Value>>, description: string): FixEdits | undefined {
  const item = layer.item;
  const index = model.layers.indexOf(layer);
  if (!item || index < 0 || model.incomplete || writesFrom(layer) || implicitSource(model, index) === undefined) return undefined;
  if (shiftsNamedIds(model, index)) return undefined;
  const text = flowLayer(options);
  const newText = item.flow ? `${text}, ` : `${' '.repeat(item.indent)}- ${text}\n`;
  return { description, edits: [{ span: { file: layer.span.file, start: item.insertAt, end: item.insertAt }, newText }] };
}
