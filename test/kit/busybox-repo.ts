import { execFileSync } from 'node:child_process';
import { chmod, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { larder } from './cli.js';

/**
 * A signed guest repository holding one package, `busybox`: Debian's busybox-static binary
 * (`/bin/busybox`, from the busybox-static package .ci/run installs) with its applet list,
 * packaged by `larder apk create` and indexed by `larder index`. Returns the repository root.
 */
export async function busyboxRepository(dir: string, arch: string, key: string): Promise<string> {
  const tree = join(dir, 'busybox-tree');
  await mkdir(join(tree, 'bin'), { recursive: true });
  await mkdir(join(tree, 'etc', 'busybox-paths.d'), { recursive: true });
  await copyFile('/bin/busybox', join(tree, 'bin', 'busybox'));
  await chmod(join(tree, 'bin', 'busybox'), 0o755);
  const applets = execFileSync('/bin/busybox', ['--list-full'], { encoding: 'utf8' });
  await writeFile(join(tree, 'etc', 'busybox-paths.d', 'busybox'), applets);
  const repo = join(dir, 'guest-repo');
  await mkdir(join(repo, arch), { recursive: true });
  const apk = join(repo, arch, 'busybox-1.35.0-r0.apk');
  const steps = [
    ['apk', 'create', '--name', 'busybox', '--version', '1.35.0-r0', '--arch', arch, '--from', tree].concat([
      '--license',
      'GPL-2.0-only',
      '--sign-key',
      key,
      '-o',
      apk,
    ]),
    ['index', '--sign-key', key, '-o', join(repo, arch, 'APKINDEX.tar.gz'), apk],
  ];
  for (const args of steps) {
    const r = larder(args);
    if (r.status !== 0) throw new Error(`larder ${args.join(' ')}: ${r.stderr}`);
  }
  return repo;
}
