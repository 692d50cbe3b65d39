import type { Command } from 'commander';
import { repeated, withGlobals } from './program.js';

/**
 * `larder scan TARGET`: find the known vulnerabilities of an image, directory, installed
 * database, .apk or SBOM, report them, and judge them against a policy.
 */
export function registerScanCommands(program: Command): void {
  withGlobals(program.command('scan'))
    .description('report the known vulnerabilities of an image, rootfs, installed db, .apk or SBOM')
    .argument(
      '<target>',
      'OCI layout, docker archive, registry:REF, directory, installed db, .apk, SPDX or CycloneDX SBOM',
    )
    .option(
      '--db <file>',
      'vulnerability database (repeatable; default <state-dir>/vuln/vuln.db when no data is given)',
      repeated,
    )
    .option('--advisories <dir>', 'Wolfi advisory directory, read for this scan (repeatable)', repeated)
    .option(
      '--secdb <file|url>',
      'Alpine/Wolfi secdb JSON file or http(s) URL, read for this scan (repeatable)',
      repeated,
    )
    .option('--osv <path>', 'OSV records: a directory, a .zip export or one .json (repeatable)', repeated)
    .option('--vex <file>', 'OpenVEX or CycloneDX VEX document to apply (repeatable)', repeated)
    .option('--format <format>', 'table, json, sarif, openvex or cyclonedx', 'table')
    .option(
      '--fail-on <severity>',
      'exit 1 when a finding is at or above: negligible, low, medium, high, critical',
    )
    .option(
      '--policy <name>',
      'exit 1 when the policy is violated: zero-known-cve (any finding at all)',
      repeated,
    )
    .option('--only-fixed', 'report only findings with a fix; the others are counted as suppressed')
    .option('--ignore <file>', 'YAML ignore rules (vulnerability, package, fix-state, reason)')
    .option('--explain <id>', 'print why each finding or suppression of ID (or its alias) matched')
    .option(
      '--distro <name>',
      'match APK packages for this distribution: ID or ID:VERSION (wolfi, alpine:3.18)',
    )
    .option('--platform <os/arch>', 'the image of a multi-platform target to scan (linux/arm64)')
    .option('--author <name>', 'author of --format openvex/cyclonedx documents', 'larder')
    .option('--offline', 'use only the download cache for --secdb URLs')
    .option('-o, --output <file>', 'write the report to FILE (atomically) instead of stdout')
    .action(async (target: string, opts: Record<string, unknown>, cmd: Command) =>
      (await import('./commands/scan.js')).scanCommand(target, opts, cmd),
    );
}
