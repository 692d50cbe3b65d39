import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LarderError } from '../../../../src/core/index.js';
import { type BaseOptions, resolveBaseImage } from '../../../../src/dockerfile/base/index.js';
import { readOciLayout } from '../../../../src/oci/index.js';
import { createFileFetcher } from '../../../../src/repo/index.js';
import { ARCH, dockerfileWorkspace, EPOCH, run } from './workspace.js';

let dir: string;

function options(work: string, extra: Partial<BaseOptions> = {}): BaseOptions {
  return {
    contextDir: dir,
    arch: ARCH,
    fetcher: createFileFetcher(),
    stateDir: join(dir, 'state'),
    workDir: join(dir, 'work', work),
    sourceDateEpoch: EPOCH,
    ...extra,
  };
}

async function failure(spec: string, extra: Partial<BaseOptions> = {}): Promise<LarderError> {
  const err = await resolveBaseImage(spec, options('fail', extra)).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(LarderError);
  return err as LarderError;
}

beforeAll(async () => {
  dir = await dockerfileWorkspace('larder-df-base-');
}, 120_000);

describe('resolveBaseImage', () => {
  it('reads an OCI layout written by larder image build: layers, config, installed db, repositories, keys', async () => {
    const layout = await readOciLayout(join(dir, 'base-layout'));
    const image = layout.entries[0]!.images[0]!;
    for (const spec of [
      './base-layout',
      join(dir, 'base-layout'),
      'oci:base-layout',
      'oci:base-layout:base:latest',
    ]) {
      const base = await resolveBaseImage(spec, options('layout'));
      expect(base.digest).toBe(image.descriptor.digest);
      expect(base.layers.map((l) => l.digest)).toEqual(image.manifest.layers.map((l) => l.digest));
      expect(base.layers.map((l) => ('blobPath' in l ? l.blobPath : ''))).toEqual(
        image.manifest.layers.map((l) => join(dir, 'base-layout', 'blobs', 'sha256', l.digest.slice(7))),
      );
      expect(base.config).toEqual(image.config);
      expect(base.installed.map((p) => `${p.record.name}-${p.record.version}`)).toEqual([
        'busybox-1.35.0-r0',
      ]);
      expect(
        base.installed[0]!.files.some((d) => d.path === 'bin' && d.files.some((f) => f.name === 'busybox')),
      ).toBe(true);
      // The image's `./guest-repo` line is a local build's path: taken from the context.
      expect(base.repositories).toEqual([join(dir, 'guest-repo')]);
      expect(base.keys.map((k) => k.name)).toEqual(['larder-test.rsa.pub']);
      expect(base.keys[0]!.pem).toContain('BEGIN PUBLIC KEY');
      expect(base.sources).toEqual([]);
      expect(base.pinned).toBeUndefined();
    }
  });

  it('composes a larder: config as larder image build does (same digest with absolute paths)', async () => {
    const abs = (await readFile(join(dir, 'images', 'base.yaml'), 'utf8'))
      .replace('./keys/', `${dir}/keys/`)
      .replace('./guest-repo', `${dir}/guest-repo`);
    await writeFile(join(dir, 'images', 'abs.yaml'), abs);
    run(dir, ['image', 'build', 'images/abs.yaml', '-o', 'abs-layout']);
    const image = (await readOciLayout(join(dir, 'abs-layout'))).entries[0]!.images[0]!;
    const base = await resolveBaseImage('larder:images/abs.yaml', options('abs'));
    expect(base.digest).toBe(image.descriptor.digest);
    expect(base.config).toEqual(image.config);
    expect(base.layers.map((l) => l.digest)).toEqual(image.manifest.layers.map((l) => l.digest));
    expect(base.installed.map((p) => p.record.name)).toEqual(['busybox']);
    expect(base.sources.map((s) => `${s.name}-${s.version}`)).toEqual(['busybox-1.35.0-r0']);
    expect(base.sources[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(base.sbomPackages?.map((p) => p.name)).toEqual(['busybox']);
    // Relative paths in the config are the context's, whatever the process's directory.
    const rel = await resolveBaseImage('larder:images/base.yaml', options('config'));
    expect(rel.installed.map((p) => p.record.name)).toEqual(['busybox']);
    expect(rel.repositories).toEqual([join(dir, 'guest-repo')]);
    expect(rel.keys.map((k) => k.name)).toEqual(['larder-test.rsa.pub']);
    expect(rel.keys[0]!.pem).toContain('BEGIN PUBLIC KEY');
  });

  it('refuses bad specs with errors naming them', async () => {
    const missing = await failure('./no-such-layout');
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain('./no-such-layout');
    const missingConfig = await failure('larder:images/nope.yaml');
    expect(missingConfig.code).toBe('NOT_FOUND');
    expect(missingConfig.message).toContain('nope.yaml');
    await writeFile(join(dir, 'images', 'broken.yaml'), 'contents:\n  packages: 3\narchs: [x86_64]\n');
    const broken = await failure('larder:images/broken.yaml');
    expect(broken.code).toBe('CONFIG_INVALID');
    expect(broken.message).toMatch(/broken\.yaml:2/);
    const tag = await failure('oci:base-layout:nope');
    expect(tag.code).toBe('DOCKERFILE_INVALID');
    expect(tag.message).toContain('no image tagged "nope"');
    expect(tag.message).toContain('base:latest');
    const arch = await failure('./base-layout', { arch: ARCH === 'x86_64' ? 'aarch64' : 'x86_64' });
    expect(arch.code).toBe('DOCKERFILE_INVALID');
    expect(arch.message).toContain('./base-layout');
    const configArch = await failure('larder:images/base.yaml', {
      arch: ARCH === 'x86_64' ? 'aarch64' : 'x86_64',
    });
    expect(configArch.code).toBe('CONFIG_INVALID');
    expect(configArch.message).toContain(`builds ${ARCH}`);
    const bad = await failure('Not A Reference!');
    expect(bad.code).toBe('DOCKERFILE_INVALID');
    expect(bad.message).toContain('"Not A Reference!"');
    for (const spec of ['', 'larder:', 'oci:']) expect((await failure(spec)).code).toBe('DOCKERFILE_INVALID');
    const offline = await failure('alpine:3.20', { offline: true });
    expect(offline.code).toBe('OFFLINE_MISS');
    expect(offline.message).toContain('docker.io/library/alpine:3.20');
  });

  it('a registry that cannot be reached is a FETCH error naming the reference', async () => {
    const err = await failure('127.0.0.1:9/team/app:1.0');
    expect(err.code).toMatch(/^FETCH_/);
    expect(err.message).toContain('FROM 127.0.0.1:9/team/app:1.0');
    await rm(join(dir, 'work', 'fail'), { recursive: true, force: true });
  }, 60_000);
});
