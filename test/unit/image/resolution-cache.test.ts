import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileResolutionCache, memoryResolutionCache, resolutionKey } from '../../../src/image/index.js';
import { tempDir } from '../../kit/paths.js';
import { rejection } from './helpers.js';

const INPUT = { indexDigests: ['sha256:aa', 'sha256:bb'], arch: 'x86_64', world: ['busybox', 'zlib>=1.3'] };

describe('resolution cache', () => {
  it('the key is a SHA-256 of the inputs; any change in digests, their order, arch or world changes it', () => {
    const key = resolutionKey(INPUT);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(resolutionKey({ ...INPUT, world: [...INPUT.world] })).toBe(key);
    for (const other of [
      { ...INPUT, indexDigests: ['sha256:bb', 'sha256:aa'] },
      { ...INPUT, indexDigests: ['sha256:aa'] },
      { ...INPUT, arch: 'aarch64' },
      { ...INPUT, world: ['zlib>=1.3', 'busybox'] },
      { ...INPUT, world: ['busybox', 'zlib>=1.3', ''] },
    ]) {
      expect(resolutionKey(other)).not.toBe(key);
    }
    // No ambiguity between list boundaries.
    expect(resolutionKey({ indexDigests: ['a,b'], arch: 'x', world: [] })).not.toBe(
      resolutionKey({ indexDigests: ['a', 'b'], arch: 'x', world: [] }),
    );
  });

  it('stores values under <stateDir>/cache/resolutions/<key>.json and reads them back', async () => {
    const state = await tempDir();
    const cache = fileResolutionCache<{ packages: string[] }>(state);
    const key = resolutionKey(INPUT);
    expect(await cache.get(key)).toBeUndefined();
    await cache.put(key, { packages: ['busybox=1.36.1-r0'] });
    expect(await cache.get(key)).toEqual({ packages: ['busybox=1.36.1-r0'] });
    expect(await readdir(join(state, 'cache', 'resolutions'))).toEqual([`${key}.json`]);
    // Another instance over the same directory sees it (re-locking is instant across runs).
    expect(await fileResolutionCache(state).get(key)).toEqual({ packages: ['busybox=1.36.1-r0'] });
  });

  it('a damaged or rejected entry is a miss', async () => {
    const state = await tempDir();
    const key = resolutionKey(INPUT);
    await mkdir(join(state, 'cache', 'resolutions'), { recursive: true });
    await writeFile(join(state, 'cache', 'resolutions', `${key}.json`), '{"packages": [');
    expect(await fileResolutionCache(state).get(key)).toBeUndefined();
    await writeFile(join(state, 'cache', 'resolutions', `${key}.json`), '{"other": 1}');
    const strict = fileResolutionCache<{ packages: string[] }>(state, {
      accept: (v) =>
        typeof v === 'object' && v !== null && 'packages' in v ? (v as { packages: string[] }) : undefined,
    });
    expect(await strict.get(key)).toBeUndefined();
  });

  it('refuses keys that are not hex SHA-256 (no paths out of the cache)', async () => {
    const cache = fileResolutionCache(await tempDir());
    await rejection(cache.get('../../etc/passwd'), 'USAGE');
    await rejection(cache.put('ABC', 1), 'USAGE');
  });

  it('the memory cache behaves the same and hands out copies', async () => {
    const cache = memoryResolutionCache<{ packages: string[] }>();
    const value = { packages: ['a'] };
    await cache.put('k', value);
    value.packages.push('mutated');
    expect(await cache.get('k')).toEqual({ packages: ['a'] });
    expect(await cache.get('missing')).toBeUndefined();
  });
});
