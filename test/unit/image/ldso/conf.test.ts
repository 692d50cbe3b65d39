import { describe, expect, it } from 'vitest';
import { parseLdSoConf } from '../../../../src/image/assemble/ldso-cache/conf.js';
import { TreeFs } from '../../../../src/image/assemble/ldso-cache/tree-fs.js';
import { thrown } from '../helpers.js';
import { rootOf, type Spec } from './root.js';

const parse = (spec: Record<string, Spec>) => parseLdSoConf(new TreeFs(rootOf(spec)), 'etc/ld.so.conf');

describe('ld.so.conf', () => {
  it("reads apko's own test layout: an include of ld.so.conf.d/*.conf, in name order", () => {
    expect(
      parse({
        'etc/ld.so.conf': 'include /etc/ld.so.conf.d/*.conf\n\n',
        'etc/ld.so.conf.d/libc.conf':
          '/usr/local/lib\n/usr/local/lib64\n/lib\n/lib64\n/usr/lib\n/usr/lib64\n',
        'etc/ld.so.conf.d/sdk-v1.conf': '/usr/local/sdk-v1/lib\n',
        'etc/ld.so.conf.d/sdk-v2.conf': '/usr/local/sdk-v2/lib',
      }),
    ).toEqual([
      '/usr/local/lib',
      '/usr/local/lib64',
      '/lib',
      '/lib64',
      '/usr/lib',
      '/usr/lib64',
      '/usr/local/sdk-v1/lib',
      '/usr/local/sdk-v2/lib',
    ]);
  });

  it('drops comments, blanks, CRs, Go white space and repeats within one file; keeps directories as written', () => {
    expect(
      parse({
        'etc/ld.so.conf': '# libs\n /opt/a/lib # local\r\n\u0085/opt/b/\n/opt/a/lib\n\t\nrelative/lib\n',
      }),
    ).toEqual(['/opt/a/lib', '/opt/b/', 'relative/lib']);
  });

  it('stops at the first include, as apko does, and does not deduplicate what includes bring', () => {
    expect(
      parse({
        'etc/ld.so.conf': '/first\n/x\ninclude conf.d/*.conf\n/after-include\n',
        'conf.d/a.conf': '/x\n',
        'conf.d/b.conf': '/x\n',
      }),
    ).toEqual(['/first', '/x', '/x', '/x']);
    expect(parse({ 'etc/ld.so.conf': 'include /none/*.conf\n/after\n' })).toEqual([]);
  });

  it('skips a malformed include glob and goes on', () => {
    expect(parse({ 'etc/ld.so.conf': 'include /etc/[\n/after\n' })).toEqual(['/after']);
  });

  it('skips included files that cannot be read, or have an over-long line, whole', () => {
    expect(
      parse({
        'etc/ld.so.conf': 'include /etc/ld.so.conf.d/*\n',
        'etc/ld.so.conf.d/a-dir.conf': { dir: true },
        'etc/ld.so.conf.d/b-dangling.conf': { link: '/nowhere' },
        'etc/ld.so.conf.d/c-long.conf': `/partial\n/${'x'.repeat(70_000)}\n`,
        'etc/ld.so.conf.d/d-link.conf': { link: '../real.conf' },
        'etc/real.conf': '/via/link\n',
      }),
    ).toEqual(['/via/link']);
  });

  it('reports an unreadable ld.so.conf, an over-long line in it, and include loops', () => {
    expect(thrown(() => parse({ 'etc/ld.so.conf': { dir: true } }), 'PACKAGE_INVALID').message).toBe(
      '/etc/ld.so.conf: cannot be read as a file',
    );
    expect(
      thrown(() => parse({ 'etc/ld.so.conf': `/ok\n${'y'.repeat(65_536)}` }), 'PACKAGE_INVALID').message,
    ).toMatch(/^\/etc\/ld\.so\.conf: line of 65536 bytes is too long$/);
    // 65535 bytes still fit bufio.Scanner's 64 KiB buffer, with the newline
    expect(parse({ 'etc/ld.so.conf': `/${'z'.repeat(65_534)}\n` })).toHaveLength(1);
    const loop = thrown(
      () => parse({ 'etc/ld.so.conf': 'include etc/a.conf\n', 'etc/a.conf': 'include /etc/ld.so.conf\n' }),
      'PACKAGE_INVALID',
    );
    expect(loop.message).toMatch(
      /includes loop or nest too deep: etc\/ld\.so\.conf → etc\/a\.conf → etc\/ld\.so\.conf/,
    );
  });
});
