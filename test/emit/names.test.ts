import { Project } from 'ts-morph';
import { describe, expect, test } from 'vitest';
import { grouped } from '../../src/diagnostics/describe.js';
import { pascal, variableNames } from '../../src/emit/names.js';
import { compile } from '../../src/index.js';

/** Words ECMAScript reserves in strict-mode modules (ES2022 §12.7.2 and §13.1.1), where generated code lives. */
const ecmaReserved = (
  'await break case catch class const continue debugger default delete do else enum export extends false finally for function if import in ' +
  'instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public ' +
  'arguments eval'
).split(' ');

const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { noLib: true, strict: true, module: 99 /* ESNext */, target: 9 /* ES2022 */ } });
let files = 0;

/** TypeScript's errors for a module declaring `name` as a local const of a function, as the build functions do. */
function errorsDeclaring(name: string): string[] {
  const file = project.createSourceFile(`n${++files}.ts`, `export function f(): number {\n  const ${name} = 1;\n  return ${name};\n}\n`);
  // noLib leaves global types undefined; only errors located in the file matter here.
  return file.getPreEmitDiagnostics().filter((d) => d.getSourceFile() === file).map((d) => String(d.getMessageText()));
}

const rename = (ids: readonly string[], imported?: readonly string[]) => [...variableNames(ids, imported)];

describe('variableNames', () => {
  test.each<[string, { given: string[]; imported?: string[]; want: [string, string][] }]>([
    ['plain ids stay as they are', { given: ['z', 'dense_1', 'up1', 'Image'], want: [['z', 'z'], ['dense_1', 'dense_1'], ['up1', 'up1'], ['Image', 'Image']] }],
    ['a reserved word gets an underscore', { given: ['default'], want: [['default', 'default_']] }],
    ['the tf namespace import is reserved', { given: ['tf'], want: [['tf', 'tf_']] }],
    ['names the generated code uses are reserved', { given: ['model', 'inputs', 'outputs'], want: [['model', 'model_'], ['inputs', 'inputs_'], ['outputs', 'outputs_']] }],
    ['a renamed id does not take an id the spec uses later', { given: ['default', 'default_'], want: [['default', 'default_'], ['default_', 'default__']] }],
    ['nor one the spec used earlier', { given: ['default_', 'default'], want: [['default_', 'default_'], ['default', 'default__']] }],
    ['chains of collisions', { given: ['tf', 'tf_', 'tf__'], want: [['tf', 'tf_'], ['tf_', 'tf__'], ['tf__', 'tf___']] }],
    ['an imported runtime factory is not shadowed', { given: ['upSampling1d', 'x'], imported: ['upSampling1d', 'cropping1d'], want: [['upSampling1d', 'upSampling1d_'], ['x', 'x']] }],
    ['a renamed import does not take a later id', { given: ['cropping1d', 'cropping1d_'], imported: ['cropping1d'], want: [['cropping1d', 'cropping1d_'], ['cropping1d_', 'cropping1d__']] }],
    ['an id that only looks like an import is kept when nothing imports it', { given: ['upSampling1d'], want: [['upSampling1d', 'upSampling1d']] }],
    ['case matters', { given: ['Default', 'TF', 'Model'], want: [['Default', 'Default'], ['TF', 'TF'], ['Model', 'Model']] }],
  ])('%s', (_, { given, imported, want }) => {
    expect(rename(given, imported)).toEqual(want);
  });

  test('every ECMAScript reserved word is renamed, and needs to be', () => {
    const names = variableNames(ecmaReserved);
    for (const word of ecmaReserved) {
      expect([word, names.get(word)]).toEqual([word, `${word}_`]);
      // TypeScript accepts `await` as a name inside a function, but module code reserves it everywhere (ES2022 §13.1.1).
      if (word !== 'await') expect([word, errorsDeclaring(word).length > 0]).toEqual([word, true]);
    }
  });

  test('renamed names are distinct, valid const names that shadow nothing reserved', () => {
    const ids = [...ecmaReserved, 'tf', 'model', 'inputs', 'outputs', 'undefined', 'NaN', 'Infinity', ...ecmaReserved.map((w) => `${w}_`), 'tf_', 'tf__', 'x'];
    const names = [...variableNames(ids).values()];
    expect(new Set(names).size).toBe(ids.length);
    const reservedNow = new Set([...ecmaReserved, 'tf', 'model', 'inputs', 'outputs']);
    expect(names.filter((n) => reservedNow.has(n))).toEqual([]);
    expect(names.flatMap((n) => errorsDeclaring(n).map((e) => `${n}: ${e}`))).toEqual([]);
  });

  test('the map follows the order of the ids', () => {
    expect([...variableNames(['b', 'a', 'c']).keys()]).toEqual(['b', 'a', 'c']);
  });
});

describe('pascal', () => {
  test.each([
    ['generator', 'Generator'],
    ['dcganMnist', 'DcganMnist'],
    ['g', 'G'],
    ['Gen', 'Gen'],
    ['_private', '_private'],
    ['vae_decoder', 'Vae_decoder'],
  ])('%s -> %s', (given, want) => {
    expect(pascal(given)).toBe(want);
  });

  test('a name that is not an identifier never reaches the printer: resolve rejects it first', () => {
    expect(() => pascal('')).toThrow(/not an identifier/);
  });
});

describe('grouped', () => {
  test.each([
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [1000, '1,000'],
    [1920, '1,920'],
    [65089, '65,089'],
    [999999, '999,999'],
    [1000000, '1,000,000'],
    [5126723, '5,126,723'],
    [123456789012, '123,456,789,012'],
  ])('%d -> %s', (given, want) => {
    expect(grouped(given)).toBe(want);
  });
});

// Two models whose names differ only in the case of the first letter would both emit `buildGen`,
// `GenInputs`, ...: resolve reports it, and nothing is emitted.
test('models named gen and Gen are an error, not a module that does not type-check', () => {
  const text = ['netspec: 1', 'models:', '  gen:', '    inputs: { x: [4] }', '    layers: [{ type: dense, units: 2 }]', '  Gen:', '    inputs: { x: [4] }', '    layers: [{ type: dense, units: 2 }]', ''].join('\n');
  const result = compile([{ path: 'specs/two.yaml', text }]);
  expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([['NS3013', "models 'gen' and 'Gen' would both generate buildGen()"]]);
  expect(result.modules).toEqual([]);
});
