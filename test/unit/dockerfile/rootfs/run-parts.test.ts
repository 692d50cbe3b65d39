import { lstat, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLarderError } from '../../../../src/core/index.js';
import {
  diffToLayer,
  readStatus,
  resolveInRoot,
  resolveUser,
  sandboxArgs,
  snapshotTree,
} from '../../../../src/dockerfile/rootfs/index.js';
import { prepareMountPoints } from '../../../../src/dockerfile/rootfs/mount-points.js';
import { tempDir } from './helpers.js';

async function imageRoot(): Promise<string> {
  const root = join(await tempDir(), 'root');
  await mkdir(join(root, 'etc'), { recursive: true });
  await writeFile(
    join(root, 'etc/passwd'),
    'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001:App:/home/app:/bin/sh\nbroken line\nnohome:x:7:7::\n',
  );
  await writeFile(join(root, 'etc/group'), 'root:x:0:\nwheel:x:10:app\n');
  return root;
}

describe('resolveUser', () => {
  const cases: Array<[string, { uid: number; gid: number; home: string; name?: string }]> = [
    ['app', { uid: 1000, gid: 1001, home: '/home/app', name: 'app' }],
    ['1000', { uid: 1000, gid: 1001, home: '/home/app', name: 'app' }],
    ['app:wheel', { uid: 1000, gid: 10, home: '/home/app', name: 'app' }],
    ['app:99', { uid: 1000, gid: 99, home: '/home/app', name: 'app' }],
    ['4242', { uid: 4242, gid: 0, home: '/' }],
    ['4242:4243', { uid: 4242, gid: 4243, home: '/' }],
    ['nohome', { uid: 7, gid: 7, home: '/', name: 'nohome' }],
    ['0', { uid: 0, gid: 0, home: '/root', name: 'root' }],
  ];
  for (const [spec, want] of cases)
    it(`resolves ${spec}`, async () => {
      expect(await resolveUser(await imageRoot(), spec)).toEqual(want);
    });

  it('refuses unknown names and bad ids like Docker', async () => {
    const root = await imageRoot();
    for (const [spec, message] of [
      ['ghost', /unable to find user ghost: no matching entries in passwd file/],
      ['app:ghosts', /unable to find group ghosts: no matching entries in group file/],
      ['99999999999', /not a valid id/],
      [':10', /no user/],
    ] as const) {
      const err = await resolveUser(root, spec).catch((e: unknown) => e);
      expect(isLarderError(err) && err.code).toBe('DOCKERFILE_STEP_FAILED');
      expect((err as Error).message).toMatch(message);
    }
  });

  it('reads /etc/passwd through a symlink inside the image, never outside', async () => {
    const root = await imageRoot();
    const outside = join(root, '..', 'passwd');
    await writeFile(outside, 'evil:x:0:0::/:/bin/sh\n');
    await mkdir(join(root, 'alt'));
    await writeFile(join(root, 'alt/passwd'), 'alt:x:5:5::/alt:/bin/sh\n');
    const { rm } = await import('node:fs/promises');
    await rm(join(root, 'etc/passwd'));
    await symlink('../../../../alt/passwd', join(root, 'etc/passwd'));
    expect((await resolveUser(root, 'alt')).uid).toBe(5);
    await expect(resolveUser(root, 'evil')).rejects.toThrow(/unable to find user evil/);
  });
});

describe('resolveInRoot', () => {
  it('resolves symlinks and .. within the root', async () => {
    const root = await imageRoot();
    await mkdir(join(root, 'usr/lib'), { recursive: true });
    await symlink('usr/lib', join(root, 'lib'));
    await symlink('/lib/../../..', join(root, 'up'));
    await symlink('loop', join(root, 'loop'));
    expect(await resolveInRoot(root, '/lib/x/y')).toEqual({ parts: ['usr', 'lib', 'x', 'y'], exists: false });
    expect(await resolveInRoot(root, '/up/etc')).toEqual({ parts: ['etc'], exists: true });
    expect(await resolveInRoot(root, '/etc/../../..')).toEqual({ parts: [], exists: true });
    await expect(resolveInRoot(root, '/loop')).rejects.toThrow(/too many symlinks/);
  });
});

describe('sandboxArgs', () => {
  const plan = {
    root: '/r',
    argv: ['/bin/sh', '-c', 'true'],
    workdir: '/w',
    uid: 0,
    gid: 0,
    privileged: true,
    network: false,
    binds: [{ source: '/etc/hosts', dest: '/etc/hosts', readOnly: true }],
    statusFd: 3,
  };
  it('keeps Docker’s capabilities for a root RUN and no user namespace', () => {
    const args = sandboxArgs(plan);
    expect(args).toContain('--unshare-net');
    expect(args).not.toContain('--unshare-user');
    expect(args.slice(args.indexOf('--cap-drop'), args.indexOf('--cap-drop') + 4)).toEqual([
      '--cap-drop',
      'ALL',
      '--cap-add',
      'CAP_CHOWN',
    ]);
    expect(args.join(' ')).toContain(
      '--bind /r / --proc /proc --dev /dev --ro-bind /etc/hosts /etc/hosts --chdir /w',
    );
    expect(args.slice(-4)).toEqual(['--', '/bin/sh', '-c', 'true']);
  });
  it('maps the ids in a user namespace otherwise, and shares the network when asked', () => {
    const args = sandboxArgs({ ...plan, privileged: false, uid: 1000, gid: 50, network: true });
    expect(args.join(' ')).toContain('--unshare-user --uid 1000 --gid 50');
    expect(args).not.toContain('--unshare-net');
    expect(args).not.toContain('--cap-add');
  });
});

describe('readStatus', () => {
  it('reads bwrap’s status lines', () => {
    expect(readStatus('{ "child-pid": 5 }\n{ "exit-code": 3 }\n')).toEqual({ started: true, exit: 3 });
    expect(readStatus('{ "child-pid": 5 }\n')).toEqual({ started: true, exit: undefined });
    expect(readStatus('garbage\n')).toEqual({ started: false, exit: undefined });
  });
});

describe('prepareMountPoints', () => {
  it('makes missing points, removes them after, and gives parents back their mtimes', async () => {
    const root = await imageRoot();
    const blobs = join(root, '..', 'blobs');
    const before = await snapshotTree(root);
    await symlink('/nowhere', join(root, 'dev'));
    const withLink = await snapshotTree(root);
    const mounts = await prepareMountPoints(root, [
      { path: '/proc', kind: 'dir' },
      { path: '/dev', kind: 'dir' },
      { path: '/etc/hosts', kind: 'file' },
      { path: '/run/a/b', kind: 'dir' },
    ]);
    expect([...mounts.usable].sort()).toEqual(['/etc/hosts', '/proc', '/run/a/b']);
    expect((await lstat(join(root, 'etc/hosts'))).isFile()).toBe(true);
    await mounts.cleanup();
    expect((await readdir(root)).sort()).toEqual(['dev', 'etc']);
    expect(await diffToLayer(withLink, root, { blobsDir: blobs })).toBeUndefined();
    expect((await diffToLayer(before, root, { blobsDir: blobs }))?.added).toEqual(['dev']);
  });

  it('keeps what the command put in a directory made for a mount point', async () => {
    const root = await imageRoot();
    const mounts = await prepareMountPoints(root, [{ path: '/run/x', kind: 'file' }]);
    await writeFile(join(root, 'run/kept'), 'k');
    await mounts.cleanup();
    expect(await readdir(join(root, 'run'))).toEqual(['kept']);
  });
});
