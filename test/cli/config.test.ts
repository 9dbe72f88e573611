import { describe, expect, test } from 'vitest';
import { configFile, defaultConfig, jsonErrorOffset, parseConfig } from '../../src/cli/config.js';
import { Locator } from '../../src/diagnostics/location.js';

/** `line:column message` of each diagnostic, or just the message when it has no place. */
function problems(text: string): string[] {
  const locator = new Locator(new Map([[configFile, text]]));
  return parseConfig(text).diagnostics.map((d) => {
    expect(d.code).toBe('NS9003');
    expect(d.fix, d.message).toBeDefined();
    if (!d.span) return d.message;
    const at = locator.locate(d.span);
    return `${at.line}:${at.column} ${d.message}`;
  });
}

describe('parseConfig: valid settings', () => {
  const cases: [string, { given: string; want: unknown }][] = [
    ['an empty object: the defaults', { given: '{}', want: defaultConfig }],
    ['every setting', { given: '{ "include": ["a", "b"], "exclude": ["a/x"], "outDir": "out" }', want: { include: ['a', 'b'], exclude: ['a/x'], outDir: 'out' } }],
    ['an empty exclude', { given: '{ "exclude": [] }', want: { ...defaultConfig, exclude: [] } }],
    ['indented with tabs', { given: '{\n\t"outDir": "gen"\n}\n', want: { ...defaultConfig, outDir: 'gen' } }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    expect(parseConfig(given)).toEqual({ value: want, diagnostics: [] });
  });
});

describe('parseConfig: each problem is one located NS9003 with a fix', () => {
  const cases: [string, { given: string; want: string[] }][] = [
    ['null', { given: 'null', want: ['1:1 the configuration must be a JSON object; received null'] }],
    ['a list', { given: '[]\n', want: ['1:1 the configuration must be a JSON object; received []'] }],
    ['a number', { given: '  42', want: ['1:3 the configuration must be a JSON object; received 42'] }],
    ['a string', { given: '"specs"', want: ["1:1 the configuration must be a JSON object; received 'specs'"] }],
    ['a misspelled key', { given: '{\n  "outdir": "gen"\n}', want: ["2:3 unknown setting 'outdir'; did you mean 'outDir'?"] }],
    ['a snake_case key', { given: '{ "out_dir": "gen" }', want: ["1:3 unknown setting 'out_dir'; did you mean 'outDir'?"] }],
    ['an unknown key', { given: '{ "specs": ["a"] }', want: ["1:3 unknown setting 'specs'"] }],
    ['include as a string', { given: '{ "include": "specs" }', want: ["1:14 'include' must be a list of paths; received 'specs'"] }],
    ['include as a number', { given: '{ "include": 3 }', want: ["1:14 'include' must be a list of paths; received 3"] }],
    ['include with a number in it', { given: '{ "include": ["specs", 3] }', want: ["1:24 each entry of 'include' must be a path in quotes; entry 2 is 3"] }],
    ['an empty include', { given: '{ "include": [] }', want: ["1:14 'include' is empty, so there are no specs to compile"] }],
    ['exclude as null', { given: '{ "exclude": null }', want: ["1:14 'exclude' must be a list of paths; received null"] }],
    ['outDir as a list', { given: '{ "outDir": ["gen"] }', want: ["1:13 'outDir' must be the path of a folder; received ['gen']"] }],
    ['an empty outDir', { given: '{ "outDir": "" }', want: ["1:13 'outDir' must be the path of a folder; received an empty string"] }],
    ['two problems: two diagnostics', { given: '{ "include": [], "outdir": "x" }', want: ["1:14 'include' is empty, so there are no specs to compile", "1:18 unknown setting 'outdir'; did you mean 'outDir'?"] }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    expect(problems(given)).toEqual(want);
    expect(parseConfig(given).value).toBeUndefined();
  });

  test('the fixes say what to write', () => {
    const fix = (text: string) => parseConfig(text).diagnostics[0]!.fix;
    expect(fix('{ "outdir": "gen" }')).toBe("rename 'outdir' to 'outDir'");
    expect(fix('{ "specs": [] }')).toBe("remove 'specs'; the settings are 'include', 'exclude' and 'outDir'");
    expect(fix('{ "include": "specs" }')).toBe('write it as a list: "include": ["specs"]');
    expect(fix('null')).toMatch(/^write an object, e.g. \{ "include": \["specs"\]/);
  });
});

describe('parseConfig: JSON syntax errors', () => {
  const cases: [string, { given: string; want: string[] }][] = [
    ['a file cut short', { given: '{ "include": \n', want: ['1:13 netspec.config.json is not valid JSON: it ends before its value is complete'] }],
    ['a trailing comma', { given: '{\n  "include": ["specs"],\n}\n', want: ['3:1 netspec.config.json is not valid JSON: unexpected `}`'] }],
    ['single quotes', { given: "{ 'include': [] }", want: ["1:3 netspec.config.json is not valid JSON: unexpected `'`"] }],
    ['an empty file', { given: '\n', want: ['netspec.config.json is empty'] }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    expect(problems(given)).toEqual(want);
  });

  test("Node's own message is never shown, whatever it says", () => {
    for (const text of ['{ "include": }', '{ "a": 1 } x', '{ "a": "\u0001" }', 'nul']) {
      for (const d of parseConfig(text).diagnostics) {
        expect(d.message).toMatch(/^netspec\.config\.json is not valid JSON/);
        expect(d.message).not.toMatch(/position|Unexpected token|SyntaxError/);
      }
    }
  });
});

describe('jsonErrorOffset: where JSON.parse stopped, from messages of several Node versions', () => {
  const text = '{ "include": ["specs"], }';
  const cases: [string, { given: string; want: number | undefined }][] = [
    ['Node 20: at position', { given: 'Expected double-quoted property name in JSON at position 24', want: 24 }],
    ['Node 22: position with line and column', { given: 'Expected double-quoted property name in JSON at position 24 (line 1 column 25)', want: 24 }],
    ['Node 18: Unexpected token at position', { given: 'Unexpected token } in JSON at position 24', want: 24 }],
    ['the end of the input', { given: 'Unexpected end of JSON input', want: text.length }],
    ['a message without a position', { given: `Unexpected token '}', "${text}" is not valid JSON`, want: undefined }],
    ['a position past the end is clamped', { given: 'x at position 999', want: text.length }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    expect(jsonErrorOffset(given, text)).toBe(want);
  });
});
