import { describe, expect, it } from 'vitest';
import type { PublishedImage } from '../../../../src/factory/plan/index.js';
import {
  EXPOSED_COMPOSE_PRIORITY,
  EXPOSED_RESCAN_PRIORITY,
  planWork,
} from '../../../../src/factory/plan/index.js';
import { built, HOUR, image, input, NOW, recipe, sha, workspace } from './estate.js';

const LOCK = `sha256:${'1'.repeat(64)}`;
const LOCK2 = `sha256:${'2'.repeat(64)}`;
const web = image('web', { hash: `sha256:${'c'.repeat(64)}` });

function published(overrides: Partial<PublishedImage> = {}): PublishedImage {
  return {
    lockHash: LOCK,
    configHash: web.hash,
    digest: `sha256:${'d'.repeat(64)}`,
    scannedFeedVersion: 'feed-1',
    scannedAt: NOW,
    awaitingFix: false,
    ...overrides,
  };
}

describe('planWork: images (rules 3 and 4)', () => {
  it('composes an image never published, keyed by lock and config', () => {
    const plan = planWork(
      input(workspace([], [web]), { images: { web: { resolution: { lockHash: LOCK } } } }),
    );
    expect(plan.jobs).toEqual([
      {
        key: 'compose:web@111111111111#cccccccccccc',
        kind: 'compose',
        payload: {
          image: 'web',
          configFile: '/ws/images/web.yaml',
          publish: ['registry.test/web:latest'],
          lockHash: LOCK,
          configHash: web.hash,
        },
      },
    ]);
    expect(plan.reasons['compose:web@111111111111#cccccccccccc']).toEqual(['never published']);
  });

  it('recomposes when the resolution or the config changed, and not otherwise', () => {
    const same = planWork(
      input(workspace([], [web]), {
        images: { web: { resolution: { lockHash: LOCK }, published: published() } },
      }),
    );
    expect(same.jobs).toEqual([]);
    const relocked = planWork(
      input(workspace([], [web]), {
        images: { web: { resolution: { lockHash: LOCK2 }, published: published() } },
      }),
    );
    expect(relocked.reasons[relocked.jobs[0]?.key ?? '']).toEqual([
      'resolution changed (lock 111111111111 → 222222222222)',
    ]);
    const reconfigured = planWork(
      input(workspace([], [{ ...web, hash: sha('new config') }]), {
        images: { web: { resolution: { lockHash: LOCK }, published: published() } },
      }),
    );
    expect(reconfigured.reasons[reconfigured.jobs[0]?.key ?? '']?.[0]).toMatch(
      /^config changed \(cccccccccccc → /,
    );
  });

  it('plans no compose while builds are planned or pending, and holds the images that would need one', () => {
    const lib = recipe('lib');
    const images = {
      web: { resolution: { lockHash: LOCK2 }, published: published() },
      api: { resolution: { lockHash: LOCK } },
    };
    const ws = workspace([lib], [web, image('api')]);
    const planned = planWork(input(ws, { images }));
    expect(planned.jobs.map((j) => j.kind)).toEqual(['build']);
    expect(planned.held.map((h) => h.subject)).toEqual(['image:api', 'image:web']);
    expect(planned.held[0]?.reason).toBe('never published; waits for 1 builds to settle');
    const pending = planWork(
      input(ws, {
        images,
        repository: { x86_64: [built(lib)] },
        jobs: [{ key: 'build:x@1-r0/x86_64#0', status: 'pending', attempts: 0 }],
      }),
    );
    expect(pending.jobs).toEqual([]);
    expect(pending.held).toHaveLength(2);
  });

  it('reports an image that does not resolve once builds settled, and holds it while they run', () => {
    const images = { web: { resolution: { problem: 'no package provides "greet"' } } };
    const settled = planWork(input(workspace([], [web]), { images }));
    expect(settled.problems).toEqual([
      { subject: 'image:web', message: 'does not resolve: no package provides "greet"' },
    ]);
    const busy = planWork(input(workspace([recipe('greet')], [web]), { images }));
    expect(busy.problems).toEqual([]);
    expect(busy.held[0]?.subject).toBe('image:web');
  });

  it('reports broken images and images without gathered state', () => {
    const plan = planWork(
      input(workspace([], [image('bad', { problem: 'images/bad.yaml:2:3: contents: required' }), web])),
    );
    expect(plan.problems).toEqual([
      { subject: 'image:bad', message: 'images/bad.yaml:2:3: contents: required' },
      {
        subject: 'image:web',
        message: 'no resolution was gathered for it; it is neither composed nor rescanned',
      },
    ]);
  });

  it('blocks a compose that failed, and retries it once the feed version moved', () => {
    const key = 'compose:web@111111111111#cccccccccccc';
    const images = { web: { resolution: { lockHash: LOCK } } };
    const failed = { key, status: 'failed' as const, attempts: 1, feedVersion: 'feed-1' };
    const blocked = planWork(input(workspace([], [web]), { images, jobs: [failed] }));
    expect(blocked.jobs).toEqual([]);
    expect(blocked.blocked[0]).toMatchObject({ key, subject: 'image:web' });
    const retried = planWork(input(workspace([], [web]), { images, jobs: [failed], feedVersion: 'feed-2' }));
    expect(retried.jobs.map((j) => j.key)).toEqual([key]);
    expect(retried.reasons[key]).toEqual([
      'never published',
      'feed version changed since it failed (feed-1 → feed-2)',
    ]);
  });

  it('rescans published images scanned with another feed version', () => {
    const images = { web: { resolution: { lockHash: LOCK }, published: published() } };
    const plan = planWork(input(workspace([], [web]), { images, feedVersion: 'feed-2' }));
    expect(plan.jobs.map((j) => j.key)).toEqual(['rescan:web@dddddddddddd#feed-2']);
    expect(plan.reasons['rescan:web@dddddddddddd#feed-2']).toEqual([
      'feed version changed (feed-1 → feed-2)',
    ]);
    expect(plan.jobs[0]?.payload).toEqual({
      image: 'web',
      digest: published().digest,
      feedVersion: 'feed-2',
    });
  });

  it('rescans on the schedule when the last scan predates the period start', () => {
    const ws = workspace([], [web], { rescanMs: 24 * HOUR });
    const stale = {
      web: {
        resolution: { lockHash: LOCK },
        published: published({ scannedAt: '2026-11-27T23:00:00.000Z' }),
      },
    };
    const plan = planWork(input(ws, { images: stale }));
    expect(plan.jobs.map((j) => j.key)).toEqual(['rescan:web@dddddddddddd#feed-1@2026-11-28T00:00:00.000Z']);
    expect(plan.reasons[plan.jobs[0]?.key ?? '']).toEqual([
      'scheduled rescan (last scanned 2026-11-27T23:00:00.000Z)',
    ]);
    const fresh = {
      web: {
        resolution: { lockHash: LOCK },
        published: published({ scannedAt: '2026-11-28T00:00:00.000Z' }),
      },
    };
    expect(planWork(input(ws, { images: fresh })).jobs).toEqual([]);
    expect(planWork(input(workspace([], [web]), { images: stale })).jobs).toEqual([]);
  });

  it('still rescans while builds run, and puts exposed images first', () => {
    const images = {
      web: { resolution: { lockHash: LOCK2 }, published: published({ awaitingFix: true }) },
    };
    const plan = planWork(input(workspace([recipe('lib')], [web]), { images, feedVersion: 'feed-2' }));
    expect(plan.jobs.map((j) => j.kind)).toEqual(['build', 'rescan']);
    expect(plan.jobs[1]?.priority).toBe(EXPOSED_RESCAN_PRIORITY);
    expect(plan.exposed).toEqual(['web']);
    expect(plan.summary).toContain('? image:web: exposed, awaiting a fix');
    const settled = planWork(input(workspace([], [web]), { images }));
    expect(settled.jobs[0]).toMatchObject({ kind: 'compose', priority: EXPOSED_COMPOSE_PRIORITY });
    expect(settled.reasons[settled.jobs[0]?.key ?? '']).toContain('image exposed, awaiting a fix');
  });
});

describe('planWork: update checks (rule 4)', () => {
  const ws = (period: number) =>
    workspace(
      [recipe('curl', { hasUpdateSource: true }), recipe('zlib'), recipe('bash', { hasUpdateSource: true })],
      [],
      { updateCheckMs: period },
    );
  const repository = { x86_64: ['curl', 'zlib', 'bash'].map((n) => built(recipe(n))) };

  it('checks each recipe with an update source once per period', () => {
    const plan = planWork(
      input(ws(6 * HOUR), {
        repository,
        schedule: { now: NOW, lastUpdateCheckAt: { curl: '2026-11-27T23:59:00.000Z' } },
      }),
    );
    expect(plan.jobs).toEqual([
      {
        key: 'update-check:bash@2026-11-28T00:00:00.000Z',
        kind: 'update-check',
        payload: { recipe: 'bash', file: '/ws/recipes/bash.yaml', slot: '2026-11-28T00:00:00.000Z' },
      },
      {
        key: 'update-check:curl@2026-11-28T00:00:00.000Z',
        kind: 'update-check',
        payload: { recipe: 'curl', file: '/ws/recipes/curl.yaml', slot: '2026-11-28T00:00:00.000Z' },
      },
    ]);
    expect(plan.reasons['update-check:bash@2026-11-28T00:00:00.000Z']).toEqual(['never checked for updates']);
    expect(plan.reasons['update-check:curl@2026-11-28T00:00:00.000Z']).toEqual([
      'update period rolled over (last checked 2026-11-27T23:59:00.000Z)',
    ]);
    const checked = { curl: '2026-11-28T00:00:00.000Z', bash: '2026-11-28T02:00:00.000Z' };
    expect(
      planWork(input(ws(6 * HOUR), { repository, schedule: { now: NOW, lastUpdateCheckAt: checked } })).jobs,
    ).toEqual([]);
  });

  it('plans none when the period is 0', () => {
    expect(planWork(input(ws(0), { repository })).jobs).toEqual([]);
  });
});
