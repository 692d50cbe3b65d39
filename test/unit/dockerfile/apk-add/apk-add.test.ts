import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip, gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseInstalledDb } from '../../../../src/apk/index.js';
import { readTar } from '../../../../src/archive/index.js';
import { LarderError } from '../../../../src/core/index.js';
import { type ApkAddOptions, apkAdd } from '../../../../src/dockerfile/apk-add/index.js';
import { resolveBaseImage, type StageBase } from '../../../../src/dockerfile/base/index.js';
import { extractLayer } from '../../../../src/image/index.js';
import { platformFor, writeOciLayout } from '../../../../src/oci/index.js';
import { createFileFetcher } from '../../../../src/repo/index.js';
import { catalogTarget } from '../../../../src/vuln/index.js';
import { ARCH, dockerfileWorkspace, EPOCH } from '../base/workspace.js';

let dir: string;
let base: StageBase;
let n = 0;

/** A fresh stage root holding the base image (one layer), and apkAdd's options for it. */
async function stage(extra: Partial<ApkAddOptions> = {}): Promise<ApkAddOptions> {
  const root = join(dir, 'roots', String(++n));
  const layer = base.layers[0]!;
  await mkdir(join(dir, 'roots'), { recursive: true });
  await extractLayer(createReadStream((layer as { blobPath: string }).blobPath).pipe(createGunzip()), root);
  return {
    root,
    packages: ['hello'],
    installed: base.installed,
    repositories: base.repositories,
    keys: base.keys,
    arch: ARCH,
    fetcher: createFileFetcher(),
    stateDir: join(dir, 'state'),
    blobsDir: join(dir, 'blobs', String(n)),
    sourceDateEpoch: EPOCH,
    ...extra,
  };
}

async function layerNames(path: string): Promise<string[]> {
  return readTar(gunzipSync(await readFile(path))).map((e) => e.header.name);
}

async function failure(extra: Partial<ApkAddOptions>): Promise<LarderError> {
  const err = await apkAdd(await stage(extra)).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(LarderError);
  return err as LarderError;
}

beforeAll(async () => {
  dir = await dockerfileWorkspace('larder-df-apk-add-');
  base = await resolveBaseImage('./base-layout', {
    contextDir: dir,
    arch: ARCH,
    fetcher: createFileFetcher(),
    stateDir: join(dir, 'state'),
    workDir: join(dir, 'work'),
  });
  expect(base.layers).toHaveLength(1);
}, 120_000);

describe('apkAdd', () => {
  it('adds a package to a busybox image: one layer of the new files and the database, applied to the root', async () => {
    const options = await stage();
    const result = await apkAdd(options);
    const names = await layerNames(result.layer.path);
    expect(names).toContain('usr/bin/hello');
    expect(names).toContain('etc/hello.conf');
    expect(names).toContain('usr/lib/apk/db/installed');
    expect(names).toContain('etc/apk/world');
    // Nothing the image already had, unchanged: not busybox, its links, the keys or repositories.
    for (const old of [
      'bin/busybox',
      'bin/sh',
      'etc/apk/repositories',
      'etc/apk/keys/larder-test.rsa.pub',
      'lib/apk',
    ])
      expect(names).not.toContain(old);
    expect(names.every((n) => !n.startsWith('etc/apk/keys/'))).toBe(true);
    expect(result.layer.size).toBeLessThan(4096);
    // The database: old records then the new one, parsed back; the same as what the root holds.
    const db = await readFile(join(options.root, 'usr/lib/apk/db/installed'), 'utf8');
    const parsed = parseInstalledDb(db, 'installed');
    expect(parsed.map((p) => p.record.name)).toEqual(['busybox', 'hello']);
    expect(result.installed.map((p) => p.record.name)).toEqual(['busybox', 'hello']);
    expect(parsed[0]!.files).toEqual(base.installed[0]!.files);
    expect(parsed[1]!.files.flatMap((d) => d.files.map((f) => `${d.path}/${f.name}`)).sort()).toEqual([
      'etc/hello.conf',
      'usr/bin/hello',
    ]);
    const world = await readFile(join(options.root, 'etc/apk/world'), 'utf8');
    expect(world).toBe(`${result.world.join('\n')}\n`);
    expect(result.world).toContain('hello');
    expect(result.world).toEqual([...result.world].sort());
    expect(result.added.map((a) => `${a.name}-${a.version}`)).toEqual(['hello-1.0-r0']);
    expect(result.added[0]!.url).toContain('hello-1.0-r0.apk');
    expect(result.added[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Applied: later RUN and COPY steps see the file, with its mode.
    const hello = await stat(join(options.root, 'usr/bin/hello'));
    expect(hello.mode & 0o777).toBe(0o755);
    expect(await readFile(join(options.root, 'usr/bin/hello'), 'utf8')).toContain('hello from apk add');

    // The image with the new layer on top: the catalog lists the added package.
    const image = join(dir, 'with-hello');
    await writeOciLayout(image, {
      images: [
        {
          platform: platformFor(ARCH),
          layers: [
            ...base.layers,
            {
              digest: result.layer.digest,
              size: result.layer.size,
              diffId: result.layer.diffId,
              blobPath: result.layer.path,
            },
          ],
        },
      ],
    });
    const catalog = await catalogTarget(image);
    const apks = catalog.packages
      .filter((p) => p.ecosystem === 'apk')
      .map((p) => p.name)
      .sort();
    expect(apks).toEqual(['busybox', 'hello']);
  });

  it('same inputs give the same layer digest', async () => {
    const a = await apkAdd(await stage());
    const b = await apkAdd(await stage({ installed: undefined as never }));
    expect(b.layer.digest).toBe(a.layer.digest);
    expect(b.layer.diffId).toBe(a.layer.diffId);
  });

  it('a package already installed adds nothing but the world entry', async () => {
    const r = await apkAdd(await stage({ packages: ['busybox'] }));
    expect(r.added).toEqual([]);
    expect(r.installed.map((p) => p.record.name)).toEqual(['busybox']);
    expect(await layerNames(r.layer.path)).toEqual(['etc/apk/world']);
  });

  it('follows replaces: a package replacing an installed one takes its file over', async () => {
    const options = await stage();
    await apkAdd(options);
    const r = await apkAdd({
      ...options,
      packages: ['override'],
      installed: undefined as never,
      blobsDir: join(dir, 'blobs', 'o'),
    });
    expect(await readFile(join(options.root, 'etc/hello.conf'), 'utf8')).toBe('override\n');
    expect(await layerNames(r.layer.path)).toContain('etc/hello.conf');
    const hello = r.installed.find((p) => p.record.name === 'hello')!;
    expect(hello.files.flatMap((d) => d.files.map((f) => `${d.path}/${f.name}`))).toEqual(['usr/bin/hello']);
  });

  it('a file conflict with an installed package is an error naming both and the path', async () => {
    const options = await stage();
    await apkAdd(options);
    const err = await apkAdd({
      ...options,
      packages: ['clash'],
      installed: undefined as never,
      blobsDir: join(dir, 'blobs', 'c'),
    }).catch((e) => e);
    expect(err).toBeInstanceOf(LarderError);
    expect(err.code).toBe('PACKAGE_INVALID');
    expect(err.message).toContain('clash-1.0-r0');
    expect(err.message).toContain('etc/hello.conf');
    expect(err.message).toContain('hello-1.0-r0');
    // Nothing was applied.
    expect(await readFile(join(options.root, 'etc/hello.conf'), 'utf8')).toBe('greeting=hello\n');
  });

  it('an unknown package is UNSATISFIABLE naming it; an upgrade is refused, saying why', async () => {
    const unknown = await failure({ packages: ['no-such-package'] });
    expect(unknown.code).toBe('UNSATISFIABLE');
    expect(unknown.message).toContain('no-such-package');
    const upgrade = await failure({ packages: ['busybox>2'] });
    expect(upgrade.code).toBe('UNSATISFIABLE');
    expect(upgrade.message).toContain('busybox-1.35.0-r0 is installed');
    expect(upgrade.message).toContain('never upgrades');
    expect((await failure({ packages: ['!busybox'] })).code).toBe('UNSATISFIABLE');
    const bad = await failure({ packages: ['=oops'] });
    expect(bad.code).toBe('WORLD_INVALID');
    expect((await failure({ packages: [] })).code).toBe('WORLD_INVALID');
  });

  it("updates Alpine's lib/apk/db when that is where the image keeps its database", async () => {
    const options = await stage();
    await rm(join(options.root, 'lib', 'apk'));
    await rename(join(options.root, 'usr', 'lib', 'apk'), join(options.root, 'lib', 'apk'));
    const r = await apkAdd({ ...options, installed: undefined as never });
    const names = await layerNames(r.layer.path);
    expect(names).toContain('lib/apk/db/installed');
    expect(names.some((n) => n.startsWith('usr/lib/apk'))).toBe(false);
    const db = await readFile(join(options.root, 'lib/apk/db/installed'), 'utf8');
    expect(parseInstalledDb(db, 'installed').map((p) => p.record.name)).toEqual(['busybox', 'hello']);
  });

  it('a malformed installed database in the root is INSTALLED_DB_INVALID', async () => {
    const options = await stage({ installed: undefined as never });
    await writeFile(join(options.root, 'usr/lib/apk/db/installed'), 'P:busybox\nV:\nnot a field\n');
    const err = await apkAdd(options).catch((e) => e);
    expect(err).toBeInstanceOf(LarderError);
    expect(err.code).toBe('INSTALLED_DB_INVALID');
    expect(err.message).toContain('usr/lib/apk/db/installed');
  });

  it('an index signed by a key the stage does not trust is refused', async () => {
    const err = await failure({ keys: [] });
    expect(err.code).toMatch(/^SIGNATURE_UNTRUSTED|REPOSITORY_INVALID$/);
    expect(err.message).toContain('guest-repo');
  });
});
