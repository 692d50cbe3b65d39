import { describe, expect, it } from 'vitest';
import { type SbomPackage, type SpdxDocument, toSpdxDocument } from '../../../src/sbom/index.js';
import { DIGEST, problems, spdxValidator, wolfiBaseInput } from './helpers.js';

const SPDXID = /^SPDXRef-[A-Za-z0-9.-]+$/;

function related(doc: SpdxDocument, type: string): Array<[string, string]> {
  return doc.relationships
    .filter((r) => r.relationshipType === type)
    .map((r) => [r.spdxElementId, r.relatedSpdxElement]);
}

function byName(doc: SpdxDocument, name: string) {
  const pkg = doc.packages.find((p) => p.name === name);
  if (pkg === undefined) throw new Error(`no package ${name}`);
  return pkg;
}

/** Every id used is unique and well formed; every relationship and LicenseRef resolves. */
function expectConsistent(doc: SpdxDocument): void {
  const ids = doc.packages.map((p) => p.SPDXID);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) expect(id).toMatch(SPDXID);
  const known = new Set([...ids, doc.SPDXID]);
  for (const r of doc.relationships) {
    expect(known.has(r.spdxElementId)).toBe(true);
    expect(known.has(r.relatedSpdxElement)).toBe(true);
  }
  const declared = new Set((doc.hasExtractedLicensingInfos ?? []).map((l) => l.licenseId));
  for (const p of doc.packages) {
    for (const ref of p.licenseDeclared?.match(/LicenseRef-[A-Za-z0-9.-]+/g) ?? [])
      expect(declared.has(ref)).toBe(true);
  }
}

describe('toSpdxDocument on wolfi-base', () => {
  const doc = toSpdxDocument(wolfiBaseInput());
  const root = doc.packages[0]!;

  it('is valid SPDX 2.3 and self-consistent', () => {
    expect(problems(spdxValidator(), doc)).toEqual([]);
    expectConsistent(doc);
  });

  it('describes the image, which contains the OS and all 15 packages', () => {
    expect(doc.documentDescribes).toEqual([root.SPDXID]);
    expect(related(doc, 'DESCRIBES')).toEqual([['SPDXRef-DOCUMENT', root.SPDXID]]);
    expect(root).toMatchObject({ primaryPackagePurpose: 'CONTAINER', versionInfo: DIGEST });
    expect(root.checksums).toEqual([{ algorithm: 'SHA256', checksumValue: DIGEST.slice(7) }]);
    const contained = related(doc, 'CONTAINS').map(([from, to]) => (from === root.SPDXID ? to : 'wrong'));
    expect(contained).toContain('SPDXRef-OperatingSystem-wolfi');
    const apks = doc.packages.filter((p) => p.externalRefs?.[0]?.referenceLocator.startsWith('pkg:apk/'));
    expect(apks.map((p) => p.name)).toEqual([...apks.map((p) => p.name)].sort());
    expect(apks).toHaveLength(15);
    for (const p of apks) expect(contained).toContain(p.SPDXID);
    expect(related(doc, 'GENERATED_FROM')).toHaveLength(1);
  });

  it('writes purls, checksums, licenses and origins of each package', () => {
    expect(byName(doc, 'ca-certificates-bundle')).toMatchObject({
      SPDXID: 'SPDXRef-Package-ca-certificates-bundle-20250619-r3-x86C9564',
      versionInfo: '20250619-r3',
      licenseDeclared: 'MPL-2.0 AND MIT',
      licenseConcluded: 'NOASSERTION',
      supplier: 'Organization: Wolfi',
      sourceInfo: 'built from origin package ca-certificates',
      checksums: [{ algorithm: 'SHA1', checksumValue: expect.stringMatching(/^[0-9a-f]{40}$/) }],
      externalRefs: [
        {
          referenceCategory: 'PACKAGE-MANAGER',
          referenceType: 'purl',
          referenceLocator:
            'pkg:apk/wolfi/ca-certificates-bundle@20250619-r3?arch=x86_64&distro=wolfi-20230201&upstream=ca-certificates',
        },
      ],
    });
    expect(byName(doc, 'libgcc').licenseDeclared).toBe('GPL-3.0-or-later WITH GCC-exception-3.1');
    expect(doc.hasExtractedLicensingInfos).toBeUndefined();
  });

  it('relates packages by DEPENDS_ON through names and provides', () => {
    const id = (name: string) => byName(doc, name).SPDXID;
    const deps = related(doc, 'DEPENDS_ON');
    expect(deps).toContainEqual([id('wolfi-base'), id('busybox')]);
    expect(deps).toContainEqual([id('busybox'), id('glibc')]);
    expect(deps).toContainEqual([id('apk-tools'), id('libssl3')]);
    expect(deps.filter(([from]) => from === id('wolfi-keys'))).toEqual([]);
  });
});

const pkg = (name: string, license?: string, extra: Partial<SbomPackage> = {}): SbomPackage => ({
  name,
  version: '1.0-r0',
  arch: 'x86_64',
  ...(license === undefined ? {} : { license }),
  ...extra,
});

describe('toSpdxDocument edge cases', () => {
  const doc = toSpdxDocument({
    name: 'edge',
    created: new Date('2024-05-06T07:08:09.500Z'),
    os: { id: 'unknown' },
    packages: [
      pkg('valid', 'Apache-2.0'),
      pkg('compound', 'MIT AND (GPL-2.0-only OR BSD-3-Clause)'),
      pkg('gpl2', 'GPL2'),
      pkg('also-gpl2', 'GPL2 OR MIT'),
      pkg('custom', 'custom:foo'),
      pkg('empty', ''),
      pkg('none'),
      pkg('libstdc++', 'GPL-3.0-or-later WITH GCC-exception-3.1', {
        dependsOn: ['so:libc.so.6', 'valid', 'libstdc++'],
      }),
      pkg('so:odd name/x', 'MIT'),
      pkg('so-odd name/x', 'MIT'),
      pkg('valid', 'Apache-2.0'),
      pkg('maint', 'MIT', {
        maintainer: 'Jane Doe <jane@example.org>',
        url: 'https://example.org',
        description: 'd',
      }),
    ],
    toolVersion: '9.9.9',
  });

  it('stays valid and consistent', () => {
    expect(problems(spdxValidator(), doc)).toEqual([]);
    expectConsistent(doc);
    expect(doc.creationInfo).toMatchObject({
      created: '2024-05-06T07:08:09Z',
      creators: ['Tool: larder (9.9.9)'],
    });
    expect(doc.name).toBe('sbom-edge');
  });

  it('maps licenses: expressions kept, unknown ids and bad strings to declared LicenseRefs', () => {
    const declared = (name: string) => doc.packages.find((p) => p.name === name)?.licenseDeclared;
    expect(declared('valid')).toBe('Apache-2.0');
    expect(declared('compound')).toBe('MIT AND (GPL-2.0-only OR BSD-3-Clause)');
    expect(declared('gpl2')).toBe('LicenseRef-GPL2');
    expect(declared('also-gpl2')).toBe('LicenseRef-GPL2 OR MIT');
    expect(declared('custom')).toMatch(/^LicenseRef-custom-foo-[0-9a-f]{8}$/);
    expect(declared('empty')).toBe('NOASSERTION');
    expect(declared('none')).toBe('NOASSERTION');
    expect(
      doc.hasExtractedLicensingInfos?.map((l) => [l.licenseId.replace(/-[0-9a-f]{8}$/, ''), l.extractedText]),
    ).toEqual([
      ['LicenseRef-GPL2', 'GPL2'],
      ['LicenseRef-custom-foo', 'custom:foo'],
    ]);
  });

  it('makes SPDXIDs from invalid characters, unique even when two names collide', () => {
    const ids = doc.packages.map((p) => p.SPDXID);
    expect(ids).toContain('SPDXRef-Package-libstdcC43C43-1.0-r0-x86C9564');
    expect(ids).toContain('SPDXRef-Package-so-oddC32nameC47x-1.0-r0-x86C9564');
    expect(ids).toContain('SPDXRef-Package-so-oddC32nameC47x-1.0-r0-x86C9564-2');
    expect(doc.packages.filter((p) => p.name === 'valid')).toHaveLength(1);
  });

  it('writes no image digest, no distro qualifier and NOASSERTION suppliers when unknown', () => {
    const root = doc.packages[0]!;
    expect(root).toMatchObject({ SPDXID: 'SPDXRef-Package-edge', name: 'edge', supplier: 'NOASSERTION' });
    expect(root.checksums).toBeUndefined();
    expect(root.externalRefs?.[0]?.referenceLocator).toBe('pkg:oci/edge');
    const cxx = doc.packages.find((p) => p.name === 'libstdc++');
    expect(cxx?.externalRefs?.[0]?.referenceLocator).toBe('pkg:apk/unknown/libstdc%2B%2B@1.0-r0?arch=x86_64');
    expect(related(doc, 'DEPENDS_ON')).toEqual([[cxx?.SPDXID, 'SPDXRef-Package-valid-1.0-r0-x86C9564']]);
  });

  it('names maintainers as people and keeps homepages', () => {
    expect(doc.packages.find((p) => p.name === 'maint')).toMatchObject({
      originator: 'Person: Jane Doe (jane@example.org)',
      homepage: 'https://example.org',
      description: 'd',
    });
  });
});
