/**
 * The one place where text from a spec (paths, names, ids, option strings,
 * doc text) is made safe for the context it lands in within a generated
 * module. Specs are untrusted: a path holding `*\/` or a line terminator
 * must not end a comment and turn the rest into code.
 */

/**
 * Characters escaped in every context: C0/C1 controls (line feed and carriage
 * return among them), format characters (bidi overrides, which can make code
 * read other than it runs, and the BOM), the line and paragraph separators
 * U+2028/U+2029, which end a `//` comment, and lone surrogates, which UTF-8
 * cannot carry.
 */
const unsafe = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|\p{Cs}/gu;

function codePointEscape(c: string): string {
  return `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`;
}

/** A single-quoted TypeScript string literal (the printer's quote style is pinned to single quotes). */
export function stringLiteral(text: string): string {
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`).replace(unsafe, codePointEscape)}'`;
}

/**
 * Text for a `//` or `/** *\/` comment: one line, never closing a block
 * comment. Reversible by `uncommentText`, so a spec path read back from a
 * generated header is the path that was written: `\` is `\\`, `*\/` is
 * `*\\/`, and an unsafe character is `\u{hex}`.
 */
export function commentText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\*\//g, '*\\/').replace(unsafe, codePointEscape);
}

/** The text `commentText` was given. */
export function uncommentText(text: string): string {
  return text.replace(/\\(\\|\/|u\{([0-9A-F]{1,6})\})/g, (_, escaped: string, hex: string | undefined) =>
    hex === undefined ? escaped : String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff)),
  );
}

const identifierPattern = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A name used as a TypeScript identifier or property name. Resolve admits
 * only identifiers for every name a spec chooses; anything else reaching
 * emit is a compiler bug, so it stops here rather than being printed.
 */
export function identifier(name: string): string {
  if (!identifierPattern.test(name)) throw new Error(`netspec emit: ${stringLiteral(name)} is not an identifier`);
  return name;
}

/** A property name in an object literal: bare when it is an identifier, else a string literal. */
export function propertyName(name: string): string {
  return identifierPattern.test(name) ? name : stringLiteral(name);
}
