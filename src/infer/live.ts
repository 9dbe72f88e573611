import type { ModelIR } from '../ir.js';

/**
 * The ids of the inputs and layers some output depends on. tf.model keeps
 * only these, as Keras' functional Model does: a layer no output reads is not
 * in the built model, so it has no weights there and is not emitted.
 */
export function liveIds(model: ModelIR): Set<string> {
  const from = new Map(model.layers.map((l) => [l.id, l.from]));
  const live = new Set<string>();
  const pending = model.outputs.map((o) => o.ref.id);
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (live.has(id)) continue;
    live.add(id);
    for (const ref of from.get(id) ?? []) pending.push(ref.id);
  }
  return live;
}
