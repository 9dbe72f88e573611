import { identifier } from './escape.js';

/** Words a generated `const` cannot be named, plus the module's own import. */
const reserved = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in ' +
    'instanceof new null return super switch this throw true try typeof var void while with as implements interface let package private ' +
    'protected public static yield await any boolean number string symbol type from of tf model inputs outputs arguments eval undefined NaN Infinity'
  ).split(' '),
);

/**
 * Maps spec ids (identifiers already) to distinct local variable names of the
 * generated build function, none of which shadows a reserved word or one of
 * the `imported` names the function calls (its netspec/runtime factories).
 */
export function variableNames(ids: readonly string[], imported: readonly string[] = []): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const id of ids) {
    let name = reserved.has(id) || imported.includes(id) ? `${id}_` : id;
    while (used.has(name)) name = `${name}_`;
    used.add(name);
    names.set(id, identifier(name));
  }
  return names;
}

/** `generator` -> `Generator`, for `buildGenerator` and `GeneratorInputs`. */
export function pascal(name: string): string {
  return identifier(name.charAt(0).toUpperCase() + name.slice(1));
}
