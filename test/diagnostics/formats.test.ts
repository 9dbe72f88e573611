import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runCli, type Run } from '../helpers/cli.js';
import { codes, type Code } from '../../src/diagnostics/codes.js';
import { diagnostic } from '../../src/diagnostics/diagnostic.js';
import { formatGithub } from '../../src/diagnostics/format-github.js';
import { artifactUri } from '../../src/diagnostics/format-sarif.js';
import { Locator } from '../../src/diagnostics/location.js';

/**
 * `check --format sarif` is a valid SARIF 2.1.0 log (checked against the
 * OASIS schema in test/fixtures/sarif) that says what `--format text` says;
 * `check --format github` prints one escaped workflow command per diagnostic.
 */

// The fixture declares draft 2020-12 (`$schema`), so Ajv2020. Strict mode stays on except for one rule the
// OASIS schema breaks: `required` inside `anyOf` naming properties defined only outside it (strictRequired).
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
formats.default(ajv);
const sarifSchema = JSON.parse(readFileSync(new URL('../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const validateSarif = ajv.compile(sarifSchema);

function schemaErrors(log: unknown): string {
  return validateSarif(log) ? '' : (validateSarif.errors ?? []).map((e: ErrorObject) => `${e.instancePath} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`).join('\n');
}

interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
interface SarifPhysical {
  artifactLocation: { uri: string };
  region: SarifRegion;
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations?: { physicalLocation: SarifPhysical }[];
  relatedLocations?: { id: number; physicalLocation: SarifPhysical; message: { text: string } }[];
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: string };
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: { tool: { driver: { name: string; version: string; rules: SarifRule[] } }; results: SarifResult[] }[];
}

/** What `check --format text` says about each diagnostic and note, parsed from its header lines. */
interface TextDiagnostic {
  file: string;
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
  notes: { file: string; line: number; column: number; message: string }[];
}

function parseText(text: string): TextDiagnostic[] {
  const found: TextDiagnostic[] = [];
  for (const line of text.split('\n')) {
    const head = /^(.+?):(\d+):(\d+): (error|warning) (NS\d{4}): (.*)$/.exec(line);
    if (head) {
      found.push({ file: head[1]!, line: Number(head[2]), column: Number(head[3]), severity: head[4]!, code: head[5]!, message: head[6]!, notes: [] });
      continue;
    }
    const note = /^ {2}note: (.+?):(\d+):(\d+): (.*)$/.exec(line);
    if (note) found[found.length - 1]!.notes.push({ file: note[1]!, line: Number(note[2]), column: Number(note[3]), message: note[4]! });
  }
  return found;
}

interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netspec-formats-'));
  mkdirSync(join(dir, 'specs'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (...argv: string[]): Promise<Run> => runCli(dir, ...argv);

function spec(name: string, text: string): void {
  writeFileSync(join(dir, 'specs', name), text);
}

/** An error with two notes (NS4003), a warning (NS5003) and a warning with a note (NS5005). */
const mixed = `netspec: 1
params:
  spare: 1
models:
  m:
    inputs: { a: [8, 8, 4], b: [7, 7, 4] }
    layers:
      - { type: concatenate, id: cat, from: [a, b] }
  n:
    inputs: { z: [8] }
    layers:
      - { type: dense, id: d, units: 4, activation: relu }
      - { type: activation, id: act, activation: relu }
`;

const clean = `netspec: 1
models:
  decoder:
    inputs: { z: [8] }
    layers:
      - { type: dense, units: 4 * 4 * 2 }
      - { type: reshape, targetShape: [4, 4, 2] }
      - { type: conv2dTranspose, id: image, filters: 1, kernelSize: 4, strides: 2, padding: same }
`;

async function sarif(...argv: string[]): Promise<{ code: number; log: SarifLog }> {
  const r = await run('check', '--format', 'sarif', ...argv);
  expect(r.stderr).toBe('');
  const log = JSON.parse(r.stdout) as SarifLog;
  expect(schemaErrors(log)).toBe('');
  return { code: r.code, log };
}

/** SARIF results compared with the text format: same order, codes, levels, places and notes. */
function expectSameAsText(results: readonly SarifResult[], text: readonly TextDiagnostic[]): void {
  expect(results.map((r) => r.ruleId)).toEqual(text.map((t) => t.code));
  results.forEach((r, i) => {
    const t = text[i]!;
    expect(r.level).toBe(t.severity);
    expect(r.message.text.startsWith(t.message)).toBe(true);
    const at = r.locations![0]!.physicalLocation;
    expect(decodeURIComponent(at.artifactLocation.uri)).toBe(t.file);
    expect([at.region.startLine, at.region.startColumn]).toEqual([t.line, t.column]);
    const related = r.relatedLocations ?? [];
    expect(related.map((n) => [decodeURIComponent(n.physicalLocation.artifactLocation.uri), n.physicalLocation.region.startLine, n.physicalLocation.region.startColumn, n.message.text])).toEqual(
      t.notes.map((n) => [n.file, n.line, n.column, n.message]),
    );
    expect(new Set(related.map((n) => n.id)).size).toBe(related.length);
  });
}

describe('check --format sarif', () => {
  test('a valid SARIF 2.1.0 log with every rule, and results where the text format puts them', async () => {
    spec('net.yaml', mixed);
    const { code, log } = await sarif();
    expect(code).toBe(1);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    const { driver } = log.runs[0]!.tool;
    expect(driver.name).toBe('netspec');
    expect(driver.version).toMatch(/^\d+\.\d+\.\d+/);

    // One rule per code, in the code table's order, each with its help.
    const ids = Object.keys(codes) as Code[];
    expect(driver.rules.map((r) => r.id)).toEqual(ids);
    for (const rule of driver.rules) {
      const entry = codes[rule.id as Code];
      expect(rule.help.text).toBe(entry.help);
      expect(rule.help.text.length).toBeGreaterThan(10);
      expect(rule.help.markdown).toContain(entry.help);
      expect(rule.fullDescription.text).toBe(entry.help);
      expect(rule.shortDescription.text).toBe(entry.title);
      expect(rule.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      expect(rule.defaultConfiguration.level).toBe(entry.severity);
    }

    const results = log.runs[0]!.results;
    expect(results.map((r) => `${r.ruleId} ${r.level}`)).toEqual(['NS5003 warning', 'NS4003 error', 'NS5005 warning']);
    for (const r of results) expect(driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);

    const text = parseText((await run('check')).stdout);
    expect(text).toHaveLength(3);
    expectSameAsText(results, text);
    // The notes: where the two merged shapes come from, and where the first activation is.
    expect(results[1]!.relatedLocations).toHaveLength(2);
    expect(results[2]!.relatedLocations!.map((n) => n.physicalLocation.region.startLine)).toEqual([12]);

    // Ends as in the JSON format; SARIF regions are never empty.
    const json = JSON.parse((await run('check', '--format', 'json')).stdout) as { diagnostics: JsonDiagnostic[] };
    results.forEach((r, i) => {
      const j = json.diagnostics[i]!;
      const region = r.locations![0]!.physicalLocation.region;
      expect(region).toEqual({ startLine: j.line, startColumn: j.column, endLine: j.endLine, endColumn: Math.max(j.endColumn, j.endLine === j.line ? j.column + 1 : 1) });
    });
  });

  test('the fix is part of the message', async () => {
    spec('net.yaml', mixed);
    const { log } = await sarif();
    expect(log.runs[0]!.results[0]!.message.text).toBe("param 'spare' is never used. Fix: remove 'spare' from params Note: another fix, to make by hand: use it in an expression.");
  });

  test('a lint escalated with `error` is an error result of a warning rule', async () => {
    spec('net.yaml', mixed.replace('models:\n', 'lint: { doubleActivation: error }\nmodels:\n'));
    const { code, log } = await sarif();
    expect(code).toBe(1);
    const result = log.runs[0]!.results.find((r) => r.ruleId === 'NS5005')!;
    expect(result.level).toBe('error');
    expect(log.runs[0]!.tool.driver.rules[result.ruleIndex]!.defaultConfiguration.level).toBe('warning');
  });

  test('warnings only: exit 0', async () => {
    spec('net.yaml', clean.replace('kernelSize: 4', 'kernelSize: 3'));
    const { code, log } = await sarif();
    expect(code).toBe(0);
    expect(log.runs[0]!.results.map((r) => `${r.ruleId} ${r.level}`)).toEqual(['NS5001 warning']);
  });

  test('a clean spec: results is []', async () => {
    spec('clean.yaml', clean);
    const { code, log } = await sarif();
    expect(code).toBe(0);
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.tool.driver.rules).toHaveLength(Object.keys(codes).length);
  });

  test('a path that does not exist: exit 2, still a valid log, a result without a location', async () => {
    const { code, log } = await sarif('specs/missing.yaml');
    expect(code).toBe(2);
    const results = log.runs[0]!.results;
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ruleId: 'NS9001', level: 'error' });
    expect(results[0]!.message.text).toContain("cannot read 'specs/missing.yaml'");
    expect(results[0]!.locations).toBeUndefined();
  });

  test('a YAML syntax error is a valid log too', async () => {
    spec('broken.yaml', 'netspec: 1\nmodels:\n  m: { inputs: [\n');
    const { code, log } = await sarif();
    expect(code).toBe(1);
    const results = log.runs[0]!.results;
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => r.ruleId === 'NS1001' && r.level === 'error' && r.locations?.length === 1)).toBe(true);
  });

  test('file names are percent-encoded URI references', async () => {
    const name = 'odd: name, 100% #1.yaml';
    spec(name, mixed);
    const { log } = await sarif();
    const uris = log.runs[0]!.results.flatMap((r) => [...(r.locations ?? []), ...(r.relatedLocations ?? [])].map((l) => l.physicalLocation.artifactLocation.uri));
    expect(uris.length).toBeGreaterThan(0);
    for (const uri of uris) {
      expect(uri).toBe('specs/odd%3A%20name%2C%20100%25%20%231.yaml');
      expect(decodeURIComponent(uri)).toBe(`specs/${name}`);
    }
    expectSameAsText(log.runs[0]!.results, parseText((await run('check')).stdout));
  });

  test('artifactUri keeps `/` and plain names, and encodes the rest', () => {
    expect(artifactUri('specs/dcgan.yaml')).toBe('specs/dcgan.yaml');
    expect(artifactUri('../other/a b.yaml')).toBe('../other/a%20b.yaml');
    expect(artifactUri('specs/ünï.yaml')).toBe('specs/%C3%BCn%C3%AF.yaml');
    expect(artifactUri('specs/a?b#c.yaml')).toBe('specs/a%3Fb%23c.yaml');
  });
});

/** `::error file=...,line=N,col=N,endLine=N,endColumn=N,title=NSxxxx::message` */
const command = /^::(error|warning) file=([^,:]*),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=(NS\d{4})::(.*)$/;

/** Undoes GitHub's escaping, for comparing with the plain text. */
function unescape(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

describe('check --format github', () => {
  test('one workflow command per diagnostic, located as in the JSON format', async () => {
    spec('net.yaml', mixed);
    const r = await run('check', '--format', 'github');
    expect(r.code).toBe(1);
    expect(r.stdout.endsWith('\n')).toBe(true);
    const lines = r.stdout.slice(0, -1).split('\n');
    const json = JSON.parse((await run('check', '--format', 'json')).stdout) as { diagnostics: JsonDiagnostic[] };
    expect(lines).toHaveLength(json.diagnostics.length);
    lines.forEach((line, i) => {
      const m = command.exec(line);
      expect(m, line).not.toBeNull();
      const j = json.diagnostics[i]!;
      expect([m![1], unescape(m![2]!), Number(m![3]), Number(m![4]), Number(m![5]), Number(m![6]), m![7]]).toEqual([j.severity, j.file, j.line, j.column, j.endLine, j.endColumn, j.code]);
      expect(m![8]!).not.toMatch(/[\r\n]/);
      expect(unescape(m![8]!).startsWith(j.message)).toBe(true);
    });
    // Notes and the fix follow the message on lines of their own, escaped.
    expect(lines[1]).toMatch(/^::error .*title=NS4003::.*%0Anote: specs\/net\.yaml:6: shape \[null, 8, 8, 4\] comes from 'a'%0Anote: specs\/net\.yaml:6: /);
    expect(lines[2]).toMatch(/^::warning .*title=NS5005::layer 'act' applies relu to 'd', which already applies relu%0Anote: specs\/net\.yaml:12: 'd' applies relu%0Anote: another fix, to make by hand: remove 'act'%0Afix: remove the activation of 'd'$/);
  });

  test('a clean spec prints nothing', async () => {
    spec('clean.yaml', clean);
    const r = await run('check', '--format', 'github');
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('a path that does not exist: exit 2, an annotation without a file', async () => {
    const r = await run('check', '--format', 'github', 'specs/missing.yaml');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("::error title=NS9001::cannot read 'specs/missing.yaml': no such file or folder%0Afix: check the spelling; relative paths start from the folder netspec runs in\n");
  });

  test('file names are escaped as properties', async () => {
    spec('odd: name, 100%.yaml', mixed);
    const r = await run('check', '--format', 'github');
    for (const line of r.stdout.trimEnd().split('\n')) expect(line).toMatch(/^::(error|warning) file=specs\/odd%3A name%2C 100%25\.yaml,line=\d+,/);
    // Inside the message (data), only %, \r and \n are escaped.
    expect(r.stdout).toContain('%0Anote: specs/odd: name, 100%25.yaml:6: ');
  });

  describe('escaping (GitHub workflow commands: data escapes % \\r \\n; properties also : and ,)', () => {
    const file = 'specs/a:b,c%d.yaml';
    const text = 'x: 1\ny: 2\n';
    const locator = new Locator(new Map([[file, text]]));
    const span = { file, start: 5, end: 6 };

    const cases: [string, { message: string; data: string }][] = [
      ['plain text', { message: 'shapes differ', data: 'shapes differ' }],
      ['newline', { message: 'one\ntwo', data: 'one%0Atwo' }],
      ['carriage return', { message: 'one\r\ntwo', data: 'one%0D%0Atwo' }],
      ['percent first, so escapes are not escaped twice', { message: '100% and %0A literally', data: '100%25 and %250A literally' }],
      ['colon and comma stay in data', { message: "expected [2, 3]: got 'a, b'", data: "expected [2, 3]: got 'a, b'" }],
      ['a workflow command inside a message is inert', { message: 'x\n::error::injected', data: 'x%0A::error::injected' }],
    ];
    test.each(cases)('%s', (_, { message, data }) => {
      const out = formatGithub([diagnostic('NS4003', span, message)], locator);
      expect(out).toBe(`::error file=specs/a%3Ab%2Cc%25d.yaml,line=2,col=1,endLine=2,endColumn=2,title=NS4003::${data}\n`);
      expect(out.split('\n')).toHaveLength(2);
    });

    test('warnings, notes and fixes', () => {
      const d = diagnostic('NS5005', span, 'twice', { notes: [{ message: "first: 'd', 50%", span: { file, start: 0, end: 1 } }, { message: 'no place' }], fix: 'remove one,\nplease' });
      expect(formatGithub([d], locator)).toBe(
        `::warning file=specs/a%3Ab%2Cc%25d.yaml,line=2,col=1,endLine=2,endColumn=2,title=NS5005::twice%0Anote: specs/a:b,c%25d.yaml:1: first: 'd', 50%25%0Anote: no place%0Afix: remove one,%0Aplease\n`,
      );
    });

    test('a diagnostic without a place has only a title', () => {
      expect(formatGithub([diagnostic('NS9002', undefined, 'no .yaml specs found in specs')], locator)).toBe('::error title=NS9002::no .yaml specs found in specs\n');
    });

    test('no diagnostics, no output', () => {
      expect(formatGithub([], locator)).toBe('');
    });
  });
});
