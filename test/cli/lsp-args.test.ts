import { describe, expect, test } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { runCli } from '../helpers/cli.js';
import { root } from '../helpers/gallery.js';

describe('netspec lsp: arguments', () => {
  const lsp = { command: 'lsp' as const, paths: [], check: false, watch: false, format: 'text' };
  const cases: [string, { given: string[]; want: ReturnType<typeof parseArgs> }][] = [
    ['--stdio', { given: ['lsp', '--stdio'], want: lsp }],
    ['no transport means stdio', { given: ['lsp'], want: lsp }],
    ["vscode-languageclient's process id", { given: ['lsp', '--stdio', '--clientProcessId=4242'], want: lsp }],
    ['a socket', { given: ['lsp', '--socket=6009'], want: { error: 'lsp speaks only over stdin/stdout, not --socket: use netspec lsp --stdio' } }],
    ['node IPC', { given: ['lsp', '--node-ipc'], want: { error: 'lsp speaks only over stdin/stdout, not --node-ipc: use netspec lsp --stdio' } }],
    ['a pipe', { given: ['lsp', '--pipe=/tmp/x.sock'], want: { error: 'lsp speaks only over stdin/stdout, not --pipe: use netspec lsp --stdio' } }],
    ['another option', { given: ['lsp', '--format', 'json'], want: { error: "unknown option '--format' for 'lsp': use netspec lsp --stdio" } }],
    ['a path', { given: ['lsp', 'specs'], want: { error: "unknown argument 'specs' for 'lsp': use netspec lsp --stdio" } }],
  ];
  test.each(cases)('%s', (_, { given, want }) => expect(parseArgs(given)).toEqual(want));

  test('another transport is a usage error: exit 2, the reason and the usage on stderr', async () => {
    const run = await runCli(root, 'lsp', '--socket=6009');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n').slice(0, 3)).toEqual(['netspec: lsp speaks only over stdin/stdout, not --socket: use netspec lsp --stdio', '', 'Usage: netspec <command> [paths...] [options]']);
  });
});
