import { describe, expect, test } from 'vitest';
import { diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { Analysis } from '../../src/lsp/analysis.js';
import { lspDiagnostics } from '../../src/lsp/diagnostics.js';

const uri = 'file:///p/specs/a.yaml';
const file = 'specs/a.yaml';

function analysis(text: string, diagnostics: Analysis['result']['diagnostics']): Analysis {
  return { uri, file, text, version: 3, result: { diagnostics, models: [] } };
}

describe('lspDiagnostics: netspec diagnostics as LSP diagnostics', () => {
  test('CRLF line breaks count once; a warning is severity 2', () => {
    const text = 'netspec: 1\r\nname: x\r\nmodels: {}\r\n';
    const [d] = lspDiagnostics(analysis(text, [diagnostic('NS5001', { file, start: text.indexOf('models'), end: text.indexOf('models') + 6 }, 'a lint')]));
    expect(d).toEqual({ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 6 } }, severity: 2, code: 'NS5001', source: 'netspec', message: 'a lint' });
  });

  test('a span in another file goes to the first character, naming the file; so do notes without a place here', () => {
    const text = 'netspec: 1\nmodels: {}\n';
    const [d] = lspDiagnostics(
      analysis(text, [
        diagnostic('NS4011', { file: 'specs/w.json', start: 4, end: 9 }, 'bad weights', {
          notes: [
            { message: 'declared here', span: { file, start: 11, end: 17 } },
            { message: 'in the file', span: { file: 'specs/w.json', start: 0, end: 1 } },
            { message: 'no place at all' },
          ],
          fix: 'rename it',
        }),
      ]),
    );
    expect(d).toEqual({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: 1,
      code: 'NS4011',
      source: 'netspec',
      message: 'specs/w.json: bad weights\nnote: specs/w.json: in the file\nnote: no place at all\nfix: rename it',
      relatedInformation: [{ location: { uri, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 6 } } }, message: 'declared here' }],
    });
  });

  test('an empty span is an empty range; a span past a lone CR is on the next line', () => {
    const text = 'a: 1\rb: 2\n';
    const [d] = lspDiagnostics(analysis(text, [diagnostic('NS2002', { file, start: 5, end: 5 }, 'here')]));
    expect(d!.range).toEqual({ start: { line: 1, character: 0 }, end: { line: 1, character: 0 } });
  });
});
