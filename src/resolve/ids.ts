import { shorten } from '../diagnostics/describe.js';
import { diagnostic, type FixEdits } from '../diagnostics/diagnostic.js';
import { fixOrNote } from '../fix/fix-or-note.js';
import { freeName, namesIn, renameFix, type NameRole } from '../fix/rename-edits.js';
import type { Span } from '../ir.js';
import type { ResolveContext } from './values.js';

/** Model names, params and ids become TypeScript identifiers and tfjs names, so they must be identifiers. */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/**
 * Names every JavaScript object has. tfjs keys its graph by layer and input
 * name in plain objects (`recipientMap[input.name]` in tfjs-layers
 * executor.ts), so an input or layer named `constructor` makes `predict`
 * throw; a model of that name would be read off every object as `parts.constructor`.
 */
const objectProperties: ReadonlySet<string> = new Set([
  'constructor', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'toString', 'valueOf',
  '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
]);

/** tfjs-layers common.ts `isValidTensorName`: layer and input names become tensor names, which must match this. */
const tfjsNamePattern = /^[A-Za-z0-9][-A-Za-z0-9._/]*$/;

/**
 * What a name is: `tfjs` for input and layer ids, which name tfjs layers and
 * tensors; `other` for model, module, param, symbol and loop variable names.
 */
export type NameKind = 'tfjs' | 'other';

/** A name nearby that passes, for the fix. */
function suggestion(name: string, kind: NameKind): string {
  let fixed = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (kind === 'tfjs') fixed = fixed.replace(/^_+/, '');
  if (fixed === '' || /^\d/.test(fixed)) fixed = `${kind === 'tfjs' ? 'x' : '_'}${fixed}`;
  return objectProperties.has(fixed) ? `${fixed.replace(/^_+/, '')}1` : fixed;
}

/** Why a name cannot be used, or undefined when it can. */
export function nameProblem(name: string, kind: NameKind): string | undefined {
  if (!isIdentifier(name)) return 'is not an identifier';
  if (objectProperties.has(name)) return 'is the name of a property every JavaScript object has, which tfjs and the generated code would read in its place';
  if (kind === 'tfjs' && !tfjsNamePattern.test(name)) return 'is not a name tfjs accepts: tfjs names must start with a letter or digit (tfjs-layers isValidTensorName)';
  return undefined;
}

/**
 * How NS3012's fix is written: `role` renames the name everywhere it is used (an id, a model);
 * `fix` and `edit` replace the default, e.g. `name:` for a module name taken from the file name.
 * Without either the fix is prose only (a param or loop variable is also used inside expressions).
 */
export type IdentifierFix = { readonly role: NameRole } | { readonly fix: (suggested: string) => string; readonly edit: (suggested: string) => FixEdits | undefined };

/** NS3012 for a name that cannot be used (`what`: `layer id`, `symbol`...), with one that can as the fix. */
export function checkIdentifier(ctx: ResolveContext, name: string, span: Span, what: string, kind: NameKind = 'other', how?: IdentifierFix): boolean {
  const problem = nameProblem(name, kind);
  if (problem === undefined) return true;
  const suggested = how && 'role' in how ? freeName(suggestion(name, kind), namesIn(ctx.spec, how.role)) : suggestion(name, kind);
  const fix = how && 'fix' in how ? how.fix(suggested) : isIdentifier(name) ? `rename it, e.g. '${suggested}'` : `use letters, digits and _, e.g. '${suggested}'`;
  const edit = how && ('role' in how ? renameFix(ctx.spec, how.role, name, suggested) : how.edit(suggested));
  // A param, symbol or loop variable is also named inside expressions: renaming it there is the user's edit, advice.
  ctx.diagnostics.push(diagnostic('NS3012', span, `${what} '${shorten(name)}' ${problem}`, fixOrNote(fix, edit ? [edit] : undefined)));
  return false;
}

/**
 * Generated ids: `<type>_<n>`, counted per type in layer order, skipping ids the
 * spec already uses. A layer with a `base` (a `type: model` layer: the model's
 * name) gets the base itself while it is free, then `<base>_2`, `<base>_3`...
 * Deterministic by construction: no clocks, no randomness.
 */
export function idGenerator(taken: ReadonlySet<string>): (type: string, base?: string) => string {
  const counters = new Map<string, number>();
  const used = new Set(taken);
  return (type, base) => {
    // Bases count apart from types: a model named `dense` does not shift the ids of dense layers.
    const key = base === undefined ? type : `model ${base}`;
    let n = counters.get(key) ?? 0;
    let id: string;
    do {
      n++;
      id = base === undefined ? `${type}_${n}` : n === 1 ? base : `${base}_${n}`;
    } while (used.has(id));
    counters.set(key, n);
    used.add(id);
    return id;
  };
}

/** The base of a layer's generated id, when it is not its type: a `type: model` layer is named after its model. */
export function idBase(type: unknown, options: { readonly [option: string]: unknown }): string | undefined {
  return type === 'model' && typeof options['model'] === 'string' ? options['model'] : undefined;
}
