#!/usr/bin/env node
import { buildProgram } from './commands.js';
import { run } from './program.js';

process.exitCode = await run(buildProgram(), process.argv.slice(2));
