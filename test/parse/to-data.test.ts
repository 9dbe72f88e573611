import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseDocument } from 'yaml';
import { describe, expect, test } from 'vitest';
import { parseSpec } from '../../src/parse/parse-spec.js';
import { yamlOptions } from '../../src/parse/read-yaml.js';
import { root } from '../helpers/gallery.js';

/** What yaml's own (quadratic) conversion makes of the text, with the options parseSpec uses. */
function yamlData(text: string): unknown {
  return parseDocument(text, yamlOptions).toJS({ maxAliasCount: -1 });
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return name.endsWith('.yaml') ? [relative(root, path).split('\\').join('/')] : [];
    });
}

describe('toData gives the data yaml.toJS gives', () => {
  // The gallery, its generated and emit fixtures, and the invalid specs whose YAML is fine.
  const files = [...yamlFiles(join(root, 'specs')), ...yamlFiles(join(root, 'test', 'fixtures'))];
  const parsed = files.map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') })).filter(({ path, text }) => parseSpec({ path, text }).value);

  test('most files are compared', () => expect(parsed.length).toBeGreaterThan(80));

  test.each(parsed.map((f) => [f.path, f] as const))('%s', (_path, { path, text }) => {
    const [ours, theirs] = [parseSpec({ path, text }).value!.data, yamlData(text)];
    // node's strict deep equality, not vitest's toStrictEqual, which compares `.constructor`: a spec may have a key named so.
    expect(ours).toEqual(theirs);
    expect(isDeepStrictEqual(ours, theirs)).toBe(true);
  });

  const constructs: [string, string][] = [
    ['scalars of every kind', 'a: 1\nb: -2.5\nc: 0x1F\nd: 0o17\ne: 1e3\nf: true\ng: False\nh: null\ni: ~\nj:\nk: "q"\nl: \'s\'\nm: text with spaces\n'],
    ['block scalars', 'a: |\n  line 1\n  line 2\nb: >-\n  folded\n  text\nc: |+\n  kept\n\n'],
    ['keys of every kind', '1: a\n2.5: b\ntrue: c\n~: d\n"q": e\n0x10: f\n'],
    ['keys a prototype also has', 'constructor: 1\ntoString: 2\nvalueOf: { hasOwnProperty: 3 }\n'],
    ['nested flow and block', 'a:\n  - { b: [1, { c: 2 }] }\n  - - x\n    - y\n'],
    ['pairs in a flow list', 'a: [k: 1, j: 2]\n'],
    ['an anchor and its aliases', 'a: &x { k: [1, 2] }\nb: *x\nc: [*x, *x]\n'],
    ['a redefined anchor', 'a: &x 1\nb: *x\nc: &x 2\nd: *x\n'],
    ['an anchor inside a redefined one', 'a: &x [&x 1, *x]\nb: *x\n'],
    ['an alias as a key', 'a: &k name\n*k : 2\n'],
    ['a merge: own keys win, before and after it', 'b: &b { k: 1, s: 2, t: 3 }\nm: { s: 9, <<: *b, t: 8 }\n'],
    ['a merge list: earlier sources win', 'x: &x { k: 1 }\ny: &y { k: 2, w: 3 }\nm: { <<: [*x, *y], z: 0 }\n'],
    ['a merge of an alias to a list', 'x: &x { k: 1 }\ny: &y { w: 2 }\nl: &l [*x, *y]\nm: { <<: *l }\n'],
    ['merges of merges', 'a: &a { k: 1 }\nb: &b { <<: *a, j: 2 }\nc: { <<: *b, i: 3 }\n'],
    ['an inline merge', 'm: { <<: { k: 1 }, s: 2 }\n'],
    ['two merge keys', 'a: &a { k: 1 }\nb: &b { j: 2, k: 3 }\nm:\n  <<: *a\n  <<: *b\n'],
    ['a merged key order', 'a: &a { z: 1, y: 2 }\nm: { x: 0, <<: *a, w: 3 }\n'],
    ['a quoted << is a key', 'm: { "<<": 1 }\n'],
    ['numeric-looking keys keep JS order', 'm: { b: 1, 2: 2, a: 3, 1: 4 }\n'],
    ['core tags', 'a: !!str 1\nb: !!int "2"\nc: !!float 0.5\nd: ! 4\ne: !!map { f: !!seq [1] }\n'],
    ['a top-level list', '- 1\n- [2]\n'],
    ['a top-level scalar', 'just text\n'],
  ];
  test.each(constructs)('%s', (_name, text) => {
    const result = parseSpec({ path: 'a.yaml', text });
    expect(result.diagnostics).toEqual([]);
    expect(result.value!.data).toStrictEqual(yamlData(text));
    // Key order matters: params are evaluated in order.
    expect(JSON.stringify(result.value!.data)).toBe(JSON.stringify(yamlData(text)));
  });
});
