import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { SourceFile } from '../../src/index.js';
import { gallerySources, root } from '../helpers/gallery.js';
import type { FuzzCase } from './case.js';

/**
 * Mutants of real specs: the gallery, specs/invalid/ and test/fixtures/.
 * Text edits break them the way hands and editors do (a number changed, a
 * line dropped, doubled or moved, the file cut short, YAML punctuation
 * typed in); data edits parse them, change one value, key or type, and
 * write them back with the `yaml` package. Each edit is a few numbers, so
 * fast-check shrinks a mutant to the fewest, earliest edits.
 */

function yamlFiles(dir: string): string[] {
  return readdirSync(join(root, dir))
    .sort()
    .flatMap((name) => {
      const path = `${dir}/${name}`;
      if (statSync(join(root, path)).isDirectory()) return yamlFiles(path);
      return name.endsWith('.yaml') ? [path] : [];
    });
}

const read = (path: string): SourceFile => ({ path, text: readFileSync(join(root, path), 'utf8') });

/** NS1004 (not text) and NS1005 (over 1 MiB) fixtures are bytes, not text to edit: decodeSource's tests own them. */
const invalid = yamlFiles('specs/invalid').filter((p) => !/\/NS100[45]/.test(p));
/** A folder of specs checked together (NS3010) stays one multi-source case. */
const groups = invalid.filter((p) => p.split('/').length > 3);
export const bases: readonly (readonly SourceFile[])[] = [
  ...gallerySources().map((s) => [s]),
  ...invalid.filter((p) => !groups.includes(p)).map((p) => [read(p)]),
  [...new Set(groups.map((p) => p.slice(0, p.lastIndexOf('/'))))].flatMap((dir) => groups.filter((p) => p.startsWith(dir + '/')).map(read)),
  ...yamlFiles('test/fixtures').map((p) => [read(p)]),
].filter((group) => group.length > 0);

const replacements = ['0', '-1', '1.5', '1e9', '3', 'x', 'null', '[]', '{}', '"', 'same', '-', '[1, [2]]', '987654321', '1e300', '.inf', '.nan', '-0', '1e-320', "'2**1023'", '2 ** 2', '"{i}"'];
const punctuation = [':', '- ', '{', '}', '[', ']', ',', '\t', '&a ', '*a', '!!int ', '!foo ', '#', '{i}', '? ', '|', '>', '"', "'", '%', '@', '`', '\n', 'repeat: 2\n', '---\n', '<<: '];
const values: unknown[] = [0, -1, 1.5, 1e9, 3, 'x', null, true, [], {}, 'same', [1, [2]], 987654321, 1e300, Infinity, NaN, -0, '2**1023', 'p * 2', 'relu', [4, 4, 3], { type: 'dense', units: 2 }, 'up{i}'];
const keys = ['type', 'id', 'from', 'units', 'filters', 'kernelSize', 'strides', 'padding', 'repeat', 'layers', 'inputs', 'outputs', 'weights', 'kernel_size', 'model', 'as', '__proto__', 'constructor'];

interface Edit {
  readonly kind: number;
  readonly at: number;
  readonly pick: number;
}

const edit: fc.Arbitrary<Edit> = fc.record({ kind: fc.nat(12), at: fc.nat(), pick: fc.nat() });

function textEdit(text: string, e: Edit): string {
  const lines = text.split('\n');
  const line = e.at % Math.max(1, lines.length);
  const where = e.at % (text.length + 1);
  switch (e.kind % 6) {
    case 0: {
      const numbers = [...text.matchAll(/-?\b\d+(\.\d+)?\b/g)];
      if (numbers.length === 0) return text;
      const m = numbers[e.at % numbers.length]!;
      return text.slice(0, m.index) + replacements[e.pick % replacements.length] + text.slice(m.index + m[0].length);
    }
    case 1:
      return [...lines.slice(0, line), ...lines.slice(line + 1)].join('\n');
    case 2:
      return [...lines.slice(0, line + 1), lines[line]!, ...lines.slice(line + 1)].join('\n');
    case 3: {
      const other = e.pick % lines.length;
      const swapped = lines.slice();
      [swapped[line], swapped[other]] = [swapped[other]!, swapped[line]!];
      return swapped.join('\n');
    }
    case 4:
      return text.slice(0, where);
    default:
      return text.slice(0, where) + punctuation[e.pick % punctuation.length] + text.slice(where);
  }
}

type Path = (string | number)[];

/** Every path to a node of the document, depth first: what a data edit can target. */
function paths(node: unknown, at: Path = [], out: Path[] = []): Path[] {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      if (typeof key !== 'string' && typeof key !== 'number') continue;
      out.push([...at, key]);
      paths(pair.value, [...at, key], out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      out.push([...at, i]);
      paths(item, [...at, i], out);
    });
  }
  return out;
}

/** A data edit; where the `yaml` API refuses one (an alias in the way, say), the text edit instead. */
function dataEdit(text: string, e: Edit): string {
  try {
    return dataEditOrThrow(text, e);
  } catch {
    return textEdit(text, e);
  }
}

function dataEditOrThrow(text: string, e: Edit): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return textEdit(text, e);
  const all = paths(doc.contents);
  if (all.length === 0) return textEdit(text, e);
  const path = all[e.at % all.length]!;
  const parent = path.slice(0, -1);
  const last = path[path.length - 1]!;
  const current = doc.getIn(path, true) as Node | undefined;
  switch (e.kind % 6) {
    case 0: // a new value
      doc.setIn(path, doc.createNode(values[e.pick % values.length]));
      break;
    case 1: {
      // a renamed key (another key of the spec, its snake_case, or a tricky one)
      const container = doc.getIn(parent, true);
      if (!isMap(container) || typeof last !== 'string') break;
      const pair = container.items.find((p) => isScalar(p.key) && p.key.value === last);
      const seen = all.map((p) => p[p.length - 1]).filter((k): k is string => typeof k === 'string');
      const choices = [...keys, ...seen, last.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
      if (pair && isScalar(pair.key)) pair.key.value = choices[e.pick % choices.length];
      break;
    }
    case 2:
      doc.deleteIn(path);
      break;
    case 3: {
      // a duplicated sequence item (a layer twice: duplicate ids, doubled repeats)
      const container = doc.getIn(parent, true);
      if (isSeq(container) && typeof last === 'number') container.items.splice(last, 0, doc.createNode(doc.getIn(path)));
      break;
    }
    case 4: {
      // another type: a number as a string, a scalar in a list, a collection as its first entry
      const value = doc.getIn(path);
      const changed = typeof value === 'number' ? String(value) : isScalar(current) ? [value] : isMap(current) || isSeq(current) ? (current.items[0] as { value?: unknown } | undefined)?.value ?? null : null;
      doc.setIn(path, doc.createNode(changed));
      break;
    }
    default: {
      // two sequence items swapped (a layer moved)
      const container = doc.getIn(parent, true);
      if (!isSeq(container) || typeof last !== 'number') break;
      const other = e.pick % container.items.length;
      [container.items[last], container.items[other]] = [container.items[other]!, container.items[last]!];
    }
  }
  return e.pick % 2 === 0 ? doc.toString({ lineWidth: 0 }) : doc.toString({ lineWidth: 0, flowCollectionPadding: false, defaultStringType: 'QUOTE_DOUBLE' });
}

export const mutationCases: fc.Arbitrary<FuzzCase> = fc
  .record({ base: fc.nat(bases.length - 1), target: fc.nat(), edits: fc.array(fc.tuple(fc.boolean(), edit), { minLength: 1, maxLength: 3 }) })
  .map(({ base, target, edits }) => {
    const sources = bases[base]!;
    const which = target % sources.length;
    return {
      family: 'mutation' as const,
      sources: sources.map((s, i) => (i === which ? { path: s.path, text: edits.reduce((text, [data, e]) => (data ? dataEdit(text, e) : textEdit(text, e)), s.text) } : s)),
    };
  });
