import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ImageInput,
  type OCILayoutResult,
  platformFor,
  readOciLayout,
  writeDockerArchive,
  writeLayerBlob,
  writeOciLayout,
} from '../../src/oci/index.js';
import { tempDir } from '../kit/paths.js';
import { helloTar } from '../unit/oci/helpers.js';

// Real peers (Debian packages `umoci` and `skopeo`, installed by .ci/run) read what we write.
function run(command: string, args: string[], cwd?: string): string {
  return execFileSync(command, args, { encoding: 'utf8', cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('OCI layout and docker archive with umoci and skopeo', () => {
  let dir: string;
  let out: string;
  let images: ImageInput[];
  let written: OCILayoutResult;

  beforeAll(async () => {
    dir = await tempDir();
    out = join(dir, 'out');
    images = [];
    for (const arch of ['x86_64', 'aarch64']) {
      const blob = await writeLayerBlob([helloTar(`hello from ${arch}`)], { blobsDir: join(dir, 'staging') });
      images.push({
        platform: platformFor(arch),
        config: { created: '2024-01-01T00:00:00Z', config: { Env: ['PATH=/bin'], Cmd: ['/bin/sh'] } },
        layers: [{ ...blob, blobPath: blob.path }],
      });
    }
    written = await writeOciLayout(out, { images, refName: 'test' });
  });

  it('umoci unpacks each platform (by its per-platform ref name) with the files we wrote', async () => {
    for (const [suffix, arch] of [
      ['amd64', 'x86_64'],
      ['arm64', 'aarch64'],
    ] as const) {
      const bundle = join(dir, `bundle-${suffix}`);
      run('umoci', ['unpack', '--rootless', '--image', `${out}:test-${suffix}`, bundle]);
      expect(await readFile(join(bundle, 'rootfs', 'etc', 'hello'), 'utf8')).toBe(`hello from ${arch}\n`);
      expect(
        run('find', ['.', '-mindepth', '1'], join(bundle, 'rootfs')).split('\n').sort().filter(Boolean),
      ).toEqual(['./bin', './etc', './etc/hello']);
    }
  });

  it('umoci unpacks a single-platform layout by its tag', async () => {
    const single = join(dir, 'single');
    await writeOciLayout(single, { images: [images[0]!], refName: 'only' });
    const bundle = join(dir, 'bundle-single');
    run('umoci', ['unpack', '--rootless', '--image', `${single}:only`, bundle]);
    expect(await readFile(join(bundle, 'rootfs', 'etc', 'hello'), 'utf8')).toBe('hello from x86_64\n');
  });

  it('skopeo inspect reports our index, manifest, config and layer digests', () => {
    const raw = JSON.parse(run('skopeo', ['inspect', '--raw', `oci:${out}:test`]));
    expect(raw.manifests.map((m: { digest: string }) => m.digest)).toEqual(
      written.images.map((i) => i.manifest.digest),
    );
    const inspected = JSON.parse(run('skopeo', ['inspect', '--override-arch', 'arm64', `oci:${out}:test`]));
    expect(inspected.Digest).toBe(written.index.digest);
    expect(inspected.Architecture).toBe('arm64');
    expect(inspected.Layers).toEqual([images[1]!.layers[0]!.digest]);
    const config = JSON.parse(
      run('skopeo', ['inspect', '--config', '--raw', '--override-arch', 'amd64', `oci:${out}:test`]),
    );
    expect(config.rootfs.diff_ids).toEqual([images[0]!.layers[0]!.diffId]);
  });

  it('skopeo copy --all to another layout keeps every digest, and we read the copy back', async () => {
    const other = join(dir, 'other');
    run('skopeo', ['copy', '--all', '--preserve-digests', `oci:${out}:test`, `oci:${other}:copied`]);
    const read = await readOciLayout(other);
    const entry = read.entries.find((e) => e.refName === 'copied')!;
    expect(entry.descriptor.digest).toBe(written.index.digest);
    expect(entry.images.map((i) => i.descriptor.digest)).toEqual(
      written.images.map((i) => i.manifest.digest),
    );
    // The default copy picks this host's platform.
    run('skopeo', ['copy', '--override-arch', 'amd64', `oci:${out}:test`, `oci:${join(dir, 'one')}:x`]);
    const one = await readOciLayout(join(dir, 'one'));
    expect(one.entries[0]!.descriptor.digest).toBe(written.images[0]!.manifest.digest);
  });

  it('skopeo reads our docker archive and its config digest', async () => {
    const file = join(dir, 'image.tar');
    const result = await writeDockerArchive(file, images[0]!, { repoTags: ['larder/hello:1'] });
    const config = JSON.parse(run('skopeo', ['inspect', '--raw', `docker-archive:${file}`]));
    expect(config.config.digest).toBe(result.configDigest);
    const inspected = JSON.parse(run('skopeo', ['inspect', `docker-archive:${file}`]));
    expect(inspected.Architecture).toBe('amd64');
    expect(inspected.Layers).toEqual([images[0]!.layers[0]!.diffId]);
    const bundle = join(dir, 'from-archive');
    run('skopeo', ['copy', `docker-archive:${file}`, `oci:${bundle}:x`]);
    const oci = JSON.parse(run('skopeo', ['inspect', '--raw', `oci-archive:${file}`]));
    expect(oci.config.digest).toBe(result.configDigest);
  });
});
