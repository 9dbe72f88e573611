import type { Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { SpecIR } from '../../ir.js';
import { nameProblem } from '../../resolve/ids.js';
import type { Analysis } from '../analysis.js';
import { contains, loopVariables, nameIndex, occurrencesAt, occurrencesOf, sameText, type Entity, type NameIndex, type Occurrence } from './names.js';
import { PositionMap } from './positions.js';

/** Why a rename cannot be done; the server answers with it as an error. */
export interface RenameRefusal {
  readonly error: string;
}

export function isRefusal(value: unknown): value is RenameRefusal {
  return value !== null && typeof value === 'object' && 'error' in value;
}

/** What a rename at a position changes: one name, of one or more entities (a layer of a YAML alias is in every model that uses it). */
interface Target {
  readonly name: string;
  readonly kind: Entity['kind'];
  readonly entities: readonly Entity[];
  readonly at: Occurrence;
  readonly occurrences: readonly Occurrence[];
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** A default loop index (no `as:`) is declared nowhere: renaming it adds `as:`. */
function isDefaultIndex(entity: Entity): boolean {
  return entity.kind === 'loop' && entity.repeat !== undefined && entity.repeat.index.span === undefined && entity.repeat.index.name === entity.name;
}

/** Layers named after the model they apply (`type: model` without `id:`) whose id something reads: renaming the model would rename them. */
function readByDefaultId(spec: SpecIR, index: NameIndex, text: string, model: string): string | undefined {
  for (const owner of spec.models) {
    for (const layer of owner.layers) {
      if (layer.subModel !== model || layer.explicitId) continue;
      const read = occurrencesOf(index, new Set([`id:${owner.name}:${layer.id}`])).find((o) => !o.declaration);
      if (read) return `layer '${layer.id}' of model '${owner.name}' is named after model '${model}' and read by that id (line ${lineOf(text, read.span.start)}): give it \`id: ${layer.id}\` first`;
    }
  }
  return undefined;
}

function targetAt(analysis: Analysis, position: Position): Target | RenameRefusal | null {
  const spec = analysis.result.spec;
  if (!spec) return null;
  const { text } = analysis;
  const index = nameIndex(spec, text);
  const here = occurrencesAt(index, new PositionMap(text).offsetAt(position));
  if (here.length === 0) return null;
  const at = here[0]!;
  const shown = JSON.stringify(text.slice(at.span.start, at.span.end));
  if (here.some((o) => !o.literal)) {
    const ids = [...new Set(here.map((o) => `'${o.entity.name}'`))].join(', ');
    if (!shown.includes('{')) return { error: `layer '${at.entity.name}' has a generated id: give it \`id: ${at.entity.name}\` to name it, then rename that` };
    return at.declaration
      ? { error: `layer id ${shown} is made by interpolation (${ids}): netspec cannot rename an id it computes; edit the template by hand` }
      : { error: `${shown} is an interpolation (it reads ${ids}): netspec cannot rename what it computes; edit it by hand` };
  }
  const keys = sameText(index, new Set(here.map((o) => o.entity.key)));
  const entities = [...keys].map((key) => index.entities.get(key)!);
  const entity = entities[0]!;
  const occurrences = occurrencesOf(index, keys);
  const generated = occurrences.find((o) => o.declaration && !o.literal);
  if (generated) {
    const interpolated = text.slice(generated.span.start, generated.span.end).includes('{');
    return {
      error: interpolated
        ? `'${entity.name}' is declared by the interpolated id ${JSON.stringify(text.slice(generated.span.start, generated.span.end))} (line ${lineOf(text, generated.span.start)}): netspec cannot rename it statically; edit the template by hand`
        : `layer '${entity.name}' has a generated id: give it \`id: ${entity.name}\` to name it, then rename that`,
    };
  }
  const unwritable = occurrences.find((o) => !o.literal);
  if (unwritable) {
    const written = JSON.stringify(text.slice(unwritable.span.start, unwritable.span.end));
    return { error: `'${entity.name}' is also read by the interpolation ${written} (line ${lineOf(text, unwritable.span.start)}), which netspec cannot rewrite statically; rename it by hand` };
  }
  if (entity.kind === 'model') {
    const blocked = readByDefaultId(spec, index, text, entity.name);
    if (blocked) return { error: blocked };
  }
  return { name: entity.name, kind: entity.kind, entities, at, occurrences };
}

/** prepareRename: the range of the name and the name itself, or why it cannot be renamed; null where there is no name. */
export function prepareRename(analysis: Analysis, position: Position): { range: Range; placeholder: string } | RenameRefusal | null {
  const target = targetAt(analysis, position);
  if (!target || isRefusal(target)) return target;
  return { range: new PositionMap(analysis.text).rangeOf(target.at.span), placeholder: target.name };
}

/** YAML reads these plain scalars as booleans and null, not as names (YAML 1.2 core schema). */
const yamlKeywords = /^(true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;

/** The names the new name must not take, with what each already is. */
function takenNames(spec: SpecIR, target: Target): Map<string, string> {
  const taken = new Map<string, string>();
  const repeats = spec.repeats ?? [];
  const scalars = (): void => {
    for (const p of spec.params) taken.set(p.name, 'a param');
    for (const s of spec.models.flatMap((m) => m.symbols ?? [])) taken.set(s.name, 'a symbol');
  };
  switch (target.kind) {
    case 'param':
    case 'symbol':
      scalars();
      for (const r of repeats) for (const v of loopVariables(r)) taken.set(v.name, 'a loop variable');
      break;
    case 'loop': {
      scalars();
      const own = target.entities[0]!.repeat!;
      // Its own block, the blocks around it and the blocks inside it: where two loop variables would meet.
      for (const r of repeats) if (r === own || contains(r.bodySpan, own.span) || contains(own.bodySpan, r.span)) for (const v of loopVariables(r)) taken.set(v.name, 'a loop variable of this repeat or one around or inside it');
      break;
    }
    case 'id':
    case 'input': {
      const models = new Set(target.entities.map((e) => e.model).filter((m) => m !== undefined));
      const block = target.entities[0]!.repeat;
      for (const m of spec.models) {
        const owns = models.has(m.name) || (block !== undefined && contains(m.span, block.span));
        if (!owns) continue;
        for (const x of m.inputs) taken.set(x.id, `an input of model '${m.name}'`);
        for (const l of m.layers) taken.set(l.id, `a layer id of model '${m.name}'`);
        for (const r of repeats) if (r.input && contains(m.span, r.span)) taken.set(r.input.name, `a repeat input name of model '${m.name}'`);
      }
      break;
    }
    case 'model':
      for (const m of spec.models) taken.set(m.name, 'a model');
      break;
  }
  taken.delete(target.name);
  return taken;
}

/** Why a new name cannot be used, or undefined: the rules NS3012 applies, YAML's keywords, and names already taken. */
function newNameProblem(spec: SpecIR, target: Target, newName: string): string | undefined {
  const problem = nameProblem(newName, target.kind === 'id' || target.kind === 'input' || target.kind === 'model' ? 'tfjs' : 'other');
  if (problem) return `'${newName}' ${problem}`;
  if (yamlKeywords.test(newName)) return `'${newName}' would be read by YAML as ${/^n/i.test(newName) ? 'null' : 'a boolean'}, not as a name`;
  const taken = takenNames(spec, target).get(newName);
  if (taken) return `'${newName}' is already ${taken}`;
  if (target.kind === 'model') {
    // `gen` and `Gen` would both export buildGen() (NS3013).
    const pascal = (n: string) => n.charAt(0).toUpperCase() + n.slice(1);
    const clash = spec.models.find((m) => m.name !== target.name && pascal(m.name) === pascal(newName));
    if (clash) return `'${newName}' and model '${clash.name}' would both generate build${pascal(newName)}()`;
  }
  return undefined;
}

/** `as: name` for a repeat that uses the default index: after the line of its `repeat` value, at the key's column (or `, as:` in a flow mapping). */
function addIndexName(text: string, positions: PositionMap, entity: Entity, newName: string): TextEdit {
  const repeat = entity.repeat!;
  const end = repeat.countSpan.end;
  if (text[repeat.span.start] === '{') return { range: positions.rangeOf({ start: end, end }), newText: `, as: ${newName}` };
  let lineEnd = text.indexOf('\n', Math.max(end - 1, 0));
  if (lineEnd < 0) lineEnd = text.length;
  if (lineEnd > 0 && text[lineEnd - 1] === '\r') lineEnd--;
  const column = positions.positionAt(repeat.keySpan.start).character;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { range: positions.rangeOf({ start: lineEnd, end: lineEnd }), newText: `${eol}${' '.repeat(column)}as: ${newName}` };
}

/** Rename: every place the name is written, `{expr}` interpolations included, as one edit of the document; or why not. */
export function rename(analysis: Analysis, position: Position, newName: string): WorkspaceEdit | RenameRefusal | null {
  const target = targetAt(analysis, position);
  if (!target || isRefusal(target)) return target;
  const spec = analysis.result.spec!;
  const problem = newNameProblem(spec, target, newName);
  if (problem) return { error: problem };
  const positions = new PositionMap(analysis.text);
  const seen = new Set<string>();
  const edits: TextEdit[] = target.occurrences.flatMap((o) => {
    const key = `${o.span.start} ${o.span.end}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ range: positions.rangeOf(o.span), newText: newName }];
  });
  for (const entity of target.entities) if (isDefaultIndex(entity)) edits.push(addIndexName(analysis.text, positions, entity, newName));
  edits.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { changes: { [analysis.uri]: edits } };
}

