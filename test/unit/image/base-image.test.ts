import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { basePins, stackOnBase } from '../../../src/image/base/on-base.js';
import { readBaseImage } from '../../../src/image/base/read-base-image.js';
import { type ImageInput, platformFor, writeLayerBlob, writeOciLayout } from '../../../src/oci/index.js';
import { tempDir } from '../../kit/paths.js';
import { helloTar } from '../oci/helpers.js';
import { rejection } from './helpers.js';

const INSTALLED =
  'P:base-files\nV:1.0-r0\nA:x86_64\nC:Q1m6wB0UFePGN8Drz82pC8y2uAiu8=\nF:etc\nR:hello\n\nP:busybox\nV:1.36-r2\n\n';

/** A layout with one amd64 image of two layers, and metadata/x86_64/APKINDEX. */
async function baseLayout(installed = INSTALLED): Promise<{ dir: string; image: ImageInput }> {
  const dir = await tempDir('larder-base-');
  const layers = [];
  for (const text of ['one', 'two']) {
    const blob = await writeLayerBlob([helloTar(text)], { blobsDir: join(dir, 'staging') });
    layers.push({ ...blob, blobPath: blob.path });
  }
  const image: ImageInput = {
    platform: platformFor('x86_64'),
    config: {
      created: '2024-01-01T00:00:00Z',
      config: { Env: ['PATH=/bin'], Entrypoint: ['/bin/sh'] },
      history: [{ created_by: 'a' }, { created_by: 'b' }],
    },
    layers,
  };
  await writeOciLayout(join(dir, 'base'), { images: [image], refName: 'base' });
  await mkdir(join(dir, 'base', 'metadata', 'x86_64'), { recursive: true });
  await writeFile(join(dir, 'base', 'metadata', 'x86_64', 'APKINDEX'), installed);
  return { dir, image };
}

const options = (dir: string, arch = 'x86_64') => ({
  image: join(dir, 'base'),
  apkindex: join(dir, 'base', 'metadata'),
  arch,
});

describe('readBaseImage', () => {
  it("reads the arch's layers (same digests) and installed packages", async () => {
    const { dir, image } = await baseLayout();
    const base = await readBaseImage(options(dir));
    expect(base.layers.map((l) => l.digest)).toEqual(image.layers.map((l) => l.digest));
    expect(base.layers.map((l) => l.diffId)).toEqual(image.layers.map((l) => l.diffId));
    expect(base.installed.map((p) => p.record.name)).toEqual(['base-files', 'busybox']);
    expect(basePins(base)).toEqual(['base-files=1.0-r0', 'busybox=1.36-r2']);
    expect(basePins(undefined)).toEqual([]);
  });

  it('refuses a directory that is no layout, naming it', async () => {
    const { dir } = await baseLayout();
    const err = await rejection(readBaseImage({ ...options(dir), image: join(dir, 'missing') }), 'NOT_FOUND');
    expect(err.message).toContain(join(dir, 'missing'));
  });

  it('refuses an arch the base does not have, naming what it has', async () => {
    const { dir } = await baseLayout();
    const err = await rejection(readBaseImage(options(dir, 'aarch64')), 'CONFIG_INVALID');
    expect(err.message).toMatch(/no arm64 image for aarch64 \(it has amd64\)/);
  });

  it('refuses a missing or malformed APKINDEX, naming its path', async () => {
    const { dir } = await baseLayout();
    const missing = await rejection(
      readBaseImage({ ...options(dir), apkindex: join(dir, 'none') }),
      'NOT_FOUND',
    );
    expect(missing.message).toContain(join(dir, 'none', 'x86_64', 'APKINDEX'));
    const broken = await baseLayout('F:etc\nP:late\nV:1\n');
    const err = await rejection(readBaseImage(options(broken.dir)), 'INSTALLED_DB_INVALID');
    expect(err.message).toContain('APKINDEX');
  });

  it('refuses a layout whose blobs were altered', async () => {
    const { dir, image } = await baseLayout();
    const layer = image.layers[0]!;
    await writeFile(join(dir, 'base', 'blobs', 'sha256', layer.digest.slice(7)), 'tampered');
    await rejection(readBaseImage(options(dir)), 'CONFIG_INVALID');
  });
});

describe('stackOnBase', () => {
  it("puts the base's layers and history first and its config under the image's", async () => {
    const { dir } = await baseLayout();
    const base = await readBaseImage(options(dir));
    const own = await writeLayerBlob([helloTar('top')], { blobsDir: join(dir, 'staging') });
    const image: ImageInput = {
      platform: platformFor('x86_64'),
      config: {
        created: '2025-01-01T00:00:00Z',
        config: { Cmd: ['x'] },
        history: [{ created_by: 'larder' }],
      },
      layers: [{ ...own, blobPath: own.path }],
    };
    const stacked = stackOnBase(base, image);
    expect(stacked.layers.map((l) => l.digest)).toEqual([...base.layers.map((l) => l.digest), own.digest]);
    expect(stacked.config?.history?.map((h) => h.created_by)).toEqual(['a', 'b', 'larder']);
    expect(stacked.config?.config).toEqual({ Env: ['PATH=/bin'], Entrypoint: ['/bin/sh'], Cmd: ['x'] });
    expect(stacked.config?.created).toBe('2025-01-01T00:00:00Z');
    expect(stackOnBase(undefined, image)).toBe(image);
    const noHistory = stackOnBase(
      { ...base, config: { ...base.config, history: [{ created_by: 'a' }] } },
      image,
    );
    expect(noHistory.config?.history).toBeUndefined();
  });
});
