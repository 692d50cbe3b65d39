import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LarderError } from '../../../../src/core/index.js';
import { writeDockerArchive, writeOciLayout } from '../../../../src/oci/index.js';
import { catalogTarget, detectTarget } from '../../../../src/vuln/catalog/index.js';
import type { Catalog } from '../../../../src/vuln/index.js';
import { tempDir } from '../../../kit/paths.js';
import {
  type FsEntry,
  goBinary,
  installedRecord,
  layerInput,
  layerTar,
  rustBinary,
  WOLFI_OS_RELEASE,
  writeTree,
} from './kit/image.js';
import { pomProperties, zipOf } from './kit/zip.js';

const SITE = 'usr/lib/python3.12/site-packages';
const DB =
  installedRecord('gotool', '1.2.0-r3', 'gotool', ['usr/bin/gotool']) +
  installedRecord('py3-foo', '1.0-r0', 'foo', [`${SITE}/foo-1.0.dist-info/METADATA`]);

// Layer 1: a Wolfi root with an installed database under usr/lib (lib → usr/lib, as apko lays
// it out), an APK-owned Go binary, a Go binary the next layer deletes, an APK-owned Python
// distribution, an npm package and a jar in a directory the next layer makes opaque.
const LOWER: FsEntry[] = [
  { path: 'etc/', dir: true },
  { path: 'etc/os-release', text: WOLFI_OS_RELEASE },
  { path: 'usr/lib/apk/db/installed', text: DB },
  { path: 'lib', symlink: 'usr/lib' },
  { path: 'usr/bin/gotool', text: goBinary('example.com/gotool', 'v1.2.0'), mode: 0o755 },
  { path: 'usr/bin/removed', text: goBinary('example.com/removed', 'v9.9.9'), mode: 0o755 },
  { path: 'usr/bin/script', text: '#!/bin/sh\necho hi\n', mode: 0o755 },
  { path: `${SITE}/foo-1.0.dist-info/METADATA`, text: 'Name: foo\nVersion: 1.0\n' },
  { path: 'app/node_modules/left-pad/package.json', text: '{"name":"left-pad","version":"1.3.0"}' },
  {
    path: 'opt/old/lib.jar',
    text: zipOf({ 'META-INF/maven/o/lib/pom.properties': pomProperties('o', 'lib', '1') }),
  },
];
// Layer 2: whiteouts, an opaque directory, a replaced package.json and a Rust binary.
const UPPER: FsEntry[] = [
  { path: 'usr/bin/.wh.removed', text: '' },
  { path: 'opt/old/.wh..wh..opq', text: '' },
  { path: 'opt/old/readme', text: 'nothing here' },
  { path: 'app/node_modules/left-pad/package.json', text: '{"name":"left-pad","version":"1.3.1"}' },
  { path: 'usr/local/bin/rusty', text: rustBinary('serde@1.0.197'), mode: 0o755 },
];

const summary = (c: Catalog) =>
  c.packages.map((p) => `${p.id} ${p.locations.join(',')}${p.ownedBy ? ` <- ${p.ownedBy}` : ''}`);

const EXPECTED_IMAGE = [
  'apk:gotool@1.2.0-r3 usr/lib/apk/db/installed',
  'apk:py3-foo@1.0-r0 usr/lib/apk/db/installed',
  'go:example.com/gotool@v1.2.0 usr/bin/gotool <- apk:gotool@1.2.0-r3',
  'go:golang.org/x/text@v0.14.0 usr/bin/gotool <- apk:gotool@1.2.0-r3',
  'go:stdlib@go1.22.5 usr/bin/gotool <- apk:gotool@1.2.0-r3',
  `pypi:foo@1.0 ${SITE}/foo-1.0.dist-info/METADATA <- apk:py3-foo@1.0-r0`,
  'npm:left-pad@1.3.1 app/node_modules/left-pad/package.json',
  'cargo:serde@1.0.197 usr/local/bin/rusty',
];

async function ociLayout(images: Array<{ arch: string; layers: FsEntry[][] }>, refName = 'example/img:1') {
  const dir = join(await tempDir(), 'layout');
  const result = await writeOciLayout(dir, {
    images: images.map(({ arch, layers }) => ({
      platform: { os: 'linux', architecture: arch },
      layers: layers.map((l) => layerInput(layerTar(l))),
    })),
    refName,
  });
  return { dir, result };
}

describe('catalogTarget: images', () => {
  it('an OCI layout: layers in order with whiteouts and opaque directories, ownership by file, distro from os-release', async () => {
    const { dir, result } = await ociLayout([{ arch: 'amd64', layers: [LOWER, UPPER] }]);
    const catalog = await catalogTarget(dir);
    expect(summary(catalog)).toEqual(EXPECTED_IMAGE);
    expect(catalog.source).toEqual({
      kind: 'oci-layout',
      target: dir,
      digest: result.images[0]!.manifest.digest,
      names: ['example/img:1'],
    });
    expect(catalog.distro).toEqual({ id: 'wolfi', versionId: '20230201' });
    expect(catalog.packages[0]?.purl).toBe('pkg:apk/wolfi/gotool@1.2.0-r3?arch=x86_64&distro=wolfi-20230201');
    expect(catalog.warnings).toBeUndefined();
  });

  it('multi-platform: the host platform by default, another when asked, an error listing them for a missing one', async () => {
    const arm = [
      { path: 'etc/os-release', text: WOLFI_OS_RELEASE },
      { path: 'bin/x', text: goBinary('example.com/arm', 'v1.0.0'), mode: 0o755 },
    ];
    const amd = [
      { path: 'etc/os-release', text: WOLFI_OS_RELEASE },
      { path: 'bin/x', text: goBinary('example.com/amd', 'v1.0.0'), mode: 0o755 },
    ];
    const { dir } = await ociLayout([
      { arch: 'amd64', layers: [amd] },
      { arch: 'arm64', layers: [arm] },
    ]);
    const main = (c: Catalog) => c.packages.find((p) => p.goMainModule)?.name;
    if (process.arch === 'x64') expect(main(await catalogTarget(dir))).toBe('example.com/amd');
    expect(main(await catalogTarget(dir, { platform: 'linux/arm64' }))).toBe('example.com/arm');
    expect(main(await catalogTarget(dir, { platform: 'aarch64' }))).toBe('example.com/arm');
    await expect(catalogTarget(dir, { platform: 's390x' })).rejects.toThrow(
      /no image for linux\/s390x; it has linux\/amd64, linux\/arm64/,
    );
  });

  it('a docker archive: the same packages, RepoTags as names, the manifest digest', async () => {
    const file = join(await tempDir(), 'img.tar');
    const written = await writeDockerArchive(
      file,
      {
        platform: { os: 'linux', architecture: 'amd64' },
        layers: [layerInput(layerTar(LOWER)), layerInput(layerTar(UPPER))],
      },
      { repoTags: ['example/img:1'] },
    );
    const catalog = await catalogTarget(file);
    expect(summary(catalog)).toEqual(EXPECTED_IMAGE);
    expect(catalog.source).toEqual({
      kind: 'docker-archive',
      target: file,
      digest: written.manifestDigest,
      names: ['example/img:1'],
    });
    // docker save | gzip
    const gz = join(await tempDir(), 'img.tar.gz');
    await writeFile(gz, gzipSync(await readFile(file)));
    expect(summary(await catalogTarget(gz))).toEqual(EXPECTED_IMAGE);
  });

  it('a corrupt file inside an image is a warning; a corrupt layer fails naming it', async () => {
    const broken: FsEntry[] = [
      { path: 'etc/os-release', text: WOLFI_OS_RELEASE },
      { path: 'usr/bin/bad', text: goBinary('example.com/bad', 'v1.0.0').subarray(0, 200), mode: 0o755 },
      { path: 'x/node_modules/y/package.json', text: '{"name":' },
    ];
    const { dir } = await ociLayout([{ arch: 'amd64', layers: [broken] }]);
    const catalog = await catalogTarget(dir);
    expect(catalog.packages).toEqual([]);
    expect(catalog.warnings).toEqual([
      expect.stringMatching(/^skipped usr\/bin\/bad: not a valid ELF file: .* ends past the file$/),
      expect.stringMatching(/^skipped x\/node_modules\/y\/package\.json: not JSON/),
    ]);

    const layout = await ociLayout([{ arch: 'amd64', layers: [LOWER] }]);
    const index = JSON.parse(await readFile(join(layout.dir, 'index.json'), 'utf8'));
    const imageIndex = JSON.parse(
      await readFile(join(layout.dir, 'blobs', 'sha256', index.manifests[0].digest.slice(7)), 'utf8'),
    );
    const manifest = JSON.parse(
      await readFile(join(layout.dir, 'blobs', 'sha256', imageIndex.manifests[0].digest.slice(7)), 'utf8'),
    );
    const blob = join(layout.dir, 'blobs', 'sha256', manifest.layers[0].digest.slice(7));
    const bytes = await readFile(blob);
    await writeFile(blob, bytes.subarray(0, bytes.length - 100));
    let err: unknown;
    try {
      await catalogTarget(layout.dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LarderError);
    expect((err as LarderError).code).toBe('TARGET_INVALID');
    expect((err as Error).message).toContain(blob);
  });
});

describe('catalogTarget: directories and detection', () => {
  it('a root filesystem directory: symlinks not followed, ownership through the lib → usr/lib link', async () => {
    const root = await tempDir();
    const merged = LOWER.filter((e) => e.path !== 'usr/bin/removed' && !e.path.startsWith('opt/')).map((e) =>
      e.path === 'app/node_modules/left-pad/package.json' ? UPPER[3]! : e,
    );
    await writeTree(root, [...merged, UPPER[4]!]);
    const catalog = await catalogTarget(root);
    expect(catalog.source).toEqual({ kind: 'directory', target: root });
    expect(summary(catalog)).toEqual(EXPECTED_IMAGE);
  });

  it('tells targets apart by what they are', async () => {
    const dir = await tempDir();
    const write = async (name: string, data: string | Buffer) => {
      await writeFile(join(dir, name), data);
      return join(dir, name);
    };
    expect((await detectTarget(dir)).kind).toBe('directory');
    expect((await detectTarget(await write('db', 'C:Q1abc=\nP:x\nV:1-r0\n\n'))).kind).toBe('installed-db');
    expect((await detectTarget(await write('s.json', '{"spdxVersion":"SPDX-2.3","packages":[]}'))).kind).toBe(
      'spdx',
    );
    expect(
      (await detectTarget(await write('c.json', ' {"bomFormat":"CycloneDX","specVersion":"1.6"}'))).kind,
    ).toBe('cyclonedx');
    expect((await detectTarget(await write('l.tar', layerTar(LOWER)))).kind).toBe('docker-archive');
    expect(await detectTarget('registry:example.com/a/b:1')).toMatchObject({
      kind: 'registry',
      ref: { registry: 'example.com' },
    });
    expect(await detectTarget('cgr.dev/chainguard/wolfi-base')).toMatchObject({ kind: 'registry' });
    await expect(detectTarget(await write('x.bin', Buffer.from([0, 1, 2])))).rejects.toThrow(
      /is not a target larder can catalogue/,
    );
    await expect(detectTarget(await write('o.json', '{"hello":1}'))).rejects.toThrow(
      /neither an SPDX document/,
    );
    await expect(detectTarget(await write('b.json', '{\n  "spdxVersion": ,\n}'))).rejects.toThrow(
      /b\.json: not valid JSON at line 2:18/,
    );
    await expect(detectTarget(join(dir, 'missing.tar'))).rejects.toThrow(
      /missing\.tar: no such file or directory/,
    );
    await expect(detectTarget('registry:Not A Ref')).rejects.toThrow(/neither a file nor an image reference/);
  });
});
