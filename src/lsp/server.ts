/**
 * The language server's I/O shell: the connection over stdin/stdout, the
 * open documents, where each one's project is, and when diagnostics are
 * published. Every answer comes from a pure handler over the document's
 * `Analysis` (docs/lsp.md).
 */
import { CodeActionKind, createConnection, TextDocuments, TextDocumentSyncKind, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkSource } from '../check.js';
import type { Analysis } from './analysis.js';
import { codeActions } from './code-actions.js';
import { lspDiagnostics } from './diagnostics.js';
import { hover } from './hover.js';
import { inlayHints } from './inlay-hints.js';
import { navigationCapabilities, registerNavigation } from './navigation/index.js';
import { saysItIsASpec } from './is-spec.js';
import { placeOf } from './project-of.js';
import { documentSymbols } from './symbols.js';

/** How long typing must pause before a document is checked and its diagnostics published. */
export const debounceMs = 150;

/** Runs the server until the client sends `exit` (or closes stdin), which ends the process. */
export function startServer(): void {
  const connection = createConnection(process.stdin, process.stdout);
  // stdout carries the protocol: anything printed there would corrupt it, so it goes to the client's log instead.
  console.log = console.info = (...args: unknown[]) => connection.console.log(args.join(' '));
  console.warn = (...args: unknown[]) => connection.console.warn(args.join(' '));
  console.error = (...args: unknown[]) => connection.console.error(args.join(' '));
  const documents = new TextDocuments(TextDocument);
  const analyses = new Map<string, Analysis>();
  /** The version at which a document was found to be no spec: not looked at again until it changes. */
  const notSpecs = new Map<string, number>();
  const timers = new Map<string, NodeJS.Timeout>();

  /** The document's analysis at its current version, checked now if it changed since; undefined for a YAML file that is no spec. */
  const analysisFor = (uri: string): Analysis | undefined => {
    const document = documents.get(uri);
    if (!document) return undefined;
    const known = analyses.get(uri);
    if (known && known.version === document.version) return known;
    if (notSpecs.get(uri) === document.version) return undefined;
    const text = document.getText();
    const { file, readFile, included } = placeOf(uri);
    if (!included && !saysItIsASpec(text)) {
      analyses.delete(uri);
      notSpecs.set(uri, document.version);
      return undefined;
    }
    notSpecs.delete(uri);
    const result = checkSource({ path: file, text }, readFile ? { readFile } : {});
    const analysis: Analysis = { uri, file, text, version: document.version, result };
    analyses.set(uri, analysis);
    return analysis;
  };

  const publish = (uri: string): void => {
    timers.delete(uri);
    try {
      const analysis = analysisFor(uri);
      const version = documents.get(uri)?.version;
      // A YAML file that is no spec gets an empty list, which also clears what it had while it was one.
      void connection.sendDiagnostics({ uri, ...(version !== undefined ? { version } : {}), diagnostics: analysis ? lspDiagnostics(analysis) : [] });
    } catch (e) {
      // A bug in netspec: the editor's log says so, and the server keeps serving the other documents (a request's error goes back as its response).
      connection.console.error(`netspec: internal error (a bug) checking ${uri}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  };

  connection.onInitialize(
    (): InitializeResult => ({
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentSymbolProvider: true,
        inlayHintProvider: true,
        hoverProvider: true,
        ...navigationCapabilities,
      },
      serverInfo: { name: 'netspec' },
    }),
  );

  documents.onDidChangeContent(({ document }) => {
    clearTimeout(timers.get(document.uri));
    timers.set(document.uri, setTimeout(() => publish(document.uri), debounceMs));
  });
  documents.onDidClose(({ document }) => {
    clearTimeout(timers.get(document.uri));
    timers.delete(document.uri);
    analyses.delete(document.uri);
    notSpecs.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  const withAnalysis =
    <P extends { textDocument: { uri: string } }, R>(handler: (analysis: Analysis, params: P) => R, none: R) =>
    (params: P): R => {
      const analysis = analysisFor(params.textDocument.uri);
      return analysis ? handler(analysis, params) : none;
    };
  connection.onCodeAction(withAnalysis((a, p) => codeActions(a, p.range), []));
  connection.onDocumentSymbol(withAnalysis((a) => documentSymbols(a), []));
  connection.languages.inlayHint.on(withAnalysis((a, p) => inlayHints(a, p.range), []));
  connection.onHover(withAnalysis((a, p) => hover(a, p.position), null));
  registerNavigation(connection, analysisFor);

  documents.listen(connection);
  connection.listen();
}
