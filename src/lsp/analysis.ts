import type { SpecResult } from '../check.js';

/**
 * One open document as the language server last checked it: its unsaved text and
 * what the pure pipeline (`checkSource`) made of it. Every request handler works
 * from this, so none reads the file system.
 */
export interface Analysis {
  /** The document's URI, as the client sent it. */
  readonly uri: string;
  /** The path relative to the project root, as diagnostics name it (`specs/dcgan.yaml`). */
  readonly file: string;
  /** The text that was checked: the editor's buffer, saved or not. */
  readonly text: string;
  /** The document's version the analysis was made from. */
  readonly version: number;
  readonly result: SpecResult;
}
