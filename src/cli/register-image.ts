import type { Command } from 'commander';
import { withConfigOptions } from './config-options.js';
import { repeated, withGlobals } from './program.js';
import { withTlogUpload } from './tlog-upload.js';

/**
 * `larder image build|publish|inspect|pull|push|copy`: composing and moving OCI images.
 */
export function registerImageCommands(program: Command): void {
  const image = withGlobals(
    program.command('image').description('compose OCI images from packages (apko-compatible configs)'),
  );
  withConfigOptions(withGlobals(image.command('build')))
    .description('build an image from an apko config: OCI layout (default), docker tarball or rootfs tarball')
    .argument('<config>', 'image config (apko YAML)')
    .requiredOption('-o, --output <out>', 'OCI layout directory (oci) or tarball (docker, rootfs)')
    .option('-t, --tag <ref>', 'image name written into the output (never pushes)')
    .option('--lockfile <file>', 'build exactly the packages of this apko.lock.json')
    .option('--format <format>', 'oci, docker or rootfs', 'oci')
    .option(
      '--sbom-dir <dir>',
      'write sbom-<arch>.spdx.json, sbom-<arch>.cdx.json and sbom-index.spdx.json here',
    )
    .action(async (config: string, opts: Record<string, unknown>, cmd: Command) =>
      (await import('./commands/image-build.js')).imageBuildCommand(config, opts, cmd),
    );

  withTlogUpload(withConfigOptions(withGlobals(image.command('publish'))))
    .description('build an image and push it to a registry under every REF; prints the pushed digest')
    .argument('<config>', 'image config (apko YAML)')
    .argument('<refs...>', 'references to push to, e.g. registry.example/app:1.2 (same image under each)')
    .option('--lockfile <file>', 'build exactly the packages of this apko.lock.json')
    .option('--sbom-dir <dir>', 'also write the SBOMs here')
    .option('--key <file>', 'sign the pushed index with this private key (cosign.key or PKCS#8 PEM)')
    .option(
      '--attest',
      'with --key: attach SLSA provenance v1 and the SPDX and CycloneDX SBOMs as attestations',
    )
    .option('--recursive', 'with --key: also sign (and attest) each platform manifest')
    .option(
      '--sign-format <forms>',
      'legacy (.sig/.att tags), bundle (sigstore bundle referrers) or both (default)',
    )
    .option('--builder-id <uri>', "the provenance's builder.id (default: larder's CLI at this version)")
    .option('--insecure', 'allow plain HTTP to a registry that is not on loopback')
    .action(async (config: string, refs: string[], opts: Record<string, unknown>, cmd: Command) =>
      (await import('./commands/image-publish.js')).imagePublishCommand(config, refs, opts, cmd),
    );

  withGlobals(image.command('inspect'))
    .description(
      'show per-platform digests, layers, sizes and installed packages of an OCI layout or a registry image',
    )
    .argument(
      '<target>',
      'OCI image layout directory, or a registry reference (host/name:tag or @sha256:...)',
    )
    .option(
      '--json',
      'one compact JSON line: {"index":...,"images":[{"platform":...,"packages":[[name,version],...]}]}',
    )
    .option('--insecure', 'plain HTTP (or unverified TLS) to a registry that is not on loopback')
    .action(async (target: string, opts: { json?: boolean; insecure?: boolean }, cmd: Command) =>
      (await import('./commands/image-inspect.js')).imageInspectCommand(target, opts, cmd),
    );

  withGlobals(image.command('pull'))
    .description('download an image (all platforms) into an OCI layout, digests verified; prints its digest')
    .argument('<ref>', 'registry reference (host/name:tag or @sha256:...)')
    .requiredOption('-o, --output <out>', 'OCI layout directory to write (replaced atomically if it is one)')
    .option('--insecure', 'plain HTTP (or unverified TLS) to a registry that is not on loopback')
    .action(async (ref: string, opts: { output: string; insecure?: boolean }, cmd: Command) =>
      (await import('./commands/image-pull.js')).imagePullCommand(ref, opts, cmd),
    );

  withGlobals(image.command('push'))
    .description(
      'push an OCI layout (every platform) to a registry; blobs already there are skipped; prints its digest',
    )
    .argument('<layout>', 'OCI image layout directory')
    .argument('<ref>', 'destination reference (without a tag: latest)')
    .option('-t, --tag <tag>', 'also tag the image with this tag (repeatable)', repeated)
    .option(
      '--ref-name <name>',
      'the index.json entry with this org.opencontainers.image.ref.name (default: the first)',
    )
    .option('--insecure', 'plain HTTP (or unverified TLS) to a registry that is not on loopback')
    .action(
      async (
        layout: string,
        ref: string,
        opts: { tag?: string[]; refName?: string; insecure?: boolean },
        cmd: Command,
      ) => (await import('./commands/image-push.js')).imagePushCommand(layout, ref, opts, cmd),
    );

  withGlobals(image.command('copy'))
    .description(
      'copy an image between repositories or registries (mounting blobs when it can); prints its digest',
    )
    .argument('<src>', 'source reference')
    .argument('<dst>', 'destination reference (without a tag: the source tag)')
    .option('-t, --tag <tag>', 'also tag the copy with this tag (repeatable)', repeated)
    .option('--no-attached', 'copy only the image: not its referrers nor cosign .sig/.att/.sbom tags')
    .option('--insecure', 'plain HTTP (or unverified TLS) to a registry that is not on loopback')
    .action(
      async (
        src: string,
        dst: string,
        opts: { tag?: string[]; attached?: boolean; insecure?: boolean },
        cmd: Command,
      ) => (await import('./commands/image-copy.js')).imageCopyCommand(src, dst, opts, cmd),
    );
}
