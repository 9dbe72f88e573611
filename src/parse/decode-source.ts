import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../ir.js';
import { firstInvalidUtf8, invalidUtf8Diagnostic, utf16ByteOrder, utf16Diagnostic } from './encoding.js';
import { checkText } from './parse-spec.js';

/** A file's bytes as a spec's text, when they are UTF-8. */
export interface DecodedSource extends Result<SourceFile> {
  /**
   * The text as well as it could be decoded (U+FFFD for invalid bytes, UTF-16
   * decoded as such), so that diagnostics can show the line they point at.
   */
  readonly shown: SourceFile;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lossyUtf8 = new TextDecoder('utf-8');

/**
 * Decodes a spec file. The value is absent, and a located NS1004 (or NS1005)
 * says why, when the bytes are UTF-16 or not valid UTF-8 anywhere; a valid
 * file may hold a literal U+FFFD. A UTF-8 byte order mark is dropped. NUL
 * characters and the size limit are left to `parseSpec`, which sees the text.
 */
export function decodeSource(path: string, bytes: Uint8Array): DecodedSource {
  const order = utf16ByteOrder(bytes);
  if (order) {
    const shown = { path, text: new TextDecoder(order === 'little-endian' ? 'utf-16le' : 'utf-16be').decode(bytes) };
    return { shown, diagnostics: [checkText(shown) ?? utf16Diagnostic(shown, order)] };
  }
  try {
    const source = { path, text: utf8.decode(bytes) };
    return { value: source, shown: source, diagnostics: [] };
  } catch {
    const shown = { path, text: lossyUtf8.decode(bytes) };
    return { shown, diagnostics: [checkText(shown) ?? invalidByte(shown, bytes)] };
  }
}

/** NS1004 at the first invalid byte: the valid bytes before it decode to the text before its U+FFFD. */
function invalidByte(shown: SourceFile, bytes: Uint8Array): Diagnostic {
  const offset = Math.max(0, firstInvalidUtf8(bytes));
  return invalidUtf8Diagnostic(shown, lossyUtf8.decode(bytes.subarray(0, offset)).length, bytes[offset] ?? 0);
}
