#!/usr/bin/env node
import { buildProgram } from './commands.js';
import { run } from './program.js';

// `larder ... | head` closes stdout early: stop quietly, as Unix tools do, instead of crashing.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await run(buildProgram(), process.argv.slice(2));
