import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { grouped, show, showShape } from '../diagnostics/describe.js';
import { optionSchemas, refTarget } from '../import/defaults.js';
import { transposeFormulas } from '../infer/conv-transpose.js';
import { elementCount } from '../infer/rule.js';
import type { LayerIR, LayerShapes, ModelIR, Span, SpecIR, SymbolIR, WeightInfo } from '../ir.js';
import type { Analysis } from './analysis.js';
import { layerShapesOf, shapesOf } from './model-shapes.js';
import { positionsOf } from './positions.js';

type Extent = { readonly start: number; readonly end: number };

const inside = (offset: number, span: Extent) => span.start <= offset && offset <= span.end;

/** The identifier the offset is in or just after: `ngf` in `ngf * 8`. */
function wordAt(text: string, offset: number): (Extent & { word: string }) | undefined {
  let start = offset;
  while (start > 0 && /[A-Za-z0-9_]/.test(text[start - 1]!)) start--;
  let end = offset;
  while (end < text.length && /[A-Za-z0-9_]/.test(text[end]!)) end++;
  const word = text.slice(start, end);
  return /^[A-Za-z_]\w*$/.test(word) ? { start, end, word } : undefined;
}

/** More weights than this (a `type: model` layer holds its model's) are summed up rather than listed. */
const listedWeights = 6;

/** `params 819,200: kernel [5, 5, 128, 256], bias [128]`, with the weights that do not train marked; many weights only counted. */
function paramsLine(l: LayerShapes): string {
  const count = (ws: readonly WeightInfo[]) => ws.reduce((sum, w) => sum + elementCount(w.shape), 0);
  if (l.weights.length === 0) return '- params 0';
  if (l.weights.length > listedWeights) {
    return `- params ${grouped(count(l.weights))} in ${l.weights.length} weights (trainable ${grouped(count(l.weights.filter((w) => w.trainable)))}, non-trainable ${grouped(count(l.weights.filter((w) => !w.trainable)))})`;
  }
  const weights = l.weights.map((w) => `${w.name} \`${showShape(w.shape)}\`${w.trainable ? '' : ' (non-trainable)'}`);
  return `- params ${grouped(count(l.weights))}: ${weights.join(', ')}`;
}

/** A layer's inferred shapes, parameters and MACs, and for a transposed convolution its output length formula per axis. */
function layerDetail(l: LayerShapes): string[] {
  const { layer } = l;
  const inputs = l.inputShapes.map((shape, n) => `- input \`${showShape(shape)}\`${layer.from[n] ? ` from \`${layer.from[n]!.id}\`` : ''}`);
  const formulas = l.inputShapes[0] ? transposeFormulas(layer, l.inputShapes[0]) : [];
  return [
    ...inputs,
    `- output \`${showShape(l.outputShape)}\``,
    paramsLine(l),
    `- MACs ${l.macs === null ? '? (a size is unknown or symbolic)' : grouped(l.macs)}`,
    ...(formulas.length > 0 ? ['', 'Output length per spatial axis (Keras 3 `compute_conv_transpose_output_shape`, docs/semantics.md):', ...formulas.map((f, a) => `- axis ${a}: \`${f}\``)] : []),
  ];
}

function typeOf(layer: LayerIR): string {
  return layer.subModel === undefined ? layer.type : `model ${layer.subModel}`;
}

/** One layer in full; the layers made from one text (a `repeat`'s template, a YAML alias), one line each. */
function layerHover(analysis: Analysis, layers: readonly LayerIR[]): string {
  if (layers.length === 1) {
    const layer = layers[0]!;
    const shapes = layerShapesOf(analysis, layer);
    return [`**${layer.id}**: \`${typeOf(layer)}\``, '', ...(shapes ? layerDetail(shapes) : ['No shapes: the model has errors (see the diagnostics).'])].join('\n');
  }
  const lines = layers.map((layer) => {
    const s = layerShapesOf(analysis, layer);
    const params = s ? s.weights.reduce((sum, w) => sum + elementCount(w.shape), 0) : undefined;
    if (!s) return `- **${layer.id}**: no shapes`;
    const formulas = s.inputShapes[0] ? transposeFormulas(layer, s.inputShapes[0]) : [];
    return `- **${layer.id}**: \`${s.inputShapes.map(showShape).join(', ')}\` → \`${showShape(s.outputShape)}\`, ${grouped(params!)} params${formulas.map((f) => `; \`${f}\``).join('')}`;
  });
  return [`\`${typeOf(layers[0]!)}\`, ${layers.length} layers from this text (a \`repeat\`, or an alias):`, '', ...lines].join('\n');
}

/** An option's description and default from the JSON Schema, and its value in each layer written here; undefined when the schema says nothing of it. */
function optionHover(key: string, layers: readonly LayerIR[]): string | undefined {
  const schema = optionSchemas(layers[0]!.type)?.get(key);
  const own = schema?.['description'] as string | undefined;
  const kind = schema && (refTarget(schema)?.['description'] as string | undefined);
  // `type: dense` has no text of its own: the layer's hover says more.
  if (own === undefined && kind === undefined) return undefined;
  const values = layers.filter((l) => l.args[key] !== undefined).map((l) => `${show(l.args[key])}${layers.length > 1 ? ` (${l.id})` : ''}`);
  return [
    `**${key}**: option of \`${layers[0]!.type}\``,
    ...[own, kind].filter((d): d is string => d !== undefined).flatMap((d) => ['', d]),
    ...(values.length > 0 ? ['', `Value: ${values.join(', ')}`] : []),
  ].join('\n');
}

function symbolHover(symbol: SymbolIR): string {
  const smallest = Math.ceil(symbol.min / symbol.multipleOf) * symbol.multipleOf;
  const rules = [...(symbol.multipleOf !== 1 ? [`a multiple of ${symbol.multipleOf}`] : []), `at least ${smallest}`];
  return `**${symbol.name}**: symbol, a size chosen at run time: ${rules.join(', ')}`;
}

function modelHover(analysis: Analysis, model: ModelIR): string {
  const shapes = shapesOf(analysis, model);
  if (!shapes) return `**${model.name}**: model\n\nNo shapes: the model has errors (see the diagnostics).`;
  const { trainable, nonTrainable } = shapes.params;
  return [
    `**${model.name}**: model`,
    '',
    ...shapes.inputs.map((i) => `- input ${i.name} \`${showShape(i.shape)}\``),
    ...shapes.outputs.map((o) => `- output ${o.name} \`${showShape(o.shape)}\``),
    `- params ${grouped(trainable + nonTrainable)} (trainable ${grouped(trainable)}, non-trainable ${grouped(nonTrainable)})`,
    `- MACs per sample ${shapes.macs === null ? '?' : grouped(shapes.macs)}`,
  ].join('\n');
}

type Answer = (value: string, span: Extent) => Hover;

/** An option key of a layer mapping (of every layer made from that text). */
function keyHover(layers: readonly LayerIR[], offset: number, here: (span: Span) => boolean, answer: Answer): Hover | undefined {
  const keyed = layers.flatMap((layer) => layer.mapping?.entries.filter((e) => here(e.keySpan) && inside(offset, e.keySpan)).map((entry) => ({ layer, entry })) ?? []);
  if (keyed.length === 0) return undefined;
  const text = optionHover(keyed[0]!.entry.key, keyed.map((k) => k.layer));
  return text === undefined ? undefined : answer(text, keyed[0]!.entry.keySpan);
}

/** An input's or output's key, or a model's name. */
function declarationHover(analysis: Analysis, offset: number, here: (span: Span) => boolean, answer: Answer): Hover | undefined {
  for (const model of analysis.result.spec?.models ?? []) {
    if (here(model.nameSpan) && inside(offset, model.nameSpan)) return answer(modelHover(analysis, model), model.nameSpan);
    const shapes = shapesOf(analysis, model);
    const input = model.inputs.find((i) => here(i.span) && inside(offset, i.span));
    if (input) {
      const inferred = shapes?.inputs.find((i) => i.name === input.id)?.shape ?? [input.batchSize, ...input.shape];
      return answer(`**${input.id}**: input of \`${model.name}\`, \`${showShape(inferred)}\`${input.dtype === 'float32' ? '' : ` (${input.dtype})`}`, input.span);
    }
    const output = model.outputs.find((o) => here(o.ref.span) && inside(offset, o.ref.span));
    if (output) {
      const inferred = shapes?.outputs.find((o) => o.name === output.ref.id)?.shape;
      const asserted = output.shape ? `, asserted \`${showShape([null, ...output.shape])}\`` : '';
      return answer(`**${output.ref.id}**: output of \`${model.name}\`${inferred ? `, inferred \`${showShape(inferred)}\`` : ''}${asserted}`, output.ref.span);
    }
  }
  return undefined;
}

/** A param or symbol name, where it is declared or used; not a layer's id that happens to be spelled alike. */
function nameHover(analysis: Analysis, spec: SpecIR, layers: readonly LayerIR[], offset: number, here: (span: Span) => boolean, answer: Answer): Hover | undefined {
  const word = wordAt(analysis.text, offset);
  if (!word || layers.some((layer) => here(layer.idSpan) && inside(offset, layer.idSpan))) return undefined;
  const param = spec.params.find((p) => p.name === word.word);
  if (param) return answer(`**${param.name}**: param${param.value === undefined ? ' (its value has an error)' : ` = ${show(param.value)}`}${param.used ? '' : ' (unused)'}`, word);
  const symbol = spec.models.flatMap((m) => m.symbols ?? []).find((s) => s.name === word.word);
  return symbol ? answer(symbolHover(symbol), word) : undefined;
}

/** The innermost layer mapping around the offset (a layer in a repeat's `layers:` lies within the repeat block's text), with every layer made from it. */
function layerAt(analysis: Analysis, layers: readonly LayerIR[], offset: number, here: (span: Span) => boolean, answer: Answer): Hover | undefined {
  const containing = layers.filter((layer) => here(layer.span) && inside(offset, layer.span));
  if (containing.length === 0) return undefined;
  const width = Math.min(...containing.map((layer) => layer.span.end - layer.span.start));
  const first = containing.find((layer) => layer.span.end - layer.span.start === width)!;
  return answer(layerHover(analysis, containing.filter((layer) => layer.span.start === first.span.start && layer.span.end === first.span.end)), first.span);
}

/**
 * What the editor shows under the pointer: an option key's schema text; a
 * model's totals at its name; an input's or output's shape at its key; a
 * param's value or a symbol's constraint, where it is declared or used; a
 * layer's shapes anywhere else in its mapping.
 */
export function hover(analysis: Analysis, position: Position): Hover | null {
  const spec = analysis.result.spec;
  if (!spec) return null;
  const at = positionsOf(analysis);
  const offset = at.offset(position);
  const here = (span: Span) => at.here(span);
  const answer: Answer = (value, span) => ({ contents: { kind: MarkupKind.Markdown, value }, range: at.range(span) });
  const layers = spec.models.flatMap((model) => model.layers);
  return (
    keyHover(layers, offset, here, answer) ??
    declarationHover(analysis, offset, here, answer) ??
    nameHover(analysis, spec, layers, offset, here, answer) ??
    layerAt(analysis, layers, offset, here, answer) ??
    null
  );
}
