import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { root } from '../helpers/gallery.js';

/**
 * `netspec check --format json | head -c 1`: the reader exits after one byte while netspec still has
 * most of the gallery's 170 kB to write (more than a pipe holds); netspec must stop without a stack trace.
 */
test('a reader that closes stdout early ends the run quietly', () => {
  const bin = join(root, 'bin', 'netspec.js');
  const run = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" check --format json | head -c 1`], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(run.stdout).toBe('{');
  expect(run.stderr).toBe('');
}, 60_000);
