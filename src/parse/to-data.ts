import { isAlias, isMap, isScalar, isSeq, type Alias, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { shorten } from '../diagnostics/describe.js';
import { diagnostic, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { renameProtoFix, unwrapBracesFix } from '../fix/parse-edits.js';
import type { SourceFile } from '../ir.js';
import { maxNestingDepth } from './read-yaml.js';
import { aliasTarget, isMergeKey, rangeSpan } from './yaml-nodes.js';

/**
 * How many values aliases (and merges of aliased mappings) may add to a spec,
 * counting every value inside what they repeat. A real spec reuses a few layer
 * templates; 100,000 admits any of them while a "billion laughs" document,
 * where each anchor aliases the one before ten times, stops within six levels.
 * Every later stage walks the expanded data, so this bounds their work too.
 */
export const maxAliasValues = 100_000;

/** Sets an own property, also for names that plain assignment treats specially. */
function setOwn(data: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(data, key, { value, writable: true, enumerable: true, configurable: true });
}

function isMappingData(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function kindOf(node: unknown): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return 'empty';
  return `the value ${shorten(String((node as Scalar).value))}`;
}

/**
 * Converts a parsed document to plain data, as yaml's `toJS` with
 * `merge: true` would, but in one pass: an alias takes the data of its
 * anchor, converted once and shared (yaml looked each alias up with a walk of
 * the whole document). Own keys win over merged ones, and earlier merges over
 * later ones. Everything the data must not hold is reported at its node: keys
 * that are not plain values or are `__proto__` (NS1007), numbers that are not
 * finite (NS1009), aliases to unknown anchors, aliases inside their own anchor,
 * merges of what is not a mapping and aliases past maxAliasValues (NS1001), and
 * data nested deeper than maxNestingDepth (NS1008).
 *
 * It recurses once per level of the text, which readYaml has bounded.
 */
export function toData(source: SourceFile, document: Document.Parsed): Result<unknown> {
  const converter = new Converter(source, document);
  const data = converter.value(document.contents, 1);
  return converter.diagnostics.length > 0 ? { diagnostics: converter.diagnostics } : { value: data, diagnostics: [] };
}

class Converter {
  readonly diagnostics: Diagnostic[] = [];
  /** The data of each anchored node, for its aliases. */
  readonly #converted = new Map<Node, unknown>();
  /** Anchored nodes being converted: an alias to one would contain itself. */
  readonly #open = new Set<Node>();
  /** How many values a collection holds, at any depth, and how many levels deep it nests. */
  readonly #sizes = new WeakMap<object, number>();
  readonly #heights = new WeakMap<object, number>();
  #added = 0;
  #tooMany = false;
  #tooDeep = false;

  constructor(
    private readonly source: SourceFile,
    private readonly document: Document.Parsed,
  ) {}

  /** The data of a node whose value sits at `depth` (the document's own value is at 1). */
  value(node: unknown, depth: number): unknown {
    if (isAlias(node)) return this.#alias(node, depth);
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) return null;
    if (node.anchor) this.#open.add(node);
    const data = isScalar(node) ? this.#scalar(node) : this.#collection(node, depth);
    if (node.anchor) {
      this.#open.delete(node);
      this.#converted.set(node, data);
    }
    return data;
  }

  #scalar(node: Scalar): unknown {
    const value = node.value;
    if (typeof value === 'number' && !Number.isFinite(value)) this.diagnostics.push(this.#nonFinite(node, value));
    return typeof value === 'bigint' ? Number(value) : value;
  }

  #nonFinite(node: Scalar, value: number): Diagnostic {
    const [start, end] = node.range ?? [0, 1];
    const written = shorten(this.source.text.slice(start, end));
    const what = Number.isNaN(value) ? 'is not a number (NaN)' : /^[-+]?\.inf$/i.test(written) ? `is ${value < 0 ? 'minus ' : ''}infinity` : `is too large for a number: it reads as ${value < 0 ? '-' : ''}Infinity`;
    // Advice: which number was meant is the user's to say, and quoting is right only where the option takes text.
    return diagnostic('NS1009', rangeSpan(this.source, node), `'${written}' ${what}; a spec holds only finite numbers`, {
      notes: [{ message: `write a finite number; quote it ('${written}') if you mean the text` }],
    });
  }

  #collection(node: YAMLMap | YAMLSeq, depth: number): unknown {
    if (depth > maxNestingDepth) {
      this.#reportDepth(diagnostic('NS1008', rangeSpan(this.source, node), `${kindOf(node)} nested ${depth} levels deep; the limit is ${maxNestingDepth}`, { notes: [{ message: depthAdvice }] }));
      return null;
    }
    const data = isSeq(node) ? node.items.map((item) => this.value(item, depth + 1)) : this.#map(node, depth);
    this.#measure(data);
    return data;
  }

  #map(node: YAMLMap, depth: number): Record<string, unknown> {
    const data: Record<string, unknown> = {};
    for (const pair of node.items) {
      if (isMergeKey(pair.key)) {
        this.#merge(data, pair, depth);
        continue;
      }
      const key = this.#key(node, pair, depth);
      const value = this.value(pair.value, depth + 1);
      if (key !== undefined) setOwn(data, key, value);
    }
    return data;
  }

  /** A key as the data names it (`12` and `true` become '12' and 'true', an empty key ''); undefined for a key not allowed. */
  #key(map: YAMLMap, pair: Pair, depth: number): string | undefined {
    const node = pair.key;
    const target = isAlias(node) ? aliasTarget(this.document, node) : node;
    if (isMap(target) || isSeq(target)) {
      this.diagnostics.push(this.#complexKey(map, pair, node as Node, target));
      return undefined;
    }
    const value = this.value(node, depth + 1);
    const key = value === null || value === undefined ? '' : String(value);
    if (key !== '__proto__') return key;
    this.diagnostics.push(
      diagnostic('NS1007', rangeSpan(this.source, node as Node), "key '__proto__' is not allowed: in JavaScript, setting it replaces an object's prototype instead of adding an entry, so netspec could not read it as a name", {
        fix: "rename the key, e.g. to 'proto'",
        fixes: [renameProtoFix(this.source, this.document, rangeSpan(this.source, node as Node), map)],
      }),
    );
    return undefined;
  }

  #complexKey(map: YAMLMap, pair: Pair, node: Node, target: YAMLMap | YAMLSeq): Diagnostic {
    const what = isAlias(node) ? `an alias to ${kindOf(target)}` : kindOf(target);
    // `{{ a: 1 }}` (template syntax) is a mapping whose only key is the mapping `{ a: 1 }`, without a value.
    const doubled = isMap(node) && node.flow && map.flow && map.items.length === 1 && (pair.value === null || (isScalar(pair.value) && pair.value.value === null));
    const unwrap = doubled ? unwrapBracesFix(this.source, map) : undefined;
    const message = `a mapping key must be a plain value, a name or a number; this key is ${what}`;
    if (unwrap) {
      return diagnostic('NS1007', rangeSpan(this.source, node), message, {
        fix: 'remove the outer pair of braces: `{ ... }` is the mapping, `{{ ... }}` makes it the key of another one (template syntax, not YAML)',
        fixes: [unwrap],
      });
    }
    // Which name the value should go under is the user's to choose: advice.
    return diagnostic('NS1007', rangeSpan(this.source, node), message, { notes: [{ message: `use a name or a number as the key, and put ${kindOf(target)} under it as the value` }] });
  }

  /** `<<: source` copies the entries of a mapping, or of each mapping of a list, that the map does not have yet. */
  #merge(data: Record<string, unknown>, pair: Pair, depth: number): void {
    const value = pair.value as Node | null;
    const converted = this.value(value, depth);
    const resolved = isAlias(value) ? aliasTarget(this.document, value) : value;
    const items: unknown[] = isSeq(resolved) ? resolved.items : [value];
    const sources: unknown[] = isSeq(resolved) ? (Array.isArray(converted) ? converted : []) : [converted];
    items.forEach((item, i) => {
      const node = isAlias(item) ? aliasTarget(this.document, item) : item;
      // An unknown anchor is reported where the alias is.
      if (isAlias(item) && !node) return;
      if (!isMap(node)) {
        // An empty value has a zero-width range; the key shows where it is.
        const at = (item === null || (isScalar(item) && item.value === null) ? pair.key : item) as Node;
        this.diagnostics.push(
          diagnostic('NS1001', rangeSpan(this.source, at), `a merge (<<) takes a mapping or a list of mappings; this is ${kindOf(node)}`, {
            notes: [{ message: 'merge an anchored mapping, e.g. `base: &base { kernelSize: 3 }` and then `<<: *base`' }],
          }),
        );
        return;
      }
      const source = sources[i];
      if (!isMappingData(source)) return;
      for (const key of Object.keys(source)) if (!Object.hasOwn(data, key)) setOwn(data, key, source[key]);
    });
  }

  #alias(alias: Alias, depth: number): unknown {
    const target = aliasTarget(this.document, alias);
    if (!target) {
      this.diagnostics.push(diagnostic('NS1001', rangeSpan(this.source, alias), `unknown anchor '${alias.source}': an alias needs an anchor \`&${alias.source}\` earlier in the file`));
      return null;
    }
    const anchor = { message: `the anchor &${alias.source} is here`, span: rangeSpan(this.source, target) };
    if (this.#open.has(target)) {
      this.diagnostics.push(
        diagnostic('NS1001', rangeSpan(this.source, alias), `alias *${alias.source} is inside the value anchored &${alias.source}, so that value would contain itself`, {
          notes: [anchor, { message: `move *${alias.source} out of the anchored value, or anchor a part that does not contain it` }],
        }),
      );
      return null;
    }
    // Not converted: it was too deep, and that is reported.
    if (!this.#converted.has(target)) return null;
    const data = this.#converted.get(target);
    this.#count(alias, data, depth, anchor);
    return data;
  }

  /** What an alias adds: its values count against maxAliasValues, and its depth adds to where it stands. */
  #count(alias: Alias, data: unknown, depth: number, anchor: { message: string; span: ReturnType<typeof rangeSpan> }): void {
    const size = this.#size(data);
    this.#added += size;
    if (this.#added > maxAliasValues && !this.#tooMany) {
      this.#tooMany = true;
      this.diagnostics.push(
        diagnostic('NS1001', rangeSpan(this.source, alias), `aliases add more than ${maxAliasValues} values to the spec by here (*${alias.source} adds ${size}); a spec that large is almost surely aliases of aliases multiplying`, {
          notes: [anchor, { message: 'alias fewer or smaller anchors; for layers that repeat, use `repeat:`' }],
        }),
      );
    }
    const height = this.#height(data);
    if (height > 0 && depth + height - 1 > maxNestingDepth) {
      this.#reportDepth(
        diagnostic('NS1008', rangeSpan(this.source, alias), `alias *${alias.source} stands at level ${depth} and its value nests ${height} levels, ${depth + height - 1} in all; the limit is ${maxNestingDepth}`, {
          notes: [anchor, { message: depthAdvice }],
        }),
      );
    }
  }

  /** Only the first place too deep is reported: every level past it would repeat the same news. */
  #reportDepth(d: Diagnostic): void {
    if (this.#tooDeep) return;
    this.#tooDeep = true;
    this.diagnostics.push(d);
  }

  #size(data: unknown): number {
    return data !== null && typeof data === 'object' ? (this.#sizes.get(data) ?? 1) : 1;
  }

  #height(data: unknown): number {
    return data !== null && typeof data === 'object' ? (this.#heights.get(data) ?? 1) : 0;
  }

  #measure(data: unknown[] | Record<string, unknown>): void {
    let size = 1;
    let height = 0;
    for (const value of Array.isArray(data) ? data : Object.values(data)) {
      size += this.#size(value);
      height = Math.max(height, this.#height(value));
    }
    this.#sizes.set(data, size);
    this.#heights.set(data, height + 1);
  }
}

/** Advice, not a fix: what to flatten is the user's design. */
export const depthAdvice = 'flatten the structure: a spec needs about ten levels (models, a model, layers, a layer, an option, a list)';
