import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LarderError } from '../../src/core/index.js';
import { type BaseOptions, resolveBaseImage } from '../../src/dockerfile/base/index.js';
import { readOciLayout } from '../../src/oci/index.js';
import { createFileFetcher } from '../../src/repo/index.js';
import { type LocalRegistry, startLocalRegistry } from '../kit/registry.js';
import { ARCH, dockerfileWorkspace, run } from '../unit/dockerfile/base/workspace.js';

// FROM a registry image: `larder image push` puts the layout `larder image build` made into
// Debian's docker-registry; resolveBaseImage pulls it back for the arch, pinned by digest.

let dir: string;
let registry: LocalRegistry;

function options(work: string): BaseOptions {
  return {
    contextDir: dir,
    arch: ARCH,
    fetcher: createFileFetcher(),
    stateDir: join(dir, 'state'),
    workDir: join(dir, 'work', work),
  };
}

beforeAll(async () => {
  dir = await dockerfileWorkspace('larder-df-base-registry-');
  registry = await startLocalRegistry();
  run(dir, ['image', 'push', 'base-layout', `${registry.host}/team/base:1.0`]);
}, 180_000);

afterAll(async () => {
  await registry?.stop();
});

describe('FROM a registry reference', () => {
  it('pulls the image for the arch and pins it by digest; the same image by digest reads the same', async () => {
    const layout = await readOciLayout(join(dir, 'base-layout'));
    const top = layout.entries[0]!.descriptor.digest;
    const image = layout.entries[0]!.images.find((i) => i.config.architecture !== undefined)!;
    const base = await resolveBaseImage(`${registry.host}/team/base:1.0`, options('tag'));
    expect(base.pinned).toBe(`${registry.host}/team/base@${top}`);
    expect(base.digest).toBe(image.descriptor.digest);
    expect(base.layers.map((l) => l.digest)).toEqual(image.manifest.layers.map((l) => l.digest));
    expect(base.config.rootfs).toEqual(image.config.rootfs);
    expect(base.installed.map((p) => p.record.name)).toEqual(['busybox']);
    expect(base.keys.map((k) => k.name)).toEqual(['larder-test.rsa.pub']);
    expect(base.repositories).toEqual([join(dir, 'guest-repo')]);
    const pinned = await resolveBaseImage(base.pinned!, options('digest'));
    expect(pinned.digest).toBe(base.digest);
    expect(pinned.pinned).toBe(base.pinned);
  }, 60_000);

  it('a tag the registry does not have is a FETCH error naming the reference', async () => {
    const err = await resolveBaseImage(`${registry.host}/team/base:nope`, options('missing')).catch((e) => e);
    expect(err).toBeInstanceOf(LarderError);
    expect(err.code).toMatch(/^FETCH_/);
    expect(err.message).toContain(`FROM ${registry.host}/team/base:nope`);
  }, 60_000);
});
