import {
  IndentationText,
  NewLineKind,
  Project,
  QuoteKind,
  StructureKind,
  VariableDeclarationKind,
  type FunctionDeclarationStructure,
  type ImportDeclarationStructure,
  type InterfaceDeclarationStructure,
  type StatementStructures,
  type VariableStatementStructure,
  type WriterFunction,
} from 'ts-morph';
import { grouped, showShape } from '../diagnostics/describe.js';
import { isAffine, runtimeDim, symbolsOf } from '../infer/affine.js';
import type { LayerShapes, ModelShapes, NamedShape, SpecIR } from '../ir.js';
import { Call, Ident, writeCode, type Code } from './code.js';
import { commentText, identifier } from './escape.js';
import { moduleHeader } from './header.js';
import { factoryOf, hasConstraints, layerConfig, typedConfig } from './layer-call.js';
import { pascal, variableNames } from './names.js';
import { frozenModels, modelLayers, needsView, partsInterface, partsInterfaceName, partsOf, partsStatements, targetOf, type ModelsByName } from './sub-model.js';

/** A generated file: its path relative to the output folder, and its text. */
export interface EmittedModule {
  readonly path: string;
  readonly text: string;
}

// tfjs exports rank types up to Tensor5D (tfjs-core declares a Tensor6D but does not export it): higher ranks,
// such as an embedding of a rank-5 input, are plain tf.Tensor.
const tensorTypes = ['tf.Tensor', 'tf.Tensor1D', 'tf.Tensor2D', 'tf.Tensor3D', 'tf.Tensor4D', 'tf.Tensor5D'];

function tensorType(rank: number): string {
  return tensorTypes[rank] ?? 'tf.Tensor';
}

function writer(code: Code): WriterFunction {
  return (w) => writeCode(w, code);
}

function constStatement(name: string, initializer: WriterFunction, exported = false, docs?: string): VariableStatementStructure {
  return {
    kind: StructureKind.VariableStatement,
    isExported: exported,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name, initializer }],
    ...(docs ? { docs: [commentText(docs)] } : {}),
  };
}

function shapeTuples(shapes: readonly NamedShape[]): WriterFunction {
  return (w) => {
    // A symbolic size is chosen at run time: tfjs sees it as unknown.
    writeCode(w, shapes.map((s) => s.shape.map(runtimeDim) as Code));
    w.write(' as const');
  };
}

/** ` Sizes chosen at run time are null: image is [null, H, W, 3] (H a multiple of 8).` for shapes with symbols. */
function symbolicNote(m: ModelShapes, shapes: readonly NamedShape[]): string {
  const symbolic = shapes.filter((s) => s.shape.some(isAffine));
  if (symbolic.length === 0) return '';
  const used = new Set(symbolic.flatMap((s) => s.shape.flatMap((d) => (isAffine(d) ? symbolsOf(d) : []))));
  const legal = (m.model.symbols ?? [])
    .filter((s) => used.has(s.name) && (s.multipleOf > 1 || s.min > 1))
    .map((s) => `${s.name}${s.multipleOf > 1 ? ` a multiple of ${s.multipleOf}` : ''}${s.min > 1 ? `${s.multipleOf > 1 ? ',' : ''} at least ${s.min}` : ''}`);
  return ` Sizes chosen at run time are null: ${symbolic.map((s) => `${s.name} is ${showShape(s.shape)}`).join(', ')}${legal.length > 0 ? ` (${legal.join('; ')})` : ''}.`;
}

/** `dtypes`: the dtype of each tensor that is not float32 (an int32 input of class labels), which its doc states. */
function tensorsInterface(name: string, shapes: readonly NamedShape[], docs: string, dtypes: ReadonlyMap<string, string> = new Map()): InterfaceDeclarationStructure {
  return {
    kind: StructureKind.Interface,
    name,
    isExported: true,
    docs: [commentText(docs)],
    properties: shapes.map((s) => {
      const dtype = dtypes.get(s.name);
      return { name: identifier(s.name), type: tensorType(s.shape.length), docs: [commentText(`Shape ${showShape(s.shape)}${dtype ? `, dtype ${dtype}` : ''}.`)] };
    }),
  };
}

/** Float32 values as little-endian bytes in base64: compact, exact and the same on every platform. */
function base64(values: Float32Array): string {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return Buffer.from(view.buffer).toString('base64');
}

/** What emitting one model needs to know of the others: models by name, and those used frozen (see emit/sub-model.ts). */
interface EmitContext {
  readonly byName: ModelsByName;
  readonly frozen: ReadonlySet<string>;
}

/** The layers a model's build function creates itself: all but its `type: model` layers. */
function ownLayers(m: ModelShapes): LayerShapes[] {
  return m.layers.filter((l) => l.layer.type !== 'model');
}

/** Constraints of the models a composite contains are applied when the composite trains, too. */
function needsConstraints(m: ModelShapes, ctx: EmitContext): boolean {
  return hasConstraints(m.layers) || partsOf(m, ctx.byName).some((p) => hasConstraints(p.layers));
}

/** Everything a model's build function imports from netspec/runtime: layer factories and helpers. */
function runtimeImports(m: ModelShapes, ctx: EmitContext): string[] {
  const frozen = ctx.frozen.has(m.model.name);
  const factories = ownLayers(m).map((l) => factoryOf(l, frozen)).filter((f) => f.source === 'runtime').map((f) => f.name);
  const helpers = [
    ...(m.layers.some((l) => l.weights.some((w) => w.initial)) ? ['setInitialWeights', 'tensorFromBase64'] : []),
    ...(needsConstraints(m, ctx) ? ['withConstraints'] : []),
    ...(modelLayers(m).some((l) => l.layer.args['trainable'] === false) ? ['setTrainable'] : []),
    'restoreSavedModel',
  ];
  return [...factories, ...helpers];
}

/** `buildFoo()`: the tfjs functional model, one `const` per input and layer, named by spec id. */
function buildFunction(m: ModelShapes, file: string, ctx: EmitContext): FunctionDeclarationStructure {
  const { model } = m;
  const parts = partsOf(m, ctx.byName);
  const imported = [...runtimeImports(m, ctx), ...(parts.length > 0 ? ['parts'] : [])];
  const names = variableNames([...model.inputs.map((i) => i.id), ...model.layers.map((l) => l.id)], imported);
  // `generatorModel`: the instance; `generator`: what applying it gives; `scoreView`: a view of an instance.
  const views = modelLayers(m).filter((l) => needsView(l, ctx.byName.get(targetOf(l))!));
  const partNames = variableNames([...parts.map((p) => `${p.model.name}Model`), ...views.map((l) => `${l.layer.id}View`)], [...imported, ...names.values()]);
  const instances = new Map(parts.map((p) => [p.model.name, partNames.get(`${p.model.name}Model`)!]));
  const applied = new Map(modelLayers(m).map((l) => [l.layer.id, partNames.get(`${l.layer.id}View`) ?? instances.get(targetOf(l))!]));
  const statements: (StatementStructures | WriterFunction)[] = partsStatements(m, ctx.byName, { instances, applied });
  for (const input of model.inputs) {
    const config: Record<string, Code> = { name: input.id };
    // Symbolic sizes are null, so that one model runs at every legal size.
    if (input.batchSize === null) config['shape'] = input.shape.map(runtimeDim) as Code;
    else config['batchShape'] = [input.batchSize, ...input.shape.map(runtimeDim)] as Code;
    if (input.dtype !== 'float32') config['dtype'] = input.dtype;
    statements.push(constStatement(names.get(input.id)!, writer(new Call('tf.input', [config]))));
  }
  for (const shapes of m.layers) {
    const { layer } = shapes;
    if (layer.type === 'model') {
      const from = layer.from.map((r) => new Ident(names.get(r.id)!));
      statements.push(
        constStatement(names.get(layer.id)!, (w) => {
          w.write(`${applied.get(layer.id)!}.apply(`);
          writeCode(w, from.length === 1 ? from[0]! : from);
          w.write(') as tf.SymbolicTensor');
        }),
      );
      continue;
    }
    const factory = factoryOf(shapes, ctx.frozen.has(model.name));
    const callee = factory.source === 'tf' ? `tf.layers.${factory.name}` : factory.name;
    const from = layer.from.map((r) => new Ident(names.get(r.id)!));
    const argument: Code = from.length === 1 ? from[0]! : from;
    const created = new Call(callee, [typedConfig(layerConfig(shapes, factory))]);
    statements.push(
      constStatement(names.get(layer.id)!, (w) => {
        writeCode(w, created);
        w.write('.apply(');
        writeCode(w, argument);
        w.write(') as tf.SymbolicTensor');
      }),
    );
  }
  const graph = new Call('tf.model', [{ name: model.name, inputs: model.inputs.map((i) => new Ident(names.get(i.id)!)), outputs: m.outputs.map((o) => new Ident(names.get(o.name)!)) }]);
  // tfjs never applies constraints during fit; withConstraints does, after every optimizer step.
  const built = needsConstraints(m, ctx) ? new Call('withConstraints', [graph]) : graph;
  const initialized = m.layers.filter((l) => l.weights.some((w) => w.initial));
  if (initialized.length === 0) {
    statements.push((w) => {
      w.write('return ');
      writeCode(w, built);
      w.write(';');
    });
  } else {
    statements.push(constStatement('model', writer(built)));
    for (const l of initialized) {
      const values = Object.fromEntries(l.weights.filter((w) => w.initial).map((w) => [w.name, new Call('tensorFromBase64', [base64(w.initial!), w.shape as Code])]));
      statements.push((w) => {
        writeCode(w, new Call('setInitialWeights', [new Call('model.getLayer', [l.layer.id]), values]));
        w.write(';');
      });
    }
    statements.push((w) => w.write('return model;'));
  }
  const { trainable, nonTrainable } = m.params;
  const composed = parts.length > 0 ? ` Its \`type: model\` layers use the models in \`parts\`, and build the ones left out.` : '';
  return {
    kind: StructureKind.Function,
    name: `build${pascal(model.name)}`,
    isExported: true,
    ...(parts.length > 0 ? { parameters: [{ name: 'parts', type: partsInterfaceName(m), initializer: '{}' }] } : {}),
    returnType: 'tf.LayersModel',
    docs: [commentText(`Builds model \`${model.name}\` of ${file}: ${grouped(trainable)} trainable and ${grouped(nonTrainable)} non-trainable parameters.${composed}`)],
    statements,
  };
}

/** `runFoo(model, inputs)`: predict with named, rank-typed inputs and outputs. */
function runFunction(m: ModelShapes): FunctionDeclarationStructure {
  const name = pascal(m.model.name);
  const single = m.outputs.length === 1;
  return {
    kind: StructureKind.Function,
    name: `run${name}`,
    isExported: true,
    parameters: [
      { name: 'model', type: 'tf.LayersModel' },
      { name: 'inputs', type: `${name}Inputs` },
    ],
    returnType: `${name}Outputs`,
    docs: [commentText(`Runs a model built by \`build${name}()\` on named inputs and names its outputs.`)],
    statements: [
      (w) => {
        w.write(single ? 'const output = model.predict(' : 'const outputs = model.predict(');
        writeCode(w, m.model.inputs.length === 1 ? new Ident(`inputs.${identifier(m.model.inputs[0]!.id)}`) : m.model.inputs.map((i) => new Ident(`inputs.${identifier(i.id)}`)));
        w.write(single ? ') as tf.Tensor;' : ') as tf.Tensor[];');
      },
      (w) => {
        w.write('return { ');
        m.outputs.forEach((o, k) => w.write(`${k > 0 ? ', ' : ''}${identifier(o.name)}: ${single ? 'output' : `outputs[${k}]`} as ${tensorType(o.shape.length)}`));
        w.write(' };');
      },
    ],
  };
}

/**
 * What a model's spec freezes, for `restoreSavedModel` to give a loaded model the trainability `build` gives
 * (runtime compose.ts `SpecFreezing`); undefined when nothing is frozen.
 */
function specFreezing(m: ModelShapes, byName: ModelsByName): Code | undefined {
  const layers = ownLayers(m).filter((l) => l.layer.args['trainable'] === false).map((l) => l.layer.id);
  const models = modelLayers(m).flatMap((l) => {
    const inner = specFreezing(byName.get(targetOf(l))!, byName) as Record<string, Code> | undefined;
    const frozen = l.layer.args['trainable'] === false;
    return frozen || inner ? [[l.layer.id, { ...(frozen ? { frozen: true } : {}), ...inner }] as const] : [];
  });
  if (layers.length === 0 && models.length === 0) return undefined;
  return { ...(layers.length > 0 ? { layers } : {}), ...(models.length > 0 ? { models: Object.fromEntries(models) } : {}) };
}

/**
 * `loadFoo(handlerOrUrl)`: a saved `foo` back as `buildFoo` gives it: withConstraints, and the trainability the spec
 * gives (specFreezing); the config carries the rest, runtime layers' options included.
 */
function loadFunction(m: ModelShapes, ctx: EmitContext): FunctionDeclarationStructure {
  const base = m.model.name;
  const name = pascal(base);
  const restored = new Call('restoreSavedModel', [new Ident('handlerOrUrl'), { loader: `load${name}`, inputShapes: new Ident(`${identifier(base)}InputShapes`), outputShapes: new Ident(`${base}OutputShapes`), frozen: specFreezing(m, ctx.byName) }]);
  const constrained = needsConstraints(m, ctx);
  return {
    kind: StructureKind.Function,
    name: `load${name}`,
    isExported: true,
    isAsync: true,
    parameters: [{ name: 'handlerOrUrl', type: 'string | tf.io.IOHandler' }],
    returnType: 'Promise<tf.LayersModel>',
    docs: [
      commentText(
        `Loads model \`${base}\` as \`model.save\` wrote it (from a URL or tf.io.IOHandler, as tf.loadLayersModel takes), as \`build${name}()\` makes it: ` +
          `the weights as saved${constrained ? ', its constraints applied after each training step' : ''}, the layers its spec freezes frozen and the others trainable; ` +
          `throws if its input or output shapes are not \`${base}\`'s.`,
      ),
    ],
    statements: [
      (w) => {
        w.write(constrained ? 'return withConstraints(await ' : 'return ');
        writeCode(w, restored);
        w.write(constrained ? ');' : ';');
      },
    ],
  };
}

function modelStatements(m: ModelShapes, file: string, ctx: EmitContext): (StatementStructures | WriterFunction)[] {
  const base = m.model.name;
  const name = pascal(base);
  return [
    constStatement(`${identifier(base)}InputShapes`, shapeTuples(m.inputs), true, `Input shapes of \`${base}\`, batch first, in model order: ${m.inputs.map((i) => i.name).join(', ')}.${symbolicNote(m, m.inputs)}`),
    constStatement(`${base}OutputShapes`, shapeTuples(m.outputs), true, `Output shapes of \`${base}\`, batch first, in model order: ${m.outputs.map((o) => o.name).join(', ')}.${symbolicNote(m, m.outputs)}`),
    tensorsInterface(`${name}Inputs`, m.inputs, `The tensors \`${base}\` takes, by input id.`, new Map(m.model.inputs.filter((i) => i.dtype !== 'float32').map((i) => [i.id, i.dtype]))),
    tensorsInterface(`${name}Outputs`, m.outputs, `The tensors \`${base}\` returns, by output id.`),
    ...(modelLayers(m).length > 0 ? [partsInterface(m, ctx.byName)] : []),
    buildFunction(m, file, ctx),
    loadFunction(m, ctx),
    runFunction(m),
  ];
}

/** ts-morph separates declarations of different kinds by blank lines but not consecutive `const`s; this makes it uniform. */
const blankLine: WriterFunction = (w) => w.blankLineIfLastNot();

let project: Project | undefined;

/** Emits `<name>.ts` for a spec whose models all inferred. Deterministic byte for byte. */
export function emitModule(spec: SpecIR, models: readonly ModelShapes[]): EmittedModule {
  project ??= new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, newLineKind: NewLineKind.LineFeed, quoteKind: QuoteKind.Single, useTrailingCommas: true },
  });
  const ctx: EmitContext = { byName: new Map(models.map((m) => [m.model.name, m])), frozen: frozenModels(models) };
  const runtimeNames = [...new Set(models.flatMap((m) => runtimeImports(m, ctx)))].sort();
  const imports: ImportDeclarationStructure[] = [{ kind: StructureKind.ImportDeclaration, namespaceImport: 'tf', moduleSpecifier: '@tensorflow/tfjs' }];
  // Always imported: besides its layers, netspec/runtime registers the gradient kernels tfjs' wasm backend lacks,
  // without which a model of native layers cannot train there.
  imports.push({ kind: StructureKind.ImportDeclaration, ...(runtimeNames.length > 0 ? { namedImports: runtimeNames } : {}), moduleSpecifier: 'netspec/runtime' });
  const file = project.createSourceFile(`${identifier(spec.name)}.ts`, {
    leadingTrivia: moduleHeader(spec.file, spec.sourceHash),
    statements: [...imports, blankLine, ...models.flatMap((m) => [...modelStatements(m, spec.file, ctx).flatMap((st) => [st, blankLine])]).slice(0, -1)],
  }, { overwrite: true });
  const text = file.getFullText();
  project.removeSourceFile(file);
  return { path: `${spec.name}.ts`, text };
}
