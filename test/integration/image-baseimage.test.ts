import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOciLayout } from '../../src/oci/index.js';
import { apkoWorkspace } from '../kit/apko-workspace.js';
import { larder } from '../kit/cli.js';
import { shared } from '../kit/paths.js';

// apko's image_on_top.apko.yaml (`contents.baseimage`) built by `larder image build` on a base
// image that larder builds first (pretend-baselayout and an account), with the base's
// installed database written as `metadata/<arch>/APKINDEX`, as apko's testdata has it.

const EPOCH = { SOURCE_DATE_EPOCH: '1700000000' };
const ARCHS = [
  ['amd64', 'x86_64'],
  ['arm64', 'aarch64'],
] as const;

const BASE_YAML = `contents:
  keyring:
    - ./testdata/melange.rsa.pub
  repositories:
    - ./testdata/packages
  packages:
    - pretend-baselayout
accounts:
  users:
    - username: app
      uid: 1000
archs:
  - x86_64
  - aarch64
`;

function run(dir: string, args: string[]) {
  return larder([...args, '--state-dir', join(dir, 'state')], { cwd: dir, env: EPOCH });
}

function unpack(dir: string, layout: string, ref: string): string {
  const bundle = join(dir, `bundle-${layout.replaceAll('/', '_')}-${ref.replaceAll(':', '_')}`);
  execFileSync('umoci', ['unpack', '--image', `${join(dir, layout)}:${ref}`, bundle], { stdio: 'ignore' });
  return join(bundle, 'rootfs');
}

/** A workspace with apko's testdata, the base image in testdata/base_image and the config. */
async function workspace(): Promise<string> {
  const dir = await apkoWorkspace();
  await writeFile(join(dir, 'base.yaml'), BASE_YAML);
  const built = run(dir, ['image', 'build', 'base.yaml', '-o', 'testdata/base_image', '-t', 'base:latest']);
  expect(built.status, built.stderr).toBe(0);
  for (const [oci, apk] of ARCHS) {
    const rootfs = unpack(dir, 'testdata/base_image', `base:latest-${oci}`);
    await mkdir(join(dir, 'testdata', 'base_image', 'metadata', apk), { recursive: true });
    await copyFile(
      join(rootfs, 'usr', 'lib', 'apk', 'db', 'installed'),
      join(dir, 'testdata', 'base_image', 'metadata', apk, 'APKINDEX'),
    );
  }
  await copyFile(shared('apko', 'image_on_top.apko.yaml'), join(dir, 'image_on_top.apko.yaml'));
  return dir;
}

describe('larder image build with contents.baseimage', () => {
  it("keeps the base's layers and files, pins its packages, and puts the new package on top", async () => {
    const dir = await workspace();
    const r = run(dir, ['image', 'build', 'image_on_top.apko.yaml', '-o', 'top', '-t', 'top:latest']);
    expect(r.status, r.stderr).toBe(0);
    const base = await readOciLayout(join(dir, 'testdata', 'base_image'));
    const top = await readOciLayout(join(dir, 'top'));
    for (const img of top.entries[0]!.images) {
      const under = base.entries[0]!.images.find((b) => b.config.architecture === img.config.architecture)!;
      const baseDigests = under.manifest.layers.map((l) => l.digest);
      expect(img.manifest.layers).toHaveLength(baseDigests.length + 1);
      expect(img.manifest.layers.slice(0, baseDigests.length).map((l) => l.digest)).toEqual(baseDigests);
      expect(img.config.rootfs.diff_ids.slice(0, baseDigests.length)).toEqual(under.config.rootfs.diff_ids);
      expect(img.config.history).toHaveLength(baseDigests.length + 1);
    }
    for (const [oci] of ARCHS) {
      const rootfs = unpack(dir, 'top', `top:latest-${oci}`);
      const text = (path: string) => readFile(join(rootfs, path), 'utf8');
      expect(await text('etc/apk/world')).toBe('pretend-baselayout=1.0.0-r0\nreplayout=1.0.0-r0\n');
      const installed = await text('usr/lib/apk/db/installed');
      expect(installed.match(/^P:.*$/gm)).toEqual(['P:pretend-baselayout', 'P:replayout']);
      // The base's files, its account, and the new package's files, replacing the base's os-release.
      await expect(text('var/lib/db/sbom/pretend-baselayout-1.0.0-r0.spdx.json')).resolves.toContain('SPDX');
      await expect(text('var/lib/db/sbom/replayout-1.0.0-r0.spdx.json')).resolves.toContain('SPDX');
      expect(await text('etc/passwd')).toContain('app:x:1000:1000:');
      expect(await text('etc/os-release')).toContain('ID=replaces');
    }
    const inspect = JSON.parse(larder(['image', 'inspect', 'top', '--json'], { cwd: dir }).stdout) as {
      images: { packages: [string, string][] }[];
    };
    for (const img of inspect.images)
      expect(img.packages.map(([n]) => n).sort()).toEqual(['pretend-baselayout', 'replayout']);
  });

  it("locks as apko does (only the new package), and builds from apko's lock", async () => {
    const dir = await workspace();
    const lock = run(dir, ['lock', 'image_on_top.apko.yaml', '-o', 'ours.lock.json']);
    expect(lock.status, lock.stderr).toBe(0);
    const ours = JSON.parse(await readFile(join(dir, 'ours.lock.json'), 'utf8'));
    const apko = JSON.parse(await readFile(shared('apko', 'image_on_top.apko.lock.json'), 'utf8'));
    expect(ours.contents).toEqual(apko.contents);
    expect(ours.config.checksum).toBe(apko.config.checksum);
    await copyFile(shared('apko', 'image_on_top.apko.lock.json'), join(dir, 'image_on_top.apko.lock.json'));
    const r = run(dir, [
      'image',
      'build',
      'image_on_top.apko.yaml',
      '-o',
      'locked',
      '-t',
      'top:latest',
      '--lockfile',
      'image_on_top.apko.lock.json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const rootfs = unpack(dir, 'locked', 'top:latest-amd64');
    const installed = await readFile(join(rootfs, 'usr', 'lib', 'apk', 'db', 'installed'), 'utf8');
    expect(installed.match(/^P:.*$/gm)).toEqual(['P:pretend-baselayout', 'P:replayout']);
  });

  it('a missing layout, arch or APKINDEX is an error naming the path', async () => {
    const dir = await workspace();
    const config = await readFile(join(dir, 'image_on_top.apko.yaml'), 'utf8');
    await writeFile(
      join(dir, 'nolayout.yaml'),
      config.replace('image: ./testdata/base_image/', 'image: ./nope/'),
    );
    const noLayout = run(dir, ['image', 'build', 'nolayout.yaml', '-o', 'x']);
    expect(noLayout.status).toBe(2);
    expect(noLayout.stderr).toMatch(/NOT_FOUND: .*nope.* is not an OCI image layout/);
    await rm(join(dir, 'testdata', 'base_image', 'metadata', 'aarch64'), { recursive: true });
    const noIndex = run(dir, ['image', 'build', 'image_on_top.apko.yaml', '-o', 'x']);
    expect(noIndex.status).toBe(2);
    expect(noIndex.stderr).toContain(join('metadata', 'aarch64', 'APKINDEX'));
    const noArch = run(dir, ['image', 'build', 'image_on_top.apko.yaml', '-o', 'x', '--arch', 'riscv64']);
    expect(noArch.status).toBe(2);
    expect(noArch.stderr).toMatch(/CONFIG_INVALID: .*base_image.* has no riscv64 image/);
  });
});
