import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchLockedPackages, loadImageConfig, readLockFile } from '../../src/image/index.js';
import { createFetcher } from '../../src/repo/index.js';
import { apkoWorkspace } from '../kit/apko-workspace.js';
import { larder } from '../kit/cli.js';
import { shared } from '../kit/paths.js';

describe('larder lock', () => {
  it("writes apko's own lock for apko's test config, byte for byte", async () => {
    const dir = await apkoWorkspace();
    const r = larder(['lock', 'apko.yaml', '-o', 'apko.lock.json', '--state-dir', join(dir, 'state')], {
      cwd: dir,
    });
    expect(r.stderr).toBe('');
    expect(r).toMatchObject({ status: 0, stdout: 'apko.lock.json\n' });
    expect(await readFile(join(dir, 'apko.lock.json'), 'utf8')).toBe(
      await readFile(shared('apko', 'apko.lock.json'), 'utf8'),
    );
  });

  it('re-locks an unchanged config from the resolution cache, without reading any package', async () => {
    const dir = await apkoWorkspace({ copyPackages: true });
    const state = join(dir, 'state');
    expect(larder(['lock', 'apko.yaml', '-o', 'first.json', '--state-dir', state], { cwd: dir }).status).toBe(
      0,
    );
    expect((await readdir(join(state, 'cache', 'resolutions'))).length).toBe(2);
    for (const arch of ['x86_64', 'aarch64']) {
      for (const f of await readdir(join(dir, 'testdata', 'packages', arch)))
        if (f.endsWith('.apk')) await rm(join(dir, 'testdata', 'packages', arch, f));
    }
    await rm(join(state, 'cache', 'packages'), { recursive: true, force: true });
    const again = larder(['lock', 'apko.yaml', '-o', 'second.json', '--state-dir', state], { cwd: dir });
    expect(again.stderr).toBe('');
    expect(await readFile(join(dir, 'second.json'), 'utf8')).toBe(
      await readFile(join(dir, 'first.json'), 'utf8'),
    );
  });

  it('building from a lock: fresh works, a changed config or a changed package is a stale lock', async () => {
    const dir = await apkoWorkspace({ copyPackages: true });
    expect(
      larder(['lock', 'apko.yaml', '-o', 'apko.lock.json', '--state-dir', join(dir, 'state')], { cwd: dir })
        .status,
    ).toBe(0);
    const lock = await readLockFile(join(dir, 'apko.lock.json'));
    const fetcher = createFetcher({ stateDir: join(dir, 'state') });
    const prev = process.cwd();
    process.chdir(dir);
    try {
      const loaded = await loadImageConfig('apko.yaml');
      const fresh = await fetchLockedPackages({
        lock,
        arch: 'x86_64',
        configChecksum: loaded.checksum,
        fetcher,
      });
      expect(fresh.packages.map((p) => p.entry.name)).toEqual(
        lock.contents.packages.filter((p) => p.architecture === 'x86_64').map((p) => p.name),
      );
      expect(fresh.warning).toBeUndefined();

      await writeFile('apko.yaml', `${await readFile('apko.yaml', 'utf8')}# changed\n`);
      const changed = await loadImageConfig('apko.yaml');
      await expect(
        fetchLockedPackages({ lock, arch: 'x86_64', configChecksum: changed.checksum, fetcher }),
      ).rejects.toThrow(
        /^lock is stale: .*apko\.lock\.json was made from config checksum sha256-.*, the config now hashes to sha256-/,
      );

      const victim = join('testdata', 'packages', 'x86_64', 'replayout-1.0.0-r0.apk');
      await cp(join('testdata', 'packages', 'aarch64', 'replayout-1.0.0-r0.apk'), victim);
      await expect(
        fetchLockedPackages({ lock, arch: 'x86_64', configChecksum: loaded.checksum, fetcher }),
      ).rejects.toMatchObject({
        code: 'LOCK_STALE',
        message: expect.stringMatching(
          /replayout-1\.0\.0-r0\.apk \(replayout-1\.0\.0-r0\) (signature|control|data) is sha/,
        ),
      });
    } finally {
      process.chdir(prev);
      await fetcher.close();
    }
  });

  it('an unsatisfiable config fails with the explanation and writes nothing', async () => {
    const dir = await apkoWorkspace();
    await writeFile(
      join(dir, 'apko.yaml'),
      (await readFile(join(dir, 'apko.yaml'), 'utf8')).replace(
        '- replayout',
        '- replayout\n    - no-such-thing',
      ),
    );
    const r = larder(['lock', 'apko.yaml', '-o', 'apko.lock.json', '--state-dir', join(dir, 'state')], {
      cwd: dir,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^larder: UNSATISFIABLE: apko\.yaml \(x86_64\): ERROR: unable to select packages:/,
    );
    expect(r.stderr).toContain('no-such-thing (no such package)');
    await expect(readFile(join(dir, 'apko.lock.json'))).rejects.toThrow(/ENOENT/);
  });

  it('an invalid config names file:line:column', async () => {
    const dir = await apkoWorkspace();
    await writeFile(join(dir, 'apko.yaml'), 'contents:\n  packages:\n    - 1.0\n  repositoriez: []\n');
    const r = larder(['lock', 'apko.yaml', '-o', 'x.json', '--state-dir', join(dir, 'state')], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^larder: CONFIG_INVALID: /);
    expect(r.stderr).toMatch(/apko\.yaml:3:7/);
    expect(r.stderr).toMatch(/apko\.yaml:4:3/);
  });
});
