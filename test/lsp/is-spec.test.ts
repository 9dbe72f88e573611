import { describe, expect, test } from 'vitest';
import { saysItIsASpec, underInclude } from '../../src/lsp/is-spec.js';

describe('which YAML documents the language server checks', () => {
  const texts: [string, { given: string; want: boolean }][] = [
    ['a top-level netspec key', { given: '# a spec\nnetspec: 1\n', want: true }],
    ['a netspec key with a space before the colon', { given: 'netspec : 1\n', want: true }],
    ['the schema modeline', { given: '# yaml-language-server: $schema=../schemas/netspec.schema.json\nmodels: {}\n', want: true }],
    ['a nested netspec key', { given: 'jobs:\n  netspec: 1\n', want: false }],
    ['a workflow', { given: 'on: push\njobs: {}\n', want: false }],
    ['another schema', { given: '# yaml-language-server: $schema=https://json.schemastore.org/github-workflow.json\n', want: false }],
  ];
  test.each(texts)('%s', (_, { given, want }) => expect(saysItIsASpec(given)).toBe(want));

  const paths: [string, { given: [string, string[]]; want: boolean }][] = [
    ['in an included folder', { given: ['specs/a.yaml', ['specs']], want: true }],
    ['deeper in it', { given: ['specs/invalid/a.yaml', ['specs']], want: true }],
    ['written ./specs/', { given: ['specs/a.yaml', ['./specs/']], want: true }],
    ['an included file', { given: ['models/g.yaml', ['models/g.yaml']], want: true }],
    ['the root included', { given: ['a.yaml', ['.']], want: true }],
    ['a folder whose name only starts the same', { given: ['specs2/a.yaml', ['specs']], want: false }],
    ['elsewhere', { given: ['.github/workflows/ci.yaml', ['specs']], want: false }],
  ];
  test.each(paths)('%s', (_, { given, want }) => expect(underInclude(...given)).toBe(want));
});
