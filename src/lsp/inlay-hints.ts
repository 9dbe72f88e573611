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
 * `→ [null, 16, 16, 128]` for one layer. The layers a `repeat` made share
 * their template's text, so one hint there speaks for every iteration: the
 * shape with `(×4)` when all agree, else the first and last iteration's.
 */
function shapeLabel(layers: readonly LayerShapes[]): string {
  const shapes = layers.map((l) => showShape(l.outputShape));
  if (shapes.length === 1) return `→ ${shapes[0]}`;
  if (shapes.every((s) => s === shapes[0])) return `→ ${shapes[0]} (×${shapes.length})`;
  return `→ ${shapes[0]} … ${shapes[shapes.length - 1]} (${shapes.length} iterations)`;
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
  for (const m of analysis.result.models) {
    if (!at.here(m.model.nameSpan)) continue;
    hints.push({ offset: endOfLine(text, m.model.nameSpan.end), label: `${grouped(m.params.trainable + m.params.nonTrainable)} params` });
    const byTemplate = new Map<string, LayerShapes[]>();
    for (const l of m.layers) {
      if (!at.here(l.layer.span)) continue;
      const key = `${l.layer.span.start}:${l.layer.span.end}`;
      byTemplate.set(key, [...(byTemplate.get(key) ?? []), l]);
    }
    for (const layers of byTemplate.values()) hints.push({ offset: endOfText(text, layers[0]!.layer.span.end), label: shapeLabel(layers) });
  }
  return hints
    .filter((h) => h.offset >= wanted.start && h.offset <= wanted.end)
    .sort((a, b) => a.offset - b.offset)
    .map((h) => ({ position: at.position(h.offset), label: h.label, kind: InlayHintKind.Type, paddingLeft: true }));
}
