import { describe, expect, test } from 'vitest';
import { diagnostic, uniqueDiagnostics } from '../../src/diagnostics/diagnostic.js';

describe('uniqueDiagnostics', () => {
  const span = { file: 'a.yaml', start: 3, end: 4 };
  const d = diagnostic('NS1001', span, 'Flow map must end with a }');

  test('drops exact repeats, keeps the first and the order', () => {
    const other = diagnostic('NS1002', span, 'duplicate key');
    expect(uniqueDiagnostics([d, other, { ...d, span: { ...span } }, d])).toEqual([d, other]);
  });

  const differing: [string, { given: ReturnType<typeof diagnostic> }][] = [
    ['another place', { given: diagnostic('NS1001', { ...span, start: 2 }, d.message) }],
    ['another file', { given: diagnostic('NS1001', { ...span, file: 'b.yaml' }, d.message) }],
    ['another message', { given: diagnostic('NS1001', span, 'Flow map must end with a ]') }],
    ['a note', { given: diagnostic('NS1001', span, d.message, { notes: [{ message: 'n' }] }) }],
    ['a fix', { given: diagnostic('NS1001', span, d.message, { fix: 'f' }) }],
    ['no place', { given: diagnostic('NS1001', undefined, d.message) }],
  ];
  test.each(differing)('keeps a diagnostic that differs only in %s', (_name, { given }) => {
    expect(uniqueDiagnostics([d, given])).toEqual([d, given]);
  });
});
