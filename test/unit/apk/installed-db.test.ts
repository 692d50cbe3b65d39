import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newPackageRecord } from '../../../src/apk/index-record.js';
import { formatInstalledDb, type InstalledPackage, parseInstalledDb } from '../../../src/apk/installed-db.js';
import { isLarderError } from '../../../src/core/index.js';

const INSTALLED = '/work/shared/fixtures/installed';

function counts(pkgs: readonly InstalledPackage[]): { pkgs: number; dirs: number; files: number } {
  const dirs = pkgs.flatMap((p) => p.files);
  return { pkgs: pkgs.length, dirs: dirs.length, files: dirs.reduce((n, d) => n + d.files.length, 0) };
}

describe('installed database: real files', () => {
  it('alpine-3.16-image (written by apk-tools) round-trips byte for byte', () => {
    const text = readFileSync(`${INSTALLED}/alpine-3.16-image`, 'utf8');
    const pkgs = parseInstalledDb(text, 'alpine-3.16-image');
    expect(counts(pkgs)).toEqual({ pkgs: 14, dirs: 142, files: 105 });
    expect(formatInstalledDb(pkgs)).toBe(text);

    const data = pkgs[0];
    expect(data?.record).toMatchObject({ name: 'alpine-baselayout-data', replaces: ['alpine-baselayout'] });
    const etc = data?.files[0];
    expect(etc?.path).toBe('etc');
    expect(etc?.files.find((f) => f.name === 'shadow')).toEqual({
      name: 'shadow',
      acl: { uid: 0, gid: 42, mode: 0o640 },
      checksum: 'Q1ltrPIAW2zHeDiajsex2Bdmq3uqA=',
    });
    const sticky = pkgs.flatMap((p) => p.files).find((d) => d.acl !== undefined);
    expect(sticky?.acl).toEqual({ uid: 0, gid: 0, mode: 0o1777 });
    // Files with the default 0:0:0644 have no acl.
    expect(etc?.files[0]).toEqual({ name: 'fstab', checksum: 'Q11Q7hNe8QpDS531guqCdrXBzoA/o=' });
  });

  it.each([
    ['wolfi-base', { pkgs: 15, dirs: 134, files: 91 }],
    ['redis-operator-compat', { pkgs: 16, dirs: 139, files: 93 }],
  ])('%s (written by apko) round-trips to the same model', (file, expected) => {
    const text = readFileSync(`${INSTALLED}/${file}`, 'utf8');
    const pkgs = parseInstalledDb(text, file);
    expect(counts(pkgs)).toEqual(expected);
    const written = formatInstalledDb(pkgs);
    expect(parseInstalledDb(written)).toEqual(pkgs);
    // The only differences: apko's `i:[]` and zero-padded modes.
    const apkoQuirks = text.replaceAll('\ni:[]\n', '\ni:\n').replace(/^([Ma]:\d+:\d+:)0(?=\d)/gm, '$1');
    expect(written).toBe(apkoQuirks);
    expect(pkgs.every((p) => p.record.installIf.length === 0)).toBe(true);
  });

  it("reads wolfi-base's apko fields: empty U:, k:0, C: last, a:0:0:0777", () => {
    const [layout] = parseInstalledDb(readFileSync(`${INSTALLED}/wolfi-base`, 'utf8'));
    expect(layout?.record).toMatchObject({ name: 'wolfi-baselayout', url: '', providerPriority: 0 });
    expect(layout?.record.fieldOrder).toBe('PVALTomUDpcitSIkC');
    expect(layout?.files[0]?.files.find((f) => f.name === 'mtab')?.acl).toEqual({
      uid: 0,
      gid: 0,
      mode: 0o777,
    });
  });

  it('reads a bare F: as the root directory', () => {
    const text = readFileSync(`${INSTALLED}/redis-operator-compat`, 'utf8');
    const roots = parseInstalledDb(text).flatMap((p) => p.files.filter((d) => d.path === ''));
    expect(roots).toHaveLength(1);
  });
});

describe('installed database: rules', () => {
  it('writes built packages in apk-tools order, leaving out default ACLs', () => {
    const record = { ...newPackageRecord('a', '1-r0'), replaces: ['b'], repoTag: 'edge', brokenFlags: 'fs' };
    const pkg: InstalledPackage = {
      record,
      files: [
        { path: '', files: [{ name: 'x', acl: { uid: 0, gid: 0, mode: 0o644 } }] },
        {
          path: 'tmp',
          acl: { uid: 0, gid: 0, mode: 0o1777, xattrChecksum: 'Q1ltrPIAW2zHeDiajsex2Bdmq3uqA=' },
          files: [],
        },
        {
          path: 'etc',
          acl: { uid: 0, gid: 0, mode: 0o755 },
          files: [{ name: 'y', acl: { uid: 1, gid: 2, mode: 0o600 } }],
        },
      ],
    };
    expect(formatInstalledDb([pkg])).toBe(
      'P:a\nV:1-r0\nS:0\nI:0\nT:\nU:\nL:\nr:b\ns:edge\nf:fs\n' +
        'F:\nR:x\nF:tmp\nM:0:0:1777:Q1ltrPIAW2zHeDiajsex2Bdmq3uqA=\nF:etc\nR:y\na:1:2:600\n\n',
    );
  });

  it.each([
    ['P:a\nV:1\nM:0:0:755\n', 'record 1 (line 3): M: line before any F:'],
    ['P:a\nV:1\nF:etc\nZ:Q1ltrPIAW2zHeDiajsex2Bdmq3uqA=\n', '(line 4): Z: line not after an R:'],
    ['P:a\nV:1\nF:etc\nR:x\nF:usr\na:0:0:755\n', '(line 6): a: line not after an R:'],
    ['V:1\nF:etc\nP:a\n', '(line 2): F: (directory) line before P: (name)'],
    ['P:a\nV:1\nF:etc\nR:x\na:0:0:9\n', 'a: mode "9" is not octal'],
    ['P:a\nV:1\nF:etc\nR:x\na:0:0\n', 'a: "0:0" is not uid:gid:mode[:checksum]'],
    ['P:a\nV:1\nF:etc\nM:x:0:755\n', 'M: uid: "x" is not a decimal number'],
    ['P:a\nV:1\nF:etc\nR:x\nZ:nope\n', 'Z: "nope" is not a Q1/X1 checksum'],
    ['P:a\nV:1\nr:b\nz:new\n', '(line 4): unknown field "z" after installed-database fields'],
    ['P:a\nV:1\nf:q\n', 'f: unknown broken flag "q"'],
    ['P:a\nV:1\ngarbage\n', '(line 3): malformed line "garbage"'],
    ['P:a\n\nP:b\nV:1\n', 'record 1 (line 1): missing V: (version) for a'],
  ])('rejects %j', (text, message) => {
    expect(() => parseInstalledDb(text, 'db')).toThrow(message);
    try {
      parseInstalledDb(text);
    } catch (err) {
      expect(isLarderError(err, 'INSTALLED_DB_INVALID')).toBe(true);
    }
  });

  it('keeps unknown fields seen before the installed-only ones', () => {
    const [pkg] = parseInstalledDb('P:a\nV:1\nz:new\nY:upper\nF:etc\nR:x\nT:late description\n');
    expect(pkg?.record.extra).toEqual([
      ['z', 'new'],
      ['Y', 'upper'],
    ]);
    expect(pkg?.record.uninstallable).toBe('Y');
    expect(pkg?.record.description).toBe('late description');
    expect(formatInstalledDb([pkg!])).toBe('P:a\nV:1\nz:new\nY:upper\nT:late description\nF:etc\nR:x\n\n');
  });
});
