import type { Command } from 'commander';
import { dockerCommand } from './commands/docker-group.js';
import { repeated, withGlobals } from './program.js';
import { withTlogUpload } from './tlog-upload.js';

/**
 * `larder docker build CONTEXT`: build a Dockerfile without a daemon, on larder images, and take
 * the result down the composer's path (SBOM, scan gate, OCI layout, push, sign, attest).
 */
export function registerDockerBuild(program: Command): void {
  withTlogUpload(withGlobals(dockerCommand(program).command('build')))
    .description(
      'build a Dockerfile without a daemon (RUN apk add natively, other RUN in bubblewrap); prints the image digest',
    )
    .argument('<context>', 'build context directory (COPY sources, larder: configs, .dockerignore)')
    .option('-f, --file <dockerfile>', 'the Dockerfile (default CONTEXT/Dockerfile)')
    .option(
      '--build-arg <name=value>',
      'set a build ARG (repeatable; NAME alone takes the environment value)',
      repeated,
    )
    .option('--target <stage>', 'build this stage (default: the last)')
    .option('-t, --tag <ref>', 'image name: written into the OCI layout, and where --push pushes')
    .option('-o, --output <dir>', 'write the image as an OCI layout directory')
    .option('--push', 'push to the -t reference')
    .option(
      '--platform <os/arch>',
      'the platform to build (default: this machine; RUN needs it to be this machine)',
    )
    .option(
      '--secret <id=NAME,src=FILE>',
      'a file RUN --mount=type=secret,id=NAME may read (never in a layer; repeatable)',
      repeated,
    )
    .option('--network', 'RUN steps keep the host network (default: none but lo)')
    .option('--repository <repo>', 'extra repository for RUN apk add (repeatable)', repeated)
    .option('--keyring <key>', 'extra key file for RUN apk add (repeatable)', repeated)
    .option('--allow-untrusted', 'accept indexes whose signature key is not in the keyring')
    .option('--offline', 'use only the download cache')
    .option('--insecure', 'allow plain HTTP to a registry that is not on loopback')
    .option(
      '--sbom-dir <dir>',
      'write sbom-<arch>.spdx.json, sbom-<arch>.cdx.json and sbom-index.spdx.json here',
    )
    .option(
      '--key <file>',
      'with --push: sign the pushed index with this private key (cosign.key or PKCS#8 PEM)',
    )
    .option(
      '--attest',
      'with --key: attach SLSA provenance v1 and the SPDX and CycloneDX SBOMs as attestations',
    )
    .option(
      '--sign-format <forms>',
      'legacy (.sig/.att tags), bundle (sigstore bundle referrers) or both (default)',
    )
    .option('--builder-id <uri>', "the provenance's builder.id (default: larder's CLI at this version)")
    .option('--db <file>', 'vulnerability database for the scan gate (repeatable)', repeated)
    .option('--advisories <dir>', 'Wolfi advisory directory for the scan gate (repeatable)', repeated)
    .option('--secdb <file|url>', 'secdb JSON for the scan gate (repeatable)', repeated)
    .option('--osv <path>', 'OSV records for the scan gate (repeatable)', repeated)
    .option(
      '--fail-on <severity>',
      'refuse (exit 1, nothing written or pushed) when a finding is at or above this severity',
    )
    .option(
      '--policy <name>',
      'refuse (exit 1, nothing written or pushed) when violated: zero-known-cve',
      repeated,
    )
    .action(async (context: string, opts: Record<string, unknown>, cmd: Command) =>
      (await import('./commands/docker-build.js')).dockerBuildCommand(context, opts, cmd),
    );
}
