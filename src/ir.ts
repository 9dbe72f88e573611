/**
 * The data that flows between the stages. Every node keeps the span of the
 * YAML it came from; line and column are computed only when a diagnostic is
 * printed (see diagnostics/location.ts).
 */

/** A half-open range of UTF-16 offsets `[start, end)` into one source file. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** A source file as the CLI read it: a display path (relative, `/`-separated) and its text. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/**
 * A size that depends on the spec's `symbols`: `(sum of coefficient * symbol + constant) / denominator`,
 * kept canonical by src/infer/affine.ts (integers, denominator > 0, no common factor, terms sorted by
 * symbol, no zero coefficient, at least one term) so that equal expressions are equal structurally.
 */
export interface Affine {
  readonly kind: 'affine';
  readonly terms: readonly { readonly symbol: string; readonly coefficient: number }[];
  readonly constant: number;
  readonly denominator: number;
}

/**
 * One dimension of a tensor: a size, an affine expression over symbols (`2*H + 1`)
 * where it is chosen at run time within declared constraints, or `null` where it is unknown.
 */
export type Dim = number | null | Affine;

/** A tensor shape. Shapes in the IR after inference include the batch dimension. */
export type Shape = readonly Dim[];

/** A value after resolution: expressions evaluated, defaults applied. */
export type Value = number | string | boolean | null | readonly Value[] | { readonly [key: string]: Value };

export type Args = { readonly [option: string]: Value };

/** A reference to another layer or input by id, as written in `from` or `outputs`. */
export interface Ref {
  readonly id: string;
  readonly span: Span;
  /** Set when the spec did not write it: a layer without `from` reads the layer before it, and the span is its `type`. */
  readonly implicit?: true;
}

/** A size chosen at run time, declared under `symbols:`; input and output shapes may use it. */
export interface SymbolIR {
  readonly name: string;
  /** Every legal value is a multiple of this. Default 1. */
  readonly multipleOf: number;
  /** The smallest legal value. Default 1. */
  readonly min: number;
  /** Where the symbol is declared. */
  readonly span: Span;
  /**
   * How its options are written, for fixes as edits: their mapping, the span of an empty declaration
   * (`H: {}`), or the `symbols:` list it is a name in (`[H, W]`, which has no room for options) and its names.
   */
  readonly layout?: { readonly mapping?: MappingLayout; readonly emptySpan?: Span; readonly list?: { readonly span: Span; readonly names: readonly string[] } };
}

export interface InputIR {
  readonly id: string;
  /** Shape without the batch dimension. */
  readonly shape: Shape;
  readonly batchSize: number | null;
  readonly dtype: 'float32' | 'int32';
  readonly span: Span;
  /** The written shape (`[64, 80]`, or the long form's `shape:` value), for fixes as edits. */
  readonly shapeSpan?: Span;
  /** The text removing the input's entry from `inputs:` deletes; absent for the only input. */
  readonly removal?: Span;
}

/** Initial values of one weight, read from a file named by the spec's `weights:` option. */
export interface InitialWeight {
  /** The weight's name (`kernel`, `bias`, ...), or undefined when it is given by position. */
  readonly name?: string;
  /** Position in the layer's weights, when given by position. */
  readonly index: number;
  readonly shape: readonly number[];
  readonly values: Float32Array;
  /** The file, as the spec names it, for messages. */
  readonly file: string;
  readonly span: Span;
}

/** How a lint is reported, by code (`NS5001`): turned off, or reported as a warning or an error. */
export type LintSettings = { readonly [code: string]: 'off' | 'warning' | 'error' };

/**
 * How a layer's mapping is written, so that later stages (which have no source text) can
 * turn "set option K to V" or "remove option K" into text edits (src/fix/option-edits.ts).
 */
export interface MappingLayout {
  /** `{type: dense, units: 3}` or one entry per line. */
  readonly flow: boolean;
  /** Where a new entry goes: after the last entry's value (flow), or at the end of its last line (block). */
  readonly insertAt: number;
  /** Block style: the column the keys start at. */
  readonly indent: number;
  /**
   * The entries as written, in order: the key, its value's span (absent for an empty value), and the
   * text that removing the entry deletes (its line in block style, `, key: value` in flow style;
   * absent for the only entry).
   */
  readonly entries: readonly { readonly key: string; readonly keySpan: Span; readonly valueSpan?: Span; readonly removal?: Span }[];
}

/** How a layer is written as an item of its `layers:` list, so that a fix can remove it or insert a layer before it. */
export interface ItemLayout {
  /** `[{...}, {...}]` or one `- ` item per line. */
  readonly flow: boolean;
  /** Where a new item goes to come before this one: the start of its line (block), or of the item (flow). */
  readonly insertAt: number;
  /** Block style: the column of the item's `-`. */
  readonly indent: number;
  /** The text removing the item deletes: its lines with their line break (block), or the item and one comma (flow); absent for the only item. */
  readonly removal?: Span;
}

export interface LayerIR {
  readonly id: string;
  /** True when the spec named the layer; false when netspec generated the id. */
  readonly explicitId: boolean;
  readonly type: string;
  readonly args: Args;
  /** The name of the model a `type: model` layer applies (its `model:` option); set exactly for those layers. */
  readonly subModel?: string;
  readonly from: readonly Ref[];
  /** The whole layer mapping. */
  readonly span: Span;
  /** Where the layer is named: its `id` value, or its `type` value when the id is generated. Notes point here. */
  readonly idSpan: Span;
  /** Spans of the option values, by option name, for diagnostics about one option. */
  readonly argSpans: { readonly [option: string]: Span };
  /** How the layer's mapping is written, for fixes as edits; absent when it is not one mapping (a `<<` merge, an alias). */
  readonly mapping?: MappingLayout;
  /** How the layer is written in its `layers:` list; absent for a layer a `repeat` made (its template stands for every copy). */
  readonly item?: ItemLayout;
  /** Values from the `weights:` files; checked against the weight shapes by infer. */
  readonly initialWeights?: readonly InitialWeight[];
  /** The layer's own `lint:` settings, by code. */
  readonly lint?: LintSettings;
  /** Per option, the index of spatial axis 0 as the user wrote it (1 or 2 in tf.nn's full forms); absent is 0. */
  readonly axisOffsets?: { readonly [option: string]: number };
  /**
   * For a layer a `repeat` block made, its iteration in each enclosing repeat, outermost first
   * ("in repeat iteration i = 2 (f = 64)"): every diagnostic about the layer carries these notes,
   * since all iterations share the template's spans.
   */
  readonly origin?: readonly { readonly message: string; readonly span: Span }[];
}

export interface OutputIR {
  readonly ref: Ref;
  /** Asserted shape without the batch dimension, or undefined when not asserted. */
  readonly shape?: Shape;
  readonly shapeSpan?: Span;
}

export interface ModelIR {
  readonly name: string;
  readonly span: Span;
  readonly nameSpan: Span;
  readonly inputs: readonly InputIR[];
  /** In dependency order: every `from` names an input or an earlier layer. */
  readonly layers: readonly LayerIR[];
  readonly outputs: readonly OutputIR[];
  /**
   * True when parts of the model had errors (reported) and were left out:
   * the rest is still checked, but the model has no shapes to report or emit.
   */
  readonly incomplete: boolean;
  /** The spec's symbols, which the model's shapes may use. */
  readonly symbols?: readonly SymbolIR[];
  /** How its `outputs:` mapping is written; absent when it has none (the last layer is the output) or it is not one plain mapping. */
  readonly outputsMapping?: MappingLayout;
}

export interface SpecIR {
  readonly file: string;
  /** Module name: the spec's `name`, or the file stem. */
  readonly name: string;
  /** Where `name:` is written, or the start of the file when the name is the file stem. */
  readonly nameSpan: Span;
  /** sha256 of the spec text, hex; written into the generated header. */
  readonly sourceHash: string;
  /** The params, whether any expression used them, their values (absent for a param with an error), and where to remove each. */
  readonly params: readonly { readonly name: string; readonly span: Span; readonly used: boolean; readonly value?: number; readonly removal?: Span }[];
  /** The spec's `lint:` settings, by code. */
  readonly lint: LintSettings;
  readonly models: readonly ModelIR[];
  /** The spec's `contracts:` whose names resolved; infer checks their shapes. */
  readonly contracts?: readonly ContractIR[];
  /** Every name written in an expression that parsed, once per place, in source order: what go to definition and rename follow. */
  readonly names?: readonly NameUse[];
  /** The `repeat:` blocks as written, in source order (the layers hold only what they expand to). */
  readonly repeats?: readonly RepeatIR[];
}

/**
 * A name as an expression writes it: a param in `ngf * 8`, a loop variable in
 * `"up{i + 1}"`, a symbol in `[H / 2, W]`. What it names is not recorded: the
 * innermost repeat around it that declares it, else the param, else the symbol
 * (loop variables cannot shadow params or each other, NS3017).
 */
export interface NameUse {
  readonly name: string;
  readonly span: Span;
}

/** A `repeat:` block: the names it declares and the body they are visible in. */
export interface RepeatIR {
  /** The block's mapping. */
  readonly span: Span;
  /** Its `repeat` key. */
  readonly keySpan: Span;
  /** Its `repeat` value: the count or the zipped lists. */
  readonly countSpan: Span;
  /** Its `layers` value, where the loop variables are in scope. */
  readonly bodySpan: Span;
  /** The index, with its `as:` value's span; no span when it is the default `i`. */
  readonly index: { readonly name: string; readonly span?: Span };
  /** The zipped lists' variables, with their keys' spans. */
  readonly lists: readonly { readonly name: string; readonly span: Span }[];
  /** The `input:` name, with its value's span. */
  readonly input?: { readonly name: string; readonly span: Span };
}

/** One side of a contract: an output or input of a model, `generator.image`. */
export interface TensorRef {
  readonly model: string;
  readonly name: string;
  readonly kind: 'input' | 'output';
  /** Where the contract names it: `generator.image` in the contract string. */
  readonly span: Span;
  /** Where the model declares it: the input's key, the output's key, or the layer a default output is. */
  readonly declaration: Span;
}

/** A contract of the spec's `contracts:`: both tensors have the same shape (batch compared only when both fix it). */
export interface ContractIR {
  readonly text: string;
  readonly left: TensorRef;
  readonly right: TensorRef;
  /** The contract string. */
  readonly span: Span;
}

/** A weight tensor a layer creates, in the Keras/tfjs layout. */
export interface WeightInfo {
  readonly name: string;
  readonly shape: readonly number[];
  readonly trainable: boolean;
  /** Initial values from the spec's `weights:` files, when given. */
  readonly initial?: Float32Array;
}

export interface LayerShapes {
  readonly layer: LayerIR;
  readonly inputShapes: readonly Shape[];
  readonly outputShape: Shape;
  readonly weights: readonly WeightInfo[];
  /** Multiply-accumulates per sample, or null when a dimension is unknown. */
  readonly macs: number | null;
}

export interface ParamCounts {
  readonly trainable: number;
  readonly nonTrainable: number;
}

export interface NamedShape {
  readonly name: string;
  readonly shape: Shape;
}

/** A model whose every shape was inferred. */
export interface ModelShapes {
  readonly file: string;
  readonly model: ModelIR;
  readonly inputs: readonly NamedShape[];
  readonly outputs: readonly NamedShape[];
  readonly layers: readonly LayerShapes[];
  readonly params: ParamCounts;
  readonly macs: number | null;
}
