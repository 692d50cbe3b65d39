import type { Command } from 'commander';
import { withGlobals } from './program.js';
import { withTlogUpload } from './tlog-upload.js';

/**
 * `larder sign`, `verify`, `attest`, `verify-attestation`, `tree` and `download`:
 * cosign-compatible signatures and attestations.
 */
export function registerTrustCommands(program: Command): void {
  withTlogUpload(withGlobals(program.command('sign')))
    .description(
      'sign an image as cosign does: a sigstore bundle referrer and/or the legacy sha256-<hex>.sig tag; prints "DIGEST FORM MANIFEST-DIGEST" lines',
    )
    .argument('<ref>', 'image reference (tag or digest)')
    .requiredOption('--key <key>', 'private key (ECDSA P-256 or RSA; encrypted: LARDER_PASSWORD)')
    .option(
      '--format <format>',
      'legacy (.sig tag), bundle (sigstore bundle v0.3 as an OCI 1.1 referrer, cosign v3) or both',
      'both',
    )
    .option('--recursive', 'an index: also sign each of its manifests')
    .option('--insecure', 'plain HTTP (or unverified TLS) to a registry that is not on loopback')
    .action(
      async (
        ref: string,
        opts: { key: string; format?: string; recursive?: boolean; insecure?: boolean },
        cmd: Command,
      ) => (await import('./commands/sign.js')).signCommand(ref, opts, cmd),
    );
  withGlobals(program.command('verify'))
    .description(
      "verify an image's signatures (sigstore bundle referrers and cosign .sig tag) with a public key, offline; exit 1 when none is valid",
    )
    .argument('<ref>', 'image reference (tag or digest)')
    .requiredOption('--key <key.pub>', 'public key (PEM)')
    .option('--insecure', 'plain HTTP (or unverified TLS) to a registry that is not on loopback')
    .action(async (ref: string, opts: { key: string; insecure?: boolean }, cmd: Command) =>
      (await import('./commands/verify.js')).verifyCommand(ref, opts, cmd),
    );
  withTlogUpload(withGlobals(program.command('attest')))
    .description(
      'attach a signed in-toto attestation (DSSE) to an image as cosign does: a sigstore bundle referrer and/or the legacy sha256-<hex>.att tag; prints "DIGEST FORM MANIFEST-DIGEST" lines',
    )
    .argument('<ref>', 'image reference (tag or digest)')
    .requiredOption(
      '--type <type>',
      'predicate type: slsaprovenance1, slsaprovenance, spdxjson, spdx, cyclonedx, openvex, vuln, link, custom or a URI',
    )
    .requiredOption(
      '--predicate <file>',
      'the predicate, a JSON object (an SBOM, provenance, VEX document...)',
    )
    .requiredOption('--key <key>', 'private key (ECDSA P-256 or RSA; encrypted: LARDER_PASSWORD)')
    .option('--recursive', 'an index: also attest each of its manifests')
    .option(
      '--format <form>',
      'legacy (.att tag), bundle (sigstore bundle v0.3 as an OCI 1.1 referrer, cosign v3) or both',
      'both',
    )
    .option('--insecure', 'plain HTTP (or unverified TLS) to a registry that is not on loopback')
    .action(
      async (
        ref: string,
        opts: {
          type: string;
          predicate: string;
          key: string;
          recursive?: boolean;
          format?: string;
          insecure?: boolean;
        },
        cmd: Command,
      ) => (await import('./commands/attest.js')).attestCommand(ref, opts, cmd),
    );
  withGlobals(program.command('verify-attestation'))
    .description(
      'verify the attestations of an image (sigstore bundle referrers and cosign .att tag) with a public key, offline; prints each valid one of --type as its in-toto Statement (JSON, one per line); exit 1 when none is valid',
    )
    .argument('<ref>', 'image reference (tag or digest)')
    .requiredOption('--type <type>', 'predicate type to require (cosign --type name or URI)')
    .requiredOption('--key <key.pub>', 'public key (PEM)')
    .option('--insecure', 'plain HTTP (or unverified TLS) to a registry that is not on loopback')
    .action(async (ref: string, opts: { type: string; key: string; insecure?: boolean }, cmd: Command) =>
      (await import('./commands/verify-attestation.js')).verifyAttestationCommand(ref, opts, cmd),
    );
  withGlobals(program.command('tree'))
    .description('show what is attached to an image: cosign .sig/.att/.sbom tags and OCI referrers')
    .argument('<ref>', 'image reference (tag or digest)')
    .option('--recursive', 'an index: also show what is attached to each of its manifests')
    .option('--json', 'one line of JSON instead of the tree')
    .option('--insecure', 'plain HTTP (or unverified TLS) to a registry that is not on loopback')
    .action(
      async (ref: string, opts: { recursive?: boolean; json?: boolean; insecure?: boolean }, cmd: Command) =>
        (await import('./commands/tree.js')).treeCommand(ref, opts, cmd),
    );
  const download = withGlobals(program.command('download')).description(
    'print what is attached to an image, one item per line, like cosign download',
  );
  withGlobals(download.command('signature'))
    .description('the .sig signatures (cosign JSON) and Sigstore bundles; exit 1 when there are none')
    .argument('<ref>', 'image reference (tag or digest)')
    .option('--insecure', 'plain HTTP (or unverified TLS) to a registry that is not on loopback')
    .action(async (ref: string, opts: { insecure?: boolean }, cmd: Command) =>
      (await import('./commands/download.js')).downloadCommand('signature', ref, opts, cmd),
    );
  withGlobals(download.command('attestation'))
    .description('the DSSE envelopes of .att layers and bundles; exit 1 when there are none')
    .argument('<ref>', 'image reference (tag or digest)')
    .option('--predicate-type <type>', 'only this predicate type (cosign --type name or URI)')
    .option('--insecure', 'plain HTTP (or unverified TLS) to a registry that is not on loopback')
    .action(async (ref: string, opts: { predicateType?: string; insecure?: boolean }, cmd: Command) =>
      (await import('./commands/download.js')).downloadCommand('attestation', ref, opts, cmd),
    );
  withGlobals(download.command('sbom'))
    .description('the SBOMs of the .sbom tag (cosign attach sbom); exit 1 when there are none')
    .argument('<ref>', 'image reference (tag or digest)')
    .option('--insecure', 'plain HTTP (or unverified TLS) to a registry that is not on loopback')
    .action(async (ref: string, opts: { insecure?: boolean }, cmd: Command) =>
      (await import('./commands/download.js')).downloadCommand('sbom', ref, opts, cmd),
    );
}
