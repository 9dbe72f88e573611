import { createRequire } from 'node:module';
import { Ajv2020, type AnySchemaObject, type ValidateFunction } from 'ajv/dist/2020.js';

/** A JSON Schema object as found in schemas/netspec.schema.json. */
export type SchemaObject = AnySchemaObject;

// The schema is a package asset beside src/ and dist/ alike, so the same relative path works from both.
export const schema = createRequire(import.meta.url)('../../schemas/netspec.schema.json') as SchemaObject;

const defs = schema['$defs'] as Record<string, SchemaObject>;

/** Bounds and kind of a value that may be written as an expression; see the `x-expr` keyword. */
export interface ExprSlot {
  readonly kind: 'int' | 'number';
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly maximum?: number;
  readonly exclusiveMaximum?: number;
}

/** The data paths (JSON pointers) of values that may be expressions, filled while validating. */
let collecting: Map<string, ExprSlot> | undefined;

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    discriminator: true,
    allowUnionTypes: true,
    strictTypes: false,
    strictRequired: false,
  });
  // `x-expr` marks values that may be written as expressions. It never fails: it
  // records where expressions may stand so that resolve evaluates exactly those.
  ajv.addKeyword({
    keyword: 'x-expr',
    schemaType: 'string',
    validate(kind: 'int' | 'number', _data: unknown, parent: SchemaObject | undefined, cxt?: { instancePath: string }) {
      if (collecting && cxt) {
        const bounds = Object.fromEntries(
          (['minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum'] as const).filter((k) => typeof parent?.[k] === 'number').map((k) => [k, parent![k]]),
        );
        collecting.set(cxt.instancePath, { kind, ...bounds });
      }
      return true;
    },
  });
  ajv.addSchema(schema);
  return ajv;
}

let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();

/** A validator for the schema at a JSON pointer of netspec.schema.json (compiled once). */
export function validatorFor(pointer = ''): ValidateFunction {
  let validate = validators.get(pointer);
  if (!validate) {
    ajv ??= createAjv();
    validate = ajv.getSchema(`${schema['$id'] as string}#${pointer}`);
    if (!validate) throw new Error(`netspec.schema.json has no schema at #${pointer}`);
    validators.set(pointer, validate);
  }
  return validate;
}

/** Runs a validator and returns the expression slots it saw, keyed by JSON pointer. */
export function validateCollecting(validate: ValidateFunction, data: unknown): { valid: boolean; slots: Map<string, ExprSlot> } {
  const slots = new Map<string, ExprSlot>();
  collecting = slots;
  try {
    return { valid: validate(data) as boolean, slots };
  } finally {
    collecting = undefined;
  }
}

/** Follows a local `$ref`. */
export function deref(s: SchemaObject): SchemaObject {
  const ref = s['$ref'];
  return typeof ref === 'string' && ref.startsWith('#/$defs/') ? deref(defs[ref.slice('#/$defs/'.length)]!) : s;
}

/** The properties a schema object allows, including those of the bases it lists in `allOf`. */
export function propertiesOf(s: SchemaObject): Record<string, SchemaObject> {
  const own = (deref(s)['properties'] ?? {}) as Record<string, SchemaObject>;
  const bases = ((deref(s)['allOf'] ?? []) as SchemaObject[]).map(propertiesOf);
  return Object.assign({}, ...bases, own);
}

/** The `const` values a discriminated `oneOf` accepts for its tag, e.g. every layer type. */
export function discriminatorValues(s: SchemaObject, tag = 'type'): string[] {
  return ((deref(s)['oneOf'] ?? []) as SchemaObject[]).map((branch) => propertiesOf(branch)[tag]?.['const'] as string).filter(Boolean);
}

/** Every layer type, in schema order. */
export const layerTypes: readonly string[] = discriminatorValues(defs['layer']!);

/** The `$defs` entry of each layer type: its own name, except `model` (`modelLayer`; `model` is a model's schema). */
const layerDefNames: ReadonlyMap<string, string> = new Map(
  ((defs['layer']!['oneOf'] ?? []) as SchemaObject[]).map((branch) => [propertiesOf(branch)['type']?.['const'] as string, String(branch['$ref']).split('/').pop()!]),
);

/** The JSON pointer of a layer type's schema, for validatorFor: `/$defs/conv2d`, `/$defs/modelLayer`. */
export function layerSchemaPointer(layerType: string): string {
  return `/$defs/${layerDefNames.get(layerType) ?? layerType}`;
}

/** The options (property names) of a layer type, `type` included. */
export function optionsOf(layerType: string): readonly string[] {
  const name = layerDefNames.get(layerType);
  const def = name === undefined ? undefined : defs[name];
  return def ? Object.keys(propertiesOf(def)) : [];
}
