/**
 * The model as a fix would leave it, built in the IR (no text is re-parsed), so that a fix can
 * be checked by inferring the model again before it is offered as edits (see `RuleContext.verify`).
 */
import type { Args, LayerIR, ModelIR, Shape, Value } from '../ir.js';

function replaced(model: ModelIR, layer: LayerIR, by: LayerIR): ModelIR {
  return { ...model, layers: model.layers.map((l) => (l === layer ? by : l)) };
}

/** The layer with options set (or removed, for undefined) and, optionally, another type. */
export function withOptions(model: ModelIR, layer: LayerIR, changes: Readonly<Record<string, Value | undefined>>, type = layer.type): ModelIR {
  const args: Record<string, Value> = { ...layer.args };
  for (const [option, value] of Object.entries(changes)) {
    if (value === undefined) delete args[option];
    else args[option] = value;
  }
  return replaced(model, layer, { ...layer, type, args: args as Args });
}

/** The layer reading other tensors. */
export function withFrom(model: ModelIR, layer: LayerIR, ids: readonly string[]): ModelIR {
  const span = layer.from[0]?.span ?? layer.idSpan;
  return replaced(model, layer, { ...layer, from: ids.map((id) => ({ id, span })) });
}

/** A model input declared with another shape (batch left out). */
export function withInputShape(model: ModelIR, id: string, shape: Shape): ModelIR {
  return { ...model, inputs: model.inputs.map((i) => (i.id === id ? { ...i, shape } : i)) };
}

/** A layer of `type` with `args` inserted before `layer`, reading what `layer` read; `layer` reads it. */
export function withLayerBefore(model: ModelIR, layer: LayerIR, type: string, args: Args): ModelIR {
  const taken = new Set([...model.inputs.map((i) => i.id), ...model.layers.map((l) => l.id)]);
  let n = 1;
  while (taken.has(`${type}_inserted_${n}`)) n++;
  const id = `${type}_inserted_${n}`;
  const inserted: LayerIR = { id, explicitId: false, type, args, from: layer.from, span: layer.span, idSpan: layer.idSpan, argSpans: {} };
  const index = model.layers.indexOf(layer);
  const reading: LayerIR = { ...layer, from: [{ id, span: layer.idSpan }] };
  return { ...model, layers: [...model.layers.slice(0, index), inserted, reading, ...model.layers.slice(index + 1)] };
}
