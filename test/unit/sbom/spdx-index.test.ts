import { describe, expect, it } from 'vitest';
import { toSpdxIndexDocument } from '../../../src/sbom/index.js';
import { problems, spdxValidator } from './helpers.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe('toSpdxIndexDocument', () => {
  const doc = toSpdxIndexDocument({
    name: 'wolfi-base',
    created: 1_700_000_000,
    os: { id: 'wolfi', versionId: '20230201', prettyName: 'Wolfi' },
    subject: {
      digest: digest('f'),
      ref: 'registry.local/wolfi-base:1',
      mediaType: 'application/vnd.oci.image.index.v1+json',
    },
    images: [
      { arch: 'x86_64', digest: digest('a') },
      { arch: 'aarch64', digest: digest('b') },
    ],
    vcsUrl: 'https://github.com/o/r',
    toolVersion: '0.1.0',
  });

  it('is valid SPDX 2.3', () => {
    expect(problems(spdxValidator(), doc)).toEqual([]);
    expect(doc.name).toBe(`sbom-${digest('f')}`);
    expect(doc.documentNamespace).toMatch(
      /^https:\/\/spdx\.org\/spdxdocs\/larder\/wolfi-base-index-[0-9a-f-]{36}$/,
    );
  });

  it('describes the index, a VARIANT_OF each per-arch image (apko direction), in arch order', () => {
    const [index, arm, amd, source] = doc.packages;
    expect(doc.documentDescribes).toEqual([index?.SPDXID]);
    expect(index).toMatchObject({
      SPDXID: `SPDXRef-Package-sha256-${'f'.repeat(64)}`,
      primaryPackagePurpose: 'CONTAINER',
      checksums: [{ algorithm: 'SHA256', checksumValue: 'f'.repeat(64) }],
    });
    expect(index?.externalRefs?.[0]?.referenceLocator).toBe(
      `pkg:oci/wolfi-base@${digest('f')}?mediatype=application%2Fvnd.oci.image.index.v1%2Bjson&repository_url=registry.local%2Fwolfi-base&tag=1`,
    );
    expect(arm).toMatchObject({ name: 'wolfi-base (aarch64)', versionInfo: digest('b') });
    expect(arm?.externalRefs?.[0]?.referenceLocator).toBe(
      `pkg:oci/wolfi-base@${digest('b')}?arch=arm64&mediatype=application%2Fvnd.oci.image.manifest.v1%2Bjson&os=linux&repository_url=registry.local%2Fwolfi-base&tag=1`,
    );
    expect(amd?.checksums).toEqual([{ algorithm: 'SHA256', checksumValue: 'a'.repeat(64) }]);
    expect(source).toMatchObject({
      name: 'github.com/o/r',
      primaryPackagePurpose: 'SOURCE',
      downloadLocation: 'https://github.com/o/r',
    });
    expect(source?.externalRefs?.[0]?.referenceLocator).toBe('pkg:github/o/r');
    expect(doc.relationships.map((r) => [r.spdxElementId, r.relationshipType, r.relatedSpdxElement])).toEqual(
      [
        ['SPDXRef-DOCUMENT', 'DESCRIBES', index?.SPDXID],
        [index?.SPDXID, 'VARIANT_OF', arm?.SPDXID],
        [index?.SPDXID, 'VARIANT_OF', amd?.SPDXID],
        [index?.SPDXID, 'GENERATED_FROM', source?.SPDXID],
      ],
    );
  });
});
