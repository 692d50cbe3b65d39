import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createFetcher, createFileFetcher, fetchBytes, locate, redactUrl } from '../../../src/repo/index.js';
import { shared, tempDir } from '../../kit/paths.js';

const INDEX = shared('repo', 'melange-test', 'x86_64', 'APKINDEX.tar.gz');

describe('file fetcher', () => {
  it('streams local paths and file:// URLs in place', async () => {
    const fetcher = createFileFetcher();
    const byPath = await fetchBytes(fetcher, INDEX);
    expect(byPath.length).toBe(1138);
    expect(await fetchBytes(fetcher, pathToFileURL(INDEX).href)).toEqual(byPath);
  });

  it('answers not-modified to its own ETag', async () => {
    const fetcher = createFileFetcher();
    const first = await fetcher.fetch(INDEX);
    if (first.status !== 'ok') throw new Error('expected ok');
    for await (const _ of first.body);
    expect(first.size).toBe(1138);
    expect(await fetcher.fetch(INDEX, { etag: first.etag! })).toEqual({ status: 'not-modified' });
    expect(await fetcher.fetch(INDEX, { lastModified: first.lastModified! })).toEqual({
      status: 'not-modified',
    });
  });

  it('maps missing files, directories and unreadable files to fetch errors naming the path', async () => {
    const dir = await tempDir();
    const fetcher = createFileFetcher();
    const missing = join(dir, 'nope.apk');
    await expect(fetcher.fetch(missing)).rejects.toMatchObject({ code: 'FETCH_NOT_FOUND', subject: missing });
    await mkdir(join(dir, 'sub'));
    await expect(fetcher.fetch(join(dir, 'sub'))).rejects.toMatchObject({ code: 'FETCH_NOT_FOUND' });
    if (process.getuid?.() !== 0) {
      const secret = join(dir, 'secret');
      await writeFile(secret, 'x');
      await chmod(secret, 0);
      await expect(fetcher.fetch(secret)).rejects.toMatchObject({
        code: 'FETCH_UNAUTHORIZED',
        subject: secret,
      });
    }
  });
});

describe('locations and routing', () => {
  it('classifies URLs and paths', () => {
    expect(locate('https://r.test/x')).toEqual({ kind: 'http' });
    expect(locate('/srv/repo')).toEqual({ kind: 'local', path: '/srv/repo' });
    expect(locate('file:///srv/repo')).toEqual({ kind: 'local', path: '/srv/repo' });
    expect(() => locate('s3://bucket/x')).toThrow(/unsupported URL scheme 's3:'/);
  });

  it('hides passwords in messages', () => {
    expect(redactUrl('https://user:hunter2@r.test/x')).toBe('https://user:***@r.test/x');
    expect(redactUrl('https://r.test/x')).toBe('https://r.test/x');
  });

  it('createFetcher reads local files offline and never touches the network for http offline', async () => {
    const stateDir = await tempDir();
    const fetcher = createFetcher({ stateDir, offline: true });
    try {
      expect((await fetchBytes(fetcher, INDEX)).length).toBe(1138);
      await expect(fetcher.fetch('https://r.test/x86_64/APKINDEX.tar.gz')).rejects.toMatchObject({
        code: 'OFFLINE_MISS',
        message: `offline: https://r.test/x86_64/APKINDEX.tar.gz is not in the cache (${join(stateDir, 'cache', 'http')})`,
      });
      await expect(fetcher.fetch('ftp://r.test/x')).rejects.toMatchObject({ code: 'USAGE' });
    } finally {
      await fetcher.close();
    }
  });
});
