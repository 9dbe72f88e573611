import { diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMeanFix } from '../fix/fix-or-note.js';
import type { ContractIR, ModelIR, TensorRef } from '../ir.js';
import { isMapping, pointerOf, spanAt, type Data } from '../parse/parse-spec.js';
import { declaredTensors } from './compose.js';
import { rejected, textSpans, type ResolveContext } from './values.js';

/** A token of a contract, with its offsets in the contract text. */
interface Token {
  readonly kind: 'name' | '.' | 'op' | 'other';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** `generator.image == discriminator.x` as written: model and tensor names with their offsets. */
export interface ParsedSide {
  readonly model: Token;
  readonly tensor: Token;
}

export type ParsedContract = { readonly left: ParsedSide; readonly right: ParsedSide } | { readonly error: { readonly message: string; readonly start: number; readonly end: number } };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s+|([A-Za-z_][A-Za-z0-9_]*)|(\.)|(===|[=!<>]=?)|(.)/gy;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const [whole, name, dot, op] = match;
    const kind = name !== undefined ? 'name' : dot !== undefined ? '.' : op !== undefined ? 'op' : whole.trim() === '' ? undefined : 'other';
    if (kind) tokens.push({ kind, text: whole, start: match.index, end: match.index + whole.length });
  }
  return tokens;
}

const shape = '`model.tensor == model.tensor`';

/**
 * Parses `model.tensor == model.tensor`. A tiny recursive-descent parser over
 * the tokens above; the text is never evaluated. Errors carry the offsets of
 * the offending token.
 */
export function parseContract(text: string): ParsedContract {
  const tokens = tokenize(text);
  let at = 0;
  const end = { start: text.length, end: text.length + 1 };
  const fail = (message: string, token: { start: number; end: number } = tokens[at] ?? end) => ({ error: { message, start: token.start, end: token.end } });
  const side = (): ParsedSide | ReturnType<typeof fail> => {
    const model = tokens[at];
    if (!model) return fail(`expected ${at === 0 ? 'a contract' : 'a model name'} here; a contract is ${shape}`);
    if (model.kind !== 'name') return fail(`expected a model name, found '${model.text}'; a contract is ${shape}`);
    at++;
    const dot = tokens[at];
    if (dot?.kind !== '.') return fail(`'${model.text}' alone names a model; name one of its outputs or inputs: '${model.text}.<output or input>'`, model);
    at++;
    const tensor = tokens[at];
    if (tensor?.kind !== 'name') return fail(`expected an output or input id after '${model.text}.'`, tensor ?? end);
    at++;
    if (tokens[at]?.kind === '.') return fail(`a side of a contract is model.tensor; '${model.text}.${tensor.text}' cannot be followed by '.'`);
    return { model, tensor };
  };
  const left = side();
  if ('error' in left) return left;
  const op = tokens[at];
  if (!op) return fail(`expected '==' and another model.tensor after '${left.model.text}.${left.tensor.text}'`);
  if (op.kind !== 'op' || (op.text !== '==' && op.text !== '===')) {
    const hint = op.text === '=' ? `'=' assigns; compare with '=='` : `only '==' is supported (the shapes are equal)`;
    return fail(op.kind === 'op' ? hint : `expected '==' here, found '${op.text}'`);
  }
  if (op.text === '===') return fail(`write '==' (the shapes are equal)`);
  at++;
  const right = side();
  if ('error' in right) return right;
  if (tokens[at]) return fail(`unexpected '${tokens[at]!.text}' after the contract; a contract is ${shape}`);
  return { left, right };
}

/**
 * Resolves the spec's `contracts:`: each is parsed, and its models and
 * tensors looked up. A contract with an error is reported and left out;
 * infer checks the shapes of the rest.
 */
export function resolveContracts(ctx: ResolveContext, raw: unknown, rawModels: Data, models: readonly ModelIR[]): ContractIR[] {
  if (!Array.isArray(raw)) return [];
  const names = Object.keys(rawModels);
  const byName = new Map(models.map((m) => [m.name, m]));
  const contracts: ContractIR[] = [];
  raw.forEach((text, i) => {
    const path = ['contracts', i];
    if (typeof text !== 'string' || rejected(ctx, pointerOf(path))) return;
    const spanOf = textSpans(ctx, path);
    const parsed = parseContract(text);
    if ('error' in parsed) {
      ctx.diagnostics.push(diagnostic('NS3022', spanOf(parsed.error.start, parsed.error.end), `bad contract '${text}': ${parsed.error.message}`));
      return;
    }
    const side = ({ model, tensor }: ParsedSide): TensorRef | 'error' | undefined => {
      if (!names.includes(model.text)) {
        ctx.diagnostics.push(
          diagnostic('NS3020', spanOf(model.start, model.end), `contract '${text}' names model '${model.text}', which this spec does not define`, didYouMeanFix(ctx.spec.source.text, spanOf(model.start, model.end), model.text, names, `the models are: ${names.join(', ')}`)),
        );
        return 'error';
      }
      const ir = byName.get(model.text);
      const rawModel = rawModels[model.text];
      // A model with errors in its own definition: they are reported there.
      if (!ir || !isMapping(rawModel)) return undefined;
      const declared = declaredTensors(ctx, model.text, rawModel, ir);
      const span = spanOf(model.start, tensor.end);
      const output = declared.outputs?.get(tensor.text);
      if (output) return { model: model.text, name: tensor.text, kind: 'output', span, declaration: output };
      const input = declared.inputs.get(tensor.text);
      if (input) return { model: model.text, name: tensor.text, kind: 'input', span, declaration: input };
      if (!declared.outputs) return undefined;
      const candidates = [...declared.outputs.keys(), ...declared.inputs.keys()];
      const layer = declared.layers.includes(tensor.text);
      ctx.diagnostics.push(
        diagnostic(
          'NS3023',
          spanOf(tensor.start, tensor.end),
          layer
            ? `contract '${text}' names '${tensor.text}', a layer of model '${model.text}' but not one of its outputs (${[...declared.outputs.keys()].join(', ')}) or inputs`
            : `contract '${text}' names '${tensor.text}', which is neither an output nor an input of model '${model.text}'`,
          // Listing a layer as an output changes what every use of the model gives: advice, as is the list of names.
          layer
            ? { notes: [{ message: `model '${model.text}' is defined here`, span: ir.nameSpan }, { message: `list '${tensor.text}' under \`outputs:\` of '${model.text}'` }] }
            : didYouMeanFix(ctx.spec.source.text, spanOf(tensor.start, tensor.end), tensor.text, candidates, `outputs: ${[...declared.outputs.keys()].join(', ')}; inputs: ${[...declared.inputs.keys()].join(', ')}`, [{ message: `model '${model.text}' is defined here`, span: ir.nameSpan }]),
        ),
      );
      return 'error';
    };
    const left = side(parsed.left);
    const right = side(parsed.right);
    if (left && right && left !== 'error' && right !== 'error') contracts.push({ text, left, right, span: spanAt(ctx.spec, path) });
  });
  return contracts;
}
