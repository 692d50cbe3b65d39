import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseInstalledDb } from '../../src/apk/index.js';
import { apkAdd } from '../../src/dockerfile/apk-add/index.js';
import { resolveBaseImage } from '../../src/dockerfile/base/index.js';
import { extractLayer } from '../../src/image/index.js';
import { platformFor, writeOciLayout } from '../../src/oci/index.js';
import { createFileFetcher } from '../../src/repo/index.js';
import { ARCH, dockerfileWorkspace, EPOCH } from '../unit/dockerfile/base/workspace.js';

// A native `RUN apk add hello` on a busybox image composed by larder, checked with the real
// tools: the image (base layers + the apk layer) is accepted by skopeo and umoci, the unpacked
// root holds both packages' databases, and the added script runs under bubblewrap with the
// image's own busybox shell.

let dir: string;
let layout: string;

beforeAll(async () => {
  dir = await dockerfileWorkspace('larder-df-apk-add-it-');
  const fetcher = createFileFetcher();
  const stateDir = join(dir, 'state');
  const base = await resolveBaseImage('larder:images/base.yaml', {
    contextDir: dir,
    arch: ARCH,
    fetcher,
    stateDir,
    workDir: join(dir, 'work'),
    sourceDateEpoch: EPOCH,
  });
  const root = join(dir, 'root');
  for (const layer of base.layers)
    await extractLayer(createReadStream((layer as { blobPath: string }).blobPath).pipe(createGunzip()), root);
  const added = await apkAdd({
    root,
    packages: ['hello'],
    repositories: base.repositories,
    keys: base.keys,
    arch: ARCH,
    fetcher,
    stateDir,
    blobsDir: join(dir, 'work', 'blobs'),
    sourceDateEpoch: EPOCH,
  });
  const { rootfs: _, architecture: __, os: ___, ...config } = base.config;
  layout = join(dir, 'app');
  await writeOciLayout(layout, {
    refName: 'app',
    images: [
      {
        platform: platformFor(ARCH),
        config: { ...config, history: [...(config.history ?? []), { created_by: 'RUN apk add hello' }] },
        layers: [
          ...base.layers,
          {
            digest: added.layer.digest,
            size: added.layer.size,
            diffId: added.layer.diffId,
            blobPath: added.layer.path,
          },
        ],
      },
    ],
  });
}, 180_000);

describe('RUN apk add, natively, checked with skopeo, umoci and bwrap', () => {
  it('skopeo inspects the image; umoci unpacks it; the added command runs under bwrap', async () => {
    const inspect = JSON.parse(
      execFileSync('skopeo', ['inspect', `oci:${layout}:app`], { encoding: 'utf8' }),
    );
    expect(inspect.Layers).toHaveLength(2);
    const bundle = join(dir, 'bundle');
    execFileSync('umoci', ['unpack', '--image', `${layout}:app`, bundle], { stdio: 'pipe' });
    const rootfs = join(bundle, 'rootfs');
    const db = parseInstalledDb(
      await readFile(join(rootfs, 'usr/lib/apk/db/installed'), 'utf8'),
      'installed',
    );
    expect(db.map((p) => p.record.name)).toEqual(['busybox', 'hello']);
    expect(await readFile(join(rootfs, 'etc/apk/world'), 'utf8')).toMatch(/^hello$/m);
    const r = spawnSync(
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
        '--',
        '/usr/bin/hello',
      ],
      { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello from apk add\n');
    expect(r.status).toBe(0);
  }, 60_000);
});
