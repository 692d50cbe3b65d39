import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPackagesInOrder } from '../../../src/image/assemble/read-entries.js';
import { shared, tempDir } from '../../kit/paths.js';

const apk = (name: string) => shared('repo', 'melange-test', 'x86_64', `${name}-1.0.0-r0.apk`);
const NAMES = ['pretend-baselayout', 'replayout', 'custom-ca-certs-1', 'custom-ca-certs-2'];

describe('reading packages ahead of installation', () => {
  it('yields every package in the given order, whatever order the reads finish in', async () => {
    const paths = [...NAMES, ...NAMES].map(apk);
    const names: string[] = [];
    for await (const { pkg, entries } of readPackagesInOrder(paths)) {
      names.push(pkg.pkginfo.pkgname);
      expect(entries.length).toBeGreaterThan(0);
    }
    expect(names).toEqual([...NAMES, ...NAMES]);
  });

  it('reports the first bad package in install order, even when a later read fails first', async () => {
    const dir = await tempDir('read-ahead-');
    const bad = join(dir, 'bad.apk');
    await writeFile(bad, Buffer.from('not a package'));
    const good = join(dir, 'good.apk');
    await copyFile(apk('replayout'), good);
    const seen: string[] = [];
    const run = async () => {
      for await (const { pkg } of readPackagesInOrder([good, bad, good])) seen.push(pkg.pkginfo.pkgname);
    };
    await expect(run()).rejects.toThrow(/bad\.apk/);
    expect(seen).toEqual(['replayout']);
  });
});
