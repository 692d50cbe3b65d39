import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  checkLockFresh,
  loadImageConfig,
  lockedArchs,
  lockedWorld,
  parseLockFile,
  readLockFile,
} from '../../../src/image/index.js';
import { shared } from '../../kit/paths.js';
import { thrown } from './helpers.js';

const LOCK = shared('apko', 'apko.lock.json');

describe('building from a lock', () => {
  it('a lock made from the config as it is now is fresh', async () => {
    const lock = await readLockFile(LOCK);
    const { checksum } = await loadImageConfig(shared('apko', 'apko.yaml'));
    expect(checkLockFresh(lock, checksum)).toBeUndefined();
  });

  it('a changed config makes the lock stale: LOCK_STALE naming the file and both checksums', async () => {
    const lock = await readLockFile(LOCK);
    const { checksum } = await loadImageConfig(shared('apko', 'apko-discover.yaml'));
    const err = thrown(() => checkLockFresh(lock, checksum), 'LOCK_STALE');
    expect(err.message).toBe(
      `lock is stale: ${LOCK} was made from config checksum sha256-eal7+HCFuOLz/8m3vNO5cYyNK0Zw7AphCcsc76TbTXg=, ` +
        'the config now hashes to sha256-D1mtHLoTBln0iH+VqWZMIPQOScXMWprVolB2sihPWAk=; run larder lock again',
    );
    expect(err.subject).toBe(LOCK);
  });

  it('a pre-0.13 lock cannot be checked: a warning, no throw', async () => {
    const lock = await readLockFile(shared('apko', 'apko.pre-0.13.lock.json'));
    const warning = checkLockFresh(lock, 'sha256-eal7+HCFuOLz/8m3vNO5cYyNK0Zw7AphCcsc76TbTXg=');
    expect(warning).toMatch(/^cannot check staleness: .*apko\.pre-0\.13\.lock\.json has no config checksum/);
  });

  it('lockedWorld: per arch, name=version in lock order, with the entries to install from', async () => {
    const lock = await readLockFile(LOCK);
    const x86 = lockedWorld(lock, 'x86_64');
    expect(x86.world).toEqual(['pretend-baselayout=1.0.0-r0', 'replayout=1.0.0-r0']);
    expect(x86.packages.map((p) => p.url)).toEqual([
      './testdata/packages/x86_64/pretend-baselayout-1.0.0-r0.apk',
      './testdata/packages/x86_64/replayout-1.0.0-r0.apk',
    ]);
    expect(x86.packages[1]?.checksum).toBe('Q11/HhSewwwOXgl0r0ffb0O0BRtYc=');
    // OCI names work too.
    expect(lockedWorld(lock, 'arm64')).toMatchObject({
      arch: 'aarch64',
      world: ['pretend-baselayout=1.0.0-r0', 'replayout=1.0.0-r0'],
    });
    expect(lockedWorld(lock, 'riscv64').world).toEqual([]);
    expect(lockedArchs(lock)).toEqual(['x86_64', 'aarch64']);
  });

  it('noarch packages belong to the arch directory their URL points into', async () => {
    const text = (await readFile(LOCK, 'utf8')).replace(
      '"url": "./testdata/packages/aarch64/replayout-1.0.0-r0.apk",\n        "version": "1.0.0-r0",\n        "architecture": "aarch64"',
      '"url": "./testdata/packages/aarch64/replayout-1.0.0-r0.apk",\n        "version": "1.0.0-r0",\n        "architecture": "noarch"',
    );
    const lock = parseLockFile(text, 'noarch.lock.json');
    expect(lock.contents.packages[3]?.architecture).toBe('noarch');
    expect(lockedWorld(lock, 'aarch64').world).toEqual(['pretend-baselayout=1.0.0-r0', 'replayout=1.0.0-r0']);
    expect(lockedWorld(lock, 'x86_64').world).toHaveLength(2);
  });
});
