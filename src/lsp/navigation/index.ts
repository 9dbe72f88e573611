import type { Connection, ServerCapabilities } from 'vscode-languageserver';
import type { Analysis } from '../analysis.js';

/** What the navigation requests add to the server's capabilities; the shell merges it into its initialize result. */
export const navigationCapabilities: ServerCapabilities = {};

/**
 * Go to definition, find references, rename and completion: the requests that
 * follow names (ids, params, symbols, loop variables, models) through a spec.
 * The server shell calls this once; each handler works from the document's
 * latest `Analysis` and never reads the file system.
 */
export function registerNavigation(connection: Connection, analysisFor: (uri: string) => Analysis | undefined): void {
  void connection;
  void analysisFor;
}
