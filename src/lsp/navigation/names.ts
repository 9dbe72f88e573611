import type { ModelIR, RepeatIR, Span, SpecIR } from '../../ir.js';

/**
 * What a name names: an input or layer id (`id`, per model), a param, a
 * symbol, a repeat's loop variable (`loop`) or `input:` name (`input`), or a
 * model. Navigation follows entities, not strings: two repeats may each have
 * an `i`, and two models a layer `out`.
 */
export type NameKind = 'id' | 'param' | 'symbol' | 'loop' | 'input' | 'model';

export interface Entity {
  /** Unique per entity: `id:generator:up1`, `param:ngf`, `loop:412:i`. */
  readonly key: string;
  readonly kind: NameKind;
  readonly name: string;
  /** The model an id belongs to. */
  readonly model?: string;
  /** The block a loop variable or repeat input belongs to. */
  readonly repeat?: RepeatIR;
}

/** One place a name is written. */
export interface Occurrence {
  readonly entity: Entity;
  /** The name's characters, quotes excluded. */
  readonly span: Span;
  readonly declaration: boolean;
  /**
   * Whether the text there is exactly the name, so that a rename can replace it. False where
   * the spec writes an interpolation (`"up{i + 1}"` declares up1, up2...; `"down{6 - i}"` reads
   * down6...) or nothing (a generated id, at its `type`).
   */
  readonly literal: boolean;
}

export interface NameIndex {
  readonly occurrences: readonly Occurrence[];
  readonly entities: ReadonlyMap<string, Entity>;
}

/** `"up1"` -> the span of `up1`; a plain scalar is its own text. */
export function unquoted(text: string, span: Pick<Span, 'file' | 'start' | 'end'>): { span: Span; content: string } {
  const first = text[span.start];
  const quoted = span.end - span.start >= 2 && (first === '"' || first === "'") && text[span.end - 1] === first;
  const inner = quoted ? { file: span.file, start: span.start + 1, end: span.end - 1 } : { file: span.file, start: span.start, end: span.end };
  return { span: inner, content: text.slice(inner.start, inner.end) };
}

export function contains(outer: Pick<Span, 'start' | 'end'>, inner: Pick<Span, 'start' | 'end'>): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

/** The repeats whose body holds the span, innermost first. */
export function enclosingRepeats(spec: SpecIR, span: Pick<Span, 'start' | 'end'>): RepeatIR[] {
  return (spec.repeats ?? []).filter((r) => contains(r.bodySpan, span)).sort((a, b) => b.bodySpan.start - a.bodySpan.start);
}

/** The loop variables a repeat declares: its index, then its lists' variables. */
export function loopVariables(repeat: RepeatIR): { name: string; span?: Span }[] {
  return [repeat.index, ...repeat.lists];
}

const cache = new WeakMap<SpecIR, NameIndex>();

/** Every name the spec writes, by what it names; built once per analysis. */
export function nameIndex(spec: SpecIR, text: string): NameIndex {
  let found = cache.get(spec);
  if (!found) cache.set(spec, (found = buildIndex(spec, text)));
  return found;
}

function buildIndex(spec: SpecIR, text: string): NameIndex {
  const entities = new Map<string, Entity>();
  const occurrences = new Map<string, Occurrence>();
  const entity = (kind: NameKind, name: string, scope: string | undefined, extra: Partial<Entity> = {}): Entity => {
    const key = scope === undefined ? `${kind}:${name}` : `${kind}:${scope}:${name}`;
    let e = entities.get(key);
    if (!e) entities.set(key, (e = { key, kind, name, ...extra }));
    return e;
  };
  // A repeat body is expanded once per iteration, and a default output is its layer's id: one place, noted once.
  const add = (e: Entity, span: Span, declaration: boolean, literal: boolean): void => {
    const key = `${e.key} ${span.start} ${span.end}`;
    const before = occurrences.get(key);
    occurrences.set(key, { entity: e, span, declaration: declaration || (before?.declaration ?? false), literal: literal && (before?.literal ?? true) });
  };
  const written = (e: Entity, raw: Span, declaration: boolean): void => {
    const { span, content } = unquoted(text, raw);
    add(e, span, declaration, content === e.name);
  };

  for (const param of spec.params) written(entity('param', param.name, undefined), param.span, true);
  const symbols = new Set<string>();
  for (const symbol of spec.models.flatMap((m) => m.symbols ?? [])) {
    symbols.add(symbol.name);
    written(entity('symbol', symbol.name, undefined), symbol.span, true);
  }
  for (const repeat of spec.repeats ?? []) {
    for (const variable of loopVariables(repeat)) {
      const e = entity('loop', variable.name, String(repeat.span.start), { repeat });
      if (variable.span) written(e, variable.span, true);
    }
    if (repeat.input) written(entity('input', repeat.input.name, String(repeat.span.start), { repeat }), repeat.input.span, true);
  }
  for (const model of spec.models) written(entity('model', model.name, undefined), model.nameSpan, true);
  for (const model of spec.models) indexModel(spec, model, text, entity, add, written);

  for (const contract of spec.contracts ?? []) {
    for (const side of [contract.left, contract.right]) {
      const { start, end } = side.span;
      if (text.slice(start, end) !== `${side.model}.${side.name}`) continue;
      add(entity('model', side.model, undefined), { file: side.span.file, start, end: start + side.model.length }, false, true);
      add(entity('id', side.name, side.model, { model: side.model }), { file: side.span.file, start: end - side.name.length, end }, false, true);
    }
  }

  const params = new Set(spec.params.map((p) => p.name));
  for (const use of spec.names ?? []) {
    const repeat = enclosingRepeats(spec, use.span).find((r) => loopVariables(r).some((v) => v.name === use.name));
    if (repeat) add(entity('loop', use.name, String(repeat.span.start), { repeat }), use.span, false, true);
    else if (params.has(use.name)) add(entity('param', use.name, undefined), use.span, false, true);
    else if (symbols.has(use.name)) add(entity('symbol', use.name, undefined), use.span, false, true);
  }
  return { occurrences: [...occurrences.values()].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end), entities };
}

function indexModel(
  spec: SpecIR,
  model: ModelIR,
  text: string,
  entity: (kind: NameKind, name: string, scope: string | undefined, extra?: Partial<Entity>) => Entity,
  add: (e: Entity, span: Span, declaration: boolean, literal: boolean) => void,
  written: (e: Entity, raw: Span, declaration: boolean) => void,
): void {
  const id = (name: string, owner = model.name) => entity('id', name, owner, { model: owner });
  for (const input of model.inputs) written(id(input.id), input.span, true);
  for (const layer of model.layers) {
    // A generated id is declared nowhere in the text: its layer's `type` stands for it, never renamed.
    if (layer.explicitId) written(id(layer.id), layer.idSpan, true);
    else add(id(layer.id), layer.idSpan, true, false);
    for (const ref of layer.from) {
      if (ref.implicit) continue;
      const { span, content } = unquoted(text, ref.span);
      const entering = content === ref.id ? undefined : enclosingRepeats(spec, ref.span).find((r) => r.input?.name === content);
      if (entering) add(entity('input', content, String(entering.span.start), { repeat: entering }), span, false, true);
      else add(id(ref.id), span, false, content === ref.id);
    }
    const modelSpan = layer.argSpans['model'];
    if (layer.subModel !== undefined && modelSpan) written(entity('model', layer.subModel, undefined), modelSpan, false);
    const outputSpan = layer.argSpans['output'];
    const output = layer.args['output'];
    if (layer.subModel !== undefined && outputSpan && typeof output === 'string') written(id(output, layer.subModel), outputSpan, false);
  }
  for (const output of model.outputs) written(id(output.ref.id), output.ref.span, false);
}

/**
 * The occurrences at an offset: the innermost place (a loop variable inside `"up{i}"` rather than
 * the string), every entity written there. Where a name is written and a generated id stands in
 * too (`model: generator` names the model and stands for the id of its layer), the name wins.
 */
export function occurrencesAt(index: NameIndex, offset: number): Occurrence[] {
  const around = index.occurrences.filter((o) => o.span.start <= offset && offset <= o.span.end);
  if (around.length === 0) return [];
  const inner = around.reduce((best, o) => (o.span.end - o.span.start < best.span.end - best.span.start ? o : best));
  const here = around.filter((o) => o.span.start === inner.span.start && o.span.end === inner.span.end);
  const literal = here.filter((o) => o.literal);
  return literal.length > 0 ? literal : here;
}

/**
 * The entities, and every entity of the same name written at one of their places: a layer of
 * a YAML alias (`layers: *generator`) is a layer of each model that uses it, and renaming it
 * there renames it in all of them.
 */
export function sameText(index: NameIndex, keys: ReadonlySet<string>): Set<string> {
  const found = new Set(keys);
  for (let grew = true; grew; ) {
    grew = false;
    const places = new Map(index.occurrences.filter((o) => found.has(o.entity.key) && o.literal).map((o) => [`${o.span.start} ${o.span.end}`, o.entity.name]));
    for (const o of index.occurrences) {
      if (found.has(o.entity.key) || !o.literal || places.get(`${o.span.start} ${o.span.end}`) !== o.entity.name) continue;
      found.add(o.entity.key);
      grew = true;
    }
  }
  return found;
}

/** Every occurrence of the entities, in source order. */
export function occurrencesOf(index: NameIndex, keys: ReadonlySet<string>): Occurrence[] {
  return index.occurrences.filter((o) => keys.has(o.entity.key));
}
