import { Command } from 'commander';
import { registerDockerConvert } from './commands/docker-convert.js';
import { withConfigOptions } from './config-options.js';
import { repeated, withGlobals } from './program.js';
import { registerAdvisoryCommands } from './register-advisory.js';
import { registerCatalogCommands } from './register-catalog.js';
import { registerDockerBuild } from './register-docker-build.js';
import { registerScanCommands } from './register-scan.js';
import { registerVulnDbCommands } from './register-vuln-db.js';
import { withTlogUpload } from './tlog-upload.js';

/**
 * The command tree. Implementations are imported lazily inside each action so that a quick
 * command such as `version compare` starts without loading the whole library.
 */
export function buildProgram(): Command {
  const program = withGlobals(new Command('larder'))
    .description('larder: a secure, self-hostable supply chain for container images')
    .showHelpAfterError(false);

  const version = withGlobals(
    program.command('version').description('apk version ordering (apk-tools 2.14)'),
  );
  withGlobals(version.command('compare'))
    .description('print <, = or > for two versions, or for each "A B" line on stdin with --batch')
    .argument('[a]', 'first version')
    .argument('[b]', 'second version')
    .option('--batch', 'read "A B" lines on stdin, print one operator per line')
    .action(async (a: string | undefined, b: string | undefined, opts: { batch?: boolean }, cmd: Command) =>
      (await import('./commands/version.js')).versionCompare(a, b, opts, cmd),
    );
  withGlobals(version.command('check'))
    .description('exit 1 if any version is invalid; prints the invalid ones')
    .argument('<versions...>', 'versions to validate')
    .action(async (versions: string[]) => (await import('./commands/version.js')).versionCheck(versions));

  withGlobals(program.command('keygen'))
    .description(
      'generate a key pair: RSA for packages and indexes (NAME.rsa, NAME.rsa.pub) or ECDSA P-256 for images (NAME.key, NAME.pub)',
    )
    .requiredOption('--name <name>', 'key name (files NAME.rsa and NAME.rsa.pub, or NAME.key and NAME.pub)')
    .option('--type <type>', 'rsa (APK signing) or ecdsa-p256 (cosign-compatible image signing)', 'rsa')
    .option('--out <dir>', 'directory to write the keys to', '.')
    .option('--bits <n>', 'RSA modulus size', '4096')
    .option('--encrypt', 'ecdsa-p256: encrypt NAME.key like cosign with LARDER_PASSWORD or COSIGN_PASSWORD')
    .action(async (opts: { name: string; out: string; bits: string; type: string; encrypt?: boolean }) =>
      (await import('./commands/keygen.js')).keygen(opts),
    );

  const apk = withGlobals(program.command('apk').description('create, inspect and verify APK v2 packages'));
  withGlobals(apk.command('create'), { ownVersion: true })
    .description('package a directory tree as a signed .apk, like abuild/melange')
    .requiredOption('--name <name>', 'package name')
    .requiredOption('--version <version>', 'full version including -rN, e.g. 1.2.3-r0')
    .option('--arch <arch>', 'apk architecture (default: this machine)')
    .option('--origin <origin>', 'source package name (default: --name)')
    .option('--description <text>', 'description', '')
    .option('--license <spdx>', 'SPDX license expression')
    .option('--url <url>', 'upstream URL', '')
    .option('--maintainer <who>', 'maintainer')
    .option('--commit <sha>', 'VCS commit of the recipe')
    .option('--depends <dep>', 'runtime dependency (repeatable)', repeated)
    .option('--provides <name>', 'provided name, e.g. cmd:foo=1.0-r0 (repeatable)', repeated)
    .option('--replaces <name>', 'package whose files this one may overwrite (repeatable)', repeated)
    .option('--install-if <dep>', 'install automatically when these are installed (repeatable)', repeated)
    .option('--provider-priority <n>', 'provider priority for virtual names')
    .option('--owner [uid:gid]', 'keep owners from disk, or set uid:gid for every entry (default root:root)')
    .requiredOption('--from <dir>', 'directory tree to package')
    .requiredOption('--sign-key <key.rsa>', 'RSA private key to sign with')
    .requiredOption('-o, --output <file.apk>', 'package file to write')
    .action(async (opts: Record<string, unknown>) =>
      (await import('./commands/apk-create.js')).apkCreate(opts),
    );
  withGlobals(apk.command('info'))
    .description('print the metadata of a package')
    .argument('<file>', '.apk file')
    .option('--json', 'compact JSON')
    .action(async (file: string, opts: { json?: boolean }) =>
      (await import('./commands/apk-info.js')).apkInfo(file, opts),
    );
  withGlobals(apk.command('contents'))
    .description('list the paths in a package, sorted')
    .argument('<file>', '.apk file')
    .action(async (file: string) => (await import('./commands/apk-info.js')).apkContents(file));
  withGlobals(apk.command('verify'))
    .description('check signatures and hashes: prints OK, BAD or UNTRUSTED per file')
    .argument('<files...>', '.apk files')
    .option('--keyring <path>', 'public key file or directory of keys (repeatable)', repeated)
    .action(async (files: string[], opts: { keyring?: string[] }) =>
      (await import('./commands/apk-verify.js')).apkVerify(files, opts),
    );

  withGlobals(program.command('index'))
    .description('write a signed APKINDEX.tar.gz for packages (merging into an existing index)')
    .argument('<files...>', '.apk files to index')
    .requiredOption('-o, --output <path>', 'index to write, normally REPO/ARCH/APKINDEX.tar.gz')
    .option('--sign-key <key.rsa>', 'RSA private key to sign the index with')
    .option('--rebuild', 'ignore an existing index instead of merging into it')
    .option('--description <text>', 'DESCRIPTION of the index, e.g. a repository version')
    .option(
      '--keyring <path>',
      'also require each package to be signed by one of these keys (repeatable)',
      repeated,
    )
    .action(async (files: string[], opts: Record<string, unknown>) =>
      (await import('./commands/index-cmd.js')).indexCommand(files, opts),
    );

  withGlobals(program.command('resolve'))
    .description('resolve a world of constraints against repositories, as `apk add` would')
    .argument(
      '[constraints...]',
      'world entries: name, name=1.2-r0, name>=1, so:libc.so.6, !name, name@tag ...',
    )
    .option('--repository <repo>', 'repository URL or path, or "@TAG URL" (repeatable)', repeated)
    .option('--keyring <key>', 'public key file, directory or URL (repeatable)', repeated)
    .option('--arch <arch>', 'apk architecture (x86_64, aarch64, ... or amd64, arm64)', repeated)
    .option('--allow-untrusted', 'accept indexes whose signature key is not in the keyring')
    .option('--offline', 'use only the download cache')
    .option(
      '--json',
      'one compact JSON line: {"ok":true,"packages":[[name,version],...]} or {"ok":false,"error":...}',
    )
    .option('--explain', 'with --json, add the structured "problems" of a failure')
    .option('--worlds <file>', 'JSON lines {"world":[...]}: one JSON result line per input line')
    .action(async (constraints: string[], opts: Record<string, unknown>, cmd: Command) =>
      (await import('./commands/resolve.js')).resolveCommand(constraints, opts, cmd),
    );

  withGlobals(program.command('install'))
    .description(
      'install packages into a new root directory with an apk database, like `apk add --root DIR --initdb`',
    )
    .argument('<packages...>', 'world entries: name, name=1.2-r0, name>=1, name@tag ...')
    .requiredOption('--root <dir>', 'root directory to create (must not exist, or be empty)')
    .option('--repository <repo>', 'repository URL or path, or "@TAG URL" (repeatable)', repeated)
    .option('--keyring <key>', 'public key file, directory or URL (repeatable)', repeated)
    .option('--arch <arch>', 'apk architecture (default: this machine)')
    .option('--allow-untrusted', 'accept indexes whose signature key is not in the keyring')
    .option('--offline', 'use only the download cache')
    .action(async (packages: string[], opts: Record<string, unknown>, cmd: Command) =>
      (await import('./commands/install.js')).installCommand(packages, opts, cmd),
    );

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

  withConfigOptions(withGlobals(program.command('lock')))
    .description('resolve an apko image config and write apko.lock.json (apko-compatible)')
    .argument('<config>', 'image config (apko YAML)')
    .requiredOption('-o, --output <file>', 'lock file to write, e.g. apko.lock.json')
    .action(async (config: string, opts: Record<string, unknown>, cmd: Command) =>
      (await import('./commands/lock.js')).lockCommand(config, opts, cmd),
    );

  const recipe = withGlobals(
    program.command('recipe').description('melange-compatible recipes: check and compile'),
  );
  withGlobals(recipe.command('lint'))
    .description('compile each recipe (nothing runs): OK FILE or FAIL FILE: error per recipe')
    .argument('<recipes...>', 'recipe files (melange YAML)')
    .option(
      '--pipeline-dir <dir>',
      'directory of pipelines for uses:, searched before the built-ins (repeatable)',
      repeated,
    )
    .option('--arch <arch>', 'build architecture (default: this machine)')
    .option(
      '--json',
      'one JSON line per recipe: {"file":...,"ok":true} or {"file":...,"ok":false,"error":...}',
    )
    .action(async (files: string[], opts: { pipelineDir?: string[]; json?: boolean; arch?: string }) =>
      (await import('./commands/recipe-lint.js')).recipeLint(files, opts),
    );
  withGlobals(recipe.command('plan'))
    .description('compile recipes to build plans: one recipe prints its plan, several print OK/FAIL lines')
    .argument('<recipes...>', 'recipe files (melange YAML)')
    .option(
      '--pipeline-dir <dir>',
      'directory of pipelines for uses:, searched before the built-ins (repeatable)',
      repeated,
    )
    .option('--arch <arch>', 'build architecture (default: this machine)')
    .option('--json', 'one recipe: its plan as JSON; several: one JSON line per recipe')
    .action(async (files: string[], opts: { pipelineDir?: string[]; json?: boolean; arch?: string }) =>
      (await import('./commands/recipe-plan.js')).recipePlan(files, opts),
    );
  withGlobals(recipe.command('test'))
    .description(
      "run a recipe's test sections against the built packages: OK NAME or FAIL NAME: STEP: REASON",
    )
    .argument('<recipe>', 'recipe file (melange YAML)')
    .option(
      '--repository <repo>',
      'repository of the packages under test and their test environment (repeatable)',
      repeated,
    )
    .option('--keyring <key>', 'keys trusted for those repositories (repeatable)', repeated)
    .option('--repository-append <repo>', 'the same as --repository, as melange spells it', repeated)
    .option('--keyring-append <key>', 'the same as --keyring, as melange spells it', repeated)
    .option('--arch <arch>', 'architecture tested (default: this machine)')
    .option('--runner <runner>', 'bubblewrap (guest root from the test environment) or host', 'bubblewrap')
    .option(
      '--pipeline-dir <dir>',
      'directory of pipelines for uses:, searched before the built-ins (repeatable)',
      repeated,
    )
    .option('--source-dir <dir>', 'copied into each test workspace first (default: an empty workspace)')
    .option('--allow-untrusted', 'accept repository indexes not signed by the keyring')
    .action(async (file: string, opts: Record<string, unknown>, cmd: Command) =>
      (await import('./commands/recipe-test.js')).recipeTestCommand(file, opts, cmd),
    );
  withGlobals(recipe.command('bump'))
    .description(
      'set package.version, reset the epoch and refresh the checksums and commits of the sources it changes, in place',
    )
    .argument('<recipe>', 'recipe file (melange YAML)')
    .argument('<version>', 'the new upstream version')
    .option(
      '--pipeline-dir <dir>',
      'directory of pipelines for uses:, searched before the built-ins (repeatable)',
      repeated,
    )
    .option('--arch <arch>', 'architecture the source URIs are computed for (default: this machine)')
    .action(async (file: string, version: string, opts: Record<string, unknown>, cmd: Command) =>
      (await import('./commands/recipe-bump.js')).recipeBumpCommand(file, version, opts, cmd),
    );

  const buildCommand = withGlobals(program.command('build'))
    .description('build the packages of a melange recipe in a sandbox and publish them into REPO/ARCH/')
    .argument('<recipe>', 'recipe file (melange YAML)')
    .requiredOption('--out-dir <repo>', 'repository root: packages and APKINDEX.tar.gz go to REPO/ARCH/');
  withRecipeBuildOptions(buildCommand, 'one').action(
    async (recipe: string, opts: Record<string, unknown>, cmd: Command) =>
      (await import('./commands/build.js')).buildCommand(recipe, opts, cmd),
  );

  withGlobals(program.command('graph'))
    .description('the build graph of a recipe directory: each recipe in build order with its dependencies')
    .argument('<dir>', 'directory of recipes (*.yaml)')
    .option('--json', 'compact JSON: {order, recipes}')
    .option('--dot', 'Graphviz DOT')
    .option('--arch <arch>', 'architecture the recipes are compiled for (default: this machine)')
    .option('--pipeline-dir <dir>', 'directory of pipelines for uses: (repeatable)', repeated)
    .action(async (dir: string, opts: Record<string, unknown>) =>
      (await import('./commands/graph.js')).graphCommand(dir, opts),
    );

  const buildAllCommand = withGlobals(program.command('build-all'))
    .description('build every recipe of a directory in dependency order into REPO, skipping published ones')
    .argument('<dir>', "directory of recipes (*.yaml); DIR/NAME/ is NAME's source dir")
    .requiredOption('--out-dir <repo>', 'repository root: packages and APKINDEX.tar.gz go to REPO/ARCH/')
    .option('-j, --jobs <n>', 'build up to N recipes at once', '1');
  withRecipeBuildOptions(buildAllCommand, 'all').action(
    async (dir: string, opts: Record<string, unknown>, cmd: Command) =>
      (await import('./commands/build-all.js')).buildAllCommand(dir, opts, cmd),
  );

  registerCatalogCommands(program);
  registerScanCommands(program);
  registerDockerBuild(program);
  registerDockerConvert(program);
  registerAdvisoryCommands(program);
  registerVulnDbCommands(program);

  withGlobals(program.command('init'))
    .description('create a working factory workspace in DIR (new or empty) from the examples, with new keys')
    .argument('<dir>', 'workspace directory to create')
    .action(async (dir: string, opts: unknown, cmd: Command) =>
      (await import('./commands/init.js')).initCommand(dir, opts, cmd),
    );
  const workspace = withGlobals(program.command('workspace').description('factory workspaces (larder.yaml)'));
  withGlobals(workspace.command('check'))
    .description('load a workspace: summary, then every problem at file:line:col (exit 1 if any)')
    .argument('<dir>', 'workspace directory (holding larder.yaml)')
    .option('--json', 'one JSON object: the loaded workspace and its problems')
    .action(async (dir: string, opts: { json?: boolean }) =>
      (await import('./commands/workspace-check.js')).workspaceCheck(dir, opts),
    );
  withGlobals(program.command('serve'))
    .description('run the factory over a workspace and serve its API, repository, metrics and dashboard')
    .requiredOption('--workspace <dir>', 'the workspace (larder.yaml)')
    .option(
      '--database <url>',
      'the state store: a file, or postgres://... (default DIR/.larder/state.sqlite)',
    )
    .option('--listen <host:port>', 'address to serve on', '127.0.0.1:8080')
    .option('--concurrency <n>', 'jobs run at once in this process (0: none, workers run them)', '2')
    .action(
      async (
        opts: { workspace: string; database?: string; listen: string; concurrency: string },
        cmd: Command,
      ) => (await import('./commands/serve.js')).serveCommand(opts, cmd),
    );
  const token = withGlobals(
    program.command('token').description('API tokens of larder serve (writes, private reads)'),
  );
  const tokenStore = (c: Command) =>
    withGlobals(c)
      .option(
        '--workspace <dir>',
        'the workspace whose default store (DIR/.larder/state.sqlite) holds the tokens',
      )
      .option('--database <url>', 'the store larder serve uses (instead of --workspace)');
  tokenStore(token.command('create'))
    .description('create a token and print it on stdout (shown once)')
    .requiredOption('--name <name>', 'who or what uses it')
    .option('--scope <scope>', 'a scope (repeatable; default write; none: read-only)', repeated)
    .action(async (opts: { workspace?: string; database?: string; name: string; scope?: string[] }) =>
      (await import('./commands/token.js')).tokenCreate(opts),
    );
  tokenStore(token.command('list'))
    .description('list tokens: id, name, scopes, created, last used (never secrets)')
    .option('--json', 'one JSON array')
    .action(async (opts: { workspace?: string; database?: string; json?: boolean }) =>
      (await import('./commands/token.js')).tokenList(opts),
    );
  tokenStore(token.command('revoke'))
    .description('revoke a token by id')
    .argument('<id>', 'the token id (12 hex digits, as listed)')
    .action(async (id: string, opts: { workspace?: string; database?: string }) =>
      (await import('./commands/token.js')).tokenRevoke(id, opts),
    );
  withGlobals(program.command('worker'))
    .description('run factory jobs from a PostgreSQL store on this machine, uploading packages to the server')
    .requiredOption(
      '--database <url>',
      "the server's store (postgres://...): its pg-boss queue carries the jobs",
    )
    .requiredOption('--server <url>', 'the larder server packages are uploaded to (http://host:port)')
    .option(
      '--token-env <var>',
      'environment variable holding an API token with the write scope',
      'LARDER_TOKEN',
    )
    .option('--kinds <kinds>', 'job kinds to take, comma-separated (build, compose, rescan, update-check)')
    .option('--concurrency <n>', 'jobs run at once', '1')
    .option('--workspace <dir>', 'the workspace checkout (the same as the server runs from)', '.')
    .option('--lease <seconds>', "a job's lease: a killed worker's job is taken again after it", '60')
    .action(async (opts: Record<string, string>, cmd: Command) =>
      (await import('./commands/worker.js')).workerCommand(opts, cmd),
    );
  return program;
}

/**
 * The options `build` and `build-all` share (`all`: worded for every recipe of a directory);
 * `build` alone has `--source-dir`, since build-all takes DIR/NAME/.
 */
function withRecipeBuildOptions(command: Command, scope: 'one' | 'all'): Command {
  const one = scope === 'one';
  const env = one ? "the recipe's environment" : "each recipe's environment";
  command
    .option('--sign-key <key.rsa>', 'RSA private key signing the packages and the index')
    .option('--signing-key <key.rsa>', 'the same, as melange spells it')
    .option('--arch <arch>', 'build architecture (default: this machine)')
    .option('--runner <runner>', 'bubblewrap (guest root from environment.contents) or host', 'bubblewrap')
    .option(
      '--pipeline-dir <dir>',
      one
        ? 'directory of pipelines for uses:, searched before the built-ins (repeatable)'
        : 'directory of pipelines for uses: (repeatable)',
      repeated,
    );
  if (one)
    command.option('--source-dir <dir>', "copied into the workspace first (default: the recipe's directory)");
  return command
    .option('--repository <repo>', `added to ${env} repositories (repeatable)`, repeated)
    .option('--keyring <key>', `added to ${env} keyring (repeatable)`, repeated)
    .option('--repository-append <repo>', 'the same as --repository, as melange spells it', repeated)
    .option('--keyring-append <key>', 'the same as --keyring, as melange spells it', repeated)
    .option('--package-append <pkg>', `added to ${env} packages (repeatable)`, repeated)
    .option(
      '--build-option <name>',
      one
        ? "enable the recipe's options.<name> (repeatable)"
        : 'enable options.<name> of the recipes (repeatable)',
      repeated,
    )
    .option(
      '--empty-workspace',
      one
        ? 'start from an empty workspace (nothing copied from the source dir)'
        : 'start every build from an empty workspace',
    )
    .option('--cache-dir <dir>', 'bound read-write at /var/cache/melange in the sandbox')
    .option('--namespace <name>', 'SBOM supplier and purl namespace (melange --namespace)')
    .option('--allow-untrusted', 'accept guest repository indexes not signed by the keyring');
}
