import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { showShape } from '../diagnostics/describe.js';
import type { Analysis } from './analysis.js';
import { layerShapesOf } from './model-shapes.js';
import { endOfText, positionsOf } from './positions.js';

type Extent = { readonly start: number; readonly end: number };

/** The smallest extent holding both. */
function cover(a: Extent, b: Extent): Extent {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/**
 * The outline: each model, with its inputs, layers (named by id, with type
 * and inferred output shape) and outputs as children, in the order the spec
 * lists them. The layers a `repeat` made are listed one by one; they share
 * the template's place.
 */
export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  const at = positionsOf(analysis);
  // A symbol's range must contain its name; it ends where its text does, not at the next line.
  const symbol = (name: string, detail: string, kind: SymbolKind, span: Extent, selection: Extent, children?: DocumentSymbol[]): DocumentSymbol => ({
    name,
    detail,
    kind,
    range: at.range({ start: Math.min(span.start, selection.start), end: Math.max(endOfText(analysis.text, span.end), selection.end) }),
    selectionRange: at.range(selection),
    ...(children ? { children } : {}),
  });
  return (analysis.result.spec?.models ?? []).map((model) =>
    symbol(model.name, 'model', SymbolKind.Class, model.span, model.nameSpan, [
      ...model.inputs.map((i) => symbol(i.id, `input ${showShape([i.batchSize, ...i.shape])}`, SymbolKind.Variable, i.span, i.span)),
      ...model.layers.map((l) => {
        const shape = layerShapesOf(analysis, l)?.outputShape;
        const type = l.subModel === undefined ? l.type : `model ${l.subModel}`;
        return symbol(l.id, shape ? `${type} → ${showShape(shape)}` : type, SymbolKind.Function, l.span, l.idSpan);
      }),
      ...model.outputs.map((o) => symbol(o.ref.id, 'output', SymbolKind.Property, o.shapeSpan ? cover(o.ref.span, o.shapeSpan) : o.ref.span, o.ref.span)),
    ]),
  );
}
