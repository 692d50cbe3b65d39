import { chmod, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostApkArch } from '../../../../src/apk/index.js';
import { busyboxRepository } from '../../../kit/busybox-repo.js';
import { larder } from '../../../kit/cli.js';
import { own, tempDir } from '../../../kit/paths.js';

export const ARCH = hostApkArch();
export const KEY = own('keys', 'larder-test.rsa');
export const EPOCH = 1700000000;

/**
 * A build context for the FROM and `apk add` tests: `guest-repo/` (signed) with Debian's
 * busybox-static as `busybox` and a small `hello` package (`/usr/bin/hello`, `/etc/hello.conf`)
 * made by `larder apk create`, the public key in `keys/`, `images/base.yaml` (busybox only) and
 * `base-layout/`, the OCI layout `larder image build` makes of it (tag `base:latest`).
 */
export async function dockerfileWorkspace(prefix: string): Promise<string> {
  const dir = await tempDir(prefix);
  const repo = await busyboxRepository(dir, ARCH, KEY);
  const tree = join(dir, 'hello-tree');
  await mkdir(join(tree, 'usr', 'bin'), { recursive: true });
  await mkdir(join(tree, 'etc'), { recursive: true });
  await writeFile(join(tree, 'usr', 'bin', 'hello'), '#!/bin/sh\necho hello from apk add\n');
  await chmod(join(tree, 'usr', 'bin', 'hello'), 0o755);
  await writeFile(join(tree, 'etc', 'hello.conf'), 'greeting=hello\n');
  const apks = join(repo, ARCH);
  const steps = [
    [
      'apk',
      'create',
      '--name',
      'hello',
      '--version',
      '1.0-r0',
      '--arch',
      ARCH,
      '--from',
      tree,
      '--license',
      'MIT',
    ].concat(['--depends', 'busybox', '--sign-key', KEY, '-o', join(apks, 'hello-1.0-r0.apk')]),
    ['index', '--sign-key', KEY, '-o', join(apks, 'APKINDEX.tar.gz')].concat([
      join(apks, 'busybox-1.35.0-r0.apk'),
      join(apks, 'hello-1.0-r0.apk'),
    ]),
  ];
  for (const args of steps) run(dir, args);
  await mkdir(join(dir, 'keys'));
  await copyFile(`${KEY}.pub`, join(dir, 'keys', 'larder-test.rsa.pub'));
  await mkdir(join(dir, 'images'));
  await writeFile(
    join(dir, 'images', 'base.yaml'),
    [
      'contents:',
      '  keyring:',
      '    - ./keys/larder-test.rsa.pub',
      '  repositories:',
      '    - ./guest-repo',
      '  packages:',
      '    - busybox',
      'archs:',
      `  - ${ARCH}`,
      '',
    ].join('\n'),
  );
  run(dir, ['image', 'build', 'images/base.yaml', '-o', 'base-layout', '-t', 'base:latest']);
  return dir;
}

/** `larder ARGS` in `dir` with its own state directory and a fixed SOURCE_DATE_EPOCH; throws on failure. */
export function run(dir: string, args: readonly string[]): string {
  const r = larder([...args, '--state-dir', join(dir, 'state')], {
    cwd: dir,
    env: { SOURCE_DATE_EPOCH: String(EPOCH) },
  });
  if (r.status !== 0) throw new Error(`larder ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
