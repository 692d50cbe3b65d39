import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, copyFile, lstat, mkdir, readdir, readlink, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { larder } from '../kit/cli.js';
import { tempDir } from '../kit/paths.js';

// What package install scripts would have done, done natively (busybox applet links and
// /etc/ld.so.cache) and checked against the real thing: a glibc-style image with the host's
// libc, a library only ld.so.cache can find, and a stand-in busybox that prints its applet name.
// Glibc's own `ldconfig` (libc-bin) is the oracle for the cache, glibc's loader runs it under
// bubblewrap. Needs gcc, libc6-dev (static glibc), ldconfig, umoci and bwrap.
const GREETING = 'hello through ld.so.cache';
const LIBC = '/usr/lib/x86_64-linux-gnu/libc.so.6';
const LOADER = '/lib64/ld-linux-x86-64.so.2';

function ok(r: { status: number; stdout: string; stderr: string }, what: string): string {
  expect(r.status, `${what}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** `ldconfig -p` lines as `name (flags) => path`, in cache order. */
function printCache(file: string): string[] {
  const out = execFileSync('ldconfig', ['-p', '-C', file], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.startsWith('\t'))
    .map((l) => l.trim());
}

function bwrap(rootfs: string, args: string[], extra: string[] = []) {
  const root = process.getuid?.() === 0;
  return spawnSync(
    'bwrap',
    [
      '--bind',
      rootfs,
      '/',
      ...extra,
      '--proc',
      '/proc',
      '--dev',
      '/dev',
      '--unshare-all',
      '--die-with-parent',
      ...(root ? ['--cap-drop', 'ALL'] : []),
      '--',
      ...args,
    ],
    { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } },
  );
}

describe('busybox links and ld.so.cache in a built image', () => {
  let dir: string;
  let rootfs: string;

  beforeAll(async () => {
    dir = await tempDir('larder-native-');
    const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: dir, stdio: 'pipe' });
    const put = async (path: string, from: string, mode = 0o755) => {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await copyFile(from, join(dir, path));
      await chmod(join(dir, path), mode);
    };
    const link = async (path: string, target: string) => {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await symlink(target, join(dir, path));
    };
    const text = async (path: string, content: string) => {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    };

    await text('greet.c', `const char *greet(void) { return "${GREETING}"; }\n`);
    await text(
      'hello.c',
      '#include <stdio.h>\nconst char *greet(void);\nint main(void) { puts(greet()); return 0; }\n',
    );
    await text(
      'busybox.c',
      '#include <stdio.h>\n#include <string.h>\nint main(int c, char **v) { const char *s = strrchr(v[0], 47); puts(s ? s + 1 : v[0]); return 0; }\n',
    );
    sh('gcc', ['-shared', '-fPIC', '-Wl,-soname,libgreet.so.1', '-o', 'cc-libgreet.so.1.0.0', 'greet.c']);
    sh('gcc', ['-o', 'cc-hello', 'hello.c', '-L.', '-l:cc-libgreet.so.1.0.0']);
    sh('gcc', ['-static', '-O2', '-o', 'cc-busybox', 'busybox.c']);

    // glibc-ish: the host's libc and loader, ld.so.conf naming a directory only the cache knows.
    await put('glibc/usr/lib/libc.so.6', LIBC);
    await put('glibc/usr/lib/ld-linux-x86-64.so.2', LOADER);
    await link('glibc/lib64', 'usr/lib');
    await text('glibc/etc/ld.so.conf', 'include /etc/ld.so.conf.d/*.conf\n');
    await text('glibc/etc/ld.so.conf.d/libc.conf', '/usr/lib\n/opt/greet/lib\n');
    await put('greet/opt/greet/lib/libgreet.so.1.0.0', join(dir, 'cc-libgreet.so.1.0.0'));
    await link('greet/opt/greet/lib/libgreet.so.1', 'libgreet.so.1.0.0');
    await link('greet/opt/greet/lib/libgreet.so', 'libgreet.so.1');
    await put('greet/usr/bin/hello', join(dir, 'cc-hello'));
    await put('busybox/bin/busybox', join(dir, 'cc-busybox'));
    await text(
      'busybox/etc/busybox-paths.d/busybox',
      '/bin/busybox\n/bin/ls\n/usr/bin/env\n/sbin/ifconfig\n',
    );
    await mkdir(join(dir, 'busybox', 'usr', 'bin'), { recursive: true });

    const cli = (args: string[]) => larder(args, { cwd: dir, env: { SOURCE_DATE_EPOCH: '1700000000' } });
    ok(cli(['keygen', '--name', 'test', '--out', 'keys', '--bits', '2048']), 'keygen');
    await mkdir(join(dir, 'repo', 'x86_64'), { recursive: true });
    const packages = [
      ['glibc', '2.36-r0'],
      ['greet', '1.0.0-r0'],
      ['busybox', '1.36.1-r3'],
    ];
    for (const [name, version] of packages) {
      const out = join('repo', 'x86_64', `${name}-${version}.apk`);
      const args = ['apk', 'create', '--name', name!, '--version', version!, '--arch', 'x86_64'];
      ok(
        cli([...args, '--from', name!, '--sign-key', join('keys', 'test.rsa'), '-o', out]),
        `apk create ${name}`,
      );
    }
    const apks = (await readdir(join(dir, 'repo', 'x86_64'))).map((n) => join('repo', 'x86_64', n));
    const index = join('repo', 'x86_64', 'APKINDEX.tar.gz');
    ok(cli(['index', '--sign-key', join('keys', 'test.rsa'), '-o', index, ...apks]), 'index');
    await text(
      'config.yaml',
      [
        'contents:',
        `  keyring: [${join(dir, 'keys', 'test.rsa.pub')}]`,
        `  repositories: [${join(dir, 'repo')}]`,
        '  packages: [glibc, greet, busybox]',
        'archs: [x86_64]',
        '',
      ].join('\n'),
    );
    ok(
      cli(['image', 'build', 'config.yaml', '-o', 'out', '-t', 'native:1', '--state-dir', 'state']),
      'image build',
    );
    execFileSync(
      'umoci',
      ['unpack', '--rootless', '--image', `${join(dir, 'out')}:native:1`, join(dir, 'bundle')],
      {
        stdio: 'pipe',
      },
    );
    rootfs = join(dir, 'bundle', 'rootfs');
  }, 120_000);

  it('writes the cache ldconfig writes for the same tree: same names, flags, paths and order', () => {
    const ours = printCache(join(rootfs, 'etc', 'ld.so.cache'));
    expect(ours).toContain('libgreet.so.1 (libc6,x86-64) => /opt/greet/lib/libgreet.so.1');
    execFileSync('ldconfig', ['-X', '-r', rootfs, '-C', '/tmp/oracle.cache'], { stdio: 'pipe' });
    const oracle = printCache(join(rootfs, 'tmp', 'oracle.cache'));
    expect(oracle.length).toBeGreaterThanOrEqual(4);
    // apko scans /lib first, and lists what every scanned directory holds; here /lib holds no library.
    expect(ours).toEqual(oracle);
  });

  it("lets glibc's loader find a library only the cache knows, and fails without it", () => {
    const run = bwrap(rootfs, ['/usr/bin/hello']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`${GREETING}\n`);
    const without = bwrap(rootfs, ['/usr/bin/hello'], ['--ro-bind', '/dev/null', '/etc/ld.so.cache']);
    expect(without.status).not.toBe(0);
    expect(without.stderr).toMatch(/libgreet\.so\.1: cannot open shared object file/);
  });

  it('links the applets of /etc/busybox-paths.d/busybox to /bin/busybox, and they run as busybox does', async () => {
    for (const path of ['bin/ls', 'usr/bin/env', 'sbin/ifconfig']) {
      expect((await lstat(join(rootfs, path))).isSymbolicLink(), path).toBe(true);
      expect(await readlink(join(rootfs, path))).toBe('/bin/busybox');
    }
    expect((await lstat(join(rootfs, 'bin', 'busybox'))).isFile()).toBe(true);
    const run = bwrap(rootfs, ['/usr/bin/env']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('env\n');
  });
});
