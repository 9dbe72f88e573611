import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompletionRequest, DefinitionRequest, PrepareRenameRequest, ReferencesRequest, RenameRequest, type CompletionItem, type CompletionList, type Location, type Position, type Range, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import { fileUri, repoRoot, startLspClient, type LspClient } from '../helpers/lsp-client.js';

let client: LspClient;
beforeAll(async () => {
  client = await startLspClient(repoRoot);
});
afterAll(async () => {
  expect(await client.shutdown()).toBe(0);
});

const opened = new Map<string, string>();
/** Opens a gallery spec (once) and waits until the server has checked it. */
async function open(file: string): Promise<{ uri: string; text: string }> {
  const uri = fileUri(join(repoRoot, file));
  if (!opened.has(uri)) {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    opened.set(uri, text);
    client.open(uri, text, 1);
    await client.diagnostics(uri, 1);
  }
  return { uri, text: opened.get(uri)! };
}

/** Line and UTF-16 column of the `nth` occurrence of `needle`, plus `delta`. */
function at(text: string, needle: string, delta = 0, nth = 0): Position {
  let offset = text.indexOf(needle);
  for (let n = 0; n < nth; n++) offset = text.indexOf(needle, offset + 1);
  expect(offset).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, offset + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}
const range = (text: string, needle: string, part = needle, nth = 0): Range => {
  const start = at(text, needle, needle.lastIndexOf(part), nth);
  return { start, end: { line: start.line, character: start.character + part.length } };
};
const labels = (answer: CompletionItem[] | CompletionList | null) => (answer === null ? null : (Array.isArray(answer) ? answer : answer.items).map((i) => i.label));

describe('navigation through the server', () => {
  it('declares its capabilities in the initialize result', () => {
    const capabilities = client.initializeResult.capabilities;
    expect(capabilities.definitionProvider).toBe(true);
    expect(capabilities.referencesProvider).toBe(true);
    expect(capabilities.renameProvider).toEqual({ prepareProvider: true });
    expect(capabilities.completionProvider).toEqual({ triggerCharacters: [':', '[', ',', '{'] });
  });

  it('go to definition from a from entry to the layer it reads', async () => {
    const { uri, text } = await open('specs/unet-symbolic.yaml');
    const found = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: at(text, 'from: [up3', 8) })) as Location[];
    expect(found).toEqual([{ uri, range: range(text, 'id: up3', 'up3') }]);
  });

  it('find references of a param, with and without its declaration', async () => {
    const { uri, text } = await open('specs/unet-symbolic.yaml');
    const position = at(text, 'classes: 2', 1);
    const uses = [range(text, 'filters: classes', 'classes'), range(text, 'W, classes]', 'classes')];
    expect(await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position, context: { includeDeclaration: false } })).toEqual(uses.map((r) => ({ uri, range: r })));
    expect(await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position, context: { includeDeclaration: true } })).toEqual([range(text, 'classes: 2', 'classes'), ...uses].map((r) => ({ uri, range: r })));
  });

  it('renames a loop variable inside interpolations, and adds its as:', async () => {
    const { uri, text } = await open('specs/pix2pix.yaml');
    const position = at(text, '"skip{i}"', 6);
    expect(await client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri }, position })).toEqual({ range: range(text, '"skip{i}"', 'i'), placeholder: 'i' });
    const edit = (await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position, newName: 'level' })) as WorkspaceEdit;
    const edits = edit.changes![uri]!;
    expect(edits.map((e) => e.newText)).toEqual(['\n        as: level', 'level', 'level', 'level', 'level']);
    expect(edits.slice(1).map((e) => e.range)).toEqual([range(text, '"up{i}"', 'i'), range(text, '"skip{i}"', 'i'), range(text, '"up{i}"', 'i', 1), range(text, '"down{6 - i}"', 'i')]);
  });

  it('refuses to rename an interpolated id, and a new name that is taken, with the reason', async () => {
    const { uri, text } = await open('specs/pix2pix.yaml');
    await expect(client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri }, position: at(text, 'id: "up{i}"', 6) })).rejects.toMatchObject({
      code: -32803,
      message: `layer id "up{i}" is made by interpolation ('up0', 'up1', 'up2', 'up3', 'up4', 'up5', 'up6'): netspec cannot rename an id it computes; edit the template by hand`,
    });
    await expect(client.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: at(text, 'ngf: 64', 1), newName: 'ndf' })).rejects.toMatchObject({ code: -32803, message: "'ndf' is already a param" });
  });

  it('completes from the latest text, while it is being typed', async () => {
    const { uri, text } = await open('specs/dcgan.yaml');
    const typed = text.replace('      - { type: dense, id: logit, units: 1 }', '      - { type: dense, id: logit, units: 1 }\n      - { type: conv1d, filters: 1, kernelSize: 1, padding: }\n      - { type: dense, units: 1, from: [] }');
    client.change(uri, typed, 2);
    await client.diagnostics(uri, 2);
    opened.set(uri, typed);
    const padding = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: at(typed, 'padding: }', 'padding: '.length) });
    expect(labels(padding)).toEqual(['valid', 'same', 'causal']);
    const from = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: at(typed, 'from: []', 'from: ['.length) });
    // The discriminator's input and layers before, named ones first; the broken conv1d is not one of them.
    expect(labels(from)).toEqual(['x', 'down1', 'down2', 'down3', 'down4', 'logit', 'leakyReLU_1', 'batchNormalization_1', 'leakyReLU_2', 'batchNormalization_2', 'leakyReLU_3', 'batchNormalization_3', 'leakyReLU_4', 'flatten_1']);
    const ids = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: at(typed, 'model: discriminator', 'model: '.length) });
    expect(labels(ids)).toEqual(['generator', 'discriminator']);
  });
});
