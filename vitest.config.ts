import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

/** Packs the project, so its `prepare` rebuilds dist/ (and src/validate/compiled-schema.js) while it runs. */
const packInstall = 'test/package/pack-install.test.ts';
/** Read dist/ as packed: after the pack, so they check what it just built. */
const packedFiles = ['test/package/shipped-files.test.ts', 'test/package/runtime-footprint.test.ts'];

export default defineConfig({
  resolve: {
    // Generated modules import the runtime by package name; tests run it from source.
    alias: { 'netspec/runtime': fileURLToPath(new URL('./src/runtime/index.ts', import.meta.url)) },
  },
  test: {
    setupFiles: ['test/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // CI reads the counts from this file (.ci/run prints "N passed, N failed").
    reporters: process.env['CI'] ? ['default', ['json', { outputFile: '.ci/results.json' }]] : ['default'],
    // Groups run one after another: no test reads dist/ while the pack rebuilds it.
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, packInstall, ...packedFiles], sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'pack', include: [packInstall], sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'packed', include: packedFiles, sequence: { groupOrder: 2 } } },
    ],
  },
});
