import { LSPErrorCodes, ResponseError, type Connection, type ServerCapabilities } from 'vscode-languageserver';
import type { Analysis } from '../analysis.js';
import { completion } from './completion.js';
import { definition } from './definition.js';
import { references } from './references.js';
import { isRefusal, prepareRename, rename } from './rename.js';

/** What the navigation requests add to the server's capabilities; the shell merges it into its initialize result. */
export const navigationCapabilities: ServerCapabilities = {
  definitionProvider: true,
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
  // `:` starts a value, `[` and `,` an entry of a list (`from: [`), `{` a flow mapping or an interpolation (`"up{`).
  completionProvider: { triggerCharacters: [':', '[', ',', '{'] },
};

/** A refusal as the error the client shows the user (LSP 3.17 `RequestFailed`: the request was valid, the rename is not possible). */
function refused<T>(value: T | { readonly error: string }): T | ResponseError<void> {
  return isRefusal(value) ? new ResponseError(LSPErrorCodes.RequestFailed, value.error) : value;
}

/**
 * Go to definition, find references, rename and completion: the requests that
 * follow names (ids, params, symbols, loop variables, models) through a spec.
 * The server shell calls this once; each handler works from the document's
 * latest `Analysis` and never reads the file system.
 */
export function registerNavigation(connection: Connection, analysisFor: (uri: string) => Analysis | undefined): void {
  const withAnalysis = <T>(uri: string, run: (analysis: Analysis) => T): T | null => {
    const analysis = analysisFor(uri);
    return analysis ? run(analysis) : null;
  };
  connection.onDefinition((params) => withAnalysis(params.textDocument.uri, (a) => definition(a, params.position)));
  connection.onReferences((params) => withAnalysis(params.textDocument.uri, (a) => references(a, params.position, params.context.includeDeclaration)));
  connection.onPrepareRename((params) => withAnalysis(params.textDocument.uri, (a) => refused(prepareRename(a, params.position))));
  connection.onRenameRequest((params) => withAnalysis(params.textDocument.uri, (a) => refused(rename(a, params.position, params.newName))));
  connection.onCompletion((params) => withAnalysis(params.textDocument.uri, (a) => completion(a, params.position)));
}
