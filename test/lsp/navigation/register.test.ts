import { describe, expect, test } from 'vitest';
import { ResponseError, type Connection } from 'vscode-languageserver';
import { navigationCapabilities, registerNavigation } from '../../../src/lsp/navigation/index.js';
import { at, rangeOf, specAnalysis } from './analysis.js';

/** The handlers registerNavigation installs, by request, on a connection that only records them. */
function handlers() {
  const found = new Map<string, (params: unknown) => unknown>();
  const record = (name: string) => (handler: (params: unknown) => unknown) => void found.set(name, handler);
  const connection = { onDefinition: record('definition'), onReferences: record('references'), onPrepareRename: record('prepareRename'), onRenameRequest: record('rename'), onCompletion: record('completion') } as unknown as Connection;
  const unet = specAnalysis('specs/unet-symbolic.yaml');
  registerNavigation(connection, (uri) => (uri === unet.uri ? unet : undefined));
  return { found, unet };
}

describe('registerNavigation', () => {
  test('declares what it answers', () => {
    expect(navigationCapabilities).toEqual({ definitionProvider: true, referencesProvider: true, renameProvider: { prepareProvider: true }, completionProvider: { triggerCharacters: [':', '[', ',', '{'] } });
  });

  test('answers from the analysis of the document, null for a document it does not know', () => {
    const { found, unet } = handlers();
    expect([...found.keys()]).toEqual(['definition', 'references', 'prepareRename', 'rename', 'completion']);
    const position = at(unet.text, 'from: [up3', 0, 8);
    expect(found.get('definition')!({ textDocument: { uri: unet.uri }, position })).toEqual([{ uri: unet.uri, range: rangeOf(unet.text, 'id: up3', 0, 'up3') }]);
    expect(found.get('references')!({ textDocument: { uri: unet.uri }, position, context: { includeDeclaration: false } })).toEqual([{ uri: unet.uri, range: rangeOf(unet.text, 'from: [up3', 0, 'up3') }]);
    expect(found.get('definition')!({ textDocument: { uri: 'file:///elsewhere.yaml' }, position })).toBeNull();
  });

  test('a refused rename is a RequestFailed error with the reason', () => {
    const { found, unet } = handlers();
    const answer = found.get('rename')!({ textDocument: { uri: unet.uri }, position: at(unet.text, 'id: up3', 0, 5), newName: 'down2' });
    expect(answer).toBeInstanceOf(ResponseError);
    expect((answer as ResponseError<void>).code).toBe(-32803);
    expect((answer as ResponseError<void>).message).toBe("'down2' is already a layer id of model 'unet'");
  });
});
