import { describe, expect, it } from 'vitest';
import { type CycloneDxDocument, toCycloneDxDocument } from '../../../src/sbom/index.js';
import { cycloneDxValidator, DIGEST, problems, wolfiBaseInput } from './helpers.js';

function refsOf(doc: CycloneDxDocument): string[] {
  return [doc.metadata.component, ...doc.components].map((c) => c['bom-ref'] ?? '');
}

describe('toCycloneDxDocument on wolfi-base', () => {
  const doc = toCycloneDxDocument(wolfiBaseInput());

  it('is valid CycloneDX 1.6', () => {
    expect(problems(cycloneDxValidator(), doc)).toEqual([]);
    expect(doc).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 });
    expect(doc.serialNumber).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(doc.metadata.timestamp).toBe('2023-11-14T22:13:20Z');
    expect(doc.metadata.tools.components).toEqual([
      { type: 'application', name: 'larder', version: '0.1.0' },
    ]);
  });

  it('has the image as metadata.component and the OS plus 15 libraries as components', () => {
    const root = doc.metadata.component;
    expect(root).toMatchObject({
      type: 'container',
      version: DIGEST,
      hashes: [{ alg: 'SHA-256', content: DIGEST.slice(7) }],
    });
    expect(root['bom-ref']).toMatch(/^pkg:oci\/wolfi-base@sha256:/);
    expect(root.externalReferences).toEqual([{ type: 'vcs', url: expect.stringContaining('github.com') }]);
    expect(doc.components[0]).toMatchObject({ type: 'operating-system', name: 'wolfi', version: '20230201' });
    const libs = doc.components.filter((c) => c.type === 'library');
    expect(libs).toHaveLength(15);
    for (const lib of libs) expect(lib['bom-ref']).toBe(lib.purl);
    expect(libs.find((c) => c.name === 'libgcc')).toMatchObject({
      purl: 'pkg:apk/wolfi/libgcc@15.1.0-r3?arch=x86_64&distro=wolfi-20230201&upstream=gcc',
      licenses: [{ expression: 'GPL-3.0-or-later WITH GCC-exception-3.1' }],
      hashes: [{ alg: 'SHA-1', content: expect.stringMatching(/^[0-9a-f]{40}$/) }],
      properties: [
        { name: 'larder:apk:arch', value: 'x86_64' },
        { name: 'larder:apk:origin', value: 'gcc' },
      ],
    });
  });

  it('gives every component a dependency entry that resolves', () => {
    const refs = refsOf(doc);
    expect(new Set(refs).size).toBe(refs.length);
    expect(doc.dependencies.map((d) => d.ref).sort()).toEqual([...refs].sort());
    for (const d of doc.dependencies) for (const on of d.dependsOn) expect(refs).toContain(on);
    expect(doc.dependencies[0]?.dependsOn).toHaveLength(16);
    const busybox = doc.components.find((c) => c.name === 'busybox')?.['bom-ref'];
    const glibc = doc.components.find((c) => c.name === 'glibc')?.['bom-ref'];
    expect(doc.dependencies.find((d) => d.ref === busybox)?.dependsOn).toContain(glibc);
  });
});

describe('toCycloneDxDocument edge cases', () => {
  const doc = toCycloneDxDocument({
    name: 'edge',
    created: 0,
    os: { id: 'unknown' },
    packages: [
      { name: 'compound', version: '1', arch: 'x86_64', license: 'MIT AND (GPL-2.0-only OR BSD-3-Clause)' },
      { name: 'gpl2', version: '1', arch: 'x86_64', license: 'GPL2' },
      { name: 'custom', version: '1', arch: 'x86_64', license: 'custom:foo' },
      { name: 'empty', version: '1', arch: 'x86_64', license: '' },
      {
        name: 'Dup',
        version: '1',
        arch: 'x86_64',
        maintainer: 'Jane <jane@example.org>',
        url: 'https://e.org/x',
      },
      { name: 'dup', version: '1', arch: 'x86_64', dependsOn: ['Dup', 'missing'] },
      {
        name: 'libstdc++',
        version: '1',
        arch: 'x86_64',
        checksum: { data: 'AB'.repeat(32), control: 'nope' },
      },
    ],
    toolVersion: '0.0.0',
  });

  it('stays valid, with the OS as root when there is no image', () => {
    expect(problems(cycloneDxValidator(), doc)).toEqual([]);
    expect(doc.metadata.component).toMatchObject({ type: 'operating-system', name: 'unknown' });
    expect(doc.components.every((c) => c.type === 'library')).toBe(true);
    expect(doc.metadata.timestamp).toBe('1970-01-01T00:00:00Z');
  });

  it('writes expressions when they parse, names otherwise', () => {
    const licenses = (name: string) => doc.components.find((c) => c.name === name)?.licenses;
    expect(licenses('compound')).toEqual([{ expression: 'MIT AND (GPL-2.0-only OR BSD-3-Clause)' }]);
    expect(licenses('gpl2')).toEqual([{ license: { name: 'GPL2' } }]);
    expect(licenses('custom')).toEqual([{ license: { name: 'custom:foo' } }]);
    expect(licenses('empty')).toBeUndefined();
  });

  it('keeps bom-refs unique when purls collide and ignores unknown dependencies', () => {
    const dups = doc.components.filter((c) => c.name.toLowerCase() === 'dup');
    expect(dups.map((c) => c['bom-ref'])).toEqual([
      'pkg:apk/unknown/dup@1?arch=x86_64',
      'pkg:apk/unknown/dup@1?arch=x86_64#2',
    ]);
    expect(dups[0]).toMatchObject({
      authors: [{ name: 'Jane', email: 'jane@example.org' }],
      externalReferences: [{ type: 'website', url: 'https://e.org/x' }],
    });
    expect(doc.dependencies.find((d) => d.ref === dups[1]?.['bom-ref'])?.dependsOn).toEqual([
      dups[0]?.['bom-ref'],
    ]);
    const cxx = doc.components.find((c) => c.name === 'libstdc++');
    expect(cxx?.hashes).toEqual([{ alg: 'SHA-256', content: 'ab'.repeat(32) }]);
  });
});
