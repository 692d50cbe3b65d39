import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatJson,
  type SbomDocumentInput,
  toCycloneDxDocument,
  toSpdxDocument,
} from '../../../../src/sbom/index.js';
import { catalogTarget } from '../../../../src/vuln/catalog/index.js';
import { parsePurl } from '../../../../src/vuln/catalog/sbom/index.js';
import { tempDir } from '../../../kit/paths.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const INPUT: SbomDocumentInput = {
  name: 'example/img',
  created: 1_700_000_000,
  os: { id: 'wolfi', versionId: '20230201', prettyName: 'Wolfi' },
  arch: 'x86_64',
  subject: { kind: 'image', digest: DIGEST, ref: 'registry.example/example/img:1' },
  packages: [
    { name: 'libcrypto3', version: '3.5.1-r1', arch: 'x86_64', origin: 'openssl', license: 'Apache-2.0' },
    { name: 'busybox', version: '1.37.0-r47', arch: 'x86_64', origin: 'busybox', license: 'GPL-2.0-only' },
    { name: 'g++', version: '13.2.0-r1', arch: 'x86_64', origin: 'gcc' },
  ],
  toolVersion: '0.0.0-test',
};

async function file(name: string, doc: unknown): Promise<string> {
  const path = join(await tempDir(), name);
  await writeFile(path, typeof doc === 'string' ? doc : formatJson(doc));
  return path;
}

const rows = (c: Awaited<ReturnType<typeof catalogTarget>>) =>
  c.packages.map((p) => `${p.id} ${p.origin ?? ''} ${p.purl}`);

describe('SBOMs larder writes read back (origin, distro, digest survive)', () => {
  const expected = [
    'apk:busybox@1.37.0-r47 busybox pkg:apk/wolfi/busybox@1.37.0-r47?arch=x86_64&distro=wolfi-20230201',
    'apk:g++@13.2.0-r1 gcc pkg:apk/wolfi/g%2B%2B@13.2.0-r1?arch=x86_64&distro=wolfi-20230201&upstream=gcc',
    'apk:libcrypto3@3.5.1-r1 openssl pkg:apk/wolfi/libcrypto3@3.5.1-r1?arch=x86_64&distro=wolfi-20230201&upstream=openssl',
  ];

  it('SPDX 2.3', async () => {
    const path = await file('sbom-x86_64.spdx.json', toSpdxDocument(INPUT));
    const catalog = await catalogTarget(path);
    expect(catalog.source).toEqual({
      kind: 'spdx',
      target: path,
      digest: DIGEST,
      names: ['registry.example/example/img:1'],
    });
    expect(catalog.distro).toEqual({ id: 'wolfi', versionId: '20230201' });
    expect(rows(catalog)).toEqual(expected);
    expect(catalog.packages[2]).toMatchObject({
      arch: 'x86_64',
      evidence: 'sbom',
      licenses: ['Apache-2.0'],
      locations: [],
    });
  });

  it('CycloneDX 1.6', async () => {
    const path = await file('sbom-x86_64.cdx.json', toCycloneDxDocument(INPUT));
    const catalog = await catalogTarget(path);
    expect(catalog.source).toMatchObject({
      kind: 'cyclonedx',
      digest: DIGEST,
      names: ['registry.example/example/img:1'],
    });
    expect(catalog.distro).toEqual({ id: 'wolfi', versionId: '20230201' });
    expect(rows(catalog)).toEqual(expected);
  });
});

describe('SBOMs of other tools: language purls, nested components', () => {
  it('CycloneDX with golang, pypi, npm, maven and cargo purls; distro from the apk purl', async () => {
    const bom = {
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      components: [
        {
          type: 'library',
          name: 'zlib',
          version: '1.3.1-r0',
          purl: 'pkg:apk/alpine/zlib@1.3.1-r0?arch=aarch64&distro=alpine-3.20.3',
        },
        {
          type: 'application',
          name: 'tool',
          purl: 'pkg:golang/github.com/acme/tool@v1.2.3',
          components: [
            { type: 'library', name: 'net', purl: 'pkg:golang/golang.org/x/net@v0.20.0' },
            { type: 'library', name: 'stdlib', purl: 'pkg:golang/stdlib@1.22.3' },
          ],
        },
        { type: 'library', purl: 'pkg:pypi/Foo_Bar@2.0', licenses: [{ license: { id: 'MIT' } }] },
        { type: 'library', purl: 'pkg:npm/%40babel/core@7.24.0' },
        { type: 'library', purl: 'pkg:maven/org.apache.commons/commons-text@1.10.0' },
        { type: 'library', purl: 'pkg:cargo/serde@1.0.197' },
        { type: 'library', purl: 'pkg:generic/openssl@3.0' },
        { type: 'library', purl: 'pkg:npm/noversion' },
        { type: 'file', name: 'no purl at all' },
      ],
    };
    const catalog = await catalogTarget(await file('other.cdx.json', bom));
    expect(catalog.distro).toEqual({ id: 'alpine', versionId: '3.20.3' });
    expect(catalog.packages.map((p) => p.id)).toEqual([
      'apk:zlib@1.3.1-r0',
      'go:github.com/acme/tool@v1.2.3',
      'go:golang.org/x/net@v0.20.0',
      'go:stdlib@go1.22.3',
      'pypi:foo-bar@2.0',
      'npm:@babel/core@7.24.0',
      'maven:org.apache.commons:commons-text@1.10.0',
      'cargo:serde@1.0.197',
    ]);
    expect(catalog.packages.find((p) => p.ecosystem === 'pypi')?.licenses).toEqual(['MIT']);
  });

  it('an SPDX document whose apk purls name no distro: a warning (trap T20)', async () => {
    const doc = {
      spdxVersion: 'SPDX-2.3',
      packages: [
        {
          SPDXID: 'SPDXRef-a',
          name: 'a',
          externalRefs: [
            {
              referenceCategory: 'PACKAGE-MANAGER',
              referenceType: 'purl',
              referenceLocator: 'pkg:apk/a@1-r0',
            },
          ],
        },
      ],
    };
    const path = await file('x.spdx.json', doc);
    const catalog = await catalogTarget(path);
    expect(catalog.packages.map((p) => [p.id, p.origin])).toEqual([['apk:a@1-r0', 'a']]);
    expect(catalog.warnings).toEqual([
      `${path}: names no distribution (no operating-system entry, no apk purl namespace)`,
    ]);
  });

  it('broken SBOMs: SBOM_INVALID naming the file and the entry', async () => {
    const bad = async (doc: unknown) => catalogTarget(await file('bad.json', doc));
    await expect(bad({ spdxVersion: 'SPDX-3.0' })).rejects.toThrow(
      /spdxVersion "SPDX-3\.0" is not SPDX 2\.x/,
    );
    await expect(bad({ spdxVersion: 'SPDX-2.3', packages: {} })).rejects.toThrow(/packages is not a list/);
    await expect(
      bad({
        spdxVersion: 'SPDX-2.3',
        packages: [
          { SPDXID: 'SPDXRef-x', externalRefs: [{ referenceType: 'purl', referenceLocator: 'npm/x@1' }] },
        ],
      }),
    ).rejects.toThrow(/bad\.json: packages\[0\] \(SPDXRef-x\): purl "npm\/x@1" does not start with pkg:/);
    await expect(bad({ bomFormat: 'CycloneDX', components: [{ purl: 'pkg:npm/%zz@1' }] })).rejects.toThrow(
      /components\[0\]: purl .* bad percent-encoding/,
    );
    await expect(bad({ bomFormat: 'CycloneDX', components: [1] })).rejects.toThrow(
      /components\[0\] is not an object/,
    );
    await expect(bad('{"bomFormat": "CycloneDX", "components": [}')).rejects.toThrow(
      /not valid JSON at line 1:43/,
    );
  });
});

describe('parsePurl', () => {
  it('splits and decodes every part', () => {
    expect(parsePurl('pkg:apk/wolfi/g%2B%2B@13-r0?arch=x86_64&upstream=gcc%4013-r0#sub/path', 'x')).toEqual({
      type: 'apk',
      namespace: 'wolfi',
      name: 'g++',
      version: '13-r0',
      qualifiers: new Map([
        ['arch', 'x86_64'],
        ['upstream', 'gcc@13-r0'],
      ]),
      subpath: 'sub/path',
    });
    expect(parsePurl('pkg:golang/github.com/cli/cli/v2@v2.63.0', 'x')).toMatchObject({
      namespace: 'github.com/cli/cli',
      name: 'v2',
      version: 'v2.63.0',
    });
    expect(parsePurl('pkg:oci/img@sha256%3Aabc', 'x').version).toBe('sha256:abc');
    expect(() => parsePurl('pkg:npm', 'x')).toThrow(/has no type and name/);
    expect(() => parsePurl('pkg:npm/@1.0', 'x')).toThrow(/has no name/);
    expect(() => parsePurl('pkg:npm/a?b', 'x')).toThrow(/qualifier without a value/);
  });
});
