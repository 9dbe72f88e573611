import type { CodeBlockWriter } from 'ts-morph';
import { propertyName, stringLiteral } from './escape.js';

/**
 * The expressions generated modules contain: JSON-like literals, identifiers
 * and calls. Emit builds these values and prints them through the ts-morph
 * writer, so no stage pastes source text together.
 */
export type Code = number | string | boolean | null | Ident | Call | Cast | readonly Code[] | { readonly [key: string]: Code | undefined };

export class Ident {
  constructor(readonly name: string) {}
}

export class Call {
  constructor(
    readonly callee: string,
    readonly args: readonly Code[] = [],
  ) {}
}

/** `value as type`, for values tfjs accepts at run time but types more narrowly. */
export class Cast {
  constructor(
    readonly value: Code,
    readonly type: string,
  ) {}
}


/** JS shortest form; -0 prints as 0. Resolve rejects NaN and Infinity, so meeting one here is a compiler bug. */
function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`netspec emit: cannot print the non-finite number ${n}`);
  return Object.is(n, -0) ? '0' : String(n);
}

/** Prints a value deterministically: object keys in insertion order, numbers in JS shortest form. */
export function writeCode(writer: CodeBlockWriter, code: Code): void {
  if (code === null) writer.write('null');
  else if (typeof code === 'number') writer.write(numberText(code));
  else if (typeof code === 'string') writer.write(stringLiteral(code));
  else if (typeof code === 'boolean') writer.write(String(code));
  else if (code instanceof Ident) writer.write(code.name);
  else if (code instanceof Cast) {
    writeCode(writer, code.value);
    writer.write(` as ${code.type}`);
  } else if (code instanceof Call) {
    writer.write(`${code.callee}(`);
    code.args.forEach((arg, i) => {
      if (i > 0) writer.write(', ');
      writeCode(writer, arg);
    });
    writer.write(')');
  } else if (Array.isArray(code)) {
    writer.write('[');
    (code as readonly Code[]).forEach((item, i) => {
      if (i > 0) writer.write(', ');
      writeCode(writer, item);
    });
    writer.write(']');
  } else {
    const entries = Object.entries(code).filter(([, v]) => v !== undefined) as [string, Code][];
    if (entries.length === 0) {
      writer.write('{}');
      return;
    }
    writer.write('{ ');
    entries.forEach(([k, v], i) => {
      if (i > 0) writer.write(', ');
      writer.write(`${propertyName(k)}: `);
      writeCode(writer, v);
    });
    writer.write(' }');
  }
}
