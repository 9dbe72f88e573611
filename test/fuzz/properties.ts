import { ts } from 'ts-morph';
import { codes, type Diagnostic, type EmittedModule, type ModelShapes, type SourceFile, type Span } from '../../src/index.js';
import type { FuzzCase } from './case.js';
import type { Isolate } from './isolate.js';

/**
 * The properties every generated spec must have, checked through the
 * library API (tsc and tfjs, which need batches or async work, live in
 * tsc-batch.ts and tfjs-sample.ts):
 *
 * - no-throw: `check`, `compile` and `formatText` never throw.
 * - diagnostics: every code is in `codes` with its severity (lints, NS5xxx,
 *   may also be errors: `lint: { checkerboard: error }` raises them), and every span
 *   (of a diagnostic and of its notes) lies in a source: `0 <= start < end <= length`.
 *   The one span allowed past the text is the end-of-file marker
 *   `[length, length + 1]`: spans are never empty, so a message about the end
 *   of the file (an empty file, a document cut short) marks the character
 *   after it, as parse-spec.ts does and no-throw.test.ts accepts.
 * - time: check plus compile of one case within the time limit (a case
 *   still running at the hard limit is killed, see isolate.ts).
 * - compile: what `check` accepts, `compile` emits: one module per source.
 * - module-shape: an emitted module parses, is named `<identifier>.ts`, has
 *   at top level only imports, exported consts, interfaces and functions, and
 *   no comment holds a line terminator or `*\/` (code injected through
 *   paths, names or doc text shows up here even when it type-checks).
 */

export type Property = 'no-throw' | 'diagnostics' | 'time' | 'compile' | 'module-shape' | 'tsc' | 'tfjs';
export const properties: readonly Property[] = ['no-throw', 'diagnostics', 'time', 'compile', 'module-shape', 'tsc', 'tfjs'];

export interface Failure {
  readonly property: Property;
  /** What groups failures of one root cause: the exception's message and top frame, the code and kind of a bad span, ... */
  readonly key: string;
  readonly message: string;
}

export interface Outcome {
  readonly failures: Failure[];
  /** No error diagnostics. */
  readonly clean: boolean;
  readonly modules: readonly EmittedModule[];
  /** Per module, the models of its spec: what the tfjs sample compares. Undefined if they could not be had. */
  readonly models?: readonly (readonly ModelShapes[])[];
  readonly ms: number;
}

/**
 * Digits and quoted parts vary between cases of one cause; the first frame in
 * src/ does not. A stack overflow's top frame is wherever the recursion
 * happened to be, so it is keyed by the files the recursion runs through.
 */
export function exceptionKey(e: unknown): { key: string; message: string } {
  const error = e instanceof Error ? e : typeof e === 'object' && e !== null && 'stack' in e ? (e as Error) : new Error(String(e));
  const frames = (error.stack ?? '').split('\n').filter((l) => /\/src\/.*\.ts/.test(l));
  if (/Maximum call stack size exceeded/.test(error.message)) {
    const files = [...new Set(frames.slice(0, 40).map((l) => /(src\/[^:)]+)/.exec(l)![1]))].sort();
    return { key: `${error.name}: ${error.message} in ${files.join(', ') || 'code outside src/'}`, message: error.stack ?? error.message };
  }
  const at = /at (?:(\S+) )?\(?.*?(src\/[^:)]+):(\d+)/.exec(frames[0] ?? '');
  const where = at ? `${at[1] ?? '<anonymous>'} (${at[2]}:${at[3]})` : 'outside src/';
  return { key: `${error.name}: ${normalize(error.message)} at ${where}`, message: error.stack ?? error.message };
}

/** JSON quoting that also escapes what JSON leaves raw but a terminal hides: U+2028/9, other controls and invisibles. */
export function quote(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function normalize(message: string): string {
  return message
    .replace(/'[^']*'|"[^"]*"/g, "'…'")
    .replace(/\d+(\.\d+)?(e[+-]?\d+)?/g, 'N')
    .slice(0, 140);
}

function spanProblem(span: Span | undefined, texts: ReadonlyMap<string, string>): string | undefined {
  if (!span) return 'no span';
  const text = texts.get(span.file);
  if (text === undefined) return 'span in a file that is no source';
  const { start, end } = span;
  const endOfFile = start === text.length && end === text.length + 1;
  if (!(Number.isInteger(start) && Number.isInteger(end) && ((0 <= start && start < end && end <= text.length) || endOfFile))) return 'span outside the text';
  return undefined;
}

function diagnosticProblems(diagnostics: readonly Diagnostic[], texts: ReadonlyMap<string, string>): Failure[] {
  const out: Failure[] = [];
  for (const d of diagnostics) {
    const known = (codes as Record<string, { severity: string } | undefined>)[d.code];
    const at = (s: Span | undefined) => (s ? `${quote(s.file)} [${s.start}, ${s.end}) of ${texts.get(s.file)?.length ?? '?'} chars` : 'no span');
    if (!known) out.push({ property: 'diagnostics', key: `unknown code ${d.code}`, message: `${d.code}: ${d.message}` });
    else if (known.severity !== d.severity && !(d.code.startsWith('NS5') && d.severity === 'error')) out.push({ property: 'diagnostics', key: `${d.code} severity ${d.severity}`, message: `${d.code} is ${known.severity} in codes, reported as ${d.severity}: ${d.message}` });
    const problem = spanProblem(d.span, texts);
    if (problem) out.push({ property: 'diagnostics', key: `${d.code} ${problem}`, message: `${d.code} ${problem}: ${at(d.span)}: ${d.message}` });
    for (const n of d.notes) {
      const noteProblem = n.span ? spanProblem(n.span, texts) : undefined;
      if (noteProblem) out.push({ property: 'diagnostics', key: `${d.code} note ${noteProblem}`, message: `${d.code} note ${noteProblem}: ${at(n.span)}: ${n.message}` });
    }
  }
  return out;
}

const lineTerminator = /[\n\r\u2028\u2029]/;
const allowedTopLevel = (s: ts.Statement): boolean => {
  if (ts.isImportDeclaration(s)) return true;
  const exported = ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  if (!exported) return false;
  if (ts.isVariableStatement(s)) return (s.declarationList.flags & ts.NodeFlags.Const) !== 0;
  return ts.isInterfaceDeclaration(s) || (ts.isFunctionDeclaration(s) && s.body !== undefined);
};

/** What is wrong with an emitted module's form (not its types: tsc-batch.ts does those). */
export function moduleProblems(module: EmittedModule): Failure[] {
  const out: Failure[] = [];
  const fail = (key: string, message: string) => out.push({ property: 'module-shape', key, message: `${module.path}: ${message}` });
  // The CLI writes the module under this name: a plain file name, no folder, no control character, none Windows refuses.
  if (!module.path.endsWith('.ts') || module.path === '.ts' || module.path.startsWith('.') || /[/\\<>:"|?*\u0000-\u001f\u2028\u2029]/.test(module.path)) {
    fail('module file name is not a plain, portable file name', `path ${quote(module.path)}`);
  }
  const sf = ts.createSourceFile('module.ts', module.text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const syntax = (sf as unknown as { parseDiagnostics: readonly ts.Diagnostic[] }).parseDiagnostics;
  for (const d of syntax.slice(0, 3)) fail(`syntax error: ${normalize(ts.flattenDiagnosticMessageText(d.messageText, ' '))}`, `at ${d.start}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  for (const s of sf.statements) {
    if (!allowedTopLevel(s)) fail(`top-level ${ts.SyntaxKind[s.kind]}`, `top-level statement: ${s.getText(sf).slice(0, 200)}`);
  }
  const seen = new Set<number>();
  const visit = (node: ts.Node) => {
    for (const r of [...(ts.getLeadingCommentRanges(module.text, node.getFullStart()) ?? []), ...(ts.getTrailingCommentRanges(module.text, node.getEnd()) ?? [])]) {
      if (seen.has(r.pos)) continue;
      seen.add(r.pos);
      const body = r.kind === ts.SyntaxKind.SingleLineCommentTrivia ? module.text.slice(r.pos + 2, r.end) : module.text.slice(r.pos + 2, r.end - 2);
      if (lineTerminator.test(body)) fail('comment with a line terminator', `comment ${quote(module.text.slice(r.pos, r.end)).slice(0, 300)}`);
      if (body.includes('*/')) fail('comment containing */', `comment ${quote(module.text.slice(r.pos, r.end)).slice(0, 300)}`);
    }
    node.getChildren(sf).forEach(visit);
  };
  visit(sf);
  return out;
}

export interface CheckOptions {
  readonly timeLimitMs: number;
  /** When a case is killed: it hangs, or fills the memory. */
  readonly hardLimitMs: number;
  readonly isolate: Isolate;
}

/** Runs one case through check (and compile when clean) and checks every per-case property. */
export function checkCase(c: FuzzCase, options: CheckOptions): Outcome {
  const what = `${c.family}${c.note ? ` ${normalize(c.note)}` : ''}`;
  const raw = options.isolate.run(c.sources, options.hardLimitMs);
  if (!raw) {
    const message = `no answer within ${options.hardLimitMs} ms: the compiler hangs or runs out of memory (worker killed)`;
    return { failures: [{ property: 'time', key: `killed at the hard limit: ${what}`, message }], clean: false, modules: [], ms: options.hardLimitMs };
  }
  const failures: Failure[] = [];
  const texts = new Map(c.sources.map((s: SourceFile) => [s.path, s.text]));
  for (const t of raw.thrown) {
    const { key, message } = exceptionKey(t);
    failures.push({ property: 'no-throw', key: `${t.stage}: ${key}`, message });
  }
  const diagnostics = raw.checkDiagnostics ?? [];
  failures.push(...diagnosticProblems(diagnostics, texts));
  const clean = raw.checkDiagnostics !== undefined && !diagnostics.some((d) => d.severity === 'error');
  const compiled = raw.compiled;
  if (compiled) {
    const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) failures.push({ property: 'compile', key: `compile reports ${errors[0]!.code} that check did not`, message: errors.map((d) => `${d.code}: ${d.message}`).join('\n') });
    else if (compiled.modules.length !== c.sources.length) failures.push({ property: 'compile', key: 'compile emits no module for a clean spec', message: `${compiled.modules.length} modules for ${c.sources.length} sources` });
  }
  if (raw.ms > options.timeLimitMs) failures.push({ property: 'time', key: `time over ${options.timeLimitMs} ms: ${what}`, message: `${clean ? 'the slower of check and compile' : 'check'} took ${Math.round(raw.ms)} ms` });
  const modules = compiled?.modules ?? [];
  for (const m of modules) failures.push(...moduleProblems(m));
  const models = compiled?.models;
  return { failures, clean, modules, ...(models ? { models: compiled.files.map((f) => models.filter((m) => m.file === f)) } : {}), ms: raw.ms };
}
