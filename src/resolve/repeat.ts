/**
 * `repeat` blocks in a layer list, expanded into the flat list of layers they
 * stand for. The IR never sees a repeat: each expanded layer is an ordinary
 * layer whose spans point at its template, plus the iterations that made it
 * (`LayerIR.origin`), which every diagnostic about it carries as notes.
 */
import { grouped } from '../diagnostics/describe.js';
import { diagnostic, type Diagnostic, type FixEdits, type Note } from '../diagnostics/diagnostic.js';
import { fixOrNote } from '../fix/fix-or-note.js';
import { lineEnd } from '../fix/map-layout.js';
import { optionFix } from '../fix/option-edits.js';
import { listLengthFix } from '../fix/reorder-edits.js';
import type { Span } from '../ir.js';
import { isMapping, pointerOf, spanAt, type Data, type PathSegment } from '../parse/parse-spec.js';
import { itemKind } from '../validate/layer-items.js';
import { checkIdentifier } from './ids.js';
import { mappingLayout } from './mapping-layout.js';
import { rejected, resolveValue, scopeOf, type ResolveContext, type Scope } from './values.js';

/** The loop index when `as:` does not name it. */
export const defaultIndex = 'i';

/** One iteration of one repeat block: the values its loop variables take. */
export interface Iteration {
  /** The block's `repeat` key. */
  readonly span: Span;
  readonly index: string;
  readonly value: number;
  /** The zipped lists' variables, in the order written, with this iteration's entries. */
  readonly vars: readonly (readonly [string, number])[];
  /** How many iterations the block has, and where it says so (its `repeat` value). */
  readonly count: number;
  readonly countSpan: Span;
  /**
   * The block's `input:` name for the tensor entering this iteration, and where that tensor comes from:
   * the index of the expanded item before the iteration's first layer, or -1 when the block starts the model.
   */
  readonly input?: { readonly name: string; readonly at: number; readonly span: Span };
}

/** `i = 2 (f = 64, k = 5)` */
function describe(it: Iteration): string {
  return `${it.index} = ${it.value}${it.vars.length > 0 ? ` (${it.vars.map(([n, v]) => `${n} = ${v}`).join(', ')})` : ''}`;
}

/** One note per enclosing repeat, outermost first: `in repeat iteration i = 2 (f = 64)` at the block's `repeat` key. */
export function iterationNotes(chain: readonly Iteration[]): { readonly message: string; readonly span: Span }[] {
  return chain.map((it) => ({ message: `in repeat iteration ${describe(it)}`, span: it.span }));
}

/** Where another layer comes from, said inline: `repeat iteration i = 1, j = 0`. */
export function chainText(chain: readonly Iteration[]): string {
  return `repeat iteration${chain.length > 1 ? 's' : ''} ${chain.map(describe).join(', ')}`;
}

/** An item of the layer list after expansion. */
export interface LayerInstance {
  /** The item's YAML data: a layer mapping, or whatever validation rejected. */
  readonly raw: unknown;
  /** Its path in the spec; layers of a repeat body keep their template's path, so their spans point at the template. */
  readonly path: readonly PathSegment[];
  /** Params and the loop variables of the enclosing repeats. */
  readonly scope: Scope;
  /** The enclosing repeats' iterations, outermost first; empty outside any repeat. */
  readonly chain: readonly Iteration[];
  /**
   * True for a repeat block with an error (reported): it stands in for the
   * layers it would have made, whose ids are unknown, so reading them is not a second error.
   */
  readonly placeholder?: true;
}

/** Whether a layer-list item is a repeat block, as validation decided (an item with `type` is a layer). */
function isRepeatBlock(item: unknown): item is Data {
  return itemKind(item) === 'repeat';
}

/**
 * Diagnostics reported while resolving a repeated layer get its iterations as
 * notes. A diagnostic that several iterations report alike is about the template:
 * it is reported once, keeping only the notes all of them share.
 */
export class IterationNotes {
  readonly #found: { readonly diagnostic: Diagnostic; readonly notes: readonly Note[] }[] = [];
  constructor(private readonly ctx: ResolveContext) {}

  /** Runs `resolve` for one iteration's layer or block; what it reports is held until `flush`. */
  run<T>(chain: readonly Iteration[], resolve: () => T): T {
    if (chain.length === 0) return resolve();
    const before = this.ctx.diagnostics.length;
    try {
      return resolve();
    } finally {
      const notes = iterationNotes(chain);
      for (const found of this.ctx.diagnostics.splice(before)) this.#found.push({ diagnostic: found, notes });
    }
  }

  /** Reports what was held, merged as described above, in the order first reported. */
  flush(): void {
    const groups = new Map<string, { diagnostic: Diagnostic; notes: Note[][] }>();
    for (const { diagnostic: d, notes } of this.#found) {
      const key = JSON.stringify([d.code, d.span, d.message, d.notes, d.fix]);
      const group = groups.get(key);
      if (group) group.notes.push([...notes]);
      else groups.set(key, { diagnostic: d, notes: [[...notes]] });
    }
    const same = (a: Note, b: Note) => a.message === b.message && a.span?.start === b.span?.start;
    for (const { diagnostic: d, notes } of groups.values()) {
      const shared = notes[0]!.filter((note) => notes.every((other) => other.some((n) => same(n, note))));
      this.ctx.diagnostics.push({ ...d, notes: [...d.notes, ...shared] });
    }
    this.#found.length = 0;
  }
}

/** A name nobody uses yet, for the fix that suggests `as:`. */
function freeName(taken: ReadonlySet<string>): string {
  for (const name of ['j', 'k', 'l', 'm', 'n']) if (!taken.has(name)) return name;
  let n = 2;
  while (taken.has(`i${n}`)) n++;
  return `i${n}`;
}

interface Loop {
  readonly count: number;
  readonly index: string;
  readonly lists: readonly (readonly [string, readonly number[]])[];
  /** The `input:` name, when the block gives one. */
  readonly input?: { readonly name: string; readonly span: Span };
}

/** The block's `input:` name, checked: an id-like name that no enclosing repeat's `input:` already takes (NS3017). */
function inputName(ctx: ResolveContext, block: Data, path: readonly PathSegment[], chain: readonly Iteration[]): { ok: boolean; input?: { name: string; span: Span } } {
  const name = block['input'];
  if (typeof name !== 'string' || rejected(ctx, pointerOf([...path, 'input']))) return { ok: name === undefined };
  const span = spanAt(ctx.spec, [...path, 'input']);
  if (!checkIdentifier(ctx, name, span, 'repeat input name', 'tfjs')) return { ok: false };
  const outer = chain.find((it) => it.input?.name === name);
  if (outer) {
    // A new name is also a rename of its uses in `from:`: advice.
    ctx.diagnostics.push(diagnostic('NS3017', span, `repeat input name '${name}' is already the input of an enclosing repeat`, { notes: [{ message: `'${name}' is named here`, span: outer.input!.span }, { message: 'give the inner repeat\'s input another name' }] }));
    return { ok: false };
  }
  return { ok: true, input: { name, span } };
}

/**
 * Checks the names of a block's loop variables: identifiers, none named like a
 * param, an enclosing repeat's loop variable or the block's own index (NS3017).
 */
function checkLoopNames(ctx: ResolveContext, block: Data, path: readonly PathSegment[], index: string, scope: Scope, chain: readonly Iteration[]): boolean {
  const enclosing = new Map<string, { readonly span: Span; readonly what: string }>();
  for (const it of chain) {
    enclosing.set(it.index, { span: it.span, what: 'the index' });
    for (const [name] of it.vars) enclosing.set(name, { span: it.span, what: 'a list variable' });
  }
  const params = scope.names().filter((n) => !enclosing.has(n));
  const lists = isMapping(block['repeat']) ? Object.keys(block['repeat']) : [];
  const taken = new Set([...enclosing.keys(), ...params]);
  const free = freeName(new Set([...taken, index, ...lists]));
  let ok = true;
  const clash = (name: string, span: Span, what: string, fix: string, fixes?: FixEdits[]): void => {
    const other = enclosing.get(name);
    const notes = other ? [{ message: `'${name}' is ${other.what} of this repeat`, span: other.span }] : [{ message: `param '${name}' is defined here`, span: spanAt(ctx.spec, ['params', name], 'key') }];
    ctx.diagnostics.push(diagnostic('NS3017', span, `${what} '${name}' is already ${other ? `${other.what} of an enclosing repeat` : 'a param'}`, fixOrNote(fix, fixes, notes)));
    ok = false;
  };
  const named = block['as'] !== undefined;
  // `as:` set (or added) on the block names its index: a list renamed would also be a rename of its uses, advice.
  const setIndex = indexFix(ctx, path, named, free);
  if (taken.has(index)) clash(index, spanAt(ctx.spec, [...path, named ? 'as' : 'repeat'], named ? 'value' : 'key'), 'loop index', `${named ? 'use another name, e.g.' : 'add'} \`as: ${free}\` to this repeat`, setIndex ? [setIndex] : undefined);
  for (const name of lists) {
    const at = spanAt(ctx.spec, [...path, 'repeat', name], 'key');
    if (!checkIdentifier(ctx, name, at, 'loop variable')) ok = false;
    else if (name === index) {
      ctx.diagnostics.push(diagnostic('NS3017', at, `loop variable '${name}' has the name of the repeat's index`, named ? { notes: [{ message: 'rename the list' }] } : fixOrNote(`add \`as: ${free}\` to name the index (or rename the list)`, setIndex ? [setIndex] : undefined)));
      ok = false;
    } else if (taken.has(name)) clash(name, at, 'loop variable', 'rename the list', undefined);
  }
  return ok;
}

/** `as: <free>` on the block: the `as:` value replaced, or a new entry on the line after `repeat:` (block style), else after the last. */
function indexFix(ctx: ResolveContext, path: readonly PathSegment[], named: boolean, free: string): FixEdits | undefined {
  const mapping = mappingLayout(ctx.spec, path);
  const count = mapping?.entries.find((e) => e.key === 'repeat');
  const description = `${named ? 'use' : 'add'} \`as: ${free}\``;
  if (!named && mapping && !mapping.flow && count?.valueSpan) {
    const at = lineEnd(ctx.spec.source.text, count.valueSpan.end);
    return { description, edits: [{ span: { file: ctx.spec.source.path, start: at, end: at }, newText: `\n${' '.repeat(mapping.indent)}as: ${free}` }] };
  }
  return optionFix({ mapping, span: spanAt(ctx.spec, path), args: {} }, description, [{ option: 'as', value: free }]);
}

/** Making list `name` (of `has` entries) as long as `first` (of `wanted`), or `first` as long as it: the two alternatives NS3016 offers. */
function lengthFixes(ctx: ResolveContext, path: readonly PathSegment[], name: string, first: string, has: number, wanted: number): FixEdits[] | undefined {
  const entries = (n: number) => `${n} entr${n === 1 ? 'y' : 'ies'}`;
  const fixes = [listLengthFix(ctx.spec, [...path, name], wanted, `give '${name}' ${entries(wanted)}`), listLengthFix(ctx.spec, [...path, first], has, `give '${first}' ${entries(has)}`)];
  return fixes.every((f) => f !== undefined) ? fixes : undefined;
}

/** The values of `repeat: { name: [...], ... }`, one list per variable, all of one length (NS3016). */
function zippedLists(ctx: ResolveContext, written: Data, path: readonly PathSegment[], scope: Scope): [string, number[]][] | undefined {
  const lists: [string, number[]][] = [];
  for (const [name, raw] of Object.entries(written)) {
    const values = resolveValue(ctx, raw, [...path, name], scope);
    if (values !== undefined) lists.push([name, values as number[]]);
  }
  // A list with an error has no length to compare.
  if (lists.length !== Object.keys(written).length) return undefined;
  const [head, ...others] = lists;
  if (!head) return lists;
  const [first, { length }] = head;
  const entries = (n: number) => `${n} entr${n === 1 ? 'y' : 'ies'}`;
  let ok = true;
  for (const [name, values] of others) {
    if (values.length === length) continue;
    ctx.diagnostics.push(
      diagnostic('NS3016', spanAt(ctx.spec, [...path, name]), `repeat list '${name}' has ${entries(values.length)} but '${first}' has ${length}: zipped lists must have one entry per iteration`, {
        // Which list is right is the user's choice: alternatives, each making one fit the other (the longer cut, the shorter's last entry repeated).
        ...fixOrNote(`give '${name}' ${entries(length)}, or '${first}' ${values.length}`, lengthFixes(ctx, path, name, first, values.length, length), [{ message: `'${first}' has ${entries(length)}`, span: spanAt(ctx.spec, [...path, first]) }]),
      }),
    );
    ok = false;
  }
  return ok ? lists : undefined;
}

/** The loop of one block: its count, index name and zipped lists, all checked; undefined after reporting an error. */
function loopOf(ctx: ResolveContext, block: Data, path: readonly PathSegment[], scope: Scope, chain: readonly Iteration[]): Loop | undefined {
  const repeatPath = [...path, 'repeat'];
  // What validation rejected it reported; the block's layers stay unknown.
  if (ctx.invalid.has(pointerOf(path)) || rejected(ctx, pointerOf(repeatPath)) || rejected(ctx, pointerOf([...path, 'as'])) || !Array.isArray(block['layers']) || ctx.invalid.has(pointerOf([...path, 'layers']))) return undefined;
  const index = typeof block['as'] === 'string' ? block['as'] : defaultIndex;
  const named = checkLoopNames(ctx, block, path, index, scope, chain);
  const { ok, input } = inputName(ctx, block, path, chain);
  const withInput = input ? { input } : {};
  if (isMapping(block['repeat'])) {
    const lists = zippedLists(ctx, block['repeat'], repeatPath, scope);
    return named && ok && lists ? { count: lists[0]?.[1].length ?? 0, index, lists, ...withInput } : undefined;
  }
  const count = resolveValue(ctx, block['repeat'], repeatPath, scope);
  return named && ok && count !== undefined ? { count: count as number, index, lists: [], ...withInput } : undefined;
}

/** Records a block's declarations as written, once (a nested block is met once per outer iteration), also when its loop has an error. */
function noteRepeat(ctx: ResolveContext, block: Data, path: readonly PathSegment[]): void {
  const pointer = pointerOf(path);
  if (!ctx.repeats || ctx.repeats.has(pointer)) return;
  const written = (key: string) => (typeof block[key] === 'string' ? { name: block[key] as string, span: spanAt(ctx.spec, [...path, key]) } : undefined);
  const named = written('as');
  const input = written('input');
  const lists = isMapping(block['repeat']) ? Object.keys(block['repeat']).map((name) => ({ name, span: spanAt(ctx.spec, [...path, 'repeat', name], 'key') })) : [];
  ctx.repeats.set(pointer, {
    span: spanAt(ctx.spec, path),
    keySpan: spanAt(ctx.spec, [...path, 'repeat'], 'key'),
    countSpan: spanAt(ctx.spec, [...path, 'repeat']),
    bodySpan: spanAt(ctx.spec, [...path, 'layers']),
    index: named ?? { name: defaultIndex },
    lists,
    ...(input ? { input } : {}),
  });
}

/** Most layers the repeats of one model may make: a count this large is a mistake, and expanding it would exhaust memory. */
export const maxLayers = 10_000;

/**
 * Most work the repeats of one spec may cost, counting every iteration and
 * every layer made: a block with an empty body (or one whose inner repeats make
 * nothing) makes no layers, but a billion iterations of it would still run for minutes.
 */
export const maxExpansion = 100_000;

/**
 * Expands the repeat blocks of a layer list (at `path`) into one flat list of
 * layer items, in order. Loop variables join the scope of the body; a block
 * with an error in its header leaves a placeholder in its place.
 */
export function expandLayers(ctx: ResolveContext, items: readonly unknown[], path: readonly PathSegment[], scope: Scope, notes: IterationNotes): LayerInstance[] {
  const out: LayerInstance[] = [];
  let overflow = false;
  // Reported at the block with the largest count among those being expanded: it is the likely mistake.
  const tooMany = (blocks: readonly Iteration[], what: string): void => {
    const at = blocks.reduce((best, block, k) => (block.count > blocks[best]!.count ? k : best), 0);
    const { count, countSpan } = blocks[at]!;
    notes.run(blocks.slice(0, at), () =>
      ctx.diagnostics.push(
        // The count meant is the user's to say: advice.
        diagnostic('NS3018', countSpan, `repeating ${count} time${count === 1 ? '' : 's'} ${what}`, {
          notes: [{ message: 'check the repeat count: it is the number of iterations, not a size' }],
        }),
      ),
    );
  };
  const layersText = `makes more than ${grouped(maxLayers)} layers`;
  const workText = `is more than netspec expands: at most ${grouped(maxExpansion)} iterations and layers per spec`;
  const expand = (item: unknown, itemPath: readonly PathSegment[], listScope: Scope, chain: readonly Iteration[]): void => {
    if (!isRepeatBlock(item)) {
      ctx.expansion.spent++;
      out.push({ raw: item, path: itemPath, scope: listScope, chain });
      return;
    }
    noteRepeat(ctx, item, itemPath);
    const loop = overflow ? undefined : notes.run(chain, () => loopOf(ctx, item, itemPath, listScope, chain));
    if (!loop) {
      out.push({ raw: undefined, path: itemPath, scope: listScope, chain, placeholder: true });
      return;
    }
    const span = spanAt(ctx.spec, [...itemPath, 'repeat'], 'key');
    const countSpan = spanAt(ctx.spec, [...itemPath, 'repeat']);
    const body = item['layers'] as unknown[];
    // Each iteration costs at least one unit per item of its body (or one, for an empty body): a
    // count that cannot fit is refused before a single iteration runs.
    const leastCost = loop.count * Math.max(1, body.length);
    for (let value = 0; value < loop.count; value++) {
      const exhausted = value === 0 ? ctx.expansion.spent + leastCost > maxExpansion : ctx.expansion.spent > maxExpansion;
      if (overflow || out.length > maxLayers || exhausted) {
        if (!overflow) tooMany([...chain, { span, index: loop.index, value, vars: [], count: loop.count, countSpan }], out.length > maxLayers ? layersText : workText);
        overflow = true;
        out.push({ raw: undefined, path: itemPath, scope: listScope, chain, placeholder: true });
        return;
      }
      const vars = loop.lists.map(([name, values]) => [name, values[value]!] as const);
      // What enters the iteration is whatever comes before its first layer: the last layer of the iteration before, or of what precedes the block.
      const input = loop.input ? { input: { ...loop.input, at: out.length - 1 } } : {};
      const iteration: Iteration = { span, index: loop.index, value, vars, count: loop.count, countSpan, ...input };
      const inner = scopeOf(new Map([[loop.index, value], ...vars]), listScope);
      ctx.expansion.spent++;
      body.forEach((layer, k) => expand(layer, [...itemPath, 'layers', k], inner, [...chain, iteration]));
    }
  };
  items.forEach((item, k) => {
    const before = out.length;
    const overflowBefore = overflow;
    expand(item, [...path, k], scope, []);
    // What a block that made too many layers did make is not checked: its count is the mistake.
    if (overflow && !overflowBefore) out.splice(before, out.length - before, { raw: undefined, path: [...path, k], scope, chain: [], placeholder: true });
  });
  return out;
}
