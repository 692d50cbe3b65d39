import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOciLayout } from '../../src/oci/index.js';
import { apkoWorkspace } from '../kit/apko-workspace.js';
import { larder } from '../kit/cli.js';

// `larder image inspect` on what `larder image build` writes for apko's own test config (its
// ./testdata rebuilt in a temp folder from ../shared/fixtures, as image-build.test.ts does).

interface Inspected {
  index: string;
  ref?: string;
  images: {
    platform: string;
    manifest: string;
    config: string;
    created: string;
    entrypoint?: string[];
    layers: { digest: string; size: number; diffId: string; uncompressedSize: number }[];
    packages: [string, string][];
  }[];
}

describe('larder image inspect', () => {
  it('reports per-platform digests, layers and the installed packages of a built layout', async () => {
    const dir = await apkoWorkspace();
    const built = larder(
      [
        'image',
        'build',
        'apko.yaml',
        '-o',
        'out',
        '-t',
        'larder/test:latest',
        '--state-dir',
        join(dir, 'state'),
      ],
      { cwd: dir, env: { SOURCE_DATE_EPOCH: '1700000000' } },
    );
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);

    const r = larder(['image', 'inspect', 'out', '--json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    const got = JSON.parse(r.stdout) as Inspected;

    const layout = await readOciLayout(join(dir, 'out'));
    const entry = layout.entries.find((e) => e.index)!;
    expect(got.index).toBe(built.stdout.trim());
    expect(got.index).toBe(entry.descriptor.digest);
    expect(got.ref).toBe('larder/test:latest');
    expect(got.images.map((i) => i.platform).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    for (const img of got.images) {
      const want = entry.images.find((i) => i.descriptor.digest === img.manifest)!;
      expect(want).toBeDefined();
      expect(img.config).toBe(want.manifest.config.digest);
      expect(img.created).toBe(want.config.created);
      expect(img.created).toBe('2023-11-14T22:13:20Z');
      expect(img.entrypoint).toEqual(['/bin/sh', '-l']);
      expect(img.layers.map((l) => [l.digest, l.size])).toEqual(
        want.manifest.layers.map((l) => [l.digest, l.size]),
      );
      expect(img.layers.map((l) => l.diffId)).toEqual(want.config.rootfs.diff_ids);
      for (const l of img.layers) expect(l.uncompressedSize).toBeGreaterThan(l.size);
      const names = img.packages.map(([name]) => name);
      expect(names).toEqual(expect.arrayContaining(['replayout', 'pretend-baselayout']));
      for (const [, version] of img.packages) expect(version).toMatch(/^\d.*-r\d+$/);
    }

    const text = larder(['image', 'inspect', join(dir, 'out')]);
    expect(text.stderr).toBe('');
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`index: ${got.index}`);
    for (const img of got.images) {
      expect(text.stdout).toContain(`${img.platform}\n  manifest:   ${img.manifest}`);
      expect(text.stdout).toContain(`  config:     ${img.config}`);
    }
    expect(text.stdout).toMatch(/^ {4}replayout 1\.0\.0-r0$/m);
    expect(text.stdout).toMatch(/^ {4}pretend-baselayout 1\.0\.0-r0$/m);
  });

  it('a target that is neither a layout nor a reference is a usage error; an unreachable registry fails', () => {
    const r = larder(['image', 'inspect', 'No Such Dir!', '--json']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^larder: USAGE: 'No Such Dir!' is neither an OCI layout directory nor an image reference/,
    );
    const down = larder(['image', 'inspect', '127.0.0.1:9/app:1', '--json']);
    expect(down.status).toBe(2);
    expect(down.stdout).toBe('');
    expect(down.stderr).toMatch(/larder: FETCH_FAILED: .*127\.0\.0\.1:9\/v2\/app\/manifests\/1/);
  });

  it('an altered layer blob is reported, not trusted', async () => {
    const dir = await apkoWorkspace();
    const built = larder(
      ['image', 'build', 'apko.yaml', '-o', 'out', '--arch', 'x86_64', '--state-dir', join(dir, 'state')],
      { cwd: dir },
    );
    expect(built.status).toBe(0);
    const layout = await readOciLayout(join(dir, 'out'));
    const layer = layout.entries[0]!.images[0]!.manifest.layers[0]!;
    const path = join(dir, 'out', 'blobs', 'sha256', layer.digest.slice('sha256:'.length));
    const bytes = await readFile(path);
    const at = bytes.length - 20;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
    await writeFile(path, bytes);
    const r = larder(['image', 'inspect', 'out'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^larder: [A-Z_]+: .*blobs\/sha256\/[0-9a-f]{64}: /);
  });
});
