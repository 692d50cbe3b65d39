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
 * busybox-static as `busybox`, a small `hello` package (`/usr/bin/hello`, `/etc/hello.conf`,
 * depends on busybox), `clash` and `override` (each another `/etc/hello.conf`; `override`
 * replaces hello) made by `larder apk create`, the public key in `keys/`, `images/base.yaml` (busybox only) and
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
  const create = (name: string, from: string, extra: string[]) =>
    run(dir, [
      ...['apk', 'create', '--name', name, '--version', '1.0-r0', '--arch', ARCH, '--from', from],
      ...['--license', 'MIT', ...extra, '--sign-key', KEY, '-o', join(apks, `${name}-1.0-r0.apk`)],
    ]);
  create('hello', tree, ['--depends', 'busybox']);
  // Two packages shipping /etc/hello.conf too: one without `replaces` (a conflict), one with.
  for (const [name, text] of [
    ['clash', 'clash\n'],
    ['override', 'override\n'],
  ] as const) {
    const t = join(dir, `${name}-tree`);
    await mkdir(join(t, 'etc'), { recursive: true });
    await writeFile(join(t, 'etc', 'hello.conf'), text);
    create(name, t, name === 'override' ? ['--replaces', 'hello'] : []);
  }
  const packages = ['busybox-1.35.0-r0', 'hello-1.0-r0', 'clash-1.0-r0', 'override-1.0-r0'];
  const index = join(apks, 'APKINDEX.tar.gz');
  run(dir, ['index', '--sign-key', KEY, '-o', index, ...packages.map((p) => join(apks, `${p}.apk`))]);
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
