import { CompletionItemKind, type CompletionItem, type Position } from 'vscode-languageserver';
import type { ModelIR, SpecIR } from '../../ir.js';
import type { Analysis } from '../analysis.js';
import { cursorContext, type CursorContext } from './cursor-context.js';
import { contains, enclosingRepeats, loopVariables } from './names.js';
import { PositionMap } from './positions.js';
import { keysOf, layerDescription, layerOptions, layerTypes, lintNames, optionHelp, optionValues, takesExpressions } from './schema-help.js';
import type { SchemaObject } from '../../validate/schema.js';

function markdown(text: string | undefined): CompletionItem['documentation'] {
  return text ? { kind: 'markdown', value: text } : undefined;
}

/** An item, ordered as given (`sortText`), documented when there is something to say. */
function item(label: string, kind: CompletionItemKind, n: number, detail?: string, documentation?: string): CompletionItem {
  const doc = markdown(documentation);
  return { label, kind, sortText: String(n).padStart(4, '0'), ...(detail ? { detail } : {}), ...(doc ? { documentation: doc } : {}) };
}

/** The description and default of a schema option, as completion documentation. */
function optionDocs(option: SchemaObject): string | undefined {
  const { description, default: fallback } = optionHelp(option);
  const stated = fallback !== undefined && !(description ?? '').includes('Default') ? `Default: \`${JSON.stringify(fallback)}\`.` : undefined;
  return [description, stated].filter(Boolean).join('\n\n') || undefined;
}

function keyItems(entries: readonly [string, SchemaObject][], present: ReadonlyMap<string, string>): CompletionItem[] {
  return entries.filter(([name]) => !present.has(name)).map(([name, s], n) => item(name, CompletionItemKind.Property, n, undefined, optionDocs(s)));
}

/** A layer's mapping: `layers` then list items, as deep as repeats nest. */
function isLayerPath(path: readonly string[]): boolean {
  if (path.length < 4 || path[0] !== 'models' || path[path.length - 1] !== '-') return false;
  const rest = path.slice(2);
  return rest.length % 2 === 0 && rest.every((seg, i) => (i % 2 === 0 ? seg === 'layers' : seg === '-'));
}

function modelOf(spec: SpecIR | undefined, path: readonly string[]): ModelIR | undefined {
  return path[0] === 'models' ? spec?.models.find((m) => m.name === path[1]) : undefined;
}

/** Params (in `params:`, the ones above the param being written), the loop variables of the repeats around the offset, and symbols where shapes are written. */
function expressionNames(spec: SpecIR | undefined, offset: number, options: { symbols: boolean; paramsBefore?: string }): CompletionItem[] {
  if (!spec) return [];
  const items: CompletionItem[] = [];
  let n = 0;
  for (const repeat of enclosingRepeats(spec, { start: offset, end: offset })) {
    for (const v of loopVariables(repeat)) items.push(item(v.name, CompletionItemKind.Variable, n++, v === repeat.index ? 'repeat index' : 'repeat list variable'));
  }
  for (const p of spec.params) if (options.paramsBefore === undefined || (p.span.end <= offset && p.name !== options.paramsBefore)) items.push(item(p.name, CompletionItemKind.Constant, n++, 'param'));
  if (options.symbols) {
    const seen = new Set<string>();
    for (const s of spec.models.flatMap((m) => m.symbols ?? [])) {
      if (seen.has(s.name)) continue;
      seen.add(s.name);
      items.push(item(s.name, CompletionItemKind.TypeParameter, n++, `symbol (multipleOf ${s.multipleOf}, min ${s.min})`));
    }
  }
  return items;
}

/**
 * The ids a layer at the offset may read in every iteration: the `input:` of each repeat around
 * it, the model's inputs, and the layers written before it (before the outermost repeat around
 * it: a body's own layers differ per iteration and are read by interpolation, `"up{i}"`).
 * Named ones first, generated ids after.
 */
function readableIds(spec: SpecIR | undefined, model: ModelIR | undefined, offset: number): CompletionItem[] {
  if (!spec || !model) return [];
  const here = { start: offset, end: offset };
  const repeats = enclosingRepeats(spec, here);
  const outermost = repeats[repeats.length - 1];
  const own = model.layers.find((l) => contains(l.span, here));
  const before = outermost ? outermost.span.start : own ? own.span.start : offset;
  const ids = new Map<string, { detail: string; named: boolean }>();
  for (const repeat of repeats) if (repeat.input) ids.set(repeat.input.name, { detail: 'what enters the repeat iteration', named: true });
  for (const input of model.inputs) ids.set(input.id, { detail: 'input', named: true });
  for (const layer of model.layers) if (layer.span.end <= before && !ids.has(layer.id)) ids.set(layer.id, { detail: `layer (${layer.type})`, named: layer.explicitId });
  const ordered = [...[...ids].filter(([, x]) => x.named), ...[...ids].filter(([, x]) => !x.named)];
  return ordered.map(([id, { detail }], n) => item(id, CompletionItemKind.Reference, n, detail));
}

function layerCompletions(analysis: Analysis, context: CursorContext, offset: number): CompletionItem[] {
  const spec = analysis.result.spec;
  const { keys } = context;
  if (keys.has('repeat') || context.key === 'repeat') {
    if (context.slot === 'key') return keyItems(keysOf('repeat'), keys);
    return context.key === 'repeat' || context.key === 'as' ? expressionNames(spec, offset, { symbols: false }) : [];
  }
  const type = keys.get('type');
  const options = type ? layerOptions(type) : [];
  if (context.slot === 'key') {
    if (!type) return [item('type', CompletionItemKind.Property, 0, undefined, 'The layer type.'), item('repeat', CompletionItemKind.Property, 1, undefined, 'Repeats its `layers:`, e.g. `repeat: 3` (index `i` = 0, 1, 2).')];
    return keyItems(options, keys);
  }
  const key = context.key!;
  if (context.interpolation) return expressionNames(spec, offset, { symbols: false });
  switch (key) {
    case 'type':
      return layerTypes.map((t, n) => item(t, CompletionItemKind.Class, n, 'layer type', layerDescription(t)));
    case 'from':
      return readableIds(spec, modelOf(spec, context.path), offset);
    case 'model':
      return (spec?.models ?? []).filter((m) => m.name !== context.path[1]).map((m, n) => item(m.name, CompletionItemKind.Module, n, 'model'));
    case 'output': {
      const used = spec?.models.find((m) => m.name === keys.get('model'));
      return (used?.outputs ?? []).map((o, n) => item(o.ref.id, CompletionItemKind.Reference, n, `output of model '${used!.name}'`));
    }
    case 'id':
    case 'name':
      return [];
  }
  const option = options.find(([name]) => name === key)?.[1];
  if (!option) return [];
  const values = optionValues(option).map((v, n) => item(String(v), CompletionItemKind.EnumMember, n, `${key} of ${type}`));
  // An entry of a list is a number or an expression (`padding: [[1, 1], ...]`), never one of the option's words.
  if (values.length > 0 && !context.inList) return values;
  return takesExpressions(option) ? expressionNames(spec, offset, { symbols: false }) : [];
}

/** Options a default cannot set (NS3011): they name, wire or configure one layer. */
const perLayer = new Set(['id', 'name', 'from', 'weights', 'lint']);

/**
 * `defaults:`: option names of every layer type and the layer types (for per-type defaults); an
 * option's values are those any type that has it accepts (a default applies to every type whose
 * schema accepts it), or one type's under `defaults: { conv1d: { ... } }`.
 */
function defaultsCompletions(spec: SpecIR | undefined, context: CursorContext, offset: number): CompletionItem[] | null {
  const { path, keys } = context;
  const type = path.length === 2 ? path[1]! : undefined;
  if (path.length > 2 || (type !== undefined && !layerTypes.includes(type))) return null;
  const options = new Map<string, SchemaObject[]>();
  for (const t of type ? [type] : layerTypes) for (const [name, s] of layerOptions(t)) if (!perLayer.has(name)) options.set(name, [...(options.get(name) ?? []), s]);
  if (context.slot === 'key') {
    const named = [...options].filter(([name]) => !keys.has(name)).map(([name, s], n) => item(name, CompletionItemKind.Property, n, undefined, optionDocs(s[0]!)));
    const types = type ? [] : layerTypes.filter((t) => !keys.has(t)).map((t, n) => item(t, CompletionItemKind.Class, named.length + n, 'defaults for one layer type', layerDescription(t)));
    return [...named, ...types];
  }
  const schemas = options.get(context.key ?? '');
  if (!schemas) return null;
  const accepted = [...new Set(schemas.flatMap(optionValues))];
  if (accepted.length > 0) return accepted.map((v, n) => item(String(v), CompletionItemKind.EnumMember, n, `${context.key} default`));
  return schemas.some(takesExpressions) ? expressionNames(spec, offset, { symbols: false }) : [];
}

/** `lint:` of the spec or of a layer: the lints by name, then their levels. */
function lintCompletions(context: CursorContext): CompletionItem[] | null {
  if (context.slot === 'key') return keyItems(lintNames(), context.keys);
  const lint = lintNames().find(([name]) => name === context.key)?.[1];
  return lint ? optionValues(lint).map((v, n) => item(String(v), CompletionItemKind.EnumMember, n, `${context.key} level`, optionHelp(lint).description)) : null;
}

/** `contracts:` entries, `generator.image == discriminator.x`: a model's name, or after `model.` its outputs and inputs. */
function contractCompletions(spec: SpecIR | undefined, prefix: string): CompletionItem[] {
  const tensor = /([A-Za-z_][A-Za-z0-9_]*)\.[A-Za-z0-9_]*$/.exec(prefix);
  if (!tensor) return (spec?.models ?? []).map((m, n) => item(m.name, CompletionItemKind.Module, n, 'model'));
  const model = spec?.models.find((m) => m.name === tensor[1]);
  if (!model) return [];
  const outputs = model.outputs.map((o) => [o.ref.id, 'output'] as const);
  const inputs = model.inputs.map((i) => [i.id, 'input'] as const);
  return [...outputs, ...inputs].map(([name, what], n) => item(name, CompletionItemKind.Reference, n, `${what} of model '${model.name}'`));
}

/**
 * Completion: layer types, a layer type's options (with the schema's
 * descriptions and defaults) and their values, the ids a `from` may read at
 * this point, model names, and in expressions the params, symbols and loop
 * variables in scope. Works on a spec that does not parse: the cursor's place
 * is read off the text, the names off the last IR when there is one.
 */
export function completion(analysis: Analysis, position: Position): CompletionItem[] | null {
  const offset = new PositionMap(analysis.text).offsetAt(position);
  const context = cursorContext(analysis.text, offset);
  if (!context) return null;
  const spec = analysis.result.spec;
  const { path } = context;
  if (isLayerPath(path)) return layerCompletions(analysis, context, offset);
  // A block list as an option's value (`from:` then `- up3` lines): an entry of that option.
  if (path.length >= 2 && path[path.length - 1] === '-' && isLayerPath(path.slice(0, -2))) {
    const key = path[path.length - 2]!;
    // The layer's other keys (its `type`) are those around the option's own line.
    const keyLine = analysis.text.lastIndexOf(`${key}:`, offset);
    const layer = keyLine < 0 ? undefined : cursorContext(analysis.text, keyLine + key.length + 1);
    const keys = layer && isLayerPath(layer.path) ? layer.keys : new Map<string, string>();
    return layerCompletions(analysis, { ...context, path: path.slice(0, -2), keys, slot: 'value', key, inList: true }, offset);
  }
  if (path[0] === 'models' && path.length === 4 && path[2] === 'inputs') {
    if (context.slot === 'key') return keyItems([['shape', {}], ['batchSize', {}], ['dtype', {}]], context.keys);
    if (context.key === 'dtype') return ['float32', 'int32'].map((v, n) => item(v, CompletionItemKind.EnumMember, n, 'input dtype'));
  }
  if (path[path.length - 1] === 'lint' && (path.length === 1 || isLayerPath(path.slice(0, -1)))) return lintCompletions(context);
  if (path[0] === 'contracts' || (path.length === 0 && context.key === 'contracts' && context.inList)) return contractCompletions(spec, analysis.text.slice(analysis.text.lastIndexOf('\n', offset - 1) + 1, offset));
  if (path.length === 0) return context.slot === 'key' ? keyItems(keysOf('spec'), context.keys) : null;
  if (path[0] === 'defaults') return defaultsCompletions(spec, context, offset);
  if (path[0] === 'symbols' && path.length === 2) return context.slot === 'key' ? keyItems(keysOf('symbol'), context.keys) : expressionNames(spec, offset, { symbols: false });
  if (path[0] === 'params' && path.length === 1) return context.slot === 'value' ? expressionNames(spec, offset, { symbols: false, paramsBefore: context.key ?? '' }) : null;
  if (path[0] === 'models' && path.length === 2) return context.slot === 'key' ? keyItems(keysOf('model'), context.keys) : null;
  if (path[0] === 'models' && path.length >= 3 && (path[2] === 'inputs' || path[2] === 'outputs')) {
    if (context.slot === 'value') return expressionNames(spec, offset, { symbols: true });
    const model = modelOf(spec, path);
    if (path[2] === 'outputs' && path.length === 3 && model) return [...model.inputs.map((i) => i.id), ...model.layers.map((l) => l.id)].map((id, n) => item(id, CompletionItemKind.Reference, n, 'output id'));
    return null;
  }
  return null;
}
