import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileUri, repoRoot, startLspClient, type LspClient } from '../helpers/lsp-client.js';

let client: LspClient;
beforeAll(async () => {
  client = await startLspClient(repoRoot);
});
afterAll(async () => {
  expect(await client.shutdown()).toBe(0);
});

const spec = (file: string) => ({ uri: fileUri(join(repoRoot, file)), text: readFileSync(join(repoRoot, file), 'utf8') });

describe('netspec lsp --stdio', () => {
  it('publishes no diagnostics for a gallery spec', async () => {
    const { uri, text } = spec('specs/dcgan.yaml');
    client.open(uri, text, 1);
    const published = await client.diagnostics(uri, 1);
    expect(published).toEqual({ uri, version: 1, diagnostics: [] });
  });

  it('publishes the diagnostics of a broken spec at its exact range', async () => {
    const { uri, text } = spec('specs/invalid/NS3014-missing-weights-file.yaml');
    client.open(uri, text, 1);
    const published = await client.diagnostics(uri, 1);
    expect(published.diagnostics).toEqual([
      {
        range: { start: { line: 12, character: 125 }, end: { line: 12, character: 142 } },
        severity: 1,
        code: 'NS3014',
        source: 'netspec',
        message: "cannot read weights file 'specs/invalid/weights/image.npy': no such file or folder\nfix: weights files are found relative to the spec file",
      },
    ]);
  });
});
