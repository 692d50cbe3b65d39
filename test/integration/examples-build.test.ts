import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readApkPackage } from '../../src/apk/index.js';
import { larder } from '../kit/cli.js';
import { CLI, own, ROOT, tempDir } from '../kit/paths.js';

// examples/build end to end (issue 5 §5/§6): deterministic source tarballs, the host's toolchain
// packaged as host-toolchain, build-all with the default runner (bwrap over a root made of
// packages from the repository being built), the emitted so: dependencies, an image of the result
// unpacked by umoci and its entrypoint run under bwrap. x86_64 Debian only (host-toolchain.sh asks
// dpkg; host-libc holds x86_64 glibc). Needs gcc, make, libc6-dev, bubblewrap and umoci.
const KEY = own('keys', 'larder-test.rsa');
const EXAMPLES = join(ROOT, 'examples', 'build');
const APKS = ['base-layout', 'host-libc', 'libgreet', 'libgreet-dev', 'greet'].map(
  (n) => `${n}-1.0.0-r0.apk`,
);

let dir: string;
beforeAll(async () => {
  dir = await tempDir('larder-examples-build-');
  await cp(EXAMPLES, join(dir, 'tree'), { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function ok(r: { status: number; stdout: string; stderr: string }, what: string): string {
  expect(r.status, `${what}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

function buildAll(out: string): string {
  return ok(
    larder(
      ['build-all', 'recipes', '--out-dir', out, '--sign-key', KEY, '--state-dir', join(dir, 'state'), '-q'],
      {
        cwd: join(dir, 'tree'),
      },
    ),
    'build-all',
  );
}

describe.runIf(process.arch === 'x64')('examples/build', () => {
  it('builds the tree, the image of it runs greet, and a second build is byte-identical', async () => {
    const tree = join(dir, 'tree');
    const repo = join(dir, 'repo');
    const pkg = (name: string) => readApkPackage(join(repo, 'x86_64', `${name}-1.0.0-r0.apk`));
    execFileSync('sh', ['make-sources.sh', 'sources'], { cwd: tree, stdio: 'pipe' });

    const toolchain = join(repo, 'x86_64', 'host-toolchain-1.0.0-r0.apk');
    execFileSync('sh', ['host-toolchain.sh', repo, KEY], {
      cwd: tree,
      stdio: 'pipe',
      env: { ...process.env, LARDER: `node ${CLI}` },
    });
    const tc = await pkg('host-toolchain');
    expect(tc.files.map((f) => f.path)).toEqual(
      expect.arrayContaining(['usr/bin/gcc', 'usr/bin/make', 'usr/bin/sh']),
    );
    const built = buildAll(repo)
      .trim()
      .split('\n')
      .map((p) => p.slice(p.lastIndexOf('/') + 1));
    expect([...built].sort()).toEqual([...APKS].sort());
    // libgreet before greet: the environment's libgreet-dev orders them.
    expect(built.indexOf('libgreet-1.0.0-r0.apk')).toBeLessThan(built.indexOf('greet-1.0.0-r0.apk'));

    const greet = await pkg('greet');
    expect(greet.pkginfo.depend).toContain('so:libgreet.so.1');
    expect(greet.pkginfo.depend).toContain('so:libc.so.6');
    expect(greet.files.map((f) => f.path)).toContain('usr/bin/greet');
    const lib = await pkg('libgreet');
    expect(lib.pkginfo.provides).toContain('so:libgreet.so.1=1');
    expect(lib.files.map((f) => f.path)).toContain('usr/lib/libgreet.so.1');
    const dev = await pkg('libgreet-dev');
    expect(dev.files.map((f) => f.path)).toEqual(
      expect.arrayContaining(['usr/include/greet.h', 'usr/lib/libgreet.so']),
    );
    const libc = await pkg('host-libc');
    expect(libc.pkginfo.provides).toContain('so:libc.so.6=6');

    const digest = ok(
      larder(
        [
          'image',
          'build',
          'image.yaml',
          '--repository-append',
          repo,
          '--keyring-append',
          `${KEY}.pub`,
          '-o',
          join(dir, 'oci'),
          '-t',
          'greet:1',
          '--state-dir',
          join(dir, 'state'),
          '-q',
        ],
        { cwd: tree },
      ),
      'image build',
    );
    expect(digest.trim()).toMatch(/^sha256:[0-9a-f]{64}$/);

    const bundle = join(dir, 'bundle');
    execFileSync('umoci', ['unpack', '--rootless', '--image', `${join(dir, 'oci')}:greet:1`, bundle], {
      stdio: 'pipe',
    });
    const rootfs = join(bundle, 'rootfs');
    const installed = await readFile(join(rootfs, 'lib', 'apk', 'db', 'installed'), 'utf8');
    for (const name of ['base-layout', 'greet', 'libgreet', 'host-libc']) {
      expect(installed).toMatch(new RegExp(`^P:${name}$`, 'm'));
    }
    expect(installed).not.toMatch(/^P:libgreet-dev$/m);
    const args: string[] = JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8')).process.args;
    expect(args).toEqual(['/usr/bin/greet']);
    const root = process.getuid?.() === 0;
    const run = spawnSync(
      'bwrap',
      [
        ...['--bind', rootfs, '/', '--proc', '/proc', '--dev', '/dev', '--unshare-all', '--die-with-parent'],
        ...(root ? ['--cap-drop', 'ALL'] : []),
        '--',
        ...args,
      ],
      { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('hello, world, from libgreet\n');

    // The same tree built again into another repository gives the same bytes.
    // Its builds install host-toolchain from that repository, so it gets the same one.
    const again = join(dir, 'repo-again');
    await mkdir(join(again, 'x86_64'), { recursive: true });
    await cp(toolchain, join(again, 'x86_64', 'host-toolchain-1.0.0-r0.apk'));
    ok(
      larder([
        'index',
        '--sign-key',
        KEY,
        '-o',
        join(again, 'x86_64', 'APKINDEX.tar.gz'),
        join(again, 'x86_64', 'host-toolchain-1.0.0-r0.apk'),
        '-q',
      ]),
      'index',
    );
    buildAll(again);
    for (const name of APKS) {
      const a = await readFile(join(repo, 'x86_64', name));
      const b = await readFile(join(again, 'x86_64', name));
      expect(b.equals(a), name).toBe(true);
    }
  }, 300_000);
});
