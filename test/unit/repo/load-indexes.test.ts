import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { EMPTY_KEYRING, keyringFromPems, loadKeyring } from '../../../src/apk/index.js';
import { splitGzipMembers } from '../../../src/archive/index.js';
import type { ProgressEvent } from '../../../src/core/index.js';
import { createCachingFetcher, loadIndexes } from '../../../src/repo/index.js';
import { FakeFetcher } from '../../kit/fake-fetcher.js';
import { shared, tempDir } from '../../kit/paths.js';

const REPO_DIR = shared('repo', 'melange-test');
const BASE = 'https://fake.test/melange';
const NAMES = ['custom-ca-certs-1', 'custom-ca-certs-2', 'pretend-baselayout', 'replayout'];

function serve() {
  return new FakeFetcher({ dir: REPO_DIR, baseUrl: BASE });
}

describe('loadIndexes', () => {
  it.each(['x86_64', 'aarch64'])('reads and verifies the %s index', async (arch) => {
    const keyring = await loadKeyring([shared('keys', 'melange')]);
    const fetcher = serve();
    const [index, ...rest] = await loadIndexes({ repositories: [{ url: BASE }], arch, keyring, fetcher });
    expect(rest).toEqual([]);
    expect(index!.indexUrl).toBe(`${BASE}/${arch}/APKINDEX.tar.gz`);
    expect(index!.records.map((r) => r.name)).toEqual(NAMES);
    expect(index!.records.every((r) => r.arch === arch)).toBe(true);
    expect(index!.trust).toEqual({ verdict: 'ok', keyName: 'melange.rsa.pub' });
    const bytes = await readFile(shared('repo', 'melange-test', arch, 'APKINDEX.tar.gz'));
    expect(index!.digest).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
    expect(fetcher.requests).toEqual([{ url: index!.indexUrl }]);
  });

  it('keeps repository order and tags, fetching each index once', async () => {
    const keyring = await loadKeyring([shared('keys', 'melange')]);
    const fetcher = serve();
    const other = 'https://fake.test/mirror';
    fetcher.put(`${other}/x86_64/APKINDEX.tar.gz`, await readFile(`${REPO_DIR}/x86_64/APKINDEX.tar.gz`));
    const indexes = await loadIndexes({
      repositories: [{ url: other, tag: 'mirror' }, { url: BASE }],
      arch: 'x86_64',
      keyring,
      fetcher,
    });
    expect(indexes.map((i) => i.repository)).toEqual([{ url: other, tag: 'mirror' }, { url: BASE }]);
    expect(fetcher.requests).toHaveLength(2);
  });

  it('refuses an index signed by a key the keyring lacks, naming repository, signers and offered keys', async () => {
    const keyring = await loadKeyring([shared('keys', 'alpine')]);
    const error = await loadIndexes({
      repositories: [{ url: BASE }],
      arch: 'x86_64',
      keyring,
      fetcher: serve(),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SIGNATURE_UNTRUSTED', subject: `${BASE}/x86_64/APKINDEX.tar.gz` });
    const message = (error as Error).message;
    expect(message).toBe(
      `repository ${BASE}: untrusted index ${BASE}/x86_64/APKINDEX.tar.gz: signed with .SIGN.RSA256.melange.rsa.pub; ` +
        'the keyring offers alpine-devel@lists.alpinelinux.org-4a6a0840.rsa.pub, ' +
        'alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub, alpine-devel@lists.alpinelinux.org-616ae350.rsa.pub ' +
        '(use --allow-untrusted to accept it)',
    );
  });

  it('says when the keyring is empty', async () => {
    const error = await loadIndexes({
      repositories: [{ url: BASE }],
      arch: 'aarch64',
      keyring: EMPTY_KEYRING,
      fetcher: serve(),
    }).catch((e: unknown) => e as Error);
    expect((error as Error).message).toContain(
      'signed with .SIGN.RSA256.melange.rsa.pub; the keyring offers no keys',
    );
  });

  it('names a different key under the signer file name', async () => {
    const pem = await readFile(shared('keys', 'rsa256', 'test-rsa256.rsa.pub'));
    const keyring = keyringFromPems([['melange.rsa.pub', pem]]);
    const error = await loadIndexes({
      repositories: [{ url: BASE }],
      arch: 'x86_64',
      keyring,
      fetcher: serve(),
    }).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ code: 'SIGNATURE_UNTRUSTED' });
    expect((error as Error).message).toContain('by a different key than the keyring');
  });

  it('accepts an untrusted index with allowUntrusted, and warns', async () => {
    const events: ProgressEvent[] = [];
    const [index] = await loadIndexes({
      repositories: [{ url: BASE }],
      arch: 'x86_64',
      keyring: EMPTY_KEYRING,
      fetcher: serve(),
      allowUntrusted: true,
      onProgress: (e) => events.push(e),
    });
    expect(index!.records).toHaveLength(4);
    expect(index!.trust.verdict).toBe('untrusted');
    expect(events.some((e) => e.kind === 'warn' && e.message.includes('accepted untrusted index'))).toBe(
      true,
    );
  });

  it('never accepts a BAD signature, even with allowUntrusted', async () => {
    const keyring = await loadKeyring([shared('keys', 'melange')]);
    const fetcher = serve();
    const bytes = Buffer.from(await readFile(`${REPO_DIR}/x86_64/APKINDEX.tar.gz`));
    // x86_64's signature over aarch64's index member: well-formed, over other bytes.
    const aarch = await readFile(`${REPO_DIR}/aarch64/APKINDEX.tar.gz`);
    const indexStart = (b: Buffer) => splitGzipMembers(b)[1]!.offset;
    fetcher.put(
      `${BASE}/x86_64/APKINDEX.tar.gz`,
      Buffer.concat([bytes.subarray(0, indexStart(bytes)), aarch.subarray(indexStart(aarch))]),
    );
    const run = loadIndexes({
      repositories: [{ url: BASE }],
      arch: 'x86_64',
      keyring,
      fetcher,
      allowUntrusted: true,
    });
    await expect(run).rejects.toMatchObject({ code: 'SIGNATURE_BAD' });
    await expect(run).rejects.toThrow(new RegExp(`^repository ${BASE}: ${BASE}/x86_64/APKINDEX.tar.gz: `));
  });

  it('names the URL when an index is missing or the server refuses', async () => {
    const keyring = await loadKeyring([shared('keys', 'melange')]);
    const fetcher = serve();
    await expect(
      loadIndexes({ repositories: [{ url: `${BASE}/nope` }], arch: 'x86_64', keyring, fetcher }),
    ).rejects.toMatchObject({
      code: 'FETCH_NOT_FOUND',
      message: `GET ${BASE}/nope/x86_64/APKINDEX.tar.gz: HTTP 404`,
    });
    fetcher.behave(`${BASE}/x86_64/APKINDEX.tar.gz`, { kind: 'status', status: 401 });
    await expect(
      loadIndexes({ repositories: [{ url: BASE }], arch: 'x86_64', keyring, fetcher }),
    ).rejects.toMatchObject({
      code: 'FETCH_UNAUTHORIZED',
      message: `GET ${BASE}/x86_64/APKINDEX.tar.gz: HTTP 401`,
    });
  });

  it('revalidates through the cache on the next run', async () => {
    const keyring = await loadKeyring([shared('keys', 'melange')]);
    const fake = serve();
    const fetcher = createCachingFetcher(fake, { dir: await tempDir() });
    const options = { repositories: [{ url: BASE }], arch: 'x86_64', keyring, fetcher };
    const first = await loadIndexes(options);
    const second = await loadIndexes(options);
    expect(second[0]!.digest).toBe(first[0]!.digest);
    expect(fake.requests.map((r) => r.etag !== undefined)).toEqual([false, true]);
  });
});
