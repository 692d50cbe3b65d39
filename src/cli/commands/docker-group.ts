import type { Command } from 'commander';
import { withGlobals } from '../program.js';

/**
 * The `larder docker` command group (Dockerfile builds and conversion). Each subcommand's
 * registration asks for it here, so the group is created once whichever registers first.
 */
export function dockerCommand(program: Command): Command {
  const existing = program.commands.find((c) => c.name() === 'docker');
  if (existing !== undefined) return existing;
  return withGlobals(program.command('docker').description('build and convert Dockerfiles on larder images'));
}
