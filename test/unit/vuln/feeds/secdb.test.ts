import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LarderError } from '../../../../src/core/index.js';
import { inferSecdbDistro, parseSecdb, readSecdbFile } from '../../../../src/vuln/feeds/index.js';

const DIR = join(import.meta.dirname, '../../../fixtures/secdb');
const read = (name: string) => readFileSync(join(DIR, name));

function failure(name: string, distro?: string): LarderError {
  try {
    parseSecdb(read(name), name, distro === undefined ? {} : { distro });
  } catch (err) {
    if (err instanceof LarderError) return err;
    throw err;
  }
  throw new Error(`${name} parsed`);
}

describe('parseSecdb: Wolfi', () => {
  const records = parseSecdb(read('wolfi-security.json'), 'wolfi-security.json');

  it('infers the wolfi namespace and reads every version key', () => {
    expect(new Set(records.distro.map((r) => r.distro))).toEqual(new Set(['wolfi']));
    const openssl = records.distro.filter((r) => r.package === 'openssl');
    expect(openssl.map((r) => [r.vulnerability, r.state, r.fixedVersion ?? r.reason])).toEqual([
      ['CGA-2c3f-4g5h-6j7m', 'not-affected', 'secdb "0"'],
      ['CGA-3c4f-5g6h-7j8m', 'fixed', '3.0.7-r0'],
      ['CGA-4c5f-6g7h-8j9m', 'fixed', '3.5.1-r1'],
      ['CGA-5c6f-7g8h-9j2m', 'fixed', '3.5.2-r0'],
      ['CGA-6c7f-8g9h-2j3m', 'fixed', '3.5.2-r0'],
    ]);
  });

  it('groups each CGA id with the aliases wolfictl writes after it', () => {
    const fixed = records.distro.filter((r) => r.package === 'openssl' && r.fixedVersion === '3.5.2-r0');
    expect(fixed.map((r) => [r.vulnerability, r.aliases])).toEqual([
      ['CGA-5c6f-7g8h-9j2m', ['CVE-2099-0103', 'GHSA-5c6f-7g8h-9j2m']],
      ['CGA-6c7f-8g9h-2j3m', ['CVE-2099-0105']],
    ]);
    const busybox = records.distro.filter((r) => r.package === 'busybox');
    expect(busybox.map((r) => [r.vulnerability, r.aliases, r.state])).toEqual([
      ['CVE-2099-0302', [], 'not-affected'],
      ['CGA-9c2f-3g4h-5j6m', ['CVE-2099-0301'], 'fixed'],
    ]);
    expect(records.distro.every((r) => r.source === 'wolfi-security.json')).toBe(true);
  });

  it('gives metadata per id group, severity unknown', () => {
    const meta = records.meta.find((m) => m.id === 'CGA-pqrv-wx23-4567');
    expect(meta).toEqual({
      id: 'CGA-pqrv-wx23-4567',
      aliases: ['CVE-2099-0501', 'GHSA-pqrv-wx23-4567', 'GO-2099-0001'],
      severity: 'unknown',
      cvss: [],
      references: [],
    });
    expect(records.meta.length).toBe(records.distro.length);
    expect(records.ranges).toEqual([]);
  });
});

describe('parseSecdb: Alpine', () => {
  it('names the branch from distroversion and splits space-separated id pairs', () => {
    const records = parseSecdb(read('alpine-3.16-main.json'), 'alpine.json');
    expect(new Set(records.distro.map((r) => r.distro))).toEqual(new Set(['alpine:3.16']));
    const zlib = records.distro.filter((r) => r.package === 'zlib');
    expect(zlib.map((r) => [r.vulnerability, r.aliases, r.fixedVersion])).toEqual([
      ['CVE-2099-1301', [], '1.2.12-r2'],
      ['CVE-2099-1302', ['XSA-2099'], '1.2.12-r4'],
    ]);
    expect(records.distro.filter((r) => r.package === 'openssl').map((r) => r.vulnerability)).toEqual([
      'CVE-2099-1101',
      'CVE-2099-1102',
      'CVE-2099-1103',
    ]);
  });

  it('an explicit distro wins over inference', () => {
    const records = parseSecdb(read('alpine-3.16-main.json'), 'alpine.json', {
      distro: 'alpine:3.16-custom',
    });
    expect(new Set(records.distro.map((r) => r.distro))).toEqual(new Set(['alpine:3.16-custom']));
  });

  it('infers namespaces from urlprefix and distroversion', () => {
    expect(inferSecdbDistro({ urlprefix: 'https://packages.wolfi.dev' })).toBe('wolfi');
    expect(inferSecdbDistro({ urlprefix: 'https://packages.cgr.dev/extras' })).toBe('chainguard');
    expect(inferSecdbDistro({ distroversion: 'v3.20' })).toBe('alpine:3.20');
    expect(inferSecdbDistro({ distroversion: 'edge' })).toBe('alpine:edge');
    expect(inferSecdbDistro({ urlprefix: 'https://packages.wolfi.dev.evil.test' })).toBeUndefined();
    expect(inferSecdbDistro({})).toBeUndefined();
  });
});

describe('parseSecdb: broken inputs', () => {
  it('malformed JSON names line and column', () => {
    const err = failure('bad/not-json.json');
    expect(err.code).toBe('SECDB_INVALID');
    expect(err.message).toBe('bad/not-json.json: line 4 col 3: malformed JSON (unexpected "]")');
  });

  it('wrong types name every field and the value found', () => {
    const err = failure('bad/wrong-types.json');
    expect(err.message).toContain(
      'packages[0].pkg.secfixes["1.2-r0"][1]: expected string, received number (found 42)',
    );
    expect(err.message).toContain('packages[1].pkg.name: expected string, received number (found 7)');
  });

  it('a version key that is not an apk version', () => {
    expect(failure('bad/bad-version-key.json').message).toBe(
      `bad/bad-version-key.json: packages[0].pkg.secfixes["1.2.3"]: "1.2.3" is not a package version 'version-rN'`,
    );
  });

  it('an entry that is not an id', () => {
    expect(failure('bad/bad-id.json').message).toBe(
      'bad/bad-id.json: packages[0].pkg.secfixes["1.2-r0"][1]: "not an id!" is not a vulnerability id',
    );
  });

  it('no distro to be found asks for one, and accepts one given', () => {
    expect(failure('bad/no-distro.json').message).toMatch(/cannot tell which distribution.*--distro/);
    expect(parseSecdb(read('bad/no-distro.json'), 'x', { distro: 'wolfi' }).distro.length).toBe(1);
  });

  it('missing packages, empty file, bad UTF-8', () => {
    expect(failure('bad/no-packages.json').message).toBe(
      'bad/no-packages.json: packages: expected array, received undefined (found nothing)',
    );
    expect(failure('bad/empty.json').message).toBe(
      'bad/empty.json: line 1 col 1: malformed JSON (unexpected end of input)',
    );
    expect(failure('bad/not-utf8.json').message).toBe('bad/not-utf8.json: not UTF-8 text');
  });

  it('readSecdbFile names a missing file as IO', async () => {
    await expect(readSecdbFile(join(DIR, 'nope.json'))).rejects.toMatchObject({ code: 'IO' });
    const input = await readSecdbFile(join(DIR, 'wolfi-security.json'));
    expect(input.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(input.location).toBe(join(DIR, 'wolfi-security.json'));
  });
});
