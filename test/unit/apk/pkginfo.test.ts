import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatPkgInfo, PKGINFO_KEY_ORDER, type PkgInfo, parsePkgInfo } from '../../../src/apk/pkginfo.js';

/** GNU tar reads an APK as one concatenated gzip stream, so .PKGINFO comes out directly. */
function fixturePkgInfo(file: string): string {
  const path = fileURLToPath(new URL(`../../../../shared/fixtures/apk/${file}`, import.meta.url));
  return execFileSync('tar', ['-xzOf', path, '.PKGINFO'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString(
    'utf8',
  );
}

const base: PkgInfo = {
  pkgname: 'hello',
  pkgver: '2.12.1-r0',
  pkgdesc: 'the GNU hello world program',
  url: 'https://www.gnu.org/software/hello/',
  arch: 'x86_64',
  size: 640091,
  depend: [],
  provides: [],
  install_if: [],
  replaces: [],
  triggers: [],
  extra: [],
};

describe('parsePkgInfo on real packages', () => {
  it('reads a melange package (hello-wolfi)', () => {
    const info = parsePkgInfo(fixturePkgInfo('hello-wolfi-2.12.1-r0.apk'));
    expect(info).toMatchObject({
      pkgname: 'hello-wolfi',
      pkgver: '2.12.1-r0',
      arch: 'x86_64',
      size: 640091,
      origin: 'hello-wolfi',
      url: '',
      commit: '',
      builddate: 12345678,
      license: 'GPL-3.0-or-later',
      depend: ['so:ld-linux-x86-64.so.2', 'so:libc.so.6'],
      provides: ['cmd:hello=2.12.1-r0'],
      datahash: '3a6c21f20a07bebf261162b5ab13cb041d7c1cc3e1edc644aaa99f109f87d887',
      extra: [],
    });
  });

  it('reads an abuild package, keeping unknown keys and late depend lines', () => {
    const info = parsePkgInfo(fixturePkgInfo('alpine-baselayout-3.2.0-r23.apk'));
    expect(info.depend).toEqual(['alpine-baselayout-data=3.2.0-r23', '/bin/sh', 'so:libc.musl-aarch64.so.1']);
    expect(info.provides).toEqual(['cmd:mkmntdirs=3.2.0-r23']);
    expect(info.maintainer).toBe('Natanael Copa <ncopa@alpinelinux.org>');
    expect(info.builddate).toBe(1662926906);
    expect(info.extra).toEqual([['packager', 'Buildozer <alpine-devel@lists.alpinelinux.org>']]);
  });

  it('accumulates repeated replaces lines', () => {
    const info = parsePkgInfo(fixturePkgInfo('replaces-0.0.1-r0.apk'));
    expect(info.replaces).toEqual(['foo', 'bar']);
  });

  it('reads an unsigned melange package without url or origin', () => {
    const info = parsePkgInfo(fixturePkgInfo('hello-0.1.0-r0.apk'));
    expect(info).toMatchObject({ pkgname: 'hello', pkgver: '0.1.0-r0', url: '', depend: ['busybox'] });
    expect(info.origin).toBeUndefined();
  });

  it.each([
    'hello-wolfi-2.12.1-r0.apk',
    'alpine-baselayout-3.2.0-r23.apk',
    'replaces-0.0.1-r0.apk',
    'hello-0.1.0-r0.apk',
  ])('%s round-trips through formatPkgInfo', (file) => {
    const info = parsePkgInfo(fixturePkgInfo(file));
    const text = formatPkgInfo(info);
    expect(parsePkgInfo(text)).toEqual(info);
    expect(formatPkgInfo(parsePkgInfo(text))).toBe(text);
  });
});

describe('parsePkgInfo rules', () => {
  it('splits on the first " = ", keeps the last scalar and splits list words', () => {
    const info = parsePkgInfo(
      [
        '# comment',
        'pkgname = a',
        'pkgver = 1.0-r0',
        'pkgdesc = x = y',
        'license = MIT',
        'license = Apache-2.0',
        'depend = b c>=1',
        'depend = d',
        'triggers = /usr/share/* /etc/x ',
        'url =',
      ].join('\n'),
    );
    expect(info.pkgdesc).toBe('x = y');
    expect(info.license).toBe('Apache-2.0');
    expect(info.depend).toEqual(['b', 'c>=1', 'd']);
    expect(info.triggers).toEqual(['/usr/share/*', '/etc/x']);
    expect(info.url).toBe('');
  });

  it('collects every problem into one PKGINFO_INVALID error naming source, line, field and value', () => {
    const text = [
      'pkgname = a/b',
      'pkgver = 1.0',
      'size = -1',
      'datahash = ABC',
      'depend = foo= ok',
      'junk',
    ].join('\n');
    expect(() => parsePkgInfo(text, 'pkg.apk')).toThrow(
      expect.objectContaining({ code: 'PKGINFO_INVALID', subject: 'pkg.apk' }),
    );
    let message = '';
    try {
      parsePkgInfo(text, 'pkg.apk');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^pkg\.apk: 6 problems: /);
    expect(message).toContain("line 1: field 'pkgname': value 'a/b'");
    expect(message).toContain("line 2: field 'pkgver': value '1.0' must end in a revision '-rN'");
    expect(message).toContain("line 3: field 'size': value '-1' is not an unsigned integer");
    expect(message).toContain("line 4: field 'datahash': value 'ABC'");
    expect(message).toContain("line 5: field 'depend': value 'foo='");
    expect(message).toContain("line 6: 'junk' is not 'key = value'");
  });

  it('requires pkgname and pkgver', () => {
    expect(() => parsePkgInfo('arch = x86_64\n')).toThrow(
      /field 'pkgname' is missing; field 'pkgver' is missing/,
    );
  });
});

describe('formatPkgInfo', () => {
  const full: PkgInfo = {
    ...base,
    origin: 'hello',
    maintainer: 'Someone <s@example.com>',
    builddate: 0,
    commit: 'abc',
    license: 'GPL-3.0-or-later',
    depend: ['so:libc.so.6', 'busybox>=1.36'],
    provides: ['cmd:hello=2.12.1-r0'],
    install_if: ['hello', 'docs'],
    replaces: ['hello-old'],
    provider_priority: 10,
    replaces_priority: 5,
    triggers: ['/usr/share/fonts/*'],
    datahash: 'a'.repeat(64),
    extra: [['packager', 'me']],
  };

  it("writes melange's order, one line per depend, and is deterministic", () => {
    const text = formatPkgInfo(full);
    expect(text).toBe(formatPkgInfo(structuredClone(full)));
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('# Generated by larder');
    const keys = lines.slice(1).map((line) => line.slice(0, line.indexOf(' = ')));
    const known = keys.filter((k) => k !== 'packager');
    const order = known.map((k) => PKGINFO_KEY_ORDER.indexOf(k as (typeof PKGINFO_KEY_ORDER)[number]));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(lines).toContain('depend = so:libc.so.6');
    expect(lines).toContain('depend = busybox>=1.36');
    expect(lines).toContain('install_if = hello docs');
    expect(keys.at(-2)).toBe('packager');
    expect(keys.at(-1)).toBe('datahash');
    expect(parsePkgInfo(text)).toEqual(full);
  });

  it('writes empty pkgdesc and url like melange, and round-trips the minimum', () => {
    const min: PkgInfo = { ...base, pkgdesc: '', url: '' };
    const text = formatPkgInfo(min);
    expect(text).toContain('\npkgdesc = \nurl = \n');
    expect(parsePkgInfo(text)).toEqual(min);
  });

  it('refuses values that would not read back, such as injected lines', () => {
    expect(() => formatPkgInfo({ ...base, pkgdesc: 'x\ndatahash = 00' })).toThrow(/line break/);
    expect(() => formatPkgInfo({ ...base, pkgname: 'a/b' })).toThrow(
      expect.objectContaining({ code: 'PKGINFO_INVALID' }),
    );
    expect(() => formatPkgInfo({ ...base, depend: ['a b'] })).toThrow(/whitespace/);
    expect(() => formatPkgInfo({ ...base, size: 1.5 })).toThrow(/unsigned integer/);
    expect(() => formatPkgInfo({ ...base, extra: [['depend', 'x']] })).toThrow(/known key/);
  });
});

describe('melange vendored comments', () => {
  it("writes '# vendored =' lines after replaces, before provider_priority, and reads them back", () => {
    const info: PkgInfo = {
      ...base,
      replaces: ['old'],
      vendored: ['so:libv.so.1=1', 'pc:v=1.0-r0'],
      provider_priority: 5,
    };
    const text = formatPkgInfo(info);
    expect(text).toContain(
      'replaces = old\n# vendored = so:libv.so.1=1\n# vendored = pc:v=1.0-r0\nprovider_priority = 5\n',
    );
    expect(parsePkgInfo(text)).toEqual(info);
    expect(parsePkgInfo(formatPkgInfo(base)).vendored).toBeUndefined();
  });

  it('refuses a vendored provide that is not one, when reading and writing', () => {
    expect(() => parsePkgInfo('pkgname = a\npkgver = 1-r0\n# vendored = so:x=>1\n')).toThrow(
      /line 3: comment 'vendored': value 'so:x=>1'/,
    );
    expect(() => formatPkgInfo({ ...base, vendored: ['a b'] })).toThrow(/comment 'vendored': value 'a b'/);
    // Other comments stay ignored.
    expect(parsePkgInfo('# vendored: no\npkgname = a\npkgver = 1-r0\n').vendored).toBeUndefined();
  });
});
