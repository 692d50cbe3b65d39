import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createImageResolver,
  createReconciler,
  diffSnapshots,
  fileSnapshots,
  memorySnapshots,
  msToNextSlot,
  parseSnapshot,
  type ReconcileSnapshot,
} from '../../../../src/factory/engine/index.js';
import type {
  FactoryEvent,
  Workspace,
  WorkspaceImage,
  WorkspaceRecipe,
} from '../../../../src/factory/model.js';
import { createStoreQueue } from '../../../../src/factory/queue/index.js';
import { openStore, type Store } from '../../../../src/store/index.js';
import { fakeWorkspace } from '../../../kit/fake-factory-service.js';
import { tempDir } from '../../../kit/paths.js';

const recipeOf = (name: string, hash: string): WorkspaceRecipe => ({
  name,
  file: `/ws/recipes/${name}.yaml`,
  version: '1.0.0',
  epoch: 0,
  hash,
  provides: [name],
  buildDepends: [],
  archs: ['x86_64'],
});

describe('the reconciler', () => {
  let store: Store;
  let workspace: Workspace;
  beforeEach(async () => {
    store = await openStore(':memory:');
    workspace = fakeWorkspace('/ws', { recipes: [recipeOf('zlib', `sha256:${'a'.repeat(64)}`)] });
  });
  afterEach(() => store.close());

  const make = (gate?: Promise<void>) => {
    const events: FactoryEvent[] = [];
    const feeds: string[] = [];
    const reconciler = createReconciler({
      store,
      queue: createStoreQueue(store),
      loadWorkspace: async () => workspace,
      refreshFeed: async () => {
        feeds.push('refresh');
        await gate;
        return { feedVersion: 'f1' };
      },
      resolver: createImageResolver(async () => 'sha256:lock'),
      now: () => '2026-11-28T05:00:00.000Z',
      emit: async (e) => {
        events.push(e);
      },
      snapshots: memorySnapshots(),
    });
    return { reconciler, events, feeds };
  };

  it('plans, enqueues and reports the status', async () => {
    const { reconciler } = make();
    await reconciler.reconcile('start');
    expect(reconciler.last()?.added).toEqual([
      expect.stringMatching(/^build:zlib@1\.0\.0-r0\/x86_64#aaaaaaaaaaaa$/),
    ]);
    expect(reconciler.status()).toMatchObject({
      reconciledAt: '2026-11-28T05:00:00.000Z',
      feedVersion: 'f1',
    });
    expect(reconciler.status().summary[0]).toBe('1 jobs planned, 0 in flight, 0 blocked, 0 held, 0 problems');
    await reconciler.reconcile('again');
    expect(reconciler.last()?.added).toEqual([]);
    expect(reconciler.status().summary[1]).toMatch(/^~ build:zlib.*already pending or running$/);
  });

  it('coalesces wakes: many during a run give exactly one more run', async () => {
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const { reconciler } = make(gate);
    reconciler.wake('first');
    for (let i = 0; i < 10; i++) reconciler.wake(`burst ${i}`);
    expect(reconciler.runs()).toBe(1);
    open();
    await reconciler.idle();
    expect(reconciler.runs()).toBe(2);
    expect(reconciler.last()?.reasons).toHaveLength(10);
    await reconciler.idle();
    expect(reconciler.runs()).toBe(2);
  });

  it('refreshes the feed on start, on feed and advisory wakes, not on others', async () => {
    const { reconciler, feeds } = make();
    await reconciler.reconcile('start');
    await reconciler.reconcile('job succeeded: x');
    expect(feeds).toHaveLength(1);
    await reconciler.reconcile('feed-refresh');
    await reconciler.reconcile('advisory saved: zlib CVE-1');
    expect(feeds).toHaveLength(3);
  });

  it('reports what changed since the last reconcile, and nothing on the first', async () => {
    const { reconciler, events } = make();
    await reconciler.reconcile('start');
    expect(events).toEqual([]);
    workspace = fakeWorkspace('/ws', {
      recipes: [recipeOf('zlib', `sha256:${'b'.repeat(64)}`), recipeOf('curl', 'sha256:cc')],
    });
    await reconciler.reconcile('changed');
    expect(events.map((e) => `${e.kind} ${e.subject} ${e.message}`)).toEqual([
      'recipe-changed recipe:curl recipe curl added',
      'recipe-changed recipe:zlib recipe zlib changed (aaaaaaaaaaaa → bbbbbbbbbbbb)',
    ]);
  });

  it('a workspace that stops loading keeps the last one and says so', async () => {
    let fail = false;
    const reconciler = createReconciler({
      store,
      queue: createStoreQueue(store),
      loadWorkspace: async () => {
        if (fail) throw new Error('larder.yaml:3:1: repository: required');
        return workspace;
      },
      refreshFeed: async () => ({ feedVersion: 'f1', problems: ['x.advisories.yaml: bad'] }),
      resolver: createImageResolver(async () => 'sha256:lock'),
      now: () => '2026-11-28T05:00:00.000Z',
      emit: async () => {},
      snapshots: memorySnapshots(),
    });
    await reconciler.reconcile('start');
    fail = true;
    await reconciler.reconcile('broken');
    expect(reconciler.status().problems).toEqual([
      'workspace: larder.yaml:3:1: repository: required (planning with the workspace as last loaded)',
      'advisories: x.advisories.yaml: bad',
    ]);
    expect(reconciler.workspace()).toBe(workspace);
  });

  it('before its first reconcile, shows the status the last run saved', async () => {
    const snapshots = memorySnapshots();
    const saved = {
      summary: ['nothing to do'],
      problems: [],
      exposed: [],
      feedVersion: 'f0',
      reconciledAt: 'T0',
    };
    await snapshots.save({ recipes: {}, advisories: {}, feedVersion: 'f0', exposed: [], status: saved });
    const reconciler = createReconciler({
      store,
      queue: createStoreQueue(store),
      loadWorkspace: async () => workspace,
      refreshFeed: async () => ({ feedVersion: 'f1' }),
      resolver: createImageResolver(async () => 'sha256:lock'),
      now: () => '2026-11-28T05:00:00.000Z',
      emit: async () => {},
      snapshots,
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(reconciler.status()).toEqual(saved);
    await reconciler.reconcile('start');
    expect(reconciler.status().feedVersion).toBe('f1');
  });

  it('a failing reconcile is reported and the next wake tries again', async () => {
    const errors: unknown[] = [];
    const reconciler = createReconciler({
      store,
      queue: createStoreQueue(store),
      loadWorkspace: async () => {
        throw new Error('no larder.yaml');
      },
      refreshFeed: async () => ({ feedVersion: 'f1' }),
      resolver: createImageResolver(async () => 'sha256:lock'),
      now: () => '2026-11-28T05:00:00.000Z',
      emit: async () => {},
      snapshots: memorySnapshots(),
      onError: (e) => errors.push(e),
    });
    await reconciler.reconcile('start');
    await reconciler.reconcile('again');
    expect(errors).toHaveLength(2);
    expect(reconciler.status().problems[0]).toBe('reconcile failed: no larder.yaml');
  });
});

describe('image resolutions', () => {
  const image = (name: string, hash: string): WorkspaceImage => ({
    name,
    configFile: `/ws/images/${name}.yaml`,
    publish: [],
    hash,
  });

  it('are cached by config hash and repository digest: 200 unchanged images resolve nothing', async () => {
    let calls = 0;
    const resolver = createImageResolver(async (_ws, img) => {
      calls++;
      if (img.name === 'bad') throw new Error('UNSATISFIABLE: nothing provides ghost');
      return `sha256:${img.hash}`;
    });
    const ws = fakeWorkspace('/ws');
    const images = Array.from({ length: 200 }, (_, i) => image(`img${i}`, `h${i}`));
    for (const img of images) await resolver.resolve(ws, img, 'repo1');
    expect(calls).toBe(200);
    const started = performance.now();
    for (const img of images) await resolver.resolve(ws, img, 'repo1');
    expect(performance.now() - started).toBeLessThan(200);
    expect(calls).toBe(200);
    await resolver.resolve(ws, images[0] as WorkspaceImage, 'repo2');
    await resolver.resolve(ws, image('img1', 'changed'), 'repo1');
    expect(calls).toBe(202);
    expect(resolver.misses()).toBe(202);
    expect(await resolver.resolve(ws, image('bad', 'x'), 'repo1')).toEqual({
      problem: 'does not resolve: UNSATISFIABLE: nothing provides ghost',
    });
    expect(
      await resolver.resolve(ws, { ...image('broken', 'y'), problem: 'images/broken.yaml:1:1: bad' }, 'r'),
    ).toEqual({
      problem: 'images/broken.yaml:1:1: bad',
    });
  });
});

describe('snapshots', () => {
  const snap: ReconcileSnapshot = {
    recipes: { zlib: 'sha256:aa' },
    advisories: { '/ws/advisories/zlib.advisories.yaml': 'h1' },
    feedVersion: 'f1',
    exposed: [],
    status: { reconciledAt: 't', summary: ['nothing to do'], problems: [], exposed: [], feedVersion: 'f1' },
  };

  it('round-trip through the state directory', async () => {
    const dir = await tempDir();
    const snapshots = fileSnapshots(dir);
    expect(await snapshots.load()).toBeUndefined();
    await snapshots.save(snap);
    expect(await fileSnapshots(dir).load()).toEqual(snap);
  });

  it('a damaged or foreign file counts as none', () => {
    for (const text of [
      '',
      'not json',
      '[]',
      'null',
      '{"recipes":{},"advisories":{},"feedVersion":1,"exposed":[],"status":{}}',
      '{"recipes":{"a":1},"advisories":{},"feedVersion":"f","exposed":[],"status":{}}',
      '{"recipes":{},"advisories":{},"feedVersion":"f","exposed":[2],"status":{}}',
      '{"recipes":{},"advisories":{},"feedVersion":"f","exposed":[]}',
    ])
      expect(parseSnapshot(text)).toBeUndefined();
    expect(
      parseSnapshot(
        '{"recipes":{},"advisories":{},"feedVersion":"f","exposed":[],"status":{"summary":[1,"x"]}}',
      ),
    ).toEqual({
      recipes: {},
      advisories: {},
      feedVersion: 'f',
      exposed: [],
      status: { summary: ['x'], problems: [], exposed: [], feedVersion: 'f' },
    });
  });

  it('diffs into events: advisories added, changed, removed; feed refreshed; newly exposed images', () => {
    const after: ReconcileSnapshot = {
      ...snap,
      advisories: { '/ws/advisories/curl.advisories.yaml': 'h2' },
      feedVersion: 'f2',
      exposed: ['web'],
    };
    const events = diffSnapshots({ ...snap, exposed: ['old'] }, after, 'T', '/ws');
    expect(events.map((e) => `${e.kind} ${e.subject}: ${e.message}`)).toEqual([
      'advisory-changed advisories:curl: advisories of curl added (advisories/curl.advisories.yaml)',
      'advisory-changed advisories:zlib: advisories of zlib removed (advisories/zlib.advisories.yaml)',
      'feed-refreshed feed: vulnerability data changed: feed version f1 → f2',
      'image-exposed image:web: image web is exposed: its published version has findings with no fix yet',
    ]);
    expect(diffSnapshots(snap, snap, 'T', '/ws')).toEqual([]);
  });
});

describe('schedule slots', () => {
  it('is the time to the nearest next period start, ignoring disabled periods', () => {
    expect(msToNextSlot(1000, [0, 0])).toBeUndefined();
    expect(msToNextSlot(1000, [600])).toBe(200);
    expect(msToNextSlot(1200, [600])).toBe(600);
    expect(msToNextSlot(1000, [600, 250])).toBe(200);
    expect(msToNextSlot(1000, [600, 150])).toBe(50);
    expect(msToNextSlot(1000, [0, 300])).toBe(200);
  });
});
