import { StructureKind, type InterfaceDeclarationStructure, type StatementStructures, type WriterFunction } from 'ts-morph';
import type { LayerShapes, ModelShapes } from '../ir.js';
import { Call, Ident, writeCode, type Code } from './code.js';
import { commentText, identifier } from './escape.js';
import { pascal } from './names.js';

/** The models of one spec by name, as emit sees them. */
export type ModelsByName = ReadonlyMap<string, ModelShapes>;

/** The `type: model` layers of a model. */
export function modelLayers(m: ModelShapes): LayerShapes[] {
  return m.layers.filter((l) => l.layer.type === 'model');
}

/** The name of the model a `type: model` layer applies. */
export function targetOf(l: LayerShapes): string {
  return l.layer.subModel!;
}

/**
 * The models a model contains, directly or inside the models it uses, each
 * after the models it contains itself: the order its build function builds
 * them in. Resolve guarantees each appears once and none contains itself.
 */
export function partsOf(m: ModelShapes, byName: ModelsByName): ModelShapes[] {
  const parts: ModelShapes[] = [];
  const visit = (model: ModelShapes) => {
    for (const l of modelLayers(model)) {
      const part = byName.get(targetOf(l));
      if (!part || parts.includes(part)) continue;
      visit(part);
      parts.push(part);
    }
  };
  visit(m);
  return parts;
}

/**
 * The models some model of the spec uses frozen, and every model inside
 * them. Their batch normalizations must be the runtime's, which stop
 * updating their moving statistics when frozen, as Keras 3's do.
 */
export function frozenModels(models: readonly ModelShapes[]): Set<string> {
  const byName = new Map(models.map((m) => [m.model.name, m]));
  const frozen = new Set<string>();
  for (const m of models) {
    for (const l of modelLayers(m)) {
      const part = byName.get(targetOf(l));
      if (l.layer.args['trainable'] !== false || !part) continue;
      frozen.add(part.model.name);
      for (const inner of partsOf(part, byName)) frozen.add(inner.model.name);
    }
  }
  return frozen;
}

/** `GanParts`: the interface of the `parts` argument of `buildGan`. */
export function partsInterfaceName(m: ModelShapes): string {
  return `${pascal(m.model.name)}Parts`;
}

/** The interface of a composite model's `parts`: one optional model per model it contains. */
export function partsInterface(m: ModelShapes, byName: ModelsByName): InterfaceDeclarationStructure {
  const direct = new Map(modelLayers(m).map((l) => [targetOf(l), l]));
  const container = (part: ModelShapes) => partsOf(m, byName).find((p) => modelLayers(p).some((l) => targetOf(l) === part.model.name));
  return {
    kind: StructureKind.Interface,
    name: partsInterfaceName(m),
    isExported: true,
    docs: [commentText(`Models \`${m.model.name}\` uses as layers, by name: pass the instances you train to share their weights; \`build${pascal(m.model.name)}\` builds the ones left out.`)],
    properties: partsOf(m, byName).map((part) => {
      const name = part.model.name;
      const layer = direct.get(name);
      const where = layer
        ? `Layer \`${layer.layer.id}\`${layer.layer.args['trainable'] === false ? ', frozen: its weights are then frozen in every model built on the instance (docs/semantics.md)' : ''}.`
        : `Inside \`${container(part)!.model.name}\`.`;
      return { name, type: 'tf.LayersModel', hasQuestionToken: true, docs: [commentText(`${where} Default: \`build${pascal(name)}()\`.`)] };
    }),
  };
}

/**
 * Whether a `type: model` layer applies a view of its model rather than the
 * instance: when the layer id is not the model's name (tfjs names the layer
 * after the model, and an instance shared with others is never renamed), or
 * when it gives one output of several.
 */
export function needsView(l: LayerShapes, part: ModelShapes): boolean {
  return l.layer.id !== part.model.name || part.outputs.length > 1;
}

/** `tf.model` over the instance's layers and weights, named by the layer id, giving the chosen output. */
function viewCall(l: LayerShapes, part: ModelShapes, instance: string): Call {
  const chosen = typeof l.layer.args['output'] === 'string' ? l.layer.args['output'] : part.outputs[0]!.name;
  const index = part.outputs.findIndex((o) => o.name === chosen);
  const outputs = part.outputs.length > 1 ? `${instance}.outputs[${index}]!` : `${instance}.outputs`;
  return new Call('tf.model', [{ name: l.layer.id, inputs: new Ident(`${instance}.inputs`), outputs: new Ident(outputs) }]);
}

/** The local names of a composite's build function: one per model it contains (`generatorModel`), and one per view (`scoreView`). */
export interface PartNames {
  /** By model name. */
  readonly instances: ReadonlyMap<string, string>;
  /** By layer id: what the layer applies, the view or the instance. */
  readonly applied: ReadonlyMap<string, string>;
}

/**
 * The statements a composite's build function starts with: each model it
 * contains, taken from `parts` or built (a composite part gets the parts
 * inside it, so the whole tree shares them); the views its layers apply; and
 * `setTrainable(..., false)` for its frozen layers.
 */
export function partsStatements(m: ModelShapes, byName: ModelsByName, names: PartNames): (StatementStructures | WriterFunction)[] {
  const statements: (StatementStructures | WriterFunction)[] = partsOf(m, byName).map((part) => {
    const inner = partsOf(part, byName);
    const args: Code[] = inner.length === 0 ? [] : [Object.fromEntries(inner.map((p) => [p.model.name, new Ident(names.instances.get(p.model.name)!)]))];
    return (w) => {
      w.write(`const ${names.instances.get(part.model.name)!} = parts.${identifier(part.model.name)} ?? `);
      writeCode(w, new Call(`build${pascal(part.model.name)}`, args));
      w.write(';');
    };
  });
  for (const l of modelLayers(m)) {
    const part = byName.get(targetOf(l))!;
    if (!needsView(l, part)) continue;
    statements.push((w) => {
      w.write(`const ${names.applied.get(l.layer.id)!} = `);
      writeCode(w, viewCall(l, part, names.instances.get(part.model.name)!));
      w.write(';');
    });
  }
  for (const l of modelLayers(m)) {
    if (l.layer.args['trainable'] === false) statements.push((w) => w.write(`setTrainable(${names.applied.get(l.layer.id)!}, false);`));
  }
  return statements;
}
