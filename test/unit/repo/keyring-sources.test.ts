import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCachingFetcher, loadKeyringSources } from '../../../src/repo/index.js';
import { FakeFetcher } from '../../kit/fake-fetcher.js';
import { shared, tempDir } from '../../kit/paths.js';

const MELANGE = shared('keys', 'melange', 'melange.rsa.pub');
const KEY_URL = 'https://keys.test/wolfi/melange.rsa.pub';

describe('loadKeyringSources', () => {
  it('merges files, directories, file:// URLs and http(s) URLs, naming keys by file name', async () => {
    const fake = new FakeFetcher();
    fake.put(
      'https://keys.test/a%40b/test-rsa256.rsa.pub',
      await readFile(shared('keys', 'rsa256', 'test-rsa256.rsa.pub')),
    );
    const keyring = await loadKeyringSources(
      [shared('keys', 'alpine'), pathToFileURL(MELANGE).href, 'https://keys.test/a%40b/test-rsa256.rsa.pub'],
      fake,
    );
    expect([...keyring.keys.keys()].sort()).toEqual([
      'alpine-devel@lists.alpinelinux.org-4a6a0840.rsa.pub',
      'alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub',
      'alpine-devel@lists.alpinelinux.org-616ae350.rsa.pub',
      'melange.rsa.pub',
      'test-rsa256.rsa.pub',
    ]);
  });

  it('fetches URL keys through the cache, so they work offline afterwards', async () => {
    const fake = new FakeFetcher();
    fake.put(KEY_URL, await readFile(MELANGE));
    const dir = await tempDir();
    await loadKeyringSources([KEY_URL], createCachingFetcher(fake, { dir }));
    const offline = await loadKeyringSources([KEY_URL], createCachingFetcher(fake, { dir, offline: true }));
    expect([...offline.keys.keys()]).toEqual(['melange.rsa.pub']);
    expect(fake.requests).toHaveLength(1);
  });

  it('accepts the same key twice but refuses two different keys under one name', async () => {
    const fake = new FakeFetcher();
    fake.put(KEY_URL, await readFile(MELANGE));
    const same = await loadKeyringSources([MELANGE, KEY_URL], fake);
    expect(same.keys.size).toBe(1);
    fake.put(KEY_URL, await readFile(shared('keys', 'rsa256', 'test-rsa256.rsa.pub')));
    await expect(loadKeyringSources([MELANGE, KEY_URL], fake)).rejects.toMatchObject({
      code: 'KEY_INVALID',
      message: `two different keys named melange.rsa.pub: from ${MELANGE} and from ${KEY_URL}`,
    });
  });

  it('names the URL of a key that is missing or not a key', async () => {
    const fake = new FakeFetcher();
    await expect(loadKeyringSources([KEY_URL], fake)).rejects.toMatchObject({
      code: 'FETCH_NOT_FOUND',
      subject: KEY_URL,
    });
    fake.put(KEY_URL, 'not a key');
    await expect(loadKeyringSources([KEY_URL], fake)).rejects.toMatchObject({
      code: 'KEY_INVALID',
      subject: KEY_URL,
    });
    await expect(loadKeyringSources(['https://keys.test/'], fake)).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('names a local file that is not a key', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'junk.pub'), 'junk');
    await expect(loadKeyringSources([dir], new FakeFetcher())).rejects.toMatchObject({ code: 'KEY_INVALID' });
  });
});
