import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Packs the project, so its `prepare` rebuilds dist/ (and src/validate/compiled-schema.js) while it runs. */
const packInstall = 'test/package/pack-install.test.ts';

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
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [packInstall], sequence: { groupOrder: 0 } } },
      // Alone and after every other test, so no test reads dist/ while the pack rebuilds it.
      { extends: true, test: { name: 'package', include: [packInstall], sequence: { groupOrder: 1 } } },
    ],
  },
});
