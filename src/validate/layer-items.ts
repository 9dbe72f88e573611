import type { ErrorObject } from 'ajv';
import { isMapping, pointerOf, type Data } from '../parse/parse-spec.js';
import { deref, schema, type SchemaObject } from './schema.js';

const defs = schema['$defs'] as Record<string, SchemaObject>;

/** What an item of a `layers:` list is meant to be: a repeat block when it says `repeat` and no `type`, else a layer. */
export function itemKind(item: unknown): 'layer' | 'repeat' {
  return isMapping(item) && 'repeat' in item && !('type' in item) ? 'repeat' : 'layer';
}

/** Every item of every `layers:` list (repeat bodies included), by JSON pointer, with its kind. */
export function layerItems(data: unknown): Map<string, { readonly kind: 'layer' | 'repeat'; readonly item: unknown }> {
  const found = new Map<string, { readonly kind: 'layer' | 'repeat'; readonly item: unknown }>();
  const walk = (list: unknown, pointer: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      const at = `${pointer}/${i}`;
      const kind = itemKind(item);
      found.set(at, { kind, item });
      if (kind === 'repeat') walk((item as Data)['layers'], `${at}/layers`);
    });
  };
  const models = isMapping(data) ? data['models'] : undefined;
  if (isMapping(models)) for (const [name, model] of Object.entries(models)) if (isMapping(model)) walk(model['layers'], pointerOf(['models', name, 'layers']));
  return found;
}

/**
 * A `layers:` item is `oneOf` a layer or a repeat block in the schema, so that
 * editors complete both; ajv then reports why the item fails as the other one
 * too. Keeps only the errors of the alternative the item is meant to be (see
 * `itemKind`), so each mistake is one message at its node.
 */
export function chosenAlternatives(data: unknown, errors: readonly ErrorObject[]): ErrorObject[] {
  const items = layerItems(data);
  const layer = deref(defs['layer']!);
  const repeat = deref(defs['repeatBlock']!);
  const either = deref(defs['layerItem']!);
  return errors.filter((e) => {
    if (e.parentSchema === either) return false;
    const kind = items.get(e.instancePath)?.kind;
    if (kind === 'repeat' && e.parentSchema === layer) return false;
    if (kind === 'layer' && e.parentSchema === repeat) return false;
    // Inside an item meant as a layer, the repeat alternative's complaints about `repeat:` and `layers:` are noise.
    // The items that contain the error are those at its pointer's prefixes: one lookup per level, not per item.
    for (let end = e.instancePath.lastIndexOf('/'); end > 0; end = e.instancePath.lastIndexOf('/', end - 1)) {
      if (items.get(e.instancePath.slice(0, end))?.kind === 'layer' && /^\/(repeat|as|layers)(\/|$)/.test(e.instancePath.slice(end))) return false;
    }
    return true;
  });
}
