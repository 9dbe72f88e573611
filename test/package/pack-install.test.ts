import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { root } from '../helpers/gallery.js';
import { childEnv, manifest } from '../helpers/package.js';

/**
 * The package as a user gets it: `npm pack` (whose `prepare` builds dist/),
 * then a fresh project outside this repository that installs the tarball
 * with @tensorflow/tfjs and typescript at this repository's versions, builds
 * a spec with `npx netspec build`, type-checks the module under a strict
 * tsconfig, predicts with it, saves the model and loads it in a new process.
 * npm installs from its cache where it can (--prefer-offline), else from the
 * registry. The tests run in order, each on what the one before made.
 */
const exec = promisify(execFile);

let dir: string;
let project: string;
let tarball: string;

/** Runs a command to its end and returns its stdout; a failure shows its stderr. */
async function run(command: string, args: string[], cwd: string): Promise<string> {
  const { stdout } = await exec(command, args, { cwd, env: childEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Runs the TypeScript compiler installed in the project; its diagnostics are printed on stdout. */
async function tsc(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    return { code: 0, stdout: await run(process.execPath, [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), ...args], project) };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string };
    return { code: failure.code ?? -1, stdout: failure.stdout ?? '' };
  }
}

function write(path: string, text: string): void {
  mkdirSync(join(project, path, '..'), { recursive: true });
  writeFileSync(join(project, path), text);
}

const spec = `# yaml-language-server: $schema=../node_modules/netspec/schemas/netspec.schema.json
netspec: 1
name: tiny
models:
  decoder:
    inputs:
      z: [4]
    layers:
      - { type: dense, units: 2 * 2 * 8, activation: relu }
      - { type: reshape, targetShape: [2, 2, 8] }
      - { type: conv2dTranspose, filters: 4, kernelSize: 4, strides: 2, padding: same, activation: relu }
      - { type: pixelShuffle, id: image, upscaleFactor: 2 }
    outputs:
      image: [8, 8, 1]
`;

/** The strictest usual settings, for Node's ESM; tfjs' own declarations need the DOM library, so libraries are skipped. */
const tsconfig = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noImplicitOverride: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    skipLibCheck: true,
    rootDir: 'src',
    outDir: 'build',
  },
  include: ['src'],
};

/** A file handler for model.save and loading (tfjs' file:// needs tfjs-node): model.json and weights.bin in a folder. */
const files = `import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

export function fileSaver(dir: string): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    const weightsManifest: tf.io.WeightsManifestConfig = [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }];
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: artifacts.modelTopology, weightsManifest }));
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  });
}

export function fileLoader(dir: string): tf.io.IOHandler {
  return {
    load: () => {
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
      const bytes = readFileSync(join(dir, 'weights.bin'));
      const weights = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      return tf.io.getModelArtifactsForJSON(json, async (entries) => [entries.flatMap((group) => group.weights), weights]);
    },
  };
}

/** The input both processes predict on. */
export const z = (): tf.Tensor2D => tf.tensor2d([[0.5, -1, 2, 0.25], [-0.75, 1.5, 0, -2]]);

export function report(image: tf.Tensor4D): string {
  return JSON.stringify({ backend: tf.getBackend(), shape: image.shape, values: Array.from(image.dataSync()) });
}
`;

const predict = `import * as tf from '@tensorflow/tfjs';
import { buildDecoder, decoderOutputShapes, runDecoder, type DecoderOutputs } from './generated/tiny.js';
import { fileSaver, report, z } from './files.js';

await tf.setBackend('cpu');
const model = buildDecoder();
const { image }: DecoderOutputs = runDecoder(model, { z: z() });
const declared: readonly [null, 8, 8, 1] = decoderOutputShapes[0];
await model.save(fileSaver(process.argv[2]!));
console.log(JSON.stringify({ declared, ...JSON.parse(report(image)) }));
`;

const load = `import * as tf from '@tensorflow/tfjs';
import { loadDecoder, runDecoder } from './generated/tiny.js';
import { fileLoader, report, z } from './files.js';

await tf.setBackend('cpu');
const model = await loadDecoder(fileLoader(process.argv[2]!));
console.log(report(runDecoder(model, { z: z() }).image));
`;

/** One value from each entry point of the package, so that each one's declarations are type-checked too. */
const entries = `import { check, compile } from 'netspec';
import { toOnnx } from 'netspec/onnx';
import { createPredictPool } from 'netspec/parallel';
import { PixelShuffle, pixelShuffle } from 'netspec/runtime';

export const entries = { check, compile, toOnnx, createPredictPool, PixelShuffle, pixelShuffle };
`;

interface Prediction {
  backend: string;
  shape: number[];
  values: number[];
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netspec-pack-'));
  project = join(dir, 'project');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('npm pack, then install into a fresh project', () => {
  test('npm pack builds dist/ through prepare and writes the tarball', async () => {
    const [pack] = JSON.parse(await run('npm', ['pack', '--json', '--pack-destination', dir], root)) as { filename: string; files: { path: string }[] }[];
    expect(pack!.filename).toBe(`${manifest.name}-${manifest.version}.tgz`);
    expect(pack!.files.map((f) => f.path)).toEqual(expect.arrayContaining(['bin/netspec.js', 'dist/cli.js', 'dist/runtime/index.js', 'dist/validate/compiled-schema.js', 'schemas/netspec.schema.json']));
    tarball = join(dir, pack!.filename);
    expect(statSync(tarball).isFile()).toBe(true);
  }, 240_000);

  test('a fresh project installs the tarball with @tensorflow/tfjs and typescript; what lands in node_modules is the published files', async () => {
    mkdirSync(project);
    write('package.json', JSON.stringify({ name: 'netspec-consumer', private: true, type: 'module' }, null, 2) + '\n');
    const versions = ['@tensorflow/tfjs', 'typescript', '@types/node'].map((name) => `${name}@${manifest.devDependencies[name]}`);
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...versions], project);
    const installed = join(project, 'node_modules', 'netspec');
    expect(readdirSync(installed).sort()).toEqual(['LICENSE', 'README.md', 'bin', 'dist', 'docs', 'package.json', 'schemas']);
    expect((JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version: string }).version).toBe(manifest.version);
    expect((JSON.parse(readFileSync(join(project, 'node_modules', '@tensorflow', 'tfjs', 'package.json'), 'utf8')) as { version: string }).version).toBe(manifest.devDependencies['@tensorflow/tfjs']);
  }, 240_000);

  test('npx netspec build compiles the project\'s spec by its netspec.config.json; the schema its modeline names is there', async () => {
    write('netspec.config.json', JSON.stringify({ include: ['specs'], outDir: 'src/generated' }, null, 2) + '\n');
    write('specs/tiny.yaml', spec);
    expect(await run('npx', ['--no', 'netspec', 'build'], project)).toBe('wrote 1 module to src/generated/\n');
    expect(readFileSync(join(project, 'src', 'generated', 'tiny.ts'), 'utf8')).toContain("import { pixelShuffle, restoreSavedModel } from 'netspec/runtime';\n");
    const modeline = /\$schema=(\S+)/.exec(spec)![1]!;
    expect(existsSync(join(project, 'specs', modeline))).toBe(true);
    const resolved = await run(process.execPath, ['--input-type=module', '-e', "console.log(import.meta.resolve('netspec/schema'))"], project);
    expect(resolved.trim()).toMatch(/\/node_modules\/netspec\/schemas\/netspec\.schema\.json$/);
  }, 120_000);

  test('the generated module and code using every entry point type-check under a strict tsconfig, and netspec\'s declarations with libraries checked too', async () => {
    write('tsconfig.json', JSON.stringify(tsconfig, null, 2) + '\n');
    write('src/files.ts', files);
    write('src/predict.ts', predict);
    write('src/load.ts', load);
    write('src/entries.ts', entries);
    expect(await tsc('-p', 'tsconfig.json')).toEqual({ code: 0, stdout: '' });
    // With skipLibCheck off, tfjs' own declarations fail (they need the DOM library); netspec's and the project's files must not.
    const { code, stdout } = await tsc('-p', 'tsconfig.json', '--noEmit', '--skipLibCheck', 'false');
    const failing = [...new Set(stdout.split('\n').flatMap((line) => /^(\S+?)\(\d+,\d+\): error/.exec(line)?.[1] ?? []))];
    expect(code).not.toBe(0);
    expect(failing).toContain('node_modules/@tensorflow/tfjs-core/dist/types.d.ts');
    expect(failing.filter((file) => !/^node_modules\/(@tensorflow|@webgpu)\//.test(file))).toEqual([]);
  }, 120_000);

  test('predict on the cpu backend gives the inferred shape; the saved model loads in a new node process through loadDecoder and predicts the same numbers', async () => {
    const saved = join(project, 'saved');
    mkdirSync(saved);
    const first = JSON.parse(await run(process.execPath, ['build/predict.js', saved], project)) as Prediction & { declared: unknown };
    expect(first.backend).toBe('cpu');
    expect(first.declared).toEqual([null, 8, 8, 1]);
    expect(first.shape).toEqual([2, 8, 8, 1]);
    expect(first.values.length).toBe(128);
    expect(first.values.some((v) => v !== 0)).toBe(true); // else the comparison below would hold for any weights
    // 676 float32 parameters, as the module's doc comment counts them.
    expect(readFileSync(join(project, 'src', 'generated', 'tiny.ts'), 'utf8')).toContain('676 trainable and 0 non-trainable parameters');
    expect(statSync(join(saved, 'weights.bin')).size).toBe(676 * 4);
    const second = JSON.parse(await run(process.execPath, ['build/load.js', saved], project)) as Prediction;
    expect(second).toEqual({ backend: 'cpu', shape: [2, 8, 8, 1], values: first.values });
  }, 120_000);

  test('every entry point loads in node from the installed package', async () => {
    const script = `
      const exported = { netspec: 'check', 'netspec/runtime': 'pixelShuffle', 'netspec/onnx': 'toOnnx', 'netspec/parallel': 'createPredictPool' };
      const found = {};
      for (const [entry, name] of Object.entries(exported)) found[entry + ' ' + name] = typeof (await import(entry))[name];
      console.log(JSON.stringify(found));`;
    expect(JSON.parse(await run(process.execPath, ['--input-type=module', '-e', script], project))).toEqual({
      'netspec check': 'function',
      'netspec/runtime pixelShuffle': 'function',
      'netspec/onnx toOnnx': 'function',
      'netspec/parallel createPredictPool': 'function',
    });
  }, 120_000);
});
