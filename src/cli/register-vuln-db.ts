import type { Command } from 'commander';
import { repeated, withGlobals } from './program.js';

/**
 * `larder vuln db import` and `larder vuln db status`: the local vulnerability database, fed by
 * advisory directories, secdb files or URLs and OSV records.
 */
export function registerVulnDbCommands(program: Command): void {
  const vuln =
    program.commands.find((c) => c.name() === 'vuln') ??
    withGlobals(program.command('vuln').description('vulnerability data: the local database'));
  const db = withGlobals(vuln.command('db').description('the local vulnerability database (SQLite)'));
  withGlobals(db.command('import'))
    .description('import advisories, secdb and OSV data; a source imported before is replaced')
    .option('--advisories <dir>', 'Wolfi advisory directory (repeatable)', repeated)
    .option('--secdb <file|url>', 'Alpine/Wolfi secdb JSON file or http(s) URL (repeatable)', repeated)
    .option('--osv <path>', 'OSV records: a directory, a .zip export or one .json (repeatable)', repeated)
    .option('--db <file>', 'database file (default <state-dir>/vuln/vuln.db)')
    .option(
      '--distro <name>',
      'namespace of secdb and advisory records: wolfi, chainguard, alpine:3.20 (default: secdb inferred, advisories any)',
    )
    .option('--offline', 'use only the download cache for secdb URLs')
    .option('--json', 'compact JSON: {db, sources}')
    .action(async (opts: Record<string, unknown>, cmd: Command) =>
      (await import('./commands/vuln-db.js')).vulnDbImportCommand(opts, cmd),
    );
  withGlobals(db.command('status'))
    .description('the sources a database holds, with record counts, and its totals')
    .option('--db <file>', 'database file (default <state-dir>/vuln/vuln.db)')
    .option('--json', 'compact JSON of the status')
    .action(async (opts: Record<string, unknown>, cmd: Command) =>
      (await import('./commands/vuln-db.js')).vulnDbStatusCommand(opts, cmd),
    );
}
