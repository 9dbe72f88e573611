import { Composer, Lexer, Parser, YAMLParseError, type CST, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';

/**
 * How deep collections may nest, in the text and in the data aliases make. A
 * real spec nests about ten levels (models, a model, layers, a repeat, its
 * layers, a layer, an option, a list); 64 leaves room for any of them and keeps
 * every recursive walk (yaml's composer, ajv, resolve) far from the stack limit.
 */
export const maxNestingDepth = 64;

/**
 * `logLevel: 'error'` keeps yaml from printing warnings (process.emitWarning)
 * from inside the compiler; they are in `document.warnings`, which parseSpec
 * reports. 'silent' would also drop the error for a second document.
 * Duplicate keys are found by parseSpec in linear time, not by yaml.
 */
export const yamlOptions: ParseOptions & DocumentOptions & SchemaOptions = { prettyErrors: false, uniqueKeys: false, merge: true, logLevel: 'error' };

export type ReadYaml =
  | { readonly document: Document.Parsed; readonly tokens: readonly CST.Token[] }
  /** The collection that opens one level more than maxNestingDepth: where it starts, and whether it is a list or a mapping. */
  | { readonly tooDeep: { readonly offset: number; readonly kind: 'list' | 'mapping' } };

const collectionTypes: ReadonlySet<string> = new Set(['block-map', 'block-seq', 'flow-collection']);

/** The collection that opens a level past `limit` on the parser's stack of open tokens, if any. */
function pastLimit(stack: readonly CST.Token[], limit: number): CST.Token | undefined {
  // The stack holds the document, the open collections and at most a scalar or two besides.
  if (stack.length <= limit) return undefined;
  let depth = 0;
  for (const token of stack) {
    if (collectionTypes.has(token.type) && ++depth > limit) return token;
  }
  return undefined;
}

function kindOf(token: CST.Token): 'list' | 'mapping' {
  if (token.type === 'flow-collection') return token.start.source === '[' ? 'list' : 'mapping';
  return token.type === 'block-seq' ? 'list' : 'mapping';
}

/**
 * Parses YAML text as yaml's `parseDocument` does, with one difference: it
 * watches how deep collections nest while the (iterative) parser runs and
 * stops before composing, which recurses once per level and can exhaust the
 * stack, when they nest deeper than `maxDepth`. The tokens are kept for
 * checks that need the source of the text (tags).
 */
export function readYaml(text: string, maxDepth = maxNestingDepth): ReadYaml {
  const parser = new Parser();
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    const deep = pastLimit(parser.stack, maxDepth);
    if (deep) return { tooDeep: { offset: deep.offset, kind: kindOf(deep) } };
  }
  for (const token of parser.end()) tokens.push(token);

  return { document: compose(text, tokens), tokens };
}

/** The first document of the tokens, as parseDocument composes it, with an error at a second one. */
function compose(text: string, tokens: readonly CST.Token[]): Document.Parsed {
  // yaml makes an Error per syntax error, and capturing a stack for each made
  // a file of 300,000 stray `]` take seconds; their positions are all we use.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    let document: Document.Parsed | undefined;
    for (const doc of new Composer(yamlOptions).compose(tokens, true, text.length)) {
      if (!document) {
        document = doc;
        continue;
      }
      document.errors.push(new YAMLParseError(doc.range.slice(0, 2) as [number, number], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      break;
    }
    // compose(tokens, forceDoc = true) always yields a document, if only an empty one.
    return document!;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}
