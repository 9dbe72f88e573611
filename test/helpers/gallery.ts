import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateAffine, isAffine } from '../../src/infer/affine.js';
import type * as tf from '@tensorflow/tfjs';
import type { CompileResult } from '../../src/index.js';
import type { ModelShapes, Shape, SourceFile, SymbolIR } from '../../src/ir.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));

interface Config {
  include: string[];
  exclude: string[];
  outDir: string;
}

export const config: Config = JSON.parse(readFileSync(join(root, 'netspec.config.json'), 'utf8')) as Config;

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      const rel = relative(root, path).split('\\').join('/');
      if (config.exclude.some((e) => rel === e || rel.startsWith(e + '/'))) return [];
      if (statSync(path).isDirectory()) return walk(path);
      return /\.ya?ml$/.test(name) ? [rel] : [];
    });
}

/** The gallery: every spec the project config includes, read as the CLI reads it. */
export function gallerySources(): SourceFile[] {
  return config.include.flatMap((dir) => walk(join(root, dir))).map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
}

/** Symbol values to run a model at. */
export type Sizes = ReadonlyMap<string, number>;

/**
 * A symbolic model runs at two legal sizes: every symbol at twice its smallest
 * value, then the first at 4x and the second at 3x (a 16x16 and a 32x24 image
 * for sides that are multiples of 8). A model of fixed sizes runs once.
 */
export function sizesOf(m: ModelShapes): Sizes[] {
  const symbols = m.model.symbols ?? [];
  const used = symbols.filter((s) => m.inputs.some((i) => i.shape.some((d) => isAffine(d) && d.terms.some((t) => t.symbol === s.name))));
  if (used.length === 0) return [new Map()];
  const smallest = (s: SymbolIR) => Math.max(1, Math.ceil(s.min / s.multipleOf)) * s.multipleOf;
  return [new Map(used.map((s) => [s.name, 2 * smallest(s)])), new Map(used.map((s, j) => [s.name, (j < 2 ? 4 - j : j + 3) * smallest(s)]))];
}

/** A concrete shape for one with unknown dims: the batch given, symbolic dims at `sizes`, unknown spatial dims 8. */
export function concrete(shape: Shape, batch: number, sizes: Sizes = new Map()): number[] {
  return shape.map((d, a) => (isAffine(d) ? evaluateAffine(d, (s) => sizes.get(s)!) : a === 0 ? (d ?? batch) : (d ?? 8)));
}

/** Builds a gallery model from its committed module in generated/, as a user's code would. */
export async function buildGalleryModel(result: CompileResult, m: ModelShapes): Promise<tf.LayersModel> {
  const spec = result.specs.find((s) => s.file === m.file)!;
  const module = (await import(`../../generated/${spec.name}.ts`)) as Record<string, () => tf.LayersModel>;
  return module[`build${m.model.name.charAt(0).toUpperCase()}${m.model.name.slice(1)}`]!();
}
