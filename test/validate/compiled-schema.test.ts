import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { parseSpec } from '../../src/parse/parse-spec.js';
import { layerItems } from '../../src/validate/layer-items.js';
import { layerSchemaPointer, schema, validateCollecting, validatorFor, type ExprSlot } from '../../src/validate/schema.js';
import { cases } from '../fuzz/case.js';
import { root } from '../helpers/gallery.js';

/**
 * The reference: ajv compiling the schema when it runs, with `x-expr` as a
 * keyword function, as netspec validated before the validator was compiled
 * ahead of time. The options are those of scripts/build-validator.js.
 */
function referenceValidators(): (pointer: string) => ValidateFunction {
  let collecting: Map<string, ExprSlot> | undefined;
  const ajv = new Ajv2020({ allErrors: true, verbose: true, discriminator: true, allowUnionTypes: true, strictTypes: false, strictRequired: false });
  ajv.addKeyword({
    keyword: 'x-expr',
    schemaType: 'string',
    validate(kind: 'int' | 'number', _data: unknown, parent: Record<string, unknown> | undefined, cxt?: { instancePath: string }) {
      const bounds = Object.fromEntries((['minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum'] as const).filter((k) => typeof parent?.[k] === 'number').map((k) => [k, parent![k]]));
      if (collecting && cxt) collecting.set(cxt.instancePath, { kind, ...bounds });
      return true;
    },
  });
  ajv.addSchema(schema);
  return (pointer) => {
    const compiled = ajv.getSchema(`${schema['$id'] as string}#${pointer}`)!;
    // validateCollecting passes the slots as `this`; the reference collects them through its keyword function.
    const run = function (this: { slots?: Map<string, ExprSlot> } | undefined, data: unknown) {
      collecting = this?.slots;
      try {
        return compiled(data);
      } finally {
        run.errors = compiled.errors;
        collecting = undefined;
      }
    } as ValidateFunction;
    return run;
  };
}

const reference = (() => {
  const of = referenceValidators();
  const cache = new Map<string, ValidateFunction>();
  return (pointer: string) => cache.get(pointer) ?? cache.set(pointer, of(pointer)).get(pointer)!;
})();

/** Everything a diagnostic can be made of, `parentSchema` by identity (the diagnostics compare schema objects). */
function outcome(validate: ValidateFunction, data: unknown) {
  const { valid, slots } = validateCollecting(validate, data);
  const errors = (validate.errors ?? []).map(({ parentSchema, schema: _, data: value, ...rest }) => ({ ...rest, parentSchema: pointerOf(parentSchema), value }));
  return { valid, errors: valid ? [] : errors, slots: [...slots] };
}

const pointers = new Map<unknown, string>();
(function walk(value: unknown, at: string) {
  if (value === null || typeof value !== 'object' || pointers.has(value)) return;
  pointers.set(value, at);
  for (const [key, child] of Object.entries(value)) walk(child, `${at}/${key}`);
})(schema, '#');
/** Where in the schema file an object is; a copy of it (not the object itself) has none. */
const pointerOf = (node: unknown) => (node === undefined ? undefined : (pointers.get(node) ?? 'not the schema file\'s object'));

/** The root validator on the whole data, and each layer's own validator on the layer, both ways. */
function expectSameOutcomes(data: unknown): void {
  expect(outcome(validatorFor(''), data)).toEqual(outcome(reference(''), data));
  for (const [, { kind, item }] of layerItems(data)) {
    if (kind !== 'layer' || item === null || typeof item !== 'object' || typeof (item as Record<string, unknown>)['type'] !== 'string') continue;
    const pointer = layerSchemaPointer((item as Record<string, string>)['type']!);
    try {
      validatorFor(pointer);
    } catch {
      continue; // an unknown layer type has no validator of its own
    }
    expect(outcome(validatorFor(pointer), item)).toEqual(outcome(reference(pointer), item));
  }
}

function dataOf(path: string, text: string): unknown {
  const parsed = parseSpec({ path, text });
  return parsed.value?.data;
}

describe('the validator compiled ahead of time (scripts/build-validator.js)', () => {
  test('is what the build script makes from the schema today', () => {
    // Stale after an edit of the schema without `npm run build`.
    expect(() => execFileSync(process.execPath, [join(root, 'scripts/build-validator.js'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  test('gives the errors, parent schemas and expression slots of ajv compiling the schema, on every gallery and invalid spec', () => {
    const files = [...readdirSync(join(root, 'specs')).map((f) => `specs/${f}`), ...readdirSync(join(root, 'specs/invalid')).map((f) => `specs/invalid/${f}`)].filter((f) => f.endsWith('.yaml'));
    let checked = 0;
    for (const file of files) {
      const data = dataOf(file, readFileSync(join(root, file), 'utf8'));
      if (data === undefined) continue;
      expectSameOutcomes(data);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  test('gives the same outcomes as ajv compiling the schema on generated and mutated specs', () => {
    fc.assert(
      fc.property(cases, (c) => {
        for (const source of c.sources) {
          const data = dataOf(source.path, source.text);
          if (data !== undefined) expectSameOutcomes(data);
        }
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  test('refers to the schema file\'s own objects in its errors', () => {
    const validate = validatorFor('');
    expect(validate({ netspec: 2, models: {} })).toBe(false);
    expect(validate.errors!.every((e) => pointers.has(e.parentSchema))).toBe(true);
  });
});
