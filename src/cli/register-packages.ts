import type { Command } from 'commander';
import { repeated, withGlobals } from './program.js';

/**
 * `larder version`, `keygen`, `apk create|info|contents|verify`, `index`, `resolve` and `install`:
 * the APK format and repositories.
 */
export function registerPackageCommands(program: Command): void {
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
}
