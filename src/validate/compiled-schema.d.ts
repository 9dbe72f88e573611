// Types of compiled-schema.js, which `npm run build` generates (scripts/build-validator.js).
import type { ValidateFunction } from 'ajv';

/**
 * The validator of each JSON pointer of netspec.schema.json: `''` for the root
 * and `/$defs/<name>` for each entry of `$defs`. Called with `this` set to
 * `{ slots }`, a validator adds to `slots` every JSON pointer where the data
 * may hold an expression (`x-expr`), with its kind and bounds.
 */
export declare const validators: Readonly<Record<string, ValidateFunction>>;
