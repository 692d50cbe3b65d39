// The rootfs engine with real peers: RUN in bubblewrap over a directory holding Debian's
// busybox-static, the diff as a layer, and umoci reading the layout made of those layers.
import { execFileSync } from 'node:child_process';
import {
  chmod,
  copyFile,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTar } from '../../src/archive/index.js';
import { isLarderError } from '../../src/core/index.js';
import {
  applyLayers,
  diffToLayer,
  type RunInRootfsOptions,
  type RunLine,
  runInRootfs,
  snapshotTree,
} from '../../src/dockerfile/rootfs/index.js';
import { platformFor, writeOciLayout } from '../../src/oci/index.js';

const APPLETS = ['sh', 'rm', 'id', 'ip', 'ls', 'cat', 'env', 'sleep', 'mkdir', 'touch', 'chown', 'stat'];
const ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root' };

let work: string;

beforeAll(async () => {
  // Searchable by others: a USER other than root reaches the rootfs with its own ids.
  work = await mkdtemp(join(tmpdir(), 'df-rootfs-'));
  await chmod(work, 0o755);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

let count = 0;

/** A rootfs with /bin/busybox and its applets as symlinks, /etc/passwd with an `app` user, and /b. */
async function busyboxRoot(): Promise<string> {
  const root = join(work, `root${count++}`);
  await mkdir(join(root, 'bin'), { recursive: true });
  await mkdir(join(root, 'etc'));
  await copyFile('/bin/busybox', join(root, 'bin/busybox'));
  await chmod(join(root, 'bin/busybox'), 0o755);
  for (const applet of APPLETS) await symlink('busybox', join(root, 'bin', applet));
  await writeFile(
    join(root, 'etc/passwd'),
    'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n',
  );
  await writeFile(join(root, 'etc/group'), 'root:x:0:\napp:x:1000:\nstaff:x:50:app\n');
  await writeFile(join(root, 'b'), 'to be deleted');
  return root;
}

async function run(
  root: string,
  argv: string[],
  extra: Partial<RunInRootfsOptions> = {},
): Promise<RunLine[]> {
  const lines: RunLine[] = [];
  await runInRootfs(root, { argv, env: ENV, workdir: '/', onLine: (l) => lines.push(l), ...extra });
  return lines;
}

const stdout = (lines: RunLine[]) => lines.filter((l) => l.stream === 'stdout').map((l) => l.text);

describe('runInRootfs (bubblewrap)', () => {
  it('turns a RUN into a layer: the new file and a whiteout, no mount points', async () => {
    const root = await busyboxRoot();
    const before = await snapshotTree(root);
    await run(root, ['/bin/sh', '-c', 'echo hi > /a; rm /b']);
    const diff = await diffToLayer(before, root, { blobsDir: join(work, 'blobs') });
    expect(diff?.added).toEqual(['a']);
    expect(diff?.deleted).toEqual(['b']);
    const entries = readTar(gunzipSync(await readFile(diff!.layer.path)));
    expect(entries.map((e) => e.header.name)).toEqual(['.wh.b', 'a']);
    expect(entries[1]!.data.toString()).toBe('hi\n');
    // /proc and /dev were made for the run and removed; /etc/hosts was never written.
    expect((await readdir(root)).sort()).toEqual(['a', 'bin', 'etc']);
    expect((await readdir(join(root, 'etc'))).sort()).toEqual(['group', 'passwd']);
  });

  it('leaves no trace when the command changes nothing', async () => {
    const root = await busyboxRoot();
    const before = await snapshotTree(root);
    await run(root, [
      '/bin/sh',
      '-c',
      'cat /etc/hosts /etc/resolv.conf >/dev/null; ls /proc/self >/dev/null',
    ]);
    expect(await diffToLayer(before, root, { blobsDir: join(work, 'blobs') })).toBeUndefined();
  });

  it('has no network but loopback, unless asked', async () => {
    const root = await busyboxRoot();
    const links = (lines: RunLine[]) => stdout(lines).map((l) => l.split(':')[1]!.trim().split('@')[0]!);
    expect(links(await run(root, ['ip', '-o', 'link']))).toEqual(['lo']);
    const host = (await readdir('/sys/class/net')).sort();
    expect(links(await run(root, ['ip', '-o', 'link'], { network: true })).sort()).toEqual(host);
  });

  it('passes the environment given (and PWD), stdin, and the working directory', async () => {
    const root = await busyboxRoot();
    const env = { PATH: '/bin', ONE: 'a b', TWO: 'é' };
    // bwrap exports PWD after its --chdir, as a shell would; nothing of larder's environment leaks.
    expect(stdout(await run(root, ['env'], { env })).sort()).toEqual([
      'ONE=a b',
      'PATH=/bin',
      'PWD=/',
      'TWO=é',
    ]);
    expect(stdout(await run(root, ['cat'], { stdin: 'line 1\nline 2' }))).toEqual(['line 1', 'line 2']);
    expect(stdout(await run(root, ['sh', '-c', 'pwd'], { workdir: '/srv/app' }))).toEqual(['/srv/app']);
    expect((await stat(join(root, 'srv/app'))).isDirectory()).toBe(true);
  });

  it('binds extra host paths for the run only', async () => {
    const root = await busyboxRoot();
    const src = join(work, 'bind-src');
    await mkdir(src, { recursive: true });
    await writeFile(join(src, 'data'), 'from the host');
    const before = await snapshotTree(root);
    const lines = await run(
      root,
      ['sh', '-c', 'cat /mnt/src/data; echo; touch /mnt/src/no 2>&1 || echo read-only'],
      {
        extraBinds: [{ source: src, dest: '/mnt/src', readOnly: true }],
      },
    );
    expect(stdout(lines)).toEqual([
      'from the host',
      'touch: /mnt/src/no: Read-only file system',
      'read-only',
    ]);
    expect(await diffToLayer(before, root, { blobsDir: join(work, 'blobs') })).toBeUndefined();
    expect(await readdir(src)).toEqual(['data']);
  });

  it('runs as USER with real ids: files owned by them, a missing workdir made for them', async () => {
    const root = await busyboxRoot();
    await chmod(root, 0o777);
    const lines = await run(root, ['sh', '-c', 'id -u; id -g; touch /by-app; touch $HOME-x'], {
      user: 'app',
      workdir: '/home/app',
    });
    expect(stdout(lines)).toEqual(['1000', '1000']);
    for (const path of ['by-app', 'home/app'])
      expect([(await lstat(join(root, path))).uid, (await lstat(join(root, path))).gid]).toEqual([
        1000, 1000,
      ]);
    expect(stdout(await run(root, ['sh', '-c', 'id -u; id -g'], { user: '1000:staff' }))).toEqual([
      '1000',
      '50',
    ]);
    expect(stdout(await run(root, ['sh', '-c', 'id -u; id -g'], { user: '4242' }))).toEqual(['4242', '0']);
    await expect(run(root, ['id'], { user: 'nobody-here' })).rejects.toThrow(
      /unable to find user nobody-here/,
    );
  });

  it('lets a root RUN chown to any id (Docker’s capabilities, no user namespace)', async () => {
    const root = await busyboxRoot();
    await run(root, ['sh', '-c', 'touch /owned; chown 1234:5678 /owned']);
    const st = await lstat(join(root, 'owned'));
    expect([st.uid, st.gid]).toEqual([1234, 5678]);
  });

  it('fails a non-zero exit with DOCKERFILE_STEP_FAILED, its status and last stderr lines', async () => {
    const root = await busyboxRoot();
    const err = await run(root, ['sh', '-c', 'echo first >&2; echo "it broke" >&2; exit 3']).catch(
      (e: unknown) => e,
    );
    expect(isLarderError(err) && err.code).toBe('DOCKERFILE_STEP_FAILED');
    expect((err as Error).message).toMatch(/failed with exit status 3:\nfirst\nit broke$/);
    const killed = await run(root, ['sh', '-c', 'kill -9 $$']).catch((e: unknown) => e);
    expect((killed as Error).message).toMatch(/killed by signal 9/);
    const missing = await run(root, ['/usr/bin/nope', 'x']).catch((e: unknown) => e);
    expect(isLarderError(missing) && missing.code).toBe('DOCKERFILE_STEP_FAILED');
    expect((missing as Error).message).toMatch(/executable \/usr\/bin\/nope not found in the image/);
    expect((await readdir(root)).sort()).toEqual(['b', 'bin', 'etc']);
  });

  it('kills the whole sandbox when aborted', async () => {
    const root = await busyboxRoot();
    const controller = new AbortController();
    const started = Date.now();
    const running = run(root, ['sh', '-c', 'sleep 60 & sleep 60; echo never'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    const err = await running.catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/was cancelled/);
    expect(Date.now() - started).toBeLessThan(10_000);
    const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes(root));
    expect(left).toEqual([]);
    expect((await readdir(root)).sort()).toEqual(['b', 'bin', 'etc']);
  });

  it('refuses a USER that cannot reach the rootfs, saying why', async () => {
    const hidden = join(work, 'hidden');
    await mkdir(hidden, { mode: 0o700 });
    const root = join(hidden, 'root');
    await mkdir(root);
    await copyFile('/bin/busybox', join(root, 'busybox'));
    await expect(
      runInRootfs(root, {
        argv: ['/busybox', 'true'],
        env: ENV,
        workdir: '/',
        user: '1000',
        onLine: () => {},
      }),
    ).rejects.toThrow(/cannot reach the rootfs .*hidden is not searchable/);
  });
});

describe('runInRootfs without root', () => {
  it('maps the USER to larder’s own ids in a user namespace', async () => {
    const root = await busyboxRoot();
    execFileSync('chown', ['-R', '1000:1000', root]);
    const script = join(work, 'as-user.mts');
    const module = join(process.cwd(), 'src/dockerfile/rootfs/index.ts');
    await writeFile(
      script,
      `import { runInRootfs } from ${JSON.stringify(module)};
const lines: string[] = [];
await runInRootfs(${JSON.stringify(root)}, {
  argv: ['sh', '-c', 'id -u; touch /made'],
  env: { PATH: '/bin' },
  workdir: '/',
  onLine: (l) => lines.push(l.text),
});
console.log(JSON.stringify(lines));
`,
    );
    const out = execFileSync(
      'setpriv',
      [
        '--reuid',
        '1000',
        '--regid',
        '1000',
        '--clear-groups',
        join(process.cwd(), 'node_modules/.bin/tsx'),
        script,
      ],
      { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work } },
    );
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual(['0']);
    const st = await lstat(join(root, 'made'));
    expect([st.uid, st.gid]).toEqual([1000, 1000]);
    expect((await readdir(root)).sort()).toEqual(['b', 'bin', 'etc', 'made']);
  });
});

describe('layers of RUN steps, read by umoci', () => {
  it('unpacks base + RUN layers: the whiteout hides the deleted file', async () => {
    const root = await busyboxRoot();
    const blobs = join(work, 'umoci-blobs');
    const empty = join(work, 'empty');
    await mkdir(empty);
    // The base layer is the whole tree: a diff against an empty directory.
    const base = (await diffToLayer(await snapshotTree(empty), root, { blobsDir: blobs }))!;
    expect(base.added.length).toBeGreaterThan(APPLETS.length);
    const baseLayer = base.layer;
    const before = await snapshotTree(root);
    await run(root, ['sh', '-c', 'mkdir -p /opt/d; echo x > /opt/d/f; rm /b /bin/stat']);
    const step = (await diffToLayer(before, root, { blobsDir: blobs }))!.layer;
    const layout = join(work, 'layout');
    await writeOciLayout(layout, {
      images: [
        {
          platform: platformFor('x86_64'),
          config: { created: '2024-01-01T00:00:00Z', config: { Cmd: ['/bin/sh'] } },
          layers: [baseLayer, step].map((l) => ({ ...l, blobPath: l.path })),
        },
      ],
      refName: 'test',
    });
    const bundle = join(work, 'bundle');
    execFileSync('umoci', ['unpack', '--image', `${layout}:test`, bundle], { stdio: 'pipe' });
    const unpacked = join(bundle, 'rootfs');
    expect(await readFile(join(unpacked, 'opt/d/f'), 'utf8')).toBe('x\n');
    await expect(lstat(join(unpacked, 'b'))).rejects.toThrow(/ENOENT/);
    await expect(lstat(join(unpacked, 'bin/stat'))).rejects.toThrow(/ENOENT/);
    expect((await lstat(join(unpacked, 'bin/sh'))).isSymbolicLink()).toBe(true);
    // The same layers applied by larder give the same tree.
    const again = join(work, 'again');
    await applyLayers(
      [baseLayer, step].map((l) => ({ blobPath: l.path, mediaType: l.mediaType })),
      again,
    );
    const names = async (dir: string) => [...(await snapshotTree(dir)).entries.keys()].sort();
    expect(await names(again)).toEqual(await names(root));
    expect(await names(unpacked)).toEqual(await names(root));
  });
});
