/**
 * A language client for tests: spawns `node bin/netspec.js lsp --stdio` (the
 * built CLI: run `npm run build` first) in a given folder and speaks LSP to it
 * over its stdin/stdout, as an editor would. One server per test file keeps
 * the suite fast: start it in `beforeAll`, `shutdown()` it in `afterAll`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type ClientCapabilities,
  type InitializeResult,
  type PublishDiagnosticsParams,
  type Range,
} from 'vscode-languageserver-protocol';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/netspec.js', import.meta.url));
const built = fileURLToPath(new URL('../../dist/lsp/server.js', import.meta.url));

/** `file:///abs/path`, as editors name documents. */
export function fileUri(absolute: string): string {
  return pathToFileURL(absolute).href;
}

export interface LspClient {
  /** The JSON-RPC connection, for requests: `client.connection.sendRequest(HoverRequest.type, params)`. */
  readonly connection: MessageConnection;
  readonly initializeResult: InitializeResult;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** `textDocument/didOpen` with language `yaml`. */
  open(uri: string, text: string, version?: number): void;
  /** `textDocument/didChange` with the whole new text. */
  change(uri: string, text: string, version: number): void;
  /** `textDocument/didChange` with ranged edits, as editors send them (the server syncs incrementally). */
  edit(uri: string, edits: readonly { range: Range; text: string }[], version: number): void;
  /** `textDocument/didClose`. */
  close(uri: string): void;
  /**
   * The first `publishDiagnostics` for `uri` whose version is `version`, when
   * given, else the next one published from now on. Rejects after `timeoutMs`.
   */
  diagnostics(uri: string, version?: number, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  /** Every `publishDiagnostics` for `uri` so far, oldest first. */
  published(uri: string): readonly PublishDiagnosticsParams[];
  /** `shutdown`, then `exit`; resolves to the server's exit code. */
  shutdown(): Promise<number | null>;
}

interface Waiter {
  readonly uri: string;
  readonly version?: number;
  readonly resolve: (p: PublishDiagnosticsParams) => void;
}

/** Starts a server in `cwd` and initializes it with `rootUri` = `cwd`. */
export async function startLspClient(cwd: string, capabilities: ClientCapabilities = {}): Promise<LspClient> {
  if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build before the LSP tests`);
  const child: ChildProcess = spawn(process.execPath, [bin, 'lsp', '--stdio'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const all = new Map<string, PublishDiagnosticsParams[]>();
  let waiters: Waiter[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    all.set(params.uri, [...(all.get(params.uri) ?? []), params]);
    const [done, waiting] = [waiters.filter((w) => matches(w, params)), waiters.filter((w) => !matches(w, params))];
    waiters = waiting;
    for (const w of done) w.resolve(params);
  });
  connection.listen();
  const initializeResult = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: fileUri(cwd),
    workspaceFolders: [{ uri: fileUri(cwd), name: 'test' }],
    capabilities,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    connection,
    initializeResult,
    stderr: () => stderr,
    open: (uri, text, version = 1) => void connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version, text } }),
    change: (uri, text, version) => void connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] }),
    edit: (uri, edits, version) => void connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [...edits] }),
    close: (uri) => void connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } }),
    diagnostics: (uri, version, timeoutMs = 10_000) => {
      const earlier = version === undefined ? undefined : all.get(uri)?.find((p) => p.version === version);
      if (earlier) return Promise.resolve(earlier);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri}${version === undefined ? '' : ` version ${version}`} within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
        waiters.push({ uri, ...(version !== undefined ? { version } : {}), resolve: (p) => (clearTimeout(timer), resolve(p)) });
      });
    },
    published: (uri) => all.get(uri) ?? [],
    shutdown: async () => {
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      const code = await exited;
      connection.dispose();
      return code;
    },
  };
}

function matches(w: Waiter, p: PublishDiagnosticsParams): boolean {
  return w.uri === p.uri && (w.version === undefined || w.version === p.version);
}

/** The repository root, the project the gallery specs belong to. */
export const repoRoot = repo;
