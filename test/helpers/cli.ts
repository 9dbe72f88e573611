import { main, type Environment } from '../../src/cli.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in `cwd` the way a user would, with its output captured and no colour. */
export async function runCli(cwd: string, ...argv: string[]): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const env: Environment = { cwd, stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t), color: false };
  const code = await main(argv, env);
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}
