/**
 * A model.json read as a YAML document (JSON is YAML 1.2 flow syntax), so that
 * every value keeps its place in the file and an import diagnostic can point
 * at the line and column of the class or argument it is about.
 */
import { parseDocument, type Document } from 'yaml';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile, Span } from '../ir.js';
import { nodeAt, nodeSpan, type PathSegment } from '../parse/parse-spec.js';
import { jsonSyntaxError } from '../resolve/array-file.js';

/** model.json files of real models hold their topology only (weights are beside them); 32 MiB is far above the largest seen. */
export const maxModelJsonLength = 32 * 1024 * 1024;

export interface JsonDocument {
  readonly source: SourceFile;
  readonly value: unknown;
  /** The span of the value at a path, or of the nearest ancestor that exists; `key` selects the key of a mapping entry. */
  readonly spanAt: (path: readonly PathSegment[], part?: 'key' | 'value') => Span;
}

export function readJsonDocument(source: SourceFile): { value?: JsonDocument; diagnostics: Diagnostic[] } {
  const whole: Span = { file: source.path, start: 0, end: Math.min(1, source.text.length) };
  if (source.text.length > maxModelJsonLength) {
    return { diagnostics: [diagnostic('NS6001', whole, `${source.path} is ${source.text.length} characters long; netspec import reads model.json files of at most ${maxModelJsonLength}`, { fix: 'check that it is the model.json that model.save or to_json wrote' })] };
  }
  let value: unknown;
  try {
    value = JSON.parse(source.text) as unknown;
  } catch {
    // V8's message quotes the text; say only where it stops being JSON.
    return { diagnostics: [diagnostic('NS6001', whole, `${source.path} is not valid JSON: ${jsonSyntaxError(source.text)}`, { fix: 'import the model.json that model.save, model.toJSON() or Keras model.to_json() wrote' })] };
  }
  // Valid JSON is valid YAML 1.2; the document is read only for the places of values.
  const document = parseDocument(source.text, { uniqueKeys: false, keepSourceTokens: false }) as Document.Parsed;
  const spanAt = (path: readonly PathSegment[], part: 'key' | 'value' = 'value'): Span => {
    for (let n = path.length; n >= 0; n--) {
      const found = nodeAt(document, path.slice(0, n));
      if (found) return nodeSpan(source, part === 'key' && n === path.length && found.keyNode ? found.keyNode : found.node);
    }
    return whole;
  };
  return { value: { source, value, spanAt }, diagnostics: [] };
}
