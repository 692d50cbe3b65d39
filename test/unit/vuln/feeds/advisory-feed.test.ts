import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryVulnSource } from '../../../../src/vuln/db/index.js';
import { readAdvisoryFeed } from '../../../../src/vuln/feeds/index.js';

const WOLFI_LIKE = join(import.meta.dirname, '../../../fixtures/advisories/wolfi-like');
const scratch = mkdtempSync(join(tmpdir(), 'larder-advfeed-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('readAdvisoryFeed', () => {
  it('gives one distro record per advisory, in the namespace asked for', async () => {
    const feed = await readAdvisoryFeed(WOLFI_LIKE, { distro: 'wolfi' });
    expect(feed.kind).toBe('advisories');
    expect(feed.location).toBe(WOLFI_LIKE);
    expect(feed.files).toBe(6);
    expect(feed.records.distro.length).toBe(25);
    expect(new Set(feed.records.distro.map((r) => r.distro))).toEqual(new Set(['wolfi']));
    const zlib = feed.records.distro.find((r) => r.vulnerability === 'CGA-72gv-xxfh-jrjf');
    expect(zlib).toMatchObject({
      package: 'zlib',
      aliases: ['CVE-2022-90011', 'GHSA-h92f-74mx-x948'],
      state: 'fixed',
      fixedVersion: '1.2.13-r1',
    });
    // Without metadata of their own, advisories still answer by id and alias.
    expect(memoryVulnSource(feed.records).vulnerability('CVE-2022-90011')).toEqual({
      id: 'CVE-2022-90011',
      aliases: ['CGA-72gv-xxfh-jrjf', 'GHSA-h92f-74mx-x948'],
      severity: 'unknown',
      cvss: [],
      references: [],
    });
  });

  it('applies to any distribution when none is named; the digest follows the bytes', async () => {
    const dir = join(scratch, 'copy');
    cpSync(WOLFI_LIKE, dir, { recursive: true });
    const first = await readAdvisoryFeed(dir);
    expect(new Set(first.records.distro.map((r) => r.distro))).toEqual(new Set(['']));
    expect((await readAdvisoryFeed(dir)).digest).toBe(first.digest);
    const file = join(dir, 'zlib.advisories.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n# a comment\n`);
    expect((await readAdvisoryFeed(dir)).digest).not.toBe(first.digest);
  });

  it('an invalid document fails the whole directory', async () => {
    const dir = join(scratch, 'broken');
    cpSync(WOLFI_LIKE, dir, { recursive: true });
    writeFileSync(join(dir, 'zlib.advisories.yaml'), 'schema-version: 2.0.2\npackage: [\n');
    await expect(readAdvisoryFeed(dir)).rejects.toMatchObject({ code: 'ADVISORY_INVALID' });
  });
});
