import type { Command } from 'commander';
import { withGlobals } from './program.js';

/**
 * `larder catalog TARGET`: what packages an image, rootfs, installed database, .apk or SBOM
 * holds (APK, Go, Python, npm, Java, Rust), as a table or JSON.
 */
export function registerCatalogCommands(program: Command): void {
  withGlobals(program.command('catalog'))
    .description(
      'list the packages of an image, rootfs, installed db, .apk or SBOM (APK, Go, Python, npm, Java, Rust)',
    )
    .argument(
      '<target>',
      'OCI layout, docker archive, registry:REF, directory, installed db, .apk, SPDX or CycloneDX SBOM',
    )
    .option('--json', 'print the catalog as one line of JSON')
    .option('--platform <os/arch>', 'the image of a multi-platform target to read (linux/arm64, aarch64)')
    .option(
      '--distro <name>',
      'the distribution, when the target does not say: ID or ID:VERSION (wolfi, alpine:3.20)',
    )
    .option('--insecure', 'plain http for a registry that is not on loopback')
    .action(async (target: string, opts: Record<string, unknown>) =>
      (await import('./commands/catalog.js')).catalogCommand(target, opts),
    );
}
