/**
 * Fixes as edits that validate offers on one layer of a model's list, from the parsed document
 * (validate runs before resolve records LayerIR.mapping): a value for a missing option that the
 * model's declared output says, and an activation moved into a layer of its own.
 */
import { isMap, isSeq, type Node } from 'yaml';
import type { FixEdits } from '../diagnostics/diagnostic.js';
import { isMapping, nodeAt, type Data, type ParsedSpec, type PathSegment } from '../parse/parse-spec.js';
import { mappingLayout } from '../resolve/mapping-layout.js';
import { lineEnd, lineStart } from './map-layout.js';
import { optionFix } from './option-edits.js';

const isRecord = (value: unknown): value is Data => isMapping(value);

/** The data at `path` in the spec. */
function dataAt(spec: ParsedSpec, path: readonly PathSegment[]): unknown {
  let value = spec.data;
  for (const segment of path) value = isRecord(value) || Array.isArray(value) ? (value as Data)[String(segment)] : undefined;
  return value;
}

/** The options whose value is the channel count of the layer's output: the last axis, or the first with channelsFirst. */
const channelOptions: ReadonlySet<string> = new Set(['filters', 'units']);

/** `dataFormat` as the layer gets it: its own, else a default for its type, else a default for every layer. */
function dataFormatOf(spec: ParsedSpec, layer: Data): unknown {
  const defaults = isRecord(spec.data) && isRecord(spec.data['defaults']) ? spec.data['defaults'] : {};
  const perType = typeof layer['type'] === 'string' && isRecord(defaults[layer['type']]) ? (defaults[layer['type']] as Data) : {};
  return layer['dataFormat'] ?? perType['dataFormat'] ?? defaults['dataFormat'];
}

/**
 * `filters:` or `units:` for a layer that is an output of its model (`id` names it), from the shape
 * `outputs:` declares for it: its channel entry, a number or a param. Undefined when that is not known.
 */
export function missingChannelsFix(spec: ParsedSpec, layerPath: readonly PathSegment[], option: string, id: string | undefined): FixEdits | undefined {
  const layer = dataAt(spec, layerPath);
  if (!channelOptions.has(option) || id === undefined || !isRecord(layer) || layerPath[0] !== 'models') return undefined;
  const outputs = dataAt(spec, [...layerPath.slice(0, 2), 'outputs']);
  const declared = isRecord(outputs) ? outputs[id] : undefined;
  const shape = isRecord(declared) ? declared['shape'] : declared;
  if (!Array.isArray(shape) || shape.length === 0) return undefined;
  const channels = option === 'filters' && dataFormatOf(spec, layer) === 'channelsFirst' ? shape[0] : shape[shape.length - 1];
  const params = isRecord(spec.data) && isRecord(spec.data['params']) ? spec.data['params'] : {};
  const known = (typeof channels === 'number' && Number.isInteger(channels) && channels > 0) || (typeof channels === 'string' && Object.hasOwn(params, channels));
  if (!known) return undefined;
  const layout = mappingLayout(spec, layerPath);
  return optionFix({ mapping: layout, span: { file: spec.source.path, start: 0, end: 0 }, args: {} }, `add \`${option}: ${String(channels)}\`, the channels output '${id}' declares`, [{ option, value: channels as number | string }]);
}

/**
 * Removes the layer's `activation:` and adds `layerText` as the next item of its list, on a line of
 * its own in flow style. Undefined unless the layer is an item of a block list written `- ...` on its
 * line, with no anchor, and not `read` by name (by `from:` or `outputs:`, which would then skip the new layer).
 */
export function activationLayerFix(spec: ParsedSpec, layerPath: readonly PathSegment[], layerText: string, description: string, read: boolean): FixEdits | undefined {
  if (read) return undefined;
  const list = nodeAt(spec.document, layerPath.slice(0, -1))?.node;
  const node = isSeq(list) && !list.flow ? (list.items[Number(layerPath[layerPath.length - 1])] as Node | undefined) : undefined;
  if (!isMap(node) || !node.range || node.anchor) return undefined;
  const text = spec.source.text;
  const start = lineStart(text, node.range[0]);
  const dash = /^( *)- +$/.exec(text.slice(start, node.range[0]));
  const layout = mappingLayout(spec, layerPath);
  const removal = layout?.entries.find((e) => e.key === 'activation')?.removal;
  if (!dash || !layout || !removal) return undefined;
  const last = layout.entries[layout.entries.length - 1]!;
  const at = lineEnd(text, node.flow ? node.range[1] : (last.valueSpan ?? last.keySpan).end);
  const item = `${dash[1]}- ${layerText}`;
  // `activation:` on the item's last line: the new item takes that line.
  if (removal.end > at) return { description, edits: [{ span: removal, newText: text[removal.start] === '\n' ? `\n${item}` : `${item}\n` }] };
  const file = spec.source.path;
  return { description, edits: [{ span: removal, newText: '' }, { span: { file, start: at, end: at }, newText: `\n${item}` }] };
}

/** Every `from:` value and output id under a model, as written. */
function namesRead(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) namesRead(item, found);
  else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'from') found.push(...(Array.isArray(item) ? item : [item]).map(String));
      else if (key === 'outputs' && isRecord(item)) found.push(...Object.keys(item));
      else namesRead(item, found);
    }
  }
  return found;
}

/**
 * Whether adding a layer of `type` after the layer `id` (undefined: not known) would change what some
 * layer or output reads: one reads `id` by name, or a generated id of that type that would move up by one.
 */
export function wouldRewire(spec: ParsedSpec, layerPath: readonly PathSegment[], id: string | undefined, type: string): boolean {
  if (id === undefined || layerPath[0] !== 'models') return true;
  return namesRead(dataAt(spec, layerPath.slice(0, 2))).some((name) => name === id || name.startsWith(`${type}_`) || name.includes('{'));
}
