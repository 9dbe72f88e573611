/**
 * Where in the YAML the cursor is, read off the text around it: completion
 * runs while the spec is being typed, when it is often not YAML at all
 * (`- { type: conv2d, pad`), so the IR cannot say. Only the structure is read
 * here (keys, list items, brackets, quotes); names still come from the IR.
 */

export interface CursorContext {
  /**
   * The keys from the root to the mapping the cursor is in, `-` for a list item:
   * `['models', 'generator', 'layers', '-']` in a layer.
   */
  readonly path: readonly string[];
  /** The keys that mapping already has, each with its value when that is a plain word (`type: conv2d`). */
  readonly keys: ReadonlyMap<string, string>;
  /** Typing a key of the mapping, or the value of `key` (an entry of it, when `inList`). */
  readonly slot: 'key' | 'value';
  readonly key?: string;
  readonly inList: boolean;
  /** Inside a quoted string's `{...}`: an interpolation (`"up{i + 1}"`). */
  readonly interpolation: boolean;
  /** The name being typed, which a completion replaces. */
  readonly word: { readonly start: number; readonly text: string };
}

interface Frame {
  readonly kind: '{' | '[';
  /** The key this bracket is the value of. */
  readonly key?: string;
  readonly keys: Map<string, string>;
  /** The current entry's key, in a mapping. */
  entryKey?: string;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** `key: value` or `key:` at the start of (trimmed) text, with a plain key. */
function keyAtStart(text: string): { key: string; value: string } | undefined {
  const m = /^(["']?)([A-Za-z0-9_$.-]+)\1\s*:(\s|$)(.*)$/.exec(text);
  return m ? { key: m[2]!, value: m[4]!.replace(/\s+#.*$/, '').trim() } : undefined;
}

/** A line's content without a `- ` list marker, and the column its mapping's keys start at. */
function itemContent(line: string): { dash: boolean; column: number; content: string } {
  const indent = indentOf(line);
  const m = /^(-\s+)+/.exec(line.slice(indent));
  return m ? { dash: true, column: indent + m[0].length, content: line.slice(indent + m[0].length) } : { dash: false, column: indent, content: line.slice(indent) };
}

function isBlank(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('#');
}

/**
 * The block mappings around the cursor, outermost first, and the keys of the innermost one (the
 * lines above and below it at its column). `column` is where the innermost mapping's keys
 * start; `firstLine` says the cursor's own line starts that mapping as a list item (`- type: ...`).
 */
function blockAncestors(lines: readonly string[], lineNo: number, column: number, firstLine: boolean): { path: string[]; keys: Map<string, string> } {
  const path: string[] = [];
  const keys = new Map<string, string>();
  const note = (content: string) => {
    const kv = keyAtStart(content);
    if (kv && !keys.has(kv.key)) keys.set(kv.key, kv.value);
  };
  for (let n = lineNo + 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (isBlank(line)) continue;
    const item = itemContent(line);
    if (indentOf(line) < column || (item.dash && item.column === column)) break;
    if (item.column === column && !item.dash) note(item.content);
  }
  let col = column;
  // `map`: in a mapping whose keys start at col; `seq`: in a list whose dashes are at col, looking for its key.
  let mode: 'map' | 'seq' = 'map';
  let innermost = true;
  if (firstLine) {
    path.unshift('-');
    col = indentOf(lines[lineNo]!);
    mode = 'seq';
    innermost = false;
  }
  for (let n = lineNo - 1; n >= 0; n--) {
    const line = lines[n]!;
    if (isBlank(line)) continue;
    const indent = indentOf(line);
    const item = itemContent(line);
    if (mode === 'map') {
      if (item.column > col) continue;
      if (col === 0 && item.column === 0 && !innermost) break;
      if (item.column === col) {
        if (innermost) note(item.content);
        if (item.dash) {
          // The first line of the list item this mapping is.
          path.unshift('-');
          col = indent;
          mode = 'seq';
          innermost = false;
        }
        continue;
      }
    } else {
      if (indent > col || (indent === col && item.dash)) continue;
    }
    // The key this mapping or list is the value of (a list may sit at its key's own column).
    const kv = keyAtStart(item.content);
    if (kv) path.unshift(kv.key);
    innermost = false;
    if (item.dash) {
      path.unshift('-');
      col = indent;
      mode = 'seq';
    } else {
      col = indent;
      mode = 'map';
    }
  }
  return { path, keys };
}

/** The context of the cursor at `offset`, or undefined in a comment. */
export function cursorContext(text: string, offset: number): CursorContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const lines = text.split('\n');
  const lineNo = text.slice(0, lineStart).split('\n').length - 1;
  const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
  const prefix = text.slice(lineStart, offset);
  const item = itemContent(line);
  const blankPrefix = prefix.trim() === '';
  const column = blankPrefix ? prefix.length : item.column;
  const { path, keys: blockKeys } = blockAncestors(lines, lineNo, column, item.dash && !blankPrefix && prefix.length >= item.column);
  const block: Frame = { kind: '{', keys: blockKeys };
  const frames: Frame[] = [block];
  let token = '';
  let quote: string | undefined;
  let braceInQuote = false;
  let afterValueBracket = false;
  const start = blankPrefix ? prefix.length : Math.min(item.column, prefix.length);
  for (let i = start; i < prefix.length; i++) {
    const c = prefix[i]!;
    const top = frames[frames.length - 1]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '{') braceInQuote = true;
      else if (c === '}') braceInQuote = false;
      token += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      braceInQuote = false;
      token += c;
    } else if (c === '#' && (i === 0 || /\s/.test(prefix[i - 1]!))) {
      return undefined;
    } else if (c === ':' && (i + 1 >= prefix.length || /\s/.test(prefix[i + 1]!)) && top.kind === '{') {
      top.entryKey = token.trim().replace(/^["']|["']$/g, '');
      token = '';
    } else if (c === '{' || c === '[') {
      frames.push({ kind: c, ...(top.kind === '{' ? (top.entryKey !== undefined ? { key: top.entryKey } : {}) : top.key !== undefined ? { key: top.key } : {}), keys: new Map() });
      token = '';
    } else if (c === '}' || c === ']') {
      if (frames.length > 1) frames.pop();
      token = '';
      afterValueBracket = true;
    } else if (c === ',') {
      if (top.kind === '{') {
        if (top.entryKey !== undefined) top.keys.set(top.entryKey, afterValueBracket ? '' : token.trim());
        delete top.entryKey;
      }
      token = '';
      afterValueBracket = false;
    } else {
      token += c;
    }
  }
  // The rest of the innermost flow mapping on this line (`{ pad|, type: conv2d }`) says its type too.
  const mapping = [...frames].reverse().find((f) => f.kind === '{')!;
  if (mapping !== block) {
    let depth = 0;
    for (const part of text.slice(offset, lineEnd).split(/([{}[\],])/)) {
      if (part === '{' || part === '[') depth++;
      else if (part === '}' || part === ']') {
        if (--depth < 0) break;
      } else if (depth === 0) {
        const kv = keyAtStart(part.trim());
        if (kv && !mapping.keys.has(kv.key)) mapping.keys.set(kv.key, kv.value);
      }
    }
  }
  const mappingIndex = frames.lastIndexOf(mapping);
  for (const frame of frames.slice(1, mappingIndex + 1)) {
    const parent = frames[frames.indexOf(frame) - 1]!;
    if (parent.kind === '[') path.push('-');
    else if (frame.key !== undefined) path.push(frame.key);
  }
  const lists = frames.slice(mappingIndex + 1);
  const word = /[A-Za-z0-9_]*$/.exec(prefix)![0];
  const wordStart = offset - word.length;
  const interpolation = quote !== undefined && braceInQuote;
  if (lists.length > 0) return { path, keys: mapping.keys, slot: 'value', ...(lists[0]!.key !== undefined ? { key: lists[0]!.key } : {}), inList: true, interpolation, word: { start: wordStart, text: word } };
  if (mapping.entryKey !== undefined) return { path, keys: mapping.keys, slot: 'value', key: mapping.entryKey, inList: false, interpolation, word: { start: wordStart, text: word } };
  return { path, keys: mapping.keys, slot: 'key', inList: false, interpolation, word: { start: wordStart, text: word } };
}
