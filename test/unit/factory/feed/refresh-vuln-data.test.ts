import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLarderError } from '../../../../src/core/index.js';
import { refreshVulnData, secdbOf } from '../../../../src/factory/feed/index.js';
import type { FactoryConfig, Workspace } from '../../../../src/factory/model.js';
import { recordPackages } from '../../../../src/factory/state/index.js';
import { openStore, type Store } from '../../../../src/store/index.js';
import { own, tempDir } from '../../../kit/paths.js';
import { advisoryYaml, DETECTED, FALSE_POSITIVE, FIXED_IN } from '../jobs/compose/compose-kit.js';

let root: string;
let store: Store;

function workspace(feeds: FactoryConfig['feeds'] = []): Workspace {
  return {
    root,
    config: {
      repository: {
        name: 'main',
        dir: join(root, 'repo'),
        archs: ['x86_64', 'aarch64'],
        signingKey: own('keys', 'larder-test.rsa'),
        extraRepositories: [],
        extraKeyring: [],
      },
      images: { signFormat: 'both', attest: false, publish: {} },
      registries: {},
      policy: { gate: 'zero-known-cve' },
      feeds,
      schedules: { rescanMs: 0, updateCheckMs: 0 },
      server: { publicReads: true },
    },
    recipes: [],
    images: [],
    advisoryFiles: [],
  };
}

const advise = (pkg: string, event: string, id?: string) =>
  writeFile(join(root, 'advisories', `${pkg}.advisories.yaml`), advisoryYaml(pkg, event, id));
const sourceNames = async () =>
  (await store.db.selectFrom('vuln_sources').select('name').orderBy('name').execute()).map((r) => r.name);

beforeEach(async () => {
  root = await tempDir('larder-feed-');
  await mkdir(join(root, 'advisories'));
  store = await openStore(':memory:');
});
afterEach(async () => {
  await store.close();
  await rm(root, { recursive: true, force: true });
});

describe('refreshVulnData', () => {
  it('imports the advisories, then skips them while unchanged (same version, same database)', async () => {
    await advise('libx', DETECTED);
    const first = await refreshVulnData(workspace(), store);
    expect(first.feedVersion).toMatch(/^[0-9a-f]{12}$/);
    expect(first.imported).toEqual([`advisories:${join(root, 'advisories')}`]);
    expect(first.database.distroRecords('libx').map((r) => [r.vulnerability, r.state])).toEqual([
      ['CGA-9m9w-f4q4-w37p', 'affected'],
    ]);
    const second = await refreshVulnData(workspace(), store);
    expect(second.imported).toEqual([]);
    expect(second.feedVersion).toBe(first.feedVersion);
    expect(second.database).toBe(first.database);
  });

  it('changes the feed version whenever an advisory changes, and serves the new data', async () => {
    await advise('libx', DETECTED);
    const first = await refreshVulnData(workspace(), store);
    await advise('libx', FIXED_IN('1.0-r1'));
    const second = await refreshVulnData(workspace(), store);
    expect(second.feedVersion).not.toBe(first.feedVersion);
    expect(second.database.distroRecords('libx')[0]).toMatchObject({
      state: 'fixed',
      fixedVersion: '1.0-r1',
    });
    await advise('liby', FALSE_POSITIVE, 'CGA-5573-2mfc-p98v');
    const third = await refreshVulnData(workspace(), store);
    expect(third.feedVersion).not.toBe(second.feedVersion);
    expect(third.database.distroRecords('liby')[0]).toMatchObject({ state: 'not-affected' });
  });

  it('reads secdb and OSV feeds, and drops a feed removed from larder.yaml', async () => {
    const secdb = join(root, 'security.json');
    await cp(own('secdb', 'wolfi-security.json'), secdb);
    const osv = join(root, 'osv');
    await cp(own('osv', 'records', 'ghsa'), osv, { recursive: true });
    const feeds: FactoryConfig['feeds'] = [
      { kind: 'secdb', location: secdb },
      { kind: 'osv', location: osv },
    ];
    const both = await refreshVulnData(workspace(feeds), store);
    expect(both.imported).toEqual([`advisories:${join(root, 'advisories')}`, `secdb:${secdb}`, `osv:${osv}`]);
    expect(both.database.distroRecords('openssl').length).toBeGreaterThan(0);
    expect(await sourceNames()).toHaveLength(3);
    const fewer = await refreshVulnData(workspace(feeds.slice(1)), store);
    expect(fewer.imported).toEqual([]);
    expect(fewer.feedVersion).not.toBe(both.feedVersion);
    expect(await sourceNames()).toEqual([`advisories:${join(root, 'advisories')}`, `osv:${osv}`]);
    expect(fewer.database.distroRecords('openssl')).toEqual([]);
  });

  it('serves a store without synchronous reads (PostgreSQL) from memory, still importing into it', async () => {
    const asyncStore: Store = {
      db: store.db,
      dialect: store.dialect,
      location: store.location,
      schemaVersion: store.schemaVersion,
      sync: undefined,
      write: (fn) => store.write(fn),
      close: async () => {},
    };
    await advise('libx', DETECTED);
    const first = await refreshVulnData(workspace(), asyncStore);
    expect(first.database.distroRecords('libx').map((r) => r.state)).toEqual(['affected']);
    expect(await sourceNames()).toEqual([`advisories:${join(root, 'advisories')}`]);
    const same = await refreshVulnData(workspace(), asyncStore);
    expect(same.database).toBe(first.database);
    await advise('libx', FIXED_IN('1.0-r1'));
    const fixed = await refreshVulnData(workspace(), asyncStore);
    expect(fixed.database.distroRecords('libx').map((r) => r.state)).toEqual(['fixed']);
    // The SQLite side reads the same rows back.
    const sync = await refreshVulnData(workspace(), store);
    expect(sync.imported).toEqual([]);
    expect(sync.feedVersion).toBe(fixed.feedVersion);
    expect(sync.database.distroRecords('libx').map((r) => r.state)).toEqual(['fixed']);
  });

  it('leaves a broken advisory out, reports it, and keeps the others', async () => {
    await advise('libx', DETECTED);
    await writeFile(
      join(root, 'advisories', 'broken.advisories.yaml'),
      'schema-version: "2.0.2"\npackage: [\n',
    );
    const data = await refreshVulnData(workspace(), store);
    expect(data.problems).toHaveLength(1);
    expect(data.problems[0]).toContain('broken.advisories.yaml');
    expect(data.database.distroRecords('libx')).toHaveLength(1);
  });

  it('takes a missing advisories directory as empty, and fails naming a missing feed file', async () => {
    await rm(join(root, 'advisories'), { recursive: true });
    const empty = await refreshVulnData(workspace(), store);
    expect(empty.database.distroRecords('libx')).toEqual([]);
    const missing = join(root, 'nope.json');
    const err = await refreshVulnData(workspace([{ kind: 'secdb', location: missing }]), store).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isLarderError(err), String(err)).toBe(true);
    expect((err as Error).message).toContain(missing);
  });

  it('refuses a broken secdb feed naming it, and imports nothing of that refresh', async () => {
    const bad = join(root, 'security.json');
    await writeFile(bad, '{"packages": [');
    const err = await refreshVulnData(workspace([{ kind: 'secdb', location: bad }]), store).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isLarderError(err, 'SECDB_INVALID'), String(err)).toBe(true);
    expect((err as Error).message).toContain(bad);
    expect(await sourceNames()).toEqual([]);
  });
});

describe('secdbOf', () => {
  it('lists the advisories of the repository origins as security.json for the repository', async () => {
    await advise('libx', FIXED_IN('1.0-r1'));
    await advise('liby', FALSE_POSITIVE);
    await advise('elsewhere', FIXED_IN('2.0-r0'));
    await writeFile(join(root, 'advisories', 'broken.advisories.yaml'), 'package: [\n');
    await recordPackages(store, [
      {
        name: 'libx',
        version: '1.0-r1',
        arch: 'x86_64',
        origin: 'libx',
        checksum: 'Q1a',
        size: 1,
        publishedAt: 'x',
      },
      {
        name: 'liby-dev',
        version: '1.0-r0',
        arch: 'x86_64',
        origin: 'liby',
        checksum: 'Q1b',
        size: 1,
        publishedAt: 'x',
      },
    ]);
    const json = JSON.parse(new TextDecoder().decode(await secdbOf(workspace(), store)));
    expect(json).toEqual({
      apkurl: '{{urlprefix}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk',
      archs: ['x86_64', 'aarch64'],
      reponame: 'main',
      urlprefix: '',
      packages: [
        { pkg: { name: 'libx', secfixes: { '1.0-r1': ['CGA-9m9w-f4q4-w37p', 'CVE-2099-0001'] } } },
        { pkg: { name: 'liby', secfixes: { '0': ['CGA-9m9w-f4q4-w37p', 'CVE-2099-0001'] } } },
      ],
    });
  });
});
