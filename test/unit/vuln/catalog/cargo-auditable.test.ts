import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  cargoPackages,
  parseCargoAuditJson,
  readCargoAuditData,
} from '../../../../src/vuln/catalog/index.js';
import { writeElf } from './kit/elf-writer.js';

const AUDIT = {
  packages: [
    { name: 'mytool', version: '0.3.0', source: 'local', dependencies: [1, 2, 9], root: true },
    { name: 'serde', version: '1.0.197', source: 'crates.io' },
    { name: 'cc', version: '1.0.90', source: 'crates.io', kind: 'build' },
    { name: 'forked', version: '0.1.0', source: 'git', kind: 'runtime' },
  ],
};

const rustElf = (section: string, data: Buffer) =>
  writeElf({
    sections: [
      { name: '.text', data: Buffer.alloc(32) },
      { name: section, data },
    ],
  }).bytes;

describe('cargo-auditable (.dep-v0)', () => {
  it('reads the zlib JSON; runtime crates that are not local become cargo packages', () => {
    const crates = readCargoAuditData(
      rustElf('.dep-v0', deflateSync(JSON.stringify(AUDIT))),
      'usr/bin/mytool',
    );
    expect(crates?.map((c) => [c.name, c.kind, c.source, c.root])).toEqual([
      ['mytool', 'runtime', 'local', true],
      ['serde', 'runtime', 'crates.io', false],
      ['cc', 'build', 'crates.io', false],
      ['forked', 'runtime', 'git', false],
    ]);
    const pkgs = cargoPackages(crates!, 'usr/bin/mytool');
    expect(pkgs).toEqual([
      {
        ecosystem: 'cargo',
        name: 'serde',
        version: '1.0.197',
        purl: 'pkg:cargo/serde@1.0.197',
        locations: ['usr/bin/mytool'],
        evidence: 'cargo-auditable',
      },
      {
        ecosystem: 'cargo',
        name: 'forked',
        version: '0.1.0',
        purl: 'pkg:cargo/forked@0.1.0',
        locations: ['usr/bin/mytool'],
        evidence: 'cargo-auditable',
      },
    ]);
  });

  it("rust-audit 0.1's .rust-deps-v0 is read too; a binary without either has none", () => {
    const legacy = readCargoAuditData(rustElf('.rust-deps-v0', deflateSync(JSON.stringify(AUDIT))));
    expect(legacy?.length).toBe(4);
    expect(readCargoAuditData(rustElf('.data', Buffer.alloc(8)))).toBeUndefined();
    expect(readCargoAuditData(Buffer.from('MZ not an elf'))).toBeUndefined();
  });

  it('corrupt zlib, bad JSON and a wrong shape are BINARY_INVALID naming the file', () => {
    expect(() => readCargoAuditData(rustElf('.dep-v0', Buffer.from('not zlib')), 'bin/x')).toThrow(
      /^bin\/x: section \.dep-v0 is not a valid zlib stream/,
    );
    expect(() => readCargoAuditData(rustElf('.dep-v0', deflateSync('{"packages":')), 'bin/x')).toThrow(
      /bin\/x \(\.dep-v0\): not JSON/,
    );
    expect(() => parseCargoAuditJson('{"crates":[]}', 'a')).toThrow(/no "packages" array/);
    expect(() => parseCargoAuditJson('{"packages":[{"name":"x"}]}', 'a')).toThrow(
      /packages\[0\]\.version is missing/,
    );
    expect(() => parseCargoAuditJson('{"packages":[{"name":"x","version":"1","kind":"dev"}]}', 'a')).toThrow(
      /packages\[0\]\.kind is "dev"/,
    );
    expect(() =>
      parseCargoAuditJson('{"packages":[{"name":"x","version":"1","dependencies":["a"]}]}'),
    ).toThrow(/dependencies is not a list of indices/);
  });
});
