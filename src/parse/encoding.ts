/**
 * Telling a file that is not UTF-8 text from a spec: UTF-16 (what Windows
 * PowerShell 5 writes with `>`), legacy 8-bit encodings, and binary data.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../ir.js';

export type ByteOrder = 'little-endian' | 'big-endian';

/** How many leading bytes (or characters) the NUL pattern is judged on. */
const sampleLength = 1024;

/**
 * The byte order of UTF-16 text, from its byte order mark or, without one, from
 * NULs in every other position (the high bytes of ASCII characters); undefined
 * for anything else. Takes bytes, or the character codes of text that was
 * decoded one byte per character (an invalid UTF-8 byte decodes to one U+FFFD).
 */
export function utf16ByteOrder(units: ArrayLike<number>): ByteOrder | undefined {
  if (units[0] === 0xff && units[1] === 0xfe) return 'little-endian';
  if (units[0] === 0xfe && units[1] === 0xff) return 'big-endian';
  const n = Math.min(units.length, sampleLength) & ~1;
  if (n < 4) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    if (units[i] !== 0) continue;
    if (i % 2 === 0) even++;
    else odd++;
  }
  // Binary data has NULs at both parities; UTF-16 of mostly-ASCII text at one only.
  const half = n / 2;
  if (odd >= 0.3 * half && even <= 0.05 * half) return 'little-endian';
  if (even >= 0.3 * half && odd <= 0.05 * half) return 'big-endian';
  return undefined;
}

/** The first characters' codes of a text, for `utf16ByteOrder`. */
export function leadingCodes(text: string): number[] {
  return Array.from(text.slice(0, sampleLength), (c) => c.charCodeAt(0));
}

/**
 * Offset of the first byte that does not start a valid UTF-8 sequence, or -1.
 * Follows the WHATWG decoder (no overlong forms, surrogates or code points
 * above U+10FFFF), so it fails exactly where `TextDecoder` with `fatal` does.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    // The second byte's range is narrower after these leads: it rules out overlong forms, surrogates and > U+10FFFF.
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < length; k++) {
      const byte = bytes[i + k];
      if (byte === undefined || byte < (k === 1 ? low : 0x80) || byte > (k === 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  return -1;
}

function hexByte(byte: number): string {
  return `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** NS1004 for UTF-16 text, at the start of the file. */
export function utf16Diagnostic(source: SourceFile, order: ByteOrder): Diagnostic {
  const iconvName = order === 'little-endian' ? 'UTF-16LE' : 'UTF-16BE';
  return diagnostic('NS1004', { file: source.path, start: 0, end: 1 }, `the file is UTF-16 (${order}) text, not UTF-8; save it as UTF-8`, {
    notes: [{ message: `save it with the encoding UTF-8 (PowerShell: \`Set-Content -Encoding utf8\`), or convert it: \`iconv -f ${iconvName} -t UTF-8\`` }],
  });
}

/** NS1004 for a NUL character: text has none, so the file is binary data. */
export function binaryDiagnostic(source: SourceFile, at: number): Diagnostic {
  return diagnostic('NS1004', { file: source.path, start: at, end: at + 1 }, 'file is not UTF-8 text: it contains a NUL byte, so it is probably binary data', {
    notes: [{ message: 'check that the path names the YAML spec you meant' }],
  });
}

/** NS1004 for a byte that is not UTF-8, at `at` in the text decoded with U+FFFD replacements. */
export function invalidUtf8Diagnostic(source: SourceFile, at: number, byte: number): Diagnostic {
  return diagnostic('NS1004', { file: source.path, start: at, end: at + 1 }, `file is not UTF-8 text: byte ${hexByte(byte)} is not valid UTF-8 here; the file may be Windows-1252 or Latin-1`, {
    notes: [{ message: 'save the file as UTF-8 (or convert it, e.g. `iconv -f WINDOWS-1252 -t UTF-8`)' }],
  });
}
