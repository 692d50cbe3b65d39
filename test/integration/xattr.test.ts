import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectTree, readApkPackage, writeApkPackage } from '../../src/apk/index.js';
import { pkgMeta } from '../kit/meta.js';
import { tempDir } from '../kit/paths.js';

// xattrs (e.g. file capabilities set by melange's `setcap:`) travel as SCHILY.xattr.* PAX
// records. Reading them from disk needs getfattr (Debian package `attr`, installed by .ci/run).
describe('xattrs', () => {
  it('are read from the tree, written as SCHILY.xattr PAX records and read back binary-exact', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'tree', 'usr', 'bin'), { recursive: true });
    const file = join(dir, 'tree', 'usr', 'bin', 'ping');
    await writeFile(file, 'binary');
    const capability = Buffer.from('AQAAAgAgAAAAAAAAAAAAAAAAAAA=', 'base64');
    execFileSync('setfattr', ['-n', 'security.capability', '-v', `0s${capability.toString('base64')}`, file]);
    execFileSync('setfattr', ['-n', 'user.note', '-v', 'hello', join(dir, 'tree', 'usr')]);
    const entries = await collectTree(join(dir, 'tree'));
    expect(entries.find((e) => e.path === 'usr/bin/ping')?.xattrs).toEqual([
      ['security.capability', capability],
    ]);
    const written = await writeApkPackage(join(dir, 'ping.apk'), {
      meta: pkgMeta({ pkgname: 'ping', pkgver: '1-r0' }),
      entries,
    });
    const pkg = await readApkPackage(written.path);
    const ping = pkg.files.find((f) => f.path === 'usr/bin/ping')!;
    expect(ping.header.pax.get('SCHILY.xattr.security.capability')?.equals(capability)).toBe(true);
    expect(
      pkg.files
        .find((f) => f.path === 'usr')
        ?.header.pax.get('SCHILY.xattr.user.note')
        ?.toString(),
    ).toBe('hello');
    // GNU tar sees the same xattrs.
    const listing = execFileSync('tar', ['--xattrs', '--xattrs-include=*', '-tvvzf', written.path], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(listing).toMatch(/usr\/bin\/ping/);
  });
});
