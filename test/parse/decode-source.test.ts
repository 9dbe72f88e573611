import { describe, expect, test } from 'vitest';
import { Locator } from '../../src/diagnostics/location.js';
import { decodeSource } from '../../src/parse/decode-source.js';
import { firstInvalidUtf8, leadingCodes, utf16ByteOrder } from '../../src/parse/encoding.js';
import { maxSpecLength } from '../../src/parse/parse-spec.js';

const file = 'specs/test.yaml';
const bytes = (...values: number[]) => new Uint8Array(values);
const utf8 = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
};
const utf16le = (text: string) => new Uint8Array(new Uint16Array(Array.from(text, (c) => c.charCodeAt(0))).buffer);

describe('firstInvalidUtf8: where TextDecoder with fatal would fail', () => {
  const cases: [string, { given: Uint8Array; want: number }][] = [
    ['empty', { given: bytes(), want: -1 }],
    ['ASCII', { given: utf8('netspec: 1\n'), want: -1 }],
    ['2, 3 and 4 byte characters', { given: utf8('ä€𝄞'), want: -1 }],
    ['a literal U+FFFD', { given: utf8('a\uFFFDb'), want: -1 }],
    ['a lone continuation byte', { given: bytes(0x61, 0x80), want: 1 }],
    ['a Latin-1 ü', { given: bytes(0x66, 0xfc, 0x72), want: 1 }],
    ['an overlong slash (C0 AF)', { given: bytes(0xc0, 0xaf), want: 0 }],
    ['an overlong 3-byte form (E0 80 80)', { given: bytes(0xe0, 0x80, 0x80), want: 0 }],
    ['a surrogate (ED A0 80)', { given: bytes(0x61, 0xed, 0xa0, 0x80), want: 1 }],
    ['above U+10FFFF (F4 90 80 80)', { given: bytes(0xf4, 0x90, 0x80, 0x80), want: 0 }],
    ['F5 never starts a character', { given: bytes(0xf5, 0x80, 0x80, 0x80), want: 0 }],
    ['a character cut at the end', { given: bytes(0x61, 0xe2, 0x82), want: 1 }],
    ['a lead byte followed by ASCII', { given: bytes(0xe2, 0x41), want: 0 }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    expect(firstInvalidUtf8(given)).toBe(want);
  });

  test('agrees with TextDecoder on every short byte string made of interesting bytes', () => {
    const interesting = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
    const fatal = new TextDecoder('utf-8', { fatal: true });
    const valid = (b: Uint8Array) => {
      try {
        fatal.decode(b);
        return true;
      } catch {
        return false;
      }
    };
    const n = interesting.length;
    for (let i = 0; i < n ** 3; i++) {
      const given = bytes(interesting[i % n]!, interesting[Math.floor(i / n) % n]!, interesting[Math.floor(i / n ** 2)]!);
      const at = firstInvalidUtf8(given);
      expect(at === -1, `${Array.from(given)}`).toBe(valid(given));
      // The bytes before the first invalid one always decode.
      if (at >= 0) expect(valid(given.subarray(0, at))).toBe(true);
    }
  });
});

describe('utf16ByteOrder', () => {
  const cases: [string, { given: ArrayLike<number>; want: string | undefined }][] = [
    ['a little-endian byte order mark', { given: bytes(0xff, 0xfe, 0x41), want: 'little-endian' }],
    ['a big-endian byte order mark', { given: bytes(0xfe, 0xff), want: 'big-endian' }],
    ['ASCII as UTF-16LE, no mark', { given: utf16le('netspec: 1\n'), want: 'little-endian' }],
    ['ASCII as UTF-16BE, no mark', { given: utf16le('netspec: 1\n').reverse(), want: 'big-endian' }],
    ['UTF-8 text', { given: utf8('netspec: 1\n# Größe\n'), want: undefined }],
    ['too short to tell', { given: bytes(0x41, 0x00), want: undefined }],
    ['NULs everywhere: binary, not text', { given: bytes(0, 0, 0, 0, 0x41, 0, 0, 0x42), want: undefined }],
    ['one NUL in text', { given: utf8('netspec: 1\n\0'), want: undefined }],
    ['character codes of UTF-16LE decoded as UTF-8', { given: leadingCodes(new TextDecoder().decode(concat(bytes(0xff, 0xfe), utf16le('netspec: 1\n')))), want: 'little-endian' }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    expect(utf16ByteOrder(given)).toBe(want);
  });
});

/** `code line:column` of each diagnostic, against the text decodeSource shows. */
function located(decoded: ReturnType<typeof decodeSource>): string[] {
  const locator = new Locator(new Map([[decoded.shown.path, decoded.shown.text]]));
  return decoded.diagnostics.map((d) => `${d.code} ${locator.locate(d.span!).line}:${locator.locate(d.span!).column}`);
}

describe('decodeSource: bytes to a spec text', () => {
  test('valid UTF-8 is the value, a byte order mark dropped', () => {
    const decoded = decodeSource(file, concat(bytes(0xef, 0xbb, 0xbf), utf8('netspec: 1\n# \uFFFD\n')));
    expect(decoded).toEqual({ value: { path: file, text: 'netspec: 1\n# \uFFFD\n' }, shown: { path: file, text: 'netspec: 1\n# \uFFFD\n' }, diagnostics: [] });
  });

  // NULs and size are the text's business: parseSpec reports them for files and for check() alike.
  test('valid UTF-8 with a NUL is still the value', () => {
    expect(decodeSource(file, utf8('netspec: 1\n\0')).value).toEqual({ path: file, text: 'netspec: 1\n\0' });
  });

  const failing: [string, { given: Uint8Array; want: string; shown: string }][] = [
    ['Windows-1252 at the first invalid byte', { given: concat(utf8('netspec: 1\n# f'), bytes(0xfc), utf8('r\n')), want: 'NS1004 2:4', shown: 'netspec: 1\n# f\uFFFDr\n' }],
    ['after astral characters (two UTF-16 units each)', { given: concat(utf8('# 𝄞𝄞 '), bytes(0xff)), want: 'NS1004 1:8', shown: '# 𝄞𝄞 \uFFFD' }],
    ['after a byte order mark', { given: concat(bytes(0xef, 0xbb, 0xbf), utf8('a: '), bytes(0xe9)), want: 'NS1004 1:4', shown: 'a: \uFFFD' }],
    ['UTF-16LE: shown decoded', { given: concat(bytes(0xff, 0xfe), utf16le('netspec: 1\n')), want: 'NS1004 1:1', shown: 'netspec: 1\n' }],
    ['invalid UTF-8 with a NUL: the NUL (binary) wins', { given: concat(bytes(0x89), utf8('PNG\n\n'), bytes(0, 0xff)), want: 'NS1004 3:1', shown: '\uFFFDPNG\n\n\0\uFFFD' }],
  ];
  test.each(failing)('%s', (_name, { given, want, shown }) => {
    const decoded = decodeSource(file, given);
    expect(decoded.value).toBeUndefined();
    expect(decoded.shown).toEqual({ path: file, text: shown });
    expect(located(decoded)).toEqual([want]);
    // What to do is advice (save the file as UTF-8), a note: no edit of the text can do it.
    expect([decoded.diagnostics[0]!.fix, decoded.diagnostics[0]!.notes.length]).toEqual([undefined, 1]);
  });

  test('the size limit comes first, for invalid bytes too', () => {
    const decoded = decodeSource(file, concat(bytes(0xff), new Uint8Array(maxSpecLength).fill(0x61)));
    expect(decoded.value).toBeUndefined();
    expect(decoded.diagnostics.map((d) => d.code)).toEqual(['NS1005']);
  });
});
