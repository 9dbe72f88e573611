#!/usr/bin/env node
// The compiled CLI; `npm ci` builds dist/ through the `prepare` script.
import { main } from '../dist/cli.js';

// A reader that stops early (`netspec summary | head`) closes the pipe: stop quietly, as cat and git do,
// not with Node's unhandled-error stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

process.exitCode = await main(process.argv.slice(2));
