import type { Command } from 'commander';
import { repeated, withGlobals } from './program.js';

/**
 * `larder advisory validate|list|add|export-secdb`: Wolfi advisory documents (schema 2.x) in a
 * directory of `<package>.advisories.yaml` files.
 */
export function registerAdvisoryCommands(program: Command): void {
  const advisory = withGlobals(
    program
      .command('advisory')
      .description('Wolfi advisory documents: validate, list, record events, export an Alpine/Wolfi secdb'),
  );

  withGlobals(advisory.command('validate'))
    .description('check advisory documents: OK FILE, or FILE:LINE:COL: problem per problem; exit 1 if any')
    .argument('<paths...>', 'advisory directories (every *.advisories.yaml) or files')
    .action(async (paths: string[]) =>
      (await import('./commands/advisory-validate.js')).advisoryValidate(paths),
    );

  withGlobals(advisory.command('list'))
    .description('one row per advisory: package, id, aliases, state (latest event), fixed version, updated')
    .argument('<dir>', 'advisory directory')
    .option('--package <name>', 'only the advisories of this origin package')
    .option('--vuln <id>', 'only the advisories with this id or alias (CGA, CVE, GHSA, GO)')
    .option('--json', 'one line of JSON: an array of rows')
    .action(async (dir: string, opts: Record<string, unknown>) =>
      (await import('./commands/advisory-list.js')).advisoryList(dir, opts),
    );

  withGlobals(advisory.command('add'))
    .description(
      'record an event for PACKAGE and VULN-ID (a CGA id, or a CVE/GHSA/GO alias: found, or a new advisory); prints the advisory id',
    )
    .argument('<dir>', 'advisory directory')
    .argument('<package>', 'origin package (the document is DIR/PACKAGE.advisories.yaml, created if missing)')
    .argument('<vuln-id>', 'CGA-xxxx-xxxx-xxxx, CVE-..., GHSA-... or GO-...')
    .requiredOption(
      '--event <type>',
      'detection, true-positive-determination, fixed, false-positive-determination, pending-upstream-fix, fix-not-planned or analysis-not-planned',
    )
    .option('--fixed-version <version>', 'fixed: the first fixed version of the origin package (1.2.3-r4)')
    .option(
      '--fp-type <type>',
      'false-positive-determination: its type (vulnerable-code-not-included-in-package...)',
    )
    .option(
      '--note <text>',
      'the note of a determination, pending-upstream-fix, fix-not-planned or analysis-not-planned',
    )
    .option('--detection-type <type>', 'detection: manual (default), nvdapi or scan/v1')
    .option('--cpe-searched <cpe>', 'nvdapi detection: the CPE searched for')
    .option('--cpe-found <cpe>', 'nvdapi detection: the CPE found')
    .option('--subpackage <name>', 'scan/v1 detection: the subpackage scanned (default PACKAGE)')
    .option('--component-id <id>', 'scan/v1 detection: component id (default derived from the component)')
    .option('--component-name <name>', 'scan/v1 detection: component name')
    .option('--component-version <version>', 'scan/v1 detection: component version')
    .option('--component-type <type>', 'scan/v1 detection: component type (apk, go-module, python...)')
    .option('--component-location <path>', 'scan/v1 detection: where the component is')
    .option('--scanner <name>', 'scan/v1 detection: the scanner (default grype)')
    .option('--timestamp <rfc3339>', 'event time (default SOURCE_DATE_EPOCH when set, else now)')
    .action(async (dir: string, pkg: string, vuln: string, opts: Record<string, unknown>) =>
      (await import('./commands/advisory-add.js')).advisoryAdd(dir, pkg, vuln, opts),
    );

  withGlobals(advisory.command('export-secdb'))
    .description('write the Alpine/Wolfi secdb (security.json): fixed → version key, false positive → "0"')
    .argument('<dir>', 'advisory directory')
    .option('-o, --output <file>', 'file to write (default: stdout)')
    .option(
      '--arch <arch>',
      'archs of the feed, repeatable or comma-separated (default x86_64,aarch64)',
      repeated,
    )
    .option('--urlprefix <url>', 'the apkurl template prefix (default https://packages.wolfi.dev)')
    .option('--reponame <name>', 'the repository name (default os)')
    .option('--repo-url <url>', 'both at once: URLPREFIX/REPONAME, e.g. https://packages.wolfi.dev/os')
    .action(async (dir: string, opts: Record<string, unknown>) =>
      (await import('./commands/advisory-export-secdb.js')).advisoryExportSecdb(dir, opts),
    );
}
