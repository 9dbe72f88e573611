import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeActionRequest, type CodeAction, type Range, type TextEdit } from 'vscode-languageserver-protocol';
import { navigationCapabilities } from '../../src/lsp/navigation/index.js';
import { fileUri, repoRoot, startLspClient, type LspClient } from '../helpers/lsp-client.js';

let client: LspClient;
let scratch: string;
beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'netspec-lsp-'));
  client = await startLspClient(repoRoot);
});
afterAll(async () => {
  expect(await client.shutdown()).toBe(0);
  rmSync(scratch, { recursive: true, force: true });
});

const spec = (file: string) => ({ uri: fileUri(join(repoRoot, file)), text: readFileSync(join(repoRoot, file), 'utf8') });
const range = (line: number, character: number, endLine: number, endCharacter: number): Range => ({ start: { line, character }, end: { line: endLine, character: endCharacter } });
const whole = range(0, 0, 9999, 0);

/** Applies one document's edits, last first so that earlier offsets stay valid. */
function applied(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start)).reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

describe('netspec lsp --stdio', () => {
  it('announces what it serves', () => {
    expect(client.initializeResult).toEqual({
      capabilities: {
        textDocumentSync: 2,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        documentSymbolProvider: true,
        inlayHintProvider: true,
        hoverProvider: true,
        // Definition, references, rename and completion announce themselves (src/lsp/navigation/).
        ...navigationCapabilities,
      },
      serverInfo: { name: 'netspec' },
    });
  });

  it('publishes no diagnostics for a gallery spec', async () => {
    const { uri, text } = spec('specs/dcgan.yaml');
    client.open(uri, text, 1);
    expect(await client.diagnostics(uri, 1)).toEqual({ uri, version: 1, diagnostics: [] });
  });

  it('publishes the diagnostics of a broken spec at their exact ranges, with notes as related information', async () => {
    const { uri, text } = spec('specs/invalid/NS4006-dcgan-output-65.yaml');
    client.open(uri, text, 1);
    expect((await client.diagnostics(uri, 1)).diagnostics).toEqual([
      {
        range: range(25, 13, 25, 24),
        severity: 1,
        code: 'NS4006',
        source: 'netspec',
        message: "output 'image' is asserted as [null, 65, 65, 3] but inferred as [null, 64, 64, 3]\nfix: set `padding: [[0, 1], [0, 1]]` on 'image'; or if the layers are right, assert [64, 64, 3]",
        relatedInformation: [
          { location: { uri, range: range(23, 37, 23, 42) }, message: "shape [null, 64, 64, 3] comes from 'image'" },
          {
            location: { uri, range: range(23, 92, 23, 96) },
            message: "set `padding: [[0, 1], [0, 1]]` on 'image': it then outputs [null, 65, 65, 3] and this error is gone (checked by re-inferring the model)",
          },
        ],
      },
    ]);
  });

  it('offers alternative fixes as separate quick fixes, none preferred, only for diagnostics in the range', async () => {
    const { uri } = spec('specs/invalid/NS4006-dcgan-output-65.yaml');
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: range(25, 15, 25, 15), context: { diagnostics: [] } })) as CodeAction[];
    expect(actions.map((a) => [a.title, a.kind, a.isPreferred, a.diagnostics?.map((d) => d.code), a.edit])).toEqual([
      ["set `padding: [[0, 1], [0, 1]]` on 'image'", 'quickfix', undefined, ['NS4006'], { changes: { [uri]: [{ range: range(23, 92, 23, 96), newText: '[[0, 1], [0, 1]]' }] } }],
      ['assert [64, 64, 3]', 'quickfix', undefined, ['NS4006'], { changes: { [uri]: [{ range: range(25, 13, 25, 24), newText: '[64, 64, 3]' }] } }],
    ]);
    expect(await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: range(10, 0, 24, 0), context: { diagnostics: [] } })).toEqual([]);
  });

  it("offers a diagnostic's only fix as the preferred quick fix, and applying it clears the diagnostic", async () => {
    const { uri, text } = spec('specs/invalid/NS2002-snake-case-option.yaml');
    client.open(uri, text, 1);
    expect((await client.diagnostics(uri, 1)).diagnostics.map((d) => [d.code, d.range])).toEqual([['NS2002', range(11, 47, 11, 58)]]);
    const [action, ...more] = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: whole, context: { diagnostics: [] } })) as CodeAction[];
    expect(more).toEqual([]);
    expect([action!.title, action!.isPreferred, action!.edit]).toEqual(["rename 'kernel_size' to 'kernelSize'", true, { changes: { [uri]: [{ range: range(11, 47, 11, 58), newText: 'kernelSize' }] } }]);
    client.change(uri, applied(text, action!.edit!.changes![uri]!), 2);
    expect(await client.diagnostics(uri, 2)).toEqual({ uri, version: 2, diagnostics: [] });
  });

  it('applies ranged edits, as editors send them', async () => {
    const { text } = spec('specs/dcgan.yaml');
    const uri = fileUri(join(repoRoot, 'specs', 'unsavedEdits.yaml'));
    client.open(uri, text, 1);
    await client.diagnostics(uri, 1);
    // `units: 1` of the discriminator's logit becomes `units: 0`, then `units: 10`.
    client.edit(uri, [{ range: range(50, 41, 50, 42), text: '0' }], 2);
    expect((await client.diagnostics(uri, 2)).diagnostics.map((d) => [d.code, d.range])).toEqual([['NS2001', range(50, 41, 50, 42)]]);
    client.edit(uri, [{ range: range(50, 42, 50, 42), text: '1' }, { range: range(50, 41, 50, 42), text: '1' }], 3);
    expect((await client.diagnostics(uri, 3)).diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['NS4006', "output 'logit' is asserted as [null, 1] but inferred as [null, 11]\nfix: if the layers are right, assert [11]"],
    ]);
  });

  it('places ranges in UTF-16 code units, as LSP counts them, past non-ASCII text', async () => {
    const uri = fileUri(join(repoRoot, 'specs', 'unsavedUnicode.yaml'));
    client.open(uri, 'netspec: 1\nmodels:\n  g:\n    inputs: { z: [4] }\n    layers:\n      - { type: dense, id: "dé😀", units: 0 }\n', 1);
    expect((await client.diagnostics(uri, 1)).diagnostics.map((d) => [d.code, d.range, d.message])).toEqual([
      // `é` is one unit and `😀` two: code points would put `0` at 41.
      ['NS2001', range(5, 42, 5, 43), "'units' of layer 'dé😀' (dense) must be a value >= 1; received 0"],
      ['NS3012', range(5, 27, 5, 33), "layer id 'dé😀' is not an identifier\nfix: use letters, digits and _, e.g. 'd___'"],
    ]);
  });

  it('checks the last version of quick edits once, after typing pauses', async () => {
    const { text } = spec('specs/dcgan.yaml');
    const uri = fileUri(join(repoRoot, 'specs', 'unsavedTyping.yaml'));
    client.open(uri, text, 1);
    await client.diagnostics(uri, 1);
    client.change(uri, text.replace('units: 1 }', 'units: 2 }'), 2);
    client.change(uri, text.replace('units: 1 }', 'units: 3 }'), 3);
    client.change(uri, text.replace('units: 1 }', 'unit: 4 }'), 4);
    const last = await client.diagnostics(uri, 4);
    expect(last.diagnostics.map((d) => [d.code, d.range])).toEqual([['NS2002', range(50, 34, 50, 38)]]);
    // Nothing more comes for the versions typed over.
    await new Promise((r) => setTimeout(r, 400));
    expect(client.published(uri).map((p) => p.version)).toEqual([1, 4]);
  });

  it('clears the diagnostics of a closed document', async () => {
    const uri = fileUri(join(repoRoot, 'specs', 'unsavedClosed.yaml'));
    client.open(uri, 'netspec: 1\nmodels: {}\nbogus: 1\n', 1);
    expect((await client.diagnostics(uri, 1)).diagnostics.map((d) => d.code)).toEqual(['NS2002', 'NS2001']);
    const cleared = client.diagnostics(uri);
    client.close(uri);
    expect(await cleared).toEqual({ uri, diagnostics: [] });
  });

  it('leaves YAML files that are no specs alone: no diagnostics, no answers', async () => {
    const uri = fileUri(join(repoRoot, '.github', 'workflows', 'ci.yaml'));
    client.open(uri, 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n', 1);
    expect(await client.diagnostics(uri, 1)).toEqual({ uri, version: 1, diagnostics: [] });
    expect(await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: whole, context: { diagnostics: [] } })).toEqual([]);
    // Once it says it is a spec, it is checked.
    client.change(uri, 'netspec: 1\non: push\n', 2);
    expect((await client.diagnostics(uri, 2)).diagnostics.map((d) => d.code)).toEqual(['NS2004', 'NS2002']);
  });

  it("checks a file under the config's include even when it does not say it is a spec", async () => {
    const uri = fileUri(join(repoRoot, 'specs', 'unsavedNoVersion.yaml'));
    client.open(uri, 'models:\n  g:\n    inputs: { z: [4] }\n    layers:\n      - { type: dense, units: 2 }\n', 1);
    expect((await client.diagnostics(uri, 1)).diagnostics.map((d) => [d.code, d.range, d.message])).toEqual([
      ['NS2004', range(0, 0, 5, 0), "the spec is missing required option 'netspec'\nfix: add `netspec:`"],
    ]);
  });

  it("reads a spec's weights file inside its project", async () => {
    const { uri, text } = spec('specs/invalid/NS4011-weights-file-misspelled-name.yaml');
    client.open(uri, text, 1);
    // NS4011 names a weight the file holds: the file was read.
    expect((await client.diagnostics(uri, 1)).diagnostics.map((d) => [d.code, d.range, d.message])).toEqual([
      ['NS4011', range(8, 125, 8, 173), "layer 'toRgb' has no weight 'kernal' for 'NS4011-weights-file-misspelled-name.weights.json'; it has 2 weights: kernel, bias\nfix: did you mean 'kernel'?"],
    ]);
  });

  describe('reads nothing outside the project', () => {
    const layer = (weights: string) => `netspec: 1\nmodels:\n  g:\n    inputs: { z: [4] }\n    layers:\n      - { type: dense, units: 2, weights: ${weights} }\n`;
    const weights = JSON.stringify({ kernel: [[1, 2], [3, 4], [5, 6], [7, 8]], bias: [0, 0] });

    it('for a spec outside any project: not even the file beside it', async () => {
      const folder = join(scratch, 'loose');
      mkdirSync(folder);
      writeFileSync(join(folder, 'w.json'), weights);
      const uri = fileUri(join(folder, 'loose.yaml'));
      client.open(uri, layer('w.json'), 1);
      expect((await client.diagnostics(uri, 1)).diagnostics.map((d) => [d.code, d.message])).toEqual([
        ['NS3014', "cannot read weights file 'w.json'\nfix: weights files are found relative to the spec file"],
      ]);
    });

    it('for an unsaved buffer, checked as untitled.yaml', async () => {
      const uri = 'untitled:Untitled-1';
      client.open(uri, layer('w.json'), 1);
      expect((await client.diagnostics(uri, 1)).diagnostics.map((d) => [d.code, d.message])).toEqual([
        ['NS3014', "cannot read weights file 'w.json'\nfix: weights files are found relative to the spec file"],
      ]);
    });

    it('for a weights path that climbs out of the project, or a link that leads out', async () => {
      const project = join(scratch, 'project');
      mkdirSync(join(project, 'specs'), { recursive: true });
      writeFileSync(join(project, 'netspec.config.json'), '{}');
      writeFileSync(join(scratch, 'secret.json'), weights);
      writeFileSync(join(project, 'specs', 'inside.json'), weights);
      symlinkSync(join(scratch, 'secret.json'), join(project, 'specs', 'link.json'));
      const climbs = fileUri(join(project, 'specs', 'climbs.yaml'));
      client.open(climbs, layer('../../secret.json'), 1);
      expect((await client.diagnostics(climbs, 1)).diagnostics.map((d) => [d.code, d.message])).toEqual([
        [
          'NS3014',
          "weights file '../../secret.json' is outside the project: from specs/climbs.yaml it climbs above the project root\nfix: weights files must lie inside the project (the folder that holds netspec.config.json or package.json); move the file there and name it relative to the spec, e.g. weights/kernel.npy",
        ],
      ]);
      const linked = fileUri(join(project, 'specs', 'linked.yaml'));
      client.open(linked, layer('link.json'), 1);
      expect((await client.diagnostics(linked, 1)).diagnostics.map((d) => [d.code, d.message])).toEqual([
        [
          'NS3014',
          "cannot use weights file 'link.json' ('specs/link.json'): a symbolic link leads outside the project\nfix: weights files must lie inside the project (the folder that holds netspec.config.json or package.json); move the file there and name it relative to the spec, e.g. weights/kernel.npy",
        ],
      ]);
      const inside = fileUri(join(project, 'specs', 'inside.yaml'));
      client.open(inside, layer('inside.json'), 1);
      expect((await client.diagnostics(inside, 1)).diagnostics).toEqual([]);
    });
  });
});
