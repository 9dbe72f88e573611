import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ts } from 'ts-morph';
import { describe, expect, test } from 'vitest';
import { root } from '../helpers/gallery.js';

/**
 * The specs an adversarial review used to crash, hang or subvert netspec,
 * each kept as a case. They run in one child process with a 512 MiB heap
 * cap through the built library, so a blow-up fails the run instead of the
 * machine; each must come back within 5 s as located diagnostics with known
 * codes (or, where the spec is fine, as a module with nothing but declarations).
 * CLI cases (files, links, writes) are in test/cli/.
 */
interface Case {
  readonly name: string;
  readonly sources: readonly [path: string, text: string][];
  /** The error codes expected, in order; [] for a spec that must compile. */
  readonly codes: readonly string[];
}

const model = (layers: readonly string[], { inputs = '{ x: [4] }', head = '' } = {}) =>
  `netspec: 1\nname: hostile\n${head}models:\n  m:\n    inputs: ${inputs}\n    layers:\n${layers.map((l) => `      - ${l}\n`).join('')}`;
const one = (name: string, text: string, codes: readonly string[], path = 'specs/hostile.yaml'): Case => ({ name, sources: [[path, text]], codes });

const cases: Case[] = [
  ...['7', 'true', '~', '{ kernel: 3 }', '{ kernel: ~ }', '[a.json]'].map((w) => one(`weights: ${w}`, model([`{ type: dense, units: 3, weights: ${w} }`]), ['NS2001'])),
  one('weights: 3 on a layer of an unknown type (found by the fuzzer)', model(['{ type: ":dense", weights: 3, units: 2 }']), ['NS2003', 'NS2001']), // the options are checked as the suggested dense: weights must be a mapping
  one('weights: a.json on a layer of an unknown type is not read', model(['{ type: densee, weights: a.json, units: 2 }']), ['NS2003']),
  one('10,000 params aliasing one anchor (found by the fuzzer)', model(['{ type: dense, units: p }'], { head: `params:\n  p: &a 2\n${Array.from({ length: 10_000 }, (_, k) => `  q${k}: *a`).join('\n')}\n` }), []),
  one('a symbol error in a model built on another one with symbolic inputs (found by the fuzzer: endless recursion)', [
    'netspec: 1', 'name: hostile', 'symbols: [H, W]', 'models:',
    '  inner:', '    inputs: &in { x: [H, W, 1] }', '    layers:', '      - { type: concatenate, from: [x, x] }',
    '  outer:', '    inputs: *in', '    layers:', '      - { type: model, model: inner }', '      - { type: averagePooling2d, poolSize: 2 }', '',
  ].join('\n'), ['NS4013', 'NS4013']),
  one('two upSampling2d of 10**200', model(["{ type: upSampling2d, size: '10**200' }", "{ type: upSampling2d, size: '10**200' }"], { inputs: '{ x: [4, 4, 1] }' }), ['NS3003', 'NS3003']),
  one('repeat: 3000 of a stride-2 conv2dTranspose', model(['{ repeat: 3000, layers: [{ type: conv2dTranspose, filters: 1, kernelSize: 2, strides: 2 }] }'], { inputs: '{ x: [4, 4, 1] }' }), ['NS4018']),
  one('dense units: 1e300', model(['{ type: dense, units: 1e300 }']), ['NS2001']),
  one('dense 123456789 -> 987654321', model(['{ type: dense, units: 987654321 }'], { inputs: '{ x: [123456789] }' }), ['NS4018']),
  one('a symbol divided by 10^9 three times', model(['{ type: conv2d, filters: 1, kernelSize: 1, strides: 1000000007 }', '{ type: conv2d, filters: 1, kernelSize: 1, strides: 1000000007 }'], { inputs: '{ x: [H, 4, 1] }', head: 'symbols: { H: { multipleOf: 1000000007 } }\n' }), ['NS4018']),
  one('repeat: 1000000000 of one layer', model(['{ repeat: 1000000000, layers: [{ type: dense, units: 2 }] }']), ['NS3018']),
  one('repeat: 3000000 of an empty inner repeat', model(['{ repeat: 3000000, layers: [{ repeat: 0, as: j, layers: [{ type: dense, units: 2 }] }] }']), ['NS3018']),
  one('1,000 nested parentheses', model([`{ type: dense, units: "${'('.repeat(1000)}2${')'.repeat(1000)}" }`]), ['NS3028']),
  one('a sum of 10,000 terms', model([`{ type: dense, units: "${Array(10000).fill('1').join(' + ')}" }`]), ['NS3028']),
  one('10**400 as a param', model(['{ type: dense, units: p }'], { head: "params: { p: '10 ** 400' }\n" }), ['NS3003']),
  one('.inf as a number', model(['{ type: leakyReLU, alpha: .inf }']), ['NS1009']),
  ...[10_000, 20_000].map((n) => one(`${n} aliases of one anchor`, `netspec: 1\nname: aliases\nparams: { p: &a 1 }\ndescription: [${Array(n).fill('*a').join(', ')}]\nmodels:\n  m:\n    inputs: { x: [4] }\n    layers: [{ type: dense, units: 2 }]\n`, ['NS2001'])),
  one('a billion laughs', `netspec: 1\na: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, k) => `${String.fromCharCode(98 + k)}: &${String.fromCharCode(98 + k)} [${Array(10).fill(`*${String.fromCharCode(97 + k)}`).join(', ')}]`).join('\n')}\nmodels: {}\n`, ['NS1001']),
  one('100,000 nested flow lists', `netspec: 1\nx: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, ['NS1008']),
  // Block nesting indents: 1,400 levels fill most of the 1 MiB a spec may have.
  one('1,400 nested block lists', `netspec: 1\nx:\n${Array.from({ length: 1400 }, (_, k) => `${' '.repeat(k)}-`).join('\n')} 1\n`, ['NS1008']),
  one('a complex key', model(['{ type: dense, units: 2 }']).replace('models:', '{{ type: dense }}: 1\nmodels:'), ['NS1007']),
  one('a __proto__ key', model(['{ type: dense, units: 2 }'], { head: 'params: { __proto__: 3 }\n' }), ['NS1007']),
  one('an unknown tag', model(['{ type: dense, units: !foo 8 }']), ['NS1006']),
  one('a layer id _d', model(['{ type: dense, id: _d, units: 2 }']), ['NS3012']),
  one('an input _x', model(['{ type: dense, units: 2 }'], { inputs: '{ _x: [4] }' }), ['NS3012']),
  one('inputs constructor and valueOf', model(['{ type: concatenate, from: [constructor, valueOf] }'], { inputs: '{ constructor: [4], valueOf: [4] }' }), ['NS3012', 'NS3012']),
  one('a module named after my-spec.yaml', model(['{ type: dense, units: 2 }']).replace('name: hostile\n', ''), ['NS3012'], 'specs/my-spec.yaml'),
  one('a module named after ...yaml', model(['{ type: dense, units: 2 }']).replace('name: hostile\n', ''), ['NS3012'], 'specs/...yaml'),
  one('a module named after a file stem with a newline', model(['{ type: dense, units: 2 }']).replace('name: hostile\n', ''), ['NS3012'], 'specs/a\nb.yaml'),
  ...["x*/ console.log('INJECTED'); /* .yaml", "a\nconsole.log('INJECTED');.yaml", 'a\rb.yaml', 'a\u2028b.yaml', 'a\u2029b.yaml'].map((file) =>
    one(`a spec path ${JSON.stringify(file)} with name: set`, model(['{ type: dense, units: 2 }']), [], `specs/${file}`),
  ),
];

function run(all: readonly Case[]): { results: Record<string, unknown>[]; maxRssMiB: number } {
  const output = execFileSync(process.execPath, ['--max-old-space-size=512', join(root, 'test', 'hostile', 'run-cases.mjs')], {
    input: JSON.stringify(all),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    timeout: 120_000,
  });
  return JSON.parse(output) as { results: Record<string, unknown>[]; maxRssMiB: number };
}

describe('hostile specs: located diagnostics, no exception, bounded time and memory', () => {
  const { results, maxRssMiB } = run(cases);

  test.each(cases.map((c, i) => [c.name, c, results[i]!] as const))('%s', (_, c, result) => {
    expect(result['threw']).toBeUndefined();
    expect(result['name']).toBe(c.name);
    expect(result['codes']).toEqual(c.codes);
    expect(result['unknownCodes']).toEqual([]);
    expect(result['badSpans']).toEqual([]);
    expect(result['ms'] as number).toBeLessThan(5000);
    const modules = result['modules'] as string[];
    expect(modules).toHaveLength(c.codes.length === 0 ? 1 : 0);
    for (const text of modules) {
      // Only declarations at the top level: nothing in a path or a name turned into code that runs on import.
      const file = ts.createSourceFile('m.ts', text, ts.ScriptTarget.ES2022, true);
      const declarations = [ts.SyntaxKind.ImportDeclaration, ts.SyntaxKind.VariableStatement, ts.SyntaxKind.InterfaceDeclaration, ts.SyntaxKind.FunctionDeclaration];
      expect(file.statements.filter((s) => !declarations.includes(s.kind)).map((s) => s.getText())).toEqual([]);
      expect(text).not.toMatch(/^\s*console\.log/m);
    }
  });

  test('the whole run stays under 500 MB', () => {
    expect(maxRssMiB).toBeLessThan(500);
  });
});
