import fc from 'fast-check';
import type { SourceFile } from '../../src/index.js';
import { attackCases } from './attacks.js';
import { mutationCases } from './mutations.js';
import { schemaCases } from './schema-specs.js';

/** One input to the compiler: the sources of one `check`/`compile` call, and the family that made them. */
export interface FuzzCase {
  readonly family: 'schema' | 'mutation' | 'attack';
  readonly sources: readonly SourceFile[];
  /** What an attack did, for grouping and for the report. */
  readonly note?: string;
}

/**
 * The mix: specs from the schema feed the emit properties (they are the ones
 * that compile clean), mutations and attacks hunt crashes and bad spans.
 */
export const cases: fc.Arbitrary<FuzzCase> = fc.oneof(
  { weight: 12, arbitrary: schemaCases },
  { weight: 5, arbitrary: mutationCases },
  { weight: 3, arbitrary: attackCases },
);
