import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver';
import { grouped, showShape } from '../diagnostics/describe.js';
import type { LayerShapes } from '../ir.js';
import type { Analysis } from './analysis.js';
import { endOfText, positionsOf } from './positions.js';

/** Where a line ends, before its line break and trailing white space. */
function endOfLine(text: string, offset: number): number {
  const newline = text.slice(offset).search(/\r|\n/);
  return endOfText(text, newline < 0 ? text.length : offset + newline);
}

/**
 * The shapes of the layers made from one text: a `repeat` makes one per
 * iteration, so one hint speaks for all of them: the shape with `(×4)` when
 * all agree, else the first and last iteration's.
 */
function shapesText(layers: readonly LayerShapes[]): string {
  const shapes = layers.map((l) => showShape(l.outputShape));
  if (shapes.length === 1) return shapes[0]!;
  if (shapes.every((s) => s === shapes[0])) return `${shapes[0]} (×${shapes.length})`;
  return `${shapes[0]} … ${shapes[shapes.length - 1]} (${shapes.length} iterations)`;
}

/** `→ [null, 16, 16, 128]`; a text that two models share through a YAML alias names each model before its shapes. */
function shapeLabel(byModel: ReadonlyMap<string, readonly LayerShapes[]>): string {
  if (byModel.size === 1) return `→ ${shapesText([...byModel.values()][0]!)}`;
  return `→ ${[...byModel].map(([model, layers]) => `${model}: ${shapesText(layers)}`).join('; ')}`;
}

/**
 * Inferred output shapes after each layer's text, formatted as `summary`'s
 * table, and each model's parameter count at the end of its name's line
 * (`3,576,704 params`), for the models that inferred. Only hints in `range`.
 */
export function inlayHints(analysis: Analysis, range: Range): InlayHint[] {
  const at = positionsOf(analysis);
  const text = analysis.text;
  const wanted = { start: at.offset(range.start), end: at.offset(range.end) };
  const hints: { offset: number; label: string }[] = [];
  // By the text a layer was made from (its span), then by model: a repeat's layers share one, so do aliased ones.
  const byText = new Map<number, Map<string, LayerShapes[]>>();
  for (const m of analysis.result.models) {
    if (at.here(m.model.nameSpan)) hints.push({ offset: endOfLine(text, m.model.nameSpan.end), label: `${grouped(m.params.trainable + m.params.nonTrainable)} params` });
    for (const l of m.layers) {
      if (!at.here(l.layer.span)) continue;
      const end = endOfText(text, l.layer.span.end);
      const byModel = byText.get(end) ?? new Map<string, LayerShapes[]>();
      byModel.set(m.model.name, [...(byModel.get(m.model.name) ?? []), l]);
      byText.set(end, byModel);
    }
  }
  for (const [offset, byModel] of byText) hints.push({ offset, label: shapeLabel(byModel) });
  return hints
    .filter((h) => h.offset >= wanted.start && h.offset <= wanted.end)
    .sort((a, b) => a.offset - b.offset)
    .map((h) => ({ position: at.position(h.offset), label: h.label, kind: InlayHintKind.Type, paddingLeft: true }));
}
