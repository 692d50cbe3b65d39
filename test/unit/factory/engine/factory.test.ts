import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFactory, type Factory } from '../../../../src/factory/engine/index.js';
import { listEvents, listPackages, type RecordedEvent } from '../../../../src/factory/state/index.js';
import { openStore, type Store } from '../../../../src/store/index.js';
import { tempDir } from '../../../kit/paths.js';
import {
  engineWorkspace,
  type FakeBodies,
  fakeBodies,
  put,
  recipe,
  settled,
  until,
  WORKSPACE,
} from './engine-kit.js';

describe('createFactory (embedded, fake bodies)', () => {
  let store: Store;
  let root: string;
  let stateDir: string;
  let fake: FakeBodies;
  let feedVersion: string;
  const open: Factory[] = [];
  beforeEach(async () => {
    store = await openStore(':memory:');
    root = await engineWorkspace(WORKSPACE);
    stateDir = await tempDir('larder-engine-state-');
    fake = fakeBodies();
    feedVersion = 'feed1';
  });
  afterEach(async () => {
    for (const f of open.splice(0)) await f.close();
    await store.close();
  });

  const start = async (extra: { watch?: boolean; pollMs?: number } = {}): Promise<Factory> => {
    const factory = await createFactory({
      workspaceDir: root,
      store,
      stateDir,
      bodies: fake.bodies,
      concurrency: 2,
      pollMs: extra.pollMs ?? 0,
      watch: extra.watch ?? false,
      runnerPollMs: 20,
      refreshFeed: async () => ({ feedVersion }),
      securityJson: async () => new TextEncoder().encode('{"packages":[]}'),
    });
    open.push(factory);
    return factory;
  };

  it('builds in dependency order, then composes, then has nothing to do', async () => {
    const factory = await start();
    await settled(factory);
    const builds = fake.started.filter((k) => k.startsWith('build:'));
    expect(builds).toHaveLength(2);
    expect(builds[0]).toMatch(/^build:liba@1\.0\.0-r0\/x86_64#/);
    expect(builds[1]).toMatch(/^build:app@1\.0\.0-r0\/x86_64#/);
    const composes = fake.started.filter((k) => k.startsWith('compose:'));
    expect(composes).toHaveLength(1);
    expect(composes[0]).toMatch(/^compose:app@[0-9a-f]{12}#[0-9a-f]{12}$/);
    expect([...fake.done.values()].every((n) => n === 1)).toBe(true);
    expect((await listPackages(store)).map((p) => `${p.name}-${p.version}`)).toEqual([
      'app-1.0.0-r0',
      'liba-1.0.0-r0',
    ]);
    const status = factory.status();
    expect(status.summary[0]).toMatch(/^nothing to do/);
    expect(status.feedVersion).toBe('feed1');
    expect(status.problems).toEqual([]);
    // The compose was enqueued with the feed version it was planned under.
    expect((await factory.queue.get(composes[0] as string))?.payload.feedVersion).toBe('feed1');
    const log = await factory.jobLog(builds[0] as string, 0);
    expect(log.map((l) => l.line)).toContain('[build] liba 1.0.0-r0');
    expect(log.map((l) => l.seq)).toEqual(log.map((_, i) => i + 1));
  });

  it('a recipe change rebuilds it and what needs it, recomposes, and records a recipe-changed event', async () => {
    const factory = await start();
    await settled(factory);
    const seen: RecordedEvent[] = [];
    factory.onEvent((e) => seen.push(e));
    await put(root, 'recipes/liba.yaml', recipe('liba', '1.1.0'));
    factory.wake('test: recipe edited');
    await settled(factory);
    const builds = fake.started.filter((k) => k.startsWith('build:'));
    const rebuilt = builds.slice(2);
    expect(rebuilt[0]).toMatch(/^build:liba@1\.1\.0-r0\//);
    // app keeps its version and is rebuilt under a key naming the new build-dep. (The planner
    // may plan a second such rebuild when a reconcile runs between liba's end and app's start:
    // docs/factory.md "Running (engine)", known issues.)
    expect(rebuilt.length).toBeGreaterThanOrEqual(2);
    for (const key of rebuilt.slice(1))
      expect(key).toMatch(/^build:app@1\.0\.0-r0\/x86_64#[0-9a-f]{12}\.[0-9a-f]{12}$/);
    expect([...fake.done.values()].every((n) => n === 1)).toBe(true);
    expect(fake.started.filter((k) => k.startsWith('compose:'))).toHaveLength(2);
    expect(seen.filter((e) => e.kind === 'recipe-changed').map((e) => e.subject)).toEqual(['recipe:liba']);
    expect((await listEvents(store, { kind: 'recipe-changed' })).map((e) => e.subject)).toEqual([
      'recipe:liba',
    ]);
  });

  it('a new feed version rescans the published image and records feed-refreshed', async () => {
    const factory = await start();
    await settled(factory);
    feedVersion = 'feed2';
    factory.wake('feed-refresh');
    await settled(factory);
    expect(fake.started.filter((k) => k.startsWith('rescan:'))).toEqual([
      expect.stringMatching(/^rescan:app@.*#feed2$/),
    ]);
    expect((await listEvents(store, { kind: 'feed-refreshed' })).map((e) => e.message)).toEqual([
      'vulnerability data changed: feed version feed1 → feed2',
    ]);
  });

  it('a broken recipe shows as a problem and never stops the rest', async () => {
    await put(root, 'recipes/broken.yaml', 'package: [not, a, map\n');
    const factory = await start();
    await settled(factory);
    expect(fake.started.filter((k) => k.startsWith('compose:'))).toHaveLength(1);
    expect(factory.status().problems.some((p) => p.includes('broken'))).toBe(true);
  });

  it('an image that does not resolve is a problem, not a compose', async () => {
    await put(root, 'images/ghost.yaml', 'contents:\n  packages:\n    - no-such-package\narchs: [x86_64]\n');
    const factory = await start();
    await settled(factory);
    expect(fake.started.filter((k) => k.startsWith('compose:ghost'))).toEqual([]);
    expect(factory.status().problems.find((p) => p.startsWith('image:ghost'))).toMatch(/does not resolve/);
  });

  it('restarting continues without running any job twice', async () => {
    fake.delayMs = 150;
    const first = await start();
    await until(() => fake.started.length >= 1);
    await first.close();
    open.splice(0);
    fake.delayMs = 0;
    const second = await start();
    await settled(second);
    expect([...fake.done.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(fake.started.filter((k) => k.startsWith('compose:'))).toHaveLength(1);
    const jobs = await second.queue.list();
    expect(new Set(jobs.map((j) => j.key)).size).toBe(jobs.length);
    expect(jobs.every((j) => j.status === 'succeeded')).toBe(true);
  });

  it('a file change in the workspace wakes the reconciler (watch, and the poll without it)', async () => {
    for (const mode of [
      { watch: true, pollMs: 0 },
      { watch: false, pollMs: 50 },
    ]) {
      const factory = await start(mode);
      await settled(factory);
      const runs = factory.reconciler.runs();
      const version = mode.watch ? '2.0.0' : '3.0.0';
      await put(root, 'recipes/app.yaml', recipe('app', version, ['liba']));
      await until(() => fake.started.some((k) => k.startsWith(`build:app@${version}`)), 10_000);
      expect(factory.reconciler.runs()).toBeGreaterThan(runs);
      expect(factory.reconciler.recentReasons().some((r) => r.startsWith('workspace changed'))).toBe(true);
      await settled(factory);
      await factory.close();
      open.splice(0);
    }
  });

  it('saveAdvisory writes the advisory YAML, records advisory-changed and refreshes the feed', async () => {
    const factory = await start();
    await settled(factory);
    const seen: RecordedEvent[] = [];
    factory.onEvent((e) => seen.push(e));
    feedVersion = 'feed-after-advisory';
    await factory.saveAdvisory({
      package: 'liba',
      vulnerability: 'CVE-2026-0001',
      type: 'fixed',
      fixedVersion: '1.0.0-r1',
    });
    await settled(factory);
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(`${root}/advisories/liba.advisories.yaml`, 'utf8');
    expect(text).toContain('CVE-2026-0001');
    expect(text).toContain('fixed-version: 1.0.0-r1');
    expect(seen.filter((e) => e.kind === 'advisory-changed').map((e) => e.subject)).toEqual([
      'vuln:CVE-2026-0001',
    ]);
    expect(factory.status().feedVersion).toBe('feed-after-advisory');
    await expect(
      factory.saveAdvisory({ package: 'liba', vulnerability: 'CVE-2026-0002', type: 'fixed' }),
    ).rejects.toThrow(/fixedVersion/);
  });

  it('onEvent hears events other processes append to the store', async () => {
    const factory = await start({ pollMs: 30 });
    const seen: RecordedEvent[] = [];
    const off = factory.onEvent((e) => seen.push(e));
    const { appendEvent } = await import('../../../../src/factory/state/index.js');
    await appendEvent(store, {
      at: '2026-11-28T05:00:00.000Z',
      kind: 'package-published',
      subject: 'package:x-1',
      message: 'from a worker',
    });
    await until(() => seen.some((e) => e.message === 'from a worker'));
    off();
    await appendEvent(store, {
      at: '2026-11-28T05:00:00.000Z',
      kind: 'package-published',
      subject: 'package:y-1',
      message: 'unheard',
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.filter((e) => e.message === 'from a worker')).toHaveLength(1);
    expect(seen.some((e) => e.message === 'unheard')).toBe(false);
  });
});
