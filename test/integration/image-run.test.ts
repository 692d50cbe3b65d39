import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { larder } from '../kit/cli.js';
import { shared, tempDir } from '../kit/paths.js';

// A runnable image (issue 4 §5): a static hello binary built with the host's gcc, packaged,
// indexed and signed by larder, composed with the melange-test packages from a second
// repository, unpacked by umoci and run under bubblewrap. Needs gcc, libc6-dev (static glibc),
// umoci and bubblewrap.
const HELLO = 'hello from a larder image';

function ok(r: { status: number; stdout: string; stderr: string }, what: string): string {
  expect(r.stderr, what).toBe('');
  expect(r.status, `${what}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

describe('a runnable image', () => {
  it('packages a static binary, composes it with another repository, and its entrypoint prints hello under bwrap', async () => {
    const dir = await tempDir('larder-run-');
    const cli = (args: string[]) => larder(args, { cwd: dir });

    await writeFile(
      join(dir, 'hello.c'),
      `#include <stdio.h>\nint main(void) { puts("${HELLO}"); return 0; }\n`,
    );
    execFileSync('gcc', ['-static', '-O2', '-o', 'hello', 'hello.c'], { cwd: dir, stdio: 'pipe' });
    await mkdir(join(dir, 'tree', 'usr', 'bin'), { recursive: true });
    await copyFile(join(dir, 'hello'), join(dir, 'tree', 'usr', 'bin', 'hello'));
    await chmod(join(dir, 'tree', 'usr', 'bin', 'hello'), 0o755);

    ok(cli(['keygen', '--name', 'test', '--out', 'keys', '--bits', '2048']), 'keygen');
    const repo = join(dir, 'repo');
    await mkdir(join(repo, 'x86_64'), { recursive: true });
    ok(
      cli([
        'apk',
        'create',
        '--name',
        'hello',
        '--version',
        '1.0.0-r0',
        '--arch',
        'x86_64',
        '--from',
        'tree',
        '--sign-key',
        join('keys', 'test.rsa'),
        '-o',
        join(repo, 'x86_64', 'hello-1.0.0-r0.apk'),
      ]),
      'apk create',
    );
    const apks = (await readdir(join(repo, 'x86_64'))).filter((n) => n.endsWith('.apk'));
    ok(
      cli([
        'index',
        '--sign-key',
        join('keys', 'test.rsa'),
        '-o',
        join(repo, 'x86_64', 'APKINDEX.tar.gz'),
        ...apks.map((n) => join(repo, 'x86_64', n)),
      ]),
      'index',
    );

    await writeFile(
      join(dir, 'config.yaml'),
      [
        'contents:',
        '  keyring:',
        `    - ${join(dir, 'keys', 'test.rsa.pub')}`,
        `    - ${shared('keys', 'melange', 'melange.rsa.pub')}`,
        '  repositories:',
        `    - ${repo}`,
        `    - ${shared('repo', 'melange-test')}`,
        '  packages:',
        '    - hello',
        '    - pretend-baselayout',
        'entrypoint:',
        '  command: /usr/bin/hello',
        'archs: [x86_64]',
        '',
      ].join('\n'),
    );
    const digest = ok(
      cli(['image', 'build', 'config.yaml', '-o', 'out', '-t', 'hello:1', '--state-dir', join(dir, 'state')]),
      'image build',
    );
    expect(digest.trim()).toMatch(/^sha256:[0-9a-f]{64}$/);

    const bundle = join(dir, 'bundle');
    execFileSync('umoci', ['unpack', '--rootless', '--image', `${join(dir, 'out')}:hello:1`, bundle], {
      stdio: 'pipe',
    });
    const rootfs = join(bundle, 'rootfs');
    const installed = await readFile(join(rootfs, 'lib', 'apk', 'db', 'installed'), 'utf8');
    expect(installed).toMatch(/^P:hello$/m);
    expect(installed).toMatch(/^P:pretend-baselayout$/m);

    // Run what the image says to run (umoci's runtime config carries the entrypoint).
    const runtime = JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8'));
    const args: string[] = runtime.process.args;
    expect(args).toEqual(['/usr/bin/hello']);
    const root = process.getuid?.() === 0;
    const run = spawnSync(
      'bwrap',
      [
        '--bind',
        rootfs,
        '/',
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
    expect(run.error).toBeUndefined();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${HELLO}\n`);
  });
});
