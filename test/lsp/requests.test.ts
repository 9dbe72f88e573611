import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentSymbolRequest, HoverRequest, InlayHintRequest, type DocumentSymbol, type Hover, type InlayHint, type Range } from 'vscode-languageserver-protocol';
import { fileUri, repoRoot, startLspClient, type LspClient } from '../helpers/lsp-client.js';

let client: LspClient;
beforeAll(async () => {
  client = await startLspClient(repoRoot);
});
afterAll(async () => {
  expect(await client.shutdown()).toBe(0);
});

/** Opens a gallery spec (once) and waits until it has been checked. */
const opened = new Set<string>();
async function open(file: string): Promise<string> {
  const uri = fileUri(join(repoRoot, file));
  if (!opened.has(uri)) {
    opened.add(uri);
    client.open(uri, readFileSync(join(repoRoot, file), 'utf8'), 1);
    await client.diagnostics(uri, 1);
  }
  return uri;
}

const at = (r: Range) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
const whole: Range = { start: { line: 0, character: 0 }, end: { line: 9999, character: 0 } };

/** A symbol as one line: name, detail, kind, range, selection range. */
const line = (s: DocumentSymbol) => `${s.name} | ${s.detail} | ${s.kind} | ${at(s.range)} | ${at(s.selectionRange)}`;

async function hoverAt(uri: string, lineNo: number, character: number): Promise<{ value: string; range: string } | null> {
  const h = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: lineNo, character } })) as Hover | null;
  return h && { value: (h.contents as { value: string }).value, range: at(h.range!) };
}

async function hints(uri: string, range = whole): Promise<string[]> {
  const found = (await client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range })) as InlayHint[];
  return found.map((h) => `${h.position.line}:${h.position.character} ${h.label as string}${h.kind === 1 && h.paddingLeft ? '' : ' (not a padded type hint)'}`);
}

describe('document symbols', () => {
  it('outline the DCGAN spec: models with their inputs, layers (type and output shape) and outputs', async () => {
    const uri = await open('specs/dcgan.yaml');
    const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
    expect(symbols.map((m) => [line(m), ...m.children!.map(line)])).toEqual([
      [
        'generator | model | 5 | 13:2-32:24 | 13:2-13:11',
        'z | input [null, 100] | 13 | 15:6-15:7 | 15:6-15:7',
        'dense_1 | dense → [null, 8192] | 12 | 17:8-17:63 | 17:16-17:21',
        'reshape_1 | reshape → [null, 4, 4, 512] | 12 | 18:8-18:55 | 18:16-18:23',
        'batchNormalization_1 | batchNormalization → [null, 4, 4, 512] | 12 | 19:8-19:36 | 19:16-19:34',
        'activation_1 | activation → [null, 4, 4, 512] | 12 | 20:8-20:46 | 20:16-20:26',
        'up1 | conv2dTranspose → [null, 8, 8, 256] | 12 | 21:8-21:118 | 21:37-21:40',
        'batchNormalization_2 | batchNormalization → [null, 8, 8, 256] | 12 | 22:8-22:36 | 22:16-22:34',
        'activation_2 | activation → [null, 8, 8, 256] | 12 | 23:8-23:46 | 23:16-23:26',
        'up2 | conv2dTranspose → [null, 16, 16, 128] | 12 | 24:8-24:118 | 24:37-24:40',
        'batchNormalization_3 | batchNormalization → [null, 16, 16, 128] | 12 | 25:8-25:36 | 25:16-25:34',
        'activation_3 | activation → [null, 16, 16, 128] | 12 | 26:8-26:46 | 26:16-26:26',
        'up3 | conv2dTranspose → [null, 32, 32, 64] | 12 | 27:8-27:114 | 27:37-27:40',
        'batchNormalization_4 | batchNormalization → [null, 32, 32, 64] | 12 | 28:8-28:36 | 28:16-28:34',
        'activation_4 | activation → [null, 32, 32, 64] | 12 | 29:8-29:46 | 29:16-29:26',
        'image | conv2dTranspose → [null, 64, 64, 3] | 12 | 30:8-30:116 | 30:37-30:42',
        'image | output | 7 | 32:6-32:24 | 32:6-32:11',
      ],
      [
        'discriminator | model | 5 | 34:2-52:16 | 34:2-34:15',
        'x | input [null, 64, 64, 3] | 13 | 36:6-36:7 | 36:6-36:7',
        'down1 | conv2d → [null, 32, 32, 64] | 12 | 38:8-38:91 | 38:28-38:33',
        'leakyReLU_1 | leakyReLU → [null, 32, 32, 64] | 12 | 39:8-39:39 | 39:16-39:25',
        'down2 | conv2d → [null, 16, 16, 128] | 12 | 40:8-40:111 | 40:28-40:33',
        'batchNormalization_1 | batchNormalization → [null, 16, 16, 128] | 12 | 41:8-41:36 | 41:16-41:34',
        'leakyReLU_2 | leakyReLU → [null, 16, 16, 128] | 12 | 42:8-42:39 | 42:16-42:25',
        'down3 | conv2d → [null, 8, 8, 256] | 12 | 43:8-43:111 | 43:28-43:33',
        'batchNormalization_2 | batchNormalization → [null, 8, 8, 256] | 12 | 44:8-44:36 | 44:16-44:34',
        'leakyReLU_3 | leakyReLU → [null, 8, 8, 256] | 12 | 45:8-45:39 | 45:16-45:25',
        'down4 | conv2d → [null, 4, 4, 512] | 12 | 46:8-46:111 | 46:28-46:33',
        'batchNormalization_3 | batchNormalization → [null, 4, 4, 512] | 12 | 47:8-47:36 | 47:16-47:34',
        'leakyReLU_4 | leakyReLU → [null, 4, 4, 512] | 12 | 48:8-48:39 | 48:16-48:25',
        'flatten_1 | flatten → [null, 8192] | 12 | 49:8-49:25 | 49:16-49:23',
        'logit | dense → [null, 1] | 12 | 50:8-50:44 | 50:27-50:32',
        'logit | output | 7 | 52:6-52:16 | 52:6-52:11',
      ],
      [
        'gan | model | 5 | 56:2-63:16 | 56:2-56:5',
        'z | input [null, 100] | 13 | 58:6-58:7 | 58:6-58:7',
        'generator | model generator → [null, 64, 64, 3] | 12 | 60:8-60:41 | 60:30-60:39',
        'score | model discriminator → [null, 1] | 12 | 61:8-61:74 | 61:27-61:32',
        'score | output | 7 | 63:6-63:16 | 63:6-63:11',
      ],
    ]);
  });

  it('give a multi-line layer mapping in a repeat its whole text, without the line break after it', async () => {
    const uri = await open('specs/melgan.yaml');
    const [generator] = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
    expect(generator!.children!.slice(0, 5).map(line)).toEqual([
      'mel | input [null, T, 80] | 13 | 18:14-18:17 | 18:14-18:17',
      'reflectionPadding1d_1 | reflectionPadding1d → [null, T + 6, 80] | 12 | 20:8-20:49 | 20:16-20:35',
      'conv1d_1 | conv1d → [null, T, 512] | 12 | 21:8-21:58 | 21:16-21:22',
      'leakyReLU_1 | leakyReLU → [null, T, 512] | 12 | 27:12-27:31 | 27:20-27:29',
      'conv1dTranspose_1 | conv1dTranspose → [null, 8*T, 256] | 12 | 28:12-32:55 | 28:18-28:33',
    ]);
  });
});

describe('inlay hints', () => {
  it("show each layer's output shape at the end of its line and each model's parameter count at its name", async () => {
    const uri = await open('specs/dcgan.yaml');
    expect(await hints(uri)).toEqual([
      '13:12 5,128,643 params',
      '17:63 → [null, 8192]',
      '18:55 → [null, 4, 4, 512]',
      '19:36 → [null, 4, 4, 512]',
      '20:46 → [null, 4, 4, 512]',
      '21:118 → [null, 8, 8, 256]',
      '22:36 → [null, 8, 8, 256]',
      '23:46 → [null, 8, 8, 256]',
      '24:118 → [null, 16, 16, 128]',
      '25:36 → [null, 16, 16, 128]',
      '26:46 → [null, 16, 16, 128]',
      '27:114 → [null, 32, 32, 64]',
      '28:36 → [null, 32, 32, 64]',
      '29:46 → [null, 32, 32, 64]',
      '30:116 → [null, 64, 64, 3]',
      '34:16 2,767,425 params',
      '38:91 → [null, 32, 32, 64]',
      '39:39 → [null, 32, 32, 64]',
      '40:111 → [null, 16, 16, 128]',
      '41:36 → [null, 16, 16, 128]',
      '42:39 → [null, 16, 16, 128]',
      '43:111 → [null, 8, 8, 256]',
      '44:36 → [null, 8, 8, 256]',
      '45:39 → [null, 8, 8, 256]',
      '46:111 → [null, 4, 4, 512]',
      '47:36 → [null, 4, 4, 512]',
      '48:39 → [null, 4, 4, 512]',
      '49:25 → [null, 8192]',
      '50:44 → [null, 1]',
      '56:6 7,896,068 params',
      '60:41 → [null, 64, 64, 3]',
      '61:74 → [null, 1]',
    ]);
  });

  it('only in the range asked for', async () => {
    const uri = await open('specs/dcgan.yaml');
    expect(await hints(uri, { start: { line: 21, character: 0 }, end: { line: 22, character: 36 } })).toEqual(['21:118 → [null, 8, 8, 256]', '22:36 → [null, 8, 8, 256]']);
  });

  it('give one hint per repeat template: the first and last iteration, or the shape once when all agree', async () => {
    const uri = await open('specs/sngan.yaml');
    expect((await hints(uri)).slice(0, 6)).toEqual([
      '13:16 2,937,282 params',
      '19:55 → [null, 32, 32, 64] … [null, 8, 8, 256] (3 iterations)',
      '20:31 → [null, 32, 32, 64] … [null, 8, 8, 256] (3 iterations)',
      '21:67 → [null, 16, 16, 64] … [null, 4, 4, 256] (3 iterations)',
      '22:31 → [null, 16, 16, 64] … [null, 4, 4, 256] (3 iterations)',
      '23:53 → [null, 4, 4, 512]',
    ]);
  });

  it('give a text two models share through a YAML alias one hint naming each model', async () => {
    const uri = await open('specs/cyclegan.yaml');
    const found = await hints(uri);
    expect(found.slice(0, 3)).toEqual([
      '23:12 11,378,179 params',
      '26:49 → generator: [null, 262, 262, 3]; generatorAnySize: [null, H + 6, W + 6, 3]',
      '27:51 → generator: [null, 256, 256, 64]; generatorAnySize: [null, H, W, 64]',
    ]);
    expect(found).toContain('32:109 → generator: [null, 128, 128, 128] … [null, 64, 64, 256] (2 iterations); generatorAnySize: [null, H/2, W/2, 128] … [null, H/4, W/4, 256] (2 iterations)');
    expect(found).toContain('39:41 → generator: [null, 66, 66, 256] (×9); generatorAnySize: [null, H/4 + 2, W/4 + 2, 256] (×9)');
  });

  it('show symbolic sizes as the summary does, after a multi-line mapping', async () => {
    const uri = await open('specs/melgan.yaml');
    expect((await hints(uri)).slice(0, 5)).toEqual([
      '17:12 4,266,050 params',
      '20:49 → [null, T + 6, 80]',
      '21:58 → [null, T, 512]',
      '27:31 → [null, T, 512] … [null, 128*T, 64] (4 iterations)',
      '32:55 → [null, 8*T, 256] … [null, 256*T, 32] (4 iterations)',
    ]);
  });
});

describe('hover', () => {
  it('on a transposed convolution: shapes, parameters, MACs and the output length formula per axis', async () => {
    const uri = await open('specs/dcgan.yaml');
    expect(await hoverAt(uri, 21, 30)).toEqual({
      value: [
        '**up1**: `conv2dTranspose`',
        '',
        '- input `[null, 4, 4, 512]` from `activation_1`',
        '- output `[null, 8, 8, 256]`',
        '- params 3,276,800: kernel `[5, 5, 256, 512]`',
        '- MACs 52,428,800',
        '',
        'Output length per spatial axis (Keras 3 `compute_conv_transpose_output_shape`, docs/semantics.md):',
        '- axis 0: `4*2 = 8`',
        '- axis 1: `4*2 = 8`',
      ].join('\n'),
      range: '21:8-21:118',
    });
  });

  it('on a layer with weights that do not train, also on its `type` key', async () => {
    const uri = await open('specs/dcgan.yaml');
    expect(await hoverAt(uri, 22, 12)).toEqual({
      value: [
        '**batchNormalization_2**: `batchNormalization`',
        '',
        '- input `[null, 8, 8, 256]` from `up1`',
        '- output `[null, 8, 8, 256]`',
        '- params 1,024: gamma `[256]`, beta `[256]`, moving_mean `[256]` (non-trainable), moving_variance `[256]` (non-trainable)',
        '- MACs 0',
      ].join('\n'),
      range: '22:8-22:36',
    });
  });

  it('on a transposed convolution of symbolic size with explicit padding and outputPadding, made by a repeat in two models', async () => {
    const uri = await open('specs/cyclegan.yaml');
    expect(await hoverAt(uri, 50, 30)).toEqual({
      value: [
        '`conv2dTranspose`, 4 layers from this text (a `repeat`, or an alias):',
        '',
        '- **conv2dTranspose_1**: `[null, 64, 64, 256]` → `[null, 128, 128, 128]`, 295,040 params; `(64-1)*2 + 3 + 1 - 1 - 1 = 128`; `(64-1)*2 + 3 + 1 - 1 - 1 = 128`',
        '- **conv2dTranspose_2**: `[null, 128, 128, 128]` → `[null, 256, 256, 64]`, 73,792 params; `(128-1)*2 + 3 + 1 - 1 - 1 = 256`; `(128-1)*2 + 3 + 1 - 1 - 1 = 256`',
        '- **conv2dTranspose_1**: `[null, H/4, W/4, 256]` → `[null, H/2, W/2, 128]`, 295,040 params; `((H/4)-1)*2 + 3 + 1 - 1 - 1 = H/2`; `((W/4)-1)*2 + 3 + 1 - 1 - 1 = W/2`',
        '- **conv2dTranspose_2**: `[null, H/2, W/2, 128]` → `[null, H, W, 64]`, 73,792 params; `((H/2)-1)*2 + 3 + 1 - 1 - 1 = H`; `((W/2)-1)*2 + 3 + 1 - 1 - 1 = W`',
      ].join('\n'),
      range: '50:12-50:136',
    });
  });

  it('on a `type: model` layer: its weights counted, not listed, and its `model:` key explained', async () => {
    const uri = await open('specs/dcgan.yaml');
    expect(await hoverAt(uri, 61, 45)).toEqual({
      value: [
        '**score**: `model discriminator`',
        '',
        '- input `[null, 64, 64, 3]` from `generator`',
        '- output `[null, 1]`',
        '- params 2,767,425 in 19 weights (trainable 0, non-trainable 2,767,425)',
        '- MACs 103,817,216',
      ].join('\n'),
      range: '61:8-61:74',
    });
    expect(await hoverAt(uri, 61, 36)).toEqual({
      value: ['**model**: option of `model`', '', 'The model to use, by name: another model of this spec, never the model itself or one that uses it.', '', "Value: 'discriminator'"].join('\n'),
      range: '61:34-61:39',
    });
  });

  it('on an option key: its description and default from the JSON Schema, and its value', async () => {
    const uri = await open('specs/dcgan.yaml');
    expect(await hoverAt(uri, 21, 80)).toEqual({
      value: [
        '**strides**: option of `conv2dTranspose`',
        '',
        'Stride per spatial axis. Default 1. As in tf.nn.conv_transpose, a list may also have 1 entry or batch and channel entries of 1.',
        '',
        'A positive integer for every axis, or a list of 1, 2 (one per spatial axis) or 4 entries (the tf.nn.conv_transpose form, with 1 for the batch and channel axes).',
        '',
        'Value: 2',
      ].join('\n'),
      range: '21:75-21:82',
    });
  });

  it("on an option key of a repeat template: each iteration's value", async () => {
    const uri = await open('specs/sngan.yaml');
    expect(await hoverAt(uri, 21, 30)).toEqual({
      value: ['**filters**: option of `conv2d`', '', 'Number of output channels.', '', 'A positive integer, or an expression over params.', '', 'Value: 64 (conv2d_2), 128 (conv2d_4), 256 (conv2d_6)'].join('\n'),
      range: '21:28-21:35',
    });
  });

  it('on a param, where it is declared and where it is used: its value', async () => {
    const uri = await open('specs/dcgan.yaml');
    expect(await hoverAt(uri, 4, 22)).toEqual({ value: '**ngf**: param = 64', range: '4:21-4:24' });
    expect(await hoverAt(uri, 17, 41)).toEqual({ value: '**ngf**: param = 64', range: '17:38-17:41' });
  });

  it('on a symbol, where it is declared and where it is used: its constraint', async () => {
    const uri = await open('specs/autoencoder-symbolic.yaml');
    expect(await hoverAt(uri, 8, 2)).toEqual({ value: '**H**: symbol, a size chosen at run time: a multiple of 4, at least 4', range: '8:2-8:3' });
    expect(await hoverAt(uri, 14, 25)).toEqual({ value: '**W**: symbol, a size chosen at run time: a multiple of 4, at least 4', range: '14:25-14:26' });
  });

  it("on a model's name: its inputs, outputs and totals, as the summary counts them", async () => {
    const uri = await open('specs/dcgan.yaml');
    expect(await hoverAt(uri, 13, 5)).toEqual({
      value: [
        '**generator**: model',
        '',
        '- input z `[null, 100]`',
        '- output image `[null, 64, 64, 3]`',
        '- params 5,128,643 (trainable 5,126,723, non-trainable 1,920)',
        '- MACs per sample 163,020,800',
      ].join('\n'),
      range: '13:2-13:11',
    });
  });

  it("on an input's or output's key: its shape, inferred and asserted", async () => {
    const uri = await open('specs/dcgan.yaml');
    expect(await hoverAt(uri, 15, 6)).toEqual({ value: '**z**: input of `generator`, `[null, 100]`', range: '15:6-15:7' });
    expect(await hoverAt(uri, 32, 7)).toEqual({ value: '**image**: output of `generator`, inferred `[null, 64, 64, 3]`, asserted `[null, 64, 64, 3]`', range: '32:6-32:11' });
    const symbolic = await open('specs/autoencoder-symbolic.yaml');
    expect(await hoverAt(symbolic, 14, 15)).toEqual({ value: '**image**: input of `encoder`, `[null, H, W, 3]`', range: '14:14-14:19' });
  });

  it('on a layer of a model with errors: no shapes, and no inlay hints for it', async () => {
    const uri = await open('specs/invalid/NS3002-misspelled-param.yaml');
    expect(await hoverAt(uri, 9, 12)).toEqual({ value: '**dense_1**: `dense`\n\nNo shapes: the model has errors (see the diagnostics).', range: '9:8-9:65' });
    expect(await hints(uri)).toEqual([]);
  });

  it('nowhere in particular: nothing', async () => {
    const uri = await open('specs/dcgan.yaml');
    expect(await hoverAt(uri, 1, 5)).toBeNull();
  });
});

describe('a spec that does not parse', () => {
  it('has no outline, hints or hover, only its diagnostics', async () => {
    const uri = await open('specs/invalid/NS1001-unclosed-flow-mapping.yaml');
    expect(client.published(uri).map((p) => p.diagnostics.map((d) => d.code))).toEqual([['NS1001']]);
    expect(await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })).toEqual([]);
    expect(await hints(uri)).toEqual([]);
    expect(await hoverAt(uri, 5, 10)).toBeNull();
  });
});
