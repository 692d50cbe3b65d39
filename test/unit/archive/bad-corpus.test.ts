import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { badArchiveFixtures, sameFixture } from '../../../scripts/make-archive-bad-fixtures.js';
import { checkLinkTarget, readTar, safeEntryPath, splitGzipMembers } from '../../../src/archive/index.js';
import { BAD_FIXTURES, chunked, larderError, streamMembers } from './helpers.js';

function bad(name: string): Buffer {
  return readFileSync(join(BAD_FIXTURES, name));
}

// What an extractor does with each entry: normalise the path, check link targets.
function checkEntries(tar: Buffer): void {
  for (const { header } of readTar(tar)) {
    const path = safeEntryPath(header.name);
    if (header.type === 'symlink' || header.type === 'hardlink')
      checkLinkTarget(path, header.type, header.linkname);
  }
}

describe('bad archive corpus (test/fixtures/bad)', () => {
  it('truncated.tar.gz: GZIP_TRUNCATED inside the deflate body, in both APIs', async () => {
    const err = await larderError(() => splitGzipMembers(bad('truncated.tar.gz')), 'GZIP_TRUNCATED');
    expect(err.message).toMatch(/gzip member 0: input ends inside the deflate body that starts at byte 10/);
    const streamed = await larderError(
      () => streamMembers(chunked(bad('truncated.tar.gz'), () => 16)),
      'GZIP_TRUNCATED',
    );
    expect(streamed.message).toMatch(
      /gzip member 0 at byte 0: input ends inside the deflate body at byte 1547/,
    );
  });

  it('bad-crc.tar.gz: GZIP_BAD_CRC with expected and actual CRC32', async () => {
    const err = await larderError(() => splitGzipMembers(bad('bad-crc.tar.gz')), 'GZIP_BAD_CRC');
    expect(err.message).toMatch(
      /gzip member 0, trailer at byte 3087: CRC32 expected 0x[0-9a-f]{8} \(trailer\), actual/,
    );
  });

  it('escape-dotdot.tar: TAR_UNSAFE_PATH for "../x"', async () => {
    expect(readTar(bad('escape-dotdot.tar')).map((e) => e.header.name)).toEqual(['etc/motd', '../x']);
    const err = await larderError(() => checkEntries(bad('escape-dotdot.tar')), 'TAR_UNSAFE_PATH');
    expect(err.message).toBe('unsafe tar entry path "../x": ".." component');
  });

  it('escape-absolute.tar: TAR_UNSAFE_PATH for "/etc/x"', async () => {
    const err = await larderError(() => checkEntries(bad('escape-absolute.tar')), 'TAR_UNSAFE_PATH');
    expect(err.message).toBe('unsafe tar entry path "/etc/x": absolute path');
  });

  it('symlink-outside.tar: TAR_UNSAFE_PATH for usr/evil -> ../../etc/passwd', async () => {
    const err = await larderError(() => checkEntries(bad('symlink-outside.tar')), 'TAR_UNSAFE_PATH');
    expect(err.message).toBe('unsafe symlink "usr/evil" -> "../../etc/passwd": resolves outside the root');
  });

  it('oversized-pax.tar.gz: TAR_TOO_LARGE for a 2 MiB PAX header', async () => {
    const [member] = splitGzipMembers(bad('oversized-pax.tar.gz'));
    const err = await larderError(() => readTar(member!.data), 'TAR_TOO_LARGE');
    expect(err.message).toMatch(/^oversized PAX header: 2097169 bytes at offset 0 \(limit 1048576 bytes/);
  });

  it('is fresh: the generator script reproduces every committed file', () => {
    for (const [name, bytes] of Object.entries(badArchiveFixtures()))
      expect(sameFixture(name, bad(name), bytes), name).toBe(true);
  });
});
