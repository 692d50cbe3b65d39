// The factory state tests, run on SQLite (state.test.ts) and on PostgreSQL
// (test/integration/factory-postgres.test.ts).
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LarderError } from '../../../../src/core/index.js';
import {
  appendEvent,
  createToken,
  exposureWindows,
  imageFindings,
  imageHistory,
  latestImageVersions,
  listAdvisories,
  listBuilds,
  listEvents,
  listImages,
  listPackages,
  listTokens,
  openFindings,
  recordAdvisories,
  recordBuild,
  recordImage,
  recordImageVersion,
  recordPackages,
  recordScan,
  revokeToken,
  updateImageVersion,
  verifyToken,
} from '../../../../src/factory/state/index.js';
import type { Store } from '../../../../src/store/index.js';

const at = (minute: number): string => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

export function stateSuite(open: () => Promise<Store>): void {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(() => store.close());

  it('builds are recorded, replaced by key and listed newest first', async () => {
    const b = { recipe: 'zlib', version: '1.3-r0', arch: 'x86_64', recipeHash: 'sha256:aa' } as const;
    await recordBuild(store, { ...b, key: 'build:zlib#1', status: 'running', startedAt: at(1) });
    await recordBuild(store, {
      ...b,
      key: 'build:curl#1',
      recipe: 'curl',
      status: 'running',
      startedAt: at(2),
    });
    await recordBuild(store, {
      ...b,
      key: 'build:zlib#1',
      status: 'failed',
      startedAt: at(1),
      finishedAt: at(3),
      error: 'step 2 failed',
      logPath: '/logs/zlib.log',
    });
    expect((await listBuilds(store)).map((r) => r.key)).toEqual(['build:curl#1', 'build:zlib#1']);
    expect(await listBuilds(store, { recipe: 'zlib' })).toEqual([
      {
        ...b,
        key: 'build:zlib#1',
        status: 'failed',
        startedAt: at(1),
        finishedAt: at(3),
        error: 'step 2 failed',
        logPath: '/logs/zlib.log',
      },
    ]);
    expect(await listBuilds(store, { status: 'running', limit: 5 })).toHaveLength(1);
  });

  it('packages are upserted and listed by name or origin', async () => {
    const p = { arch: 'x86_64', origin: 'zlib', checksum: 'Q1abc=', size: 100, publishedAt: at(1) };
    await recordPackages(store, [
      { ...p, name: 'zlib', version: '1.3-r0', buildKey: 'build:zlib#1' },
      { ...p, name: 'zlib-dev', version: '1.3-r0' },
    ]);
    await recordPackages(store, [{ ...p, name: 'zlib', version: '1.3-r0', size: 200, publishedAt: at(2) }]);
    await recordPackages(store, []);
    expect(await listPackages(store, { name: 'zlib' })).toEqual([
      { ...p, name: 'zlib', version: '1.3-r0', size: 200, publishedAt: at(2) },
    ]);
    expect((await listPackages(store, { origin: 'zlib' })).map((r) => r.name)).toEqual(['zlib', 'zlib-dev']);
  });

  it('images and their versions: latest per image, history, later updates', async () => {
    await recordImage(store, {
      name: 'app',
      configFile: '/w/images/app.yaml',
      configHash: 'sha256:c1',
      publish: ['r/app'],
      policy: 'zero-known-cve',
    });
    await recordImage(store, {
      name: 'app',
      configFile: '/w/images/app.yaml',
      configHash: 'sha256:c2',
      publish: ['r/app', 'r2/app'],
      policy: 'high',
    });
    await recordImage(store, {
      name: 'base',
      configFile: '/w/images/base.yaml',
      configHash: 'sha256:b',
      publish: [],
      policy: 'zero-known-cve',
    });
    expect((await listImages(store)).map((i) => [i.name, i.configHash, i.publish])).toEqual([
      ['app', 'sha256:c2', ['r/app', 'r2/app']],
      ['base', 'sha256:b', []],
    ]);
    const v = {
      digests: { x86_64: 'sha256:m1' },
      lock: { packages: [{ name: 'zlib' }] },
      lockHash: 'sha256:l',
      configHash: 'sha256:c2',
      signed: false,
      attested: false,
    };
    const first = await recordImageVersion(store, {
      ...v,
      image: 'app',
      indexDigest: 'sha256:i1',
      publishedAt: at(1),
    });
    const second = await recordImageVersion(store, {
      ...v,
      image: 'app',
      indexDigest: 'sha256:i2',
      publishedAt: at(5),
      feedVersion: 'f1',
    });
    const tie = await recordImageVersion(store, {
      ...v,
      image: 'app',
      indexDigest: 'sha256:i3',
      publishedAt: at(5),
    });
    await recordImageVersion(store, { ...v, image: 'base', indexDigest: 'sha256:b1', publishedAt: at(2) });
    expect(second).toBeGreaterThan(first);
    const latest = await latestImageVersions(store);
    expect(latest.map((l) => [l.image, l.indexDigest])).toEqual([
      ['app', 'sha256:i3'],
      ['base', 'sha256:b1'],
    ]);
    expect(latest[0]).toMatchObject({
      id: tie,
      digests: v.digests,
      lock: v.lock,
      signed: false,
      attested: false,
    });
    expect(await updateImageVersion(store, tie, { signed: true, attested: true, feedVersion: 'f2' })).toBe(
      true,
    );
    expect(await updateImageVersion(store, 999_999, { signed: true })).toBe(false);
    expect(await updateImageVersion(store, tie, {})).toBe(false);
    const history = await imageHistory(store, 'app');
    expect(history.map((h) => h.indexDigest)).toEqual(['sha256:i3', 'sha256:i2', 'sha256:i1']);
    expect(history[0]).toMatchObject({ signed: true, attested: true, feedVersion: 'f2' });
    expect(await imageHistory(store, 'app', 1)).toHaveLength(1);
  });

  it('findings: kept across scans, resolved by the first version without them; exposure windows', async () => {
    const cve1 = {
      vulnId: 'CVE-1',
      aliases: ['GHSA-1'],
      package: 'libz',
      origin: 'zlib',
      state: 'open',
    } as const;
    const cve2 = {
      vulnId: 'CVE-2',
      aliases: [],
      package: 'curl',
      origin: 'curl',
      state: 'awaiting-fix',
    } as const;
    const vex = {
      vulnId: 'CVE-3',
      aliases: [],
      package: 'curl',
      origin: 'curl',
      state: 'not-affected',
    } as const;
    expect(
      await recordScan(store, { image: 'app', digest: 'sha256:i1', at: at(0), findings: [cve1, cve2, vex] }),
    ).toEqual({ opened: 3, kept: 0, resolved: 0 });
    expect(
      await recordScan(store, {
        image: 'app',
        digest: 'sha256:i1',
        at: at(10),
        findings: [{ ...cve1, fixedIn: '1.3-r1' }, cve2, vex],
      }),
    ).toEqual({ opened: 0, kept: 3, resolved: 0 });
    expect(
      (await openFindings(store, 'app')).map((f) => [f.vulnId, f.state, f.firstSeen, f.fixedIn]),
    ).toEqual([
      ['CVE-1', 'open', at(0), '1.3-r1'],
      ['CVE-2', 'awaiting-fix', at(0), undefined],
    ]);
    // The fixed version is published at minute 25: CVE-1 is gone.
    expect(
      await recordScan(store, { image: 'app', digest: 'sha256:i2', at: at(25), findings: [cve2, vex] }),
    ).toEqual({ opened: 0, kept: 2, resolved: 1 });
    await recordScan(store, { image: 'base', digest: 'sha256:b1', at: at(30), findings: [cve1] });
    expect((await openFindings(store)).map((f) => `${f.image} ${f.vulnId}`)).toEqual([
      'app CVE-2',
      'base CVE-1',
    ]);
    const history = await imageFindings(store, 'app');
    expect(history.find((f) => f.vulnId === 'CVE-1')).toMatchObject({
      state: 'fixed',
      resolvedAt: at(25),
      imageDigest: 'sha256:i1',
    });
    expect(await exposureWindows(store, at(60))).toEqual([
      {
        image: 'app',
        vulnId: 'CVE-1',
        aliases: ['GHSA-1'],
        packages: ['libz'],
        firstSeen: at(0),
        resolvedAt: at(25),
        durationMs: 25 * 60_000,
        open: false,
      },
      {
        image: 'app',
        vulnId: 'CVE-2',
        aliases: [],
        packages: ['curl'],
        firstSeen: at(0),
        durationMs: 60 * 60_000,
        open: true,
      },
      {
        image: 'base',
        vulnId: 'CVE-1',
        aliases: ['GHSA-1'],
        packages: ['libz'],
        firstSeen: at(30),
        durationMs: 30 * 60_000,
        open: true,
      },
    ]);
    // CVE-1 comes back in app: a second window.
    await recordScan(store, { image: 'app', digest: 'sha256:i3', at: at(40), findings: [cve1] });
    await recordScan(store, { image: 'app', digest: 'sha256:i4', at: at(45), findings: [] });
    const app1 = (await exposureWindows(store, at(60))).filter(
      (w) => w.image === 'app' && w.vulnId === 'CVE-1',
    );
    expect(app1.map((w) => [w.firstSeen, w.resolvedAt, w.durationMs])).toEqual([
      [at(0), at(25), 25 * 60_000],
      [at(40), at(45), 5 * 60_000],
    ]);
    await expect(
      recordScan(store, { image: 'app', digest: 'sha256:x', at: at(50), findings: [cve1, cve1] }),
    ).rejects.toThrow(/CVE-1 in libz is listed twice/);
  });

  it('advisories mirror the YAML', async () => {
    await recordAdvisories(store, [
      { package: 'zlib', id: 'CVE-1', aliases: ['GHSA-1'], state: 'affected', updatedAt: at(1) },
      { package: 'curl', id: 'CVE-2', aliases: [], state: 'fixed', updatedAt: at(1) },
    ]);
    await recordAdvisories(store, [
      { package: 'zlib', id: 'CVE-1', aliases: ['GHSA-1'], state: 'fixed', updatedAt: at(2) },
    ]);
    await recordAdvisories(store, []);
    expect((await listAdvisories(store)).map((a) => `${a.package} ${a.id} ${a.state}`)).toEqual([
      'curl CVE-2 fixed',
      'zlib CVE-1 fixed',
    ]);
    expect(await listAdvisories(store, { package: 'zlib' })).toEqual([
      { package: 'zlib', id: 'CVE-1', aliases: ['GHSA-1'], state: 'fixed', updatedAt: at(2) },
    ]);
    expect(await listAdvisories(store, { id: 'CVE-2' })).toHaveLength(1);
  });

  it('events append and page newest first by id, time, subject and kind', async () => {
    for (let i = 0; i < 7; i++)
      await appendEvent(store, {
        at: at(i),
        kind: i % 2 === 0 ? 'image-published' : 'build-failed',
        subject: i < 3 ? 'image:app' : 'recipe:zlib',
        message: `event ${i}`,
        ...(i === 0 ? { details: { digest: 'sha256:i1' } } : {}),
      });
    const page1 = await listEvents(store, { limit: 3 });
    expect(page1.map((e) => e.message)).toEqual(['event 6', 'event 5', 'event 4']);
    const page2 = await listEvents(store, { limit: 3, before: page1.at(-1)?.id as number });
    expect(page2.map((e) => e.message)).toEqual(['event 3', 'event 2', 'event 1']);
    const last = await listEvents(store, { before: page2.at(-1)?.id as number });
    expect(last).toEqual([
      {
        id: last[0]?.id,
        at: at(0),
        kind: 'image-published',
        subject: 'image:app',
        message: 'event 0',
        details: { digest: 'sha256:i1' },
      },
    ]);
    expect((await listEvents(store, { since: at(2), until: at(4) })).map((e) => e.message)).toEqual([
      'event 3',
      'event 2',
    ]);
    expect(
      (await listEvents(store, { subject: 'image:app', kind: 'build-failed' })).map((e) => e.message),
    ).toEqual(['event 1']);
  });

  it('tokens: the secret is shown once, stored hashed, verified with scopes, revocable', async () => {
    const made = await createToken(store, {
      name: 'ci',
      scopes: ['write', 'advisories:write', 'write'],
      now: at(1),
    });
    expect(made.token).toMatch(/^lt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(made.scopes).toEqual(['advisories:write', 'write']);
    const row = await store.db.selectFrom('factory_tokens').selectAll().executeTakeFirstOrThrow();
    expect(row.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(made.token.slice(16));
    expect(await verifyToken(store, made.token, { scope: 'write', now: at(2) })).toEqual({
      id: made.id,
      name: 'ci',
      scopes: ['advisories:write', 'write'],
      createdAt: at(1),
      lastUsedAt: at(2),
    });
    expect(await verifyToken(store, made.token, { scope: 'admin' })).toBeUndefined();
    const wrong = `${made.token.slice(0, -1)}${made.token.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [wrong, '', 'Bearer x', `lt_000000000000_${made.token.slice(16)}`, `${made.token}x`])
      expect(await verifyToken(store, bad)).toBeUndefined();
    expect(await listTokens(store)).toEqual([
      { id: made.id, name: 'ci', scopes: ['advisories:write', 'write'], createdAt: at(1), lastUsedAt: at(2) },
    ]);
    expect(await revokeToken(store, made.id)).toBe(true);
    expect(await revokeToken(store, made.id)).toBe(false);
    expect(await verifyToken(store, made.token)).toBeUndefined();
    await expect(createToken(store, { name: ' ', scopes: [] })).rejects.toThrow(/needs a name/);
    await expect(createToken(store, { name: 'x', scopes: ['Write all'] })).rejects.toThrow(
      /token scope "Write all"/,
    );
  });

  describe('damaged rows are STORE_INVALID naming table, row and column', () => {
    it.each([
      [
        'factory_images',
        { name: 'app', config_file: 'f', config_hash: 'h', publish: '[1]', policy: 'p' },
        () => listImages(store),
        /factory_images app: column publish is not a list of strings/,
      ],
      [
        'factory_events',
        { at: at(0), kind: 'k', subject: 's', message: 'm', details: 'nope' },
        () => listEvents(store),
        /factory_events id \d+: column details is not JSON: "nope"/,
      ],
      [
        'factory_events',
        { at: at(0), kind: 'k', subject: 's', message: 'm', details: '[]' },
        () => listEvents(store),
        /column details is not an object/,
      ],
      [
        'factory_advisories',
        { package: 'z', id: 'CVE-1', aliases: '{', state: 's', updated_at: at(0) },
        () => listAdvisories(store),
        /factory_advisories z CVE-1: column aliases is not JSON/,
      ],
      [
        'factory_image_versions',
        {
          image: 'a',
          index_digest: 'd',
          digests: '{}',
          lock: '{x',
          lock_hash: 'l',
          config_hash: 'c',
          feed_version: null,
          published_at: at(0),
          signed: 0,
          attested: 0,
        },
        () => latestImageVersions(store),
        /factory_image_versions id \d+ \(a\): column lock is not JSON/,
      ],
    ] as const)('%s', async (table, row, read, message) => {
      // A deliberately damaged row, written past the typed schema.
      const raw = store.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
      await raw.insertInto(table).values(row).execute();
      const err = await read().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(LarderError);
      expect((err as LarderError).code).toBe('STORE_INVALID');
      expect((err as LarderError).message).toMatch(message);
    });
  });
}
