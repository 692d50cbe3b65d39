import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TarParser } from '../../../../src/archive/index.js';
import { LarderError } from '../../../../src/core/index.js';
import {
  cycloneDxEntries,
  javaPackages,
  npmPackage,
  parseGoModInfo,
  pythonPackage,
  readCargoAuditData,
  readElf,
  readGoBuildInfo,
  spdxEntries,
} from '../../../../src/vuln/catalog/index.js';
import { parsePurl } from '../../../../src/vuln/catalog/sbom/index.js';
import { LayerCollector } from '../../../../src/vuln/catalog/scan/index.js';
import { prng } from '../../../kit/prng.js';
import { writeElf } from './kit/elf-writer.js';
import { framedModinfo, inlineBlob, pointerBlob, SAMPLE_MODINFO } from './kit/go-blob.js';
import { goBinary, layerTar, rustBinary, WOLFI_OS_RELEASE } from './kit/image.js';
import { pomProperties, zipOf } from './kit/zip.js';

/** Flip a bit, overwrite a run, cut, or duplicate a run — biased towards the headers. */
function mutate(input: Buffer, rand: () => number): Buffer {
  const b = Buffer.from(input);
  const pos = Math.floor(rand() < 0.5 ? rand() * Math.min(b.length, 128) : rand() * b.length);
  switch (Math.floor(rand() * 5)) {
    case 0:
      b[pos] = b[pos]! ^ (1 << Math.floor(rand() * 8));
      return b;
    case 1:
      for (let i = 0; i < 8 && pos + i < b.length; i++)
        b[pos + i] = rand() < 0.5 ? 0xff : Math.floor(rand() * 256);
      return b;
    case 2:
      return b.subarray(0, pos);
    case 3:
      return Buffer.concat([b.subarray(0, pos), b.subarray(Math.max(0, pos - 64))]);
    default:
      b.writeUInt32LE(Math.floor(rand() * 0xffffffff), Math.min(pos, Math.max(0, b.length - 4)));
      return b;
  }
}

/** Runs `read` on `count` mutations of `base`: each must return or throw a LarderError. */
function fuzz(
  base: Buffer,
  seed: number,
  count: number,
  read: (input: Buffer) => unknown,
): { ok: number; rejected: number } {
  const rand = prng(seed);
  let ok = 0;
  let rejected = 0;
  for (let i = 0; i < count; i++) {
    const input = mutate(base, rand);
    try {
      read(input);
      ok++;
    } catch (err) {
      if (!(err instanceof LarderError))
        throw new Error(`mutation ${i} (seed ${seed}): ${String(err)}`, { cause: err });
      rejected++;
    }
  }
  return { ok, rejected };
}

describe('fuzzing the cataloguing parsers (seeded)', () => {
  it('ELF headers: 3,000 mutations of 64- and 32-bit files', () => {
    const a = fuzz(goBinary('example.com/a', 'v1.0.0'), 1, 1500, (b) => readElf(b, 'x'));
    const b = fuzz(
      writeElf({ elfClass: 32, little: false, sections: [{ name: '.a', data: Buffer.alloc(40) }] }).bytes,
      2,
      1500,
      (x) => readElf(x, 'x'),
    );
    expect(a.rejected + b.rejected).toBeGreaterThan(300);
  });

  it('Go build info, inline layout: 3,000 mutations', () => {
    const r = fuzz(goBinary('example.com/a', 'v1.0.0'), 3, 3000, (b) => readGoBuildInfo(b, 'x'));
    expect(r.rejected).toBeGreaterThan(300);
    expect(r.ok).toBeGreaterThan(300);
  });

  it('Go build info, pointer layout: 2,000 mutations', () => {
    const { header, data } = pointerBlob('go1.16.15', framedModinfo(SAMPLE_MODINFO), {
      ptrSize: 8,
      bigEndian: false,
      dataAddr: 0x500000,
    });
    const bytes = writeElf({
      sections: [
        { name: '.go.buildinfo', data: header, segmentFlags: 6 },
        { name: '.rodata', data, addr: 0x500000 },
      ],
    }).bytes;
    const r = fuzz(bytes, 4, 2000, (b) => readGoBuildInfo(b, 'x'));
    expect(r.rejected).toBeGreaterThan(100);
  });

  it('the bare blob in a non-ELF file, and modinfo text: 2,000 mutations each', () => {
    const pe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(30), inlineBlob('go1.22.0', SAMPLE_MODINFO)]);
    fuzz(pe, 5, 2000, (b) => readGoBuildInfo(b, 'x'));
    fuzz(Buffer.from(SAMPLE_MODINFO), 6, 2000, (b) => parseGoModInfo(b.toString('latin1'), 'x'));
  });

  it('cargo-auditable sections: 2,000 mutations of the ELF and of the zlib stream', () => {
    fuzz(rustBinary('serde@1.0.0', 'libc@0.2.150'), 7, 1000, (b) => readCargoAuditData(b, 'x'));
    const json = Buffer.from(
      JSON.stringify({
        packages: [
          { name: 'a', version: '1', dependencies: [1] },
          { name: 'b', version: '2' },
        ],
      }),
    );
    fuzz(json, 8, 1000, (j) =>
      readCargoAuditData(writeElf({ sections: [{ name: '.dep-v0', data: deflateSync(j) }] }).bytes, 'x'),
    );
  });

  it('Java archives (with a nested jar): 1,500 mutations', () => {
    const inner = zipOf({ 'META-INF/maven/o/in/pom.properties': pomProperties('o', 'in', '1') });
    const jar = zipOf({
      'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\nImplementation-Version: 2\n',
      'META-INF/maven/o/a/pom.properties': pomProperties('o', 'a', '1'),
      'lib/in-1.jar': inner,
    });
    fuzz(jar, 9, 1500, (b) => javaPackages(b, 'a-1.jar', { warn: () => undefined }));
  });

  it('text formats: METADATA, package.json, purls, SBOM documents', () => {
    fuzz(Buffer.from('Name: a\nVersion: 1\nLicense: MIT\n'), 10, 1000, (b) =>
      pythonPackage(b.toString('utf8'), 'm'),
    );
    fuzz(Buffer.from('{"name":"@s/a","version":"1.0.0","license":{"type":"MIT"}}'), 11, 1000, (b) =>
      npmPackage(b.toString('utf8'), 'p'),
    );
    fuzz(Buffer.from('pkg:apk/wolfi/g%2B%2B@13-r0?arch=x86_64&upstream=gcc#x'), 12, 1000, (b) =>
      parsePurl(b.toString('latin1'), 'p'),
    );
    const sbom = (b: Buffer) => {
      let doc: unknown;
      try {
        doc = JSON.parse(b.toString('utf8'));
      } catch {
        return;
      }
      if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return;
      const o = doc as Record<string, unknown>;
      if (typeof o.spdxVersion === 'string') spdxEntries(o, 's');
      else cycloneDxEntries(o, 'c');
    };
    fuzz(
      Buffer.from(
        '{"spdxVersion":"SPDX-2.3","packages":[{"SPDXID":"a","externalRefs":[{"referenceType":"purl","referenceLocator":"pkg:npm/a@1"}]}]}',
      ),
      13,
      1000,
      sbom,
    );
    fuzz(
      Buffer.from(
        '{"bomFormat":"CycloneDX","components":[{"purl":"pkg:npm/a@1","components":[{"type":"container"}]}]}',
      ),
      14,
      1000,
      sbom,
    );
  });

  it('layer tars through the collector: 1,000 mutations', () => {
    const tar = layerTar([
      { path: 'etc/os-release', text: WOLFI_OS_RELEASE },
      { path: 'usr/bin/a', text: goBinary('example.com/a', 'v1.0.0'), mode: 0o755 },
      { path: 'usr/bin/.wh.b', text: '' },
      { path: 'lib', symlink: 'usr/lib' },
    ]);
    fuzz(tar, 15, 1000, (b) => {
      const collector = new LayerCollector(() => undefined);
      const parser = new TarParser();
      for (const ev of parser.write(b)) collector.event(ev);
      for (const ev of parser.end()) collector.event(ev);
      return collector.result();
    });
  });
});
