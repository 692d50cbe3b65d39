import { describe, expect, it } from 'vitest';
import { planWork } from '../../../../src/factory/plan/index.js';
import { built, image, input, recipe, sha, workspace } from './estate.js';

const T1 = '2026-11-01T00:00:00.000Z';
const T2 = '2026-11-02T00:00:00.000Z';

describe('planWork: builds (rules 1 and 2)', () => {
  it('builds a recipe never built, on each of its archs, with the key naming what it produces', () => {
    const r = recipe('libgreet', { archs: ['x86_64', 'aarch64'], hash: `sha256:${'ab'.repeat(32)}` });
    const plan = planWork(input(workspace([r])));
    expect(plan.jobs.map((j) => j.key)).toEqual([
      'build:libgreet@1.0-r0/aarch64#abababababab',
      'build:libgreet@1.0-r0/x86_64#abababababab',
    ]);
    expect(plan.jobs[0]?.kind).toBe('build');
    expect(plan.jobs[0]?.payload).toMatchObject({
      recipe: 'libgreet',
      version: '1.0',
      epoch: 0,
      arch: 'aarch64',
    });
    expect(plan.reasons['build:libgreet@1.0-r0/x86_64#abababababab']).toEqual(['never built']);
  });

  it('plans nothing when the repository holds the version from the same recipe hash', () => {
    const r = recipe('libgreet');
    const plan = planWork(input(workspace([r]), { repository: { x86_64: [built(r)] } }));
    expect(plan.jobs).toEqual([]);
    expect(plan.summary).toMatch(/^nothing to do/);
  });

  it('rebuilds on a new version or epoch and on a changed recipe hash', () => {
    const old = recipe('a');
    const bumped = { ...old, epoch: 1 };
    const changed = recipe('b', { hash: sha('b:2') });
    const plan = planWork(
      input(workspace([bumped, changed]), { repository: { x86_64: [built(old), built(recipe('b'))] } }),
    );
    expect(plan.reasons[plan.jobs[0]?.key ?? '']).toEqual(['new version 1.0-r1 (repository has 1.0-r0)']);
    expect(plan.reasons[plan.jobs[1]?.key ?? '']?.[0]).toMatch(/^recipe changed \(/);
  });

  it('rebuilds what depends on a rebuilt recipe at build time, transitively, deps first, through provides', () => {
    const lib = recipe('libgreet', { provides: ['libgreet', 'so:libgreet.so.1'], hash: sha('lib:2') });
    const mid = recipe('greet-tools', { deps: ['so:libgreet.so.1', 'busybox'] });
    const app = recipe('hello', { deps: ['greet-tools'] });
    const other = recipe('unrelated');
    const repository = { x86_64: [built(recipe('libgreet')), built(mid), built(app), built(other)] };
    const plan = planWork(input(workspace([app, other, mid, lib]), { repository }));
    const [b1, b2, b3] = plan.jobs;
    expect(plan.jobs).toHaveLength(3);
    expect(b1?.key).toMatch(/^build:libgreet@1\.0-r0\/x86_64#[0-9a-f]{12}$/);
    expect(b2?.key).toMatch(/^build:greet-tools@1\.0-r0\/x86_64#[0-9a-f]{12}\.[0-9a-f]{12}$/);
    expect(b2?.after).toEqual([b1?.key]);
    expect(plan.reasons[b2?.key ?? '']).toEqual(['build-dep libgreet rebuilt']);
    expect(b3?.after).toEqual([b2?.key]);
    expect(plan.reasons[b3?.key ?? '']).toEqual(['build-dep greet-tools rebuilt']);
  });

  it('rebuilds a recipe whose build-dep was built after it', () => {
    const lib = recipe('lib');
    const app = recipe('app', { deps: ['lib'] });
    const plan = planWork(
      input(workspace([lib, app]), { repository: { x86_64: [built(lib, T2), built(app, T1)] } }),
    );
    expect(plan.jobs.map((j) => j.key)).toHaveLength(1);
    expect(plan.reasons[plan.jobs[0]?.key ?? '']).toEqual(['build-dep lib rebuilt after it']);
    expect(plan.jobs[0]?.after).toBeUndefined();
    const settled = planWork(
      input(workspace([lib, app]), { repository: { x86_64: [built(lib, T1), built(app, T2)] } }),
    );
    expect(settled.jobs).toEqual([]);
  });

  it('reports each recipe of a cycle and builds none of them, nor their dependents', () => {
    const a = recipe('a', { deps: ['b'] });
    const b = recipe('b', { deps: ['c'] });
    const c = recipe('c', { deps: ['a'] });
    const d = recipe('d', { deps: ['a'] });
    const self = recipe('gcc', { deps: ['gcc'] });
    const plan = planWork(input(workspace([a, b, c, d, self])));
    expect(plan.problems.map((p) => p.subject)).toEqual(['recipe:a', 'recipe:b', 'recipe:c']);
    expect(plan.problems[0]?.message).toBe(
      'build-dependency cycle: a → b → c → a; none of its recipes is built',
    );
    expect(plan.jobs.map((j) => j.payload.recipe)).toEqual(['gcc']);
    expect(plan.held).toEqual([
      {
        subject: 'build:d/x86_64',
        reason: 'never built; waits: build-dep a has no package for x86_64 (in a cycle)',
      },
    ]);
  });

  it('does not re-plan a key that failed for good, reports it blocked, and plans it again once the recipe changes', () => {
    const r = recipe('lib');
    const key = planWork(input(workspace([r]))).jobs[0]?.key as string;
    const jobs = [{ key, status: 'failed' as const, attempts: 3, finishedAt: T2 }];
    const plan = planWork(input(workspace([r, recipe('app', { deps: ['lib'] })]), { jobs }));
    expect(plan.jobs).toEqual([]);
    expect(plan.blocked).toEqual([
      {
        key,
        subject: 'recipe:lib',
        reason: `failed after 3 attempts at ${T2}; waits for its inputs to change`,
      },
    ]);
    expect(plan.held.map((h) => h.subject)).toEqual(['build:app/x86_64']);
    const fixed = planWork(input(workspace([{ ...r, hash: sha('lib:fixed') }]), { jobs }));
    expect(fixed.jobs).toHaveLength(1);
    expect(fixed.jobs[0]?.key).not.toBe(key);
  });

  it('keeps pending and running keys in flight, and later builds wait on them', () => {
    const lib = recipe('lib');
    const app = recipe('app', { deps: ['lib'] });
    const libKey = planWork(input(workspace([lib]))).jobs[0]?.key as string;
    const plan = planWork(
      input(workspace([lib, app]), { jobs: [{ key: libKey, status: 'running', attempts: 1 }] }),
    );
    expect(plan.inFlight).toEqual([libKey]);
    expect(plan.jobs).toHaveLength(1);
    expect(plan.jobs[0]?.after).toEqual([libKey]);
  });

  it('does not let a pending job behind a failed one hold composes back', () => {
    const lib = recipe('lib');
    const app = recipe('app', { deps: ['lib'] });
    const first = planWork(input(workspace([lib, app])));
    const [libJob, appJob] = first.jobs;
    const jobs = [
      { key: libJob?.key as string, status: 'failed' as const, attempts: 3 },
      { key: appJob?.key as string, status: 'pending' as const, attempts: 0, after: [libJob?.key as string] },
    ];
    const images = { web: { resolution: { lockHash: sha('lock') } } };
    const plan = planWork(input(workspace([lib, app], [image('web')]), { jobs, images }));
    expect(plan.blocked.map((b) => b.key)).toEqual([libJob?.key]);
    expect(plan.jobs.map((j) => j.kind)).toEqual(['compose']);
    const live = planWork(
      input(workspace([lib, app], [image('web')]), {
        jobs: [{ key: 'build:other@1-r0/x86_64#0', status: 'running', attempts: 1 }],
        images,
      }),
    );
    expect(live.jobs.map((j) => j.kind)).toEqual(['build', 'build']);
    expect(live.held.map((h) => h.subject)).toEqual(['image:web']);
  });

  it('reports broken recipes as problems and builds the rest', () => {
    const plan = planWork(
      input(
        workspace([
          recipe('bad', { problem: 'recipes/bad.yaml:3:1: package.version: required' }),
          recipe('ok'),
        ]),
      ),
    );
    expect(plan.problems).toEqual([
      { subject: 'recipe:bad', message: 'recipes/bad.yaml:3:1: package.version: required' },
    ]);
    expect(plan.jobs.map((j) => j.payload.recipe)).toEqual(['ok']);
  });

  it('reports a succeeded key the repository does not show', () => {
    const r = recipe('lib');
    const key = planWork(input(workspace([r]))).jobs[0]?.key as string;
    const plan = planWork(input(workspace([r]), { jobs: [{ key, status: 'succeeded', attempts: 1 }] }));
    expect(plan.jobs).toEqual([]);
    expect(plan.problems[0]?.message).toBe(
      `${key} succeeded but the recorded state does not show its result (never built)`,
    );
  });

  it('ignores build-deps no workspace recipe provides and deps that do not build for the arch', () => {
    const lib = recipe('lib', { archs: ['x86_64'] });
    const app = recipe('app', { deps: ['lib', 'glibc-dev'], archs: ['x86_64', 'aarch64'] });
    const plan = planWork(
      input(workspace([lib, app]), { repository: { x86_64: [built(app)], aarch64: [built(app)] } }),
    );
    expect(plan.jobs.map((j) => j.key)).toEqual([
      expect.stringMatching(/^build:lib@1\.0-r0\/x86_64#/),
      expect.stringMatching(/^build:app@1\.0-r0\/x86_64#/),
    ]);
    expect(plan.held).toEqual([]);
  });

  it('throws a USAGE error for a clock that is not a time', () => {
    expect(() =>
      planWork(input(workspace([]), { schedule: { now: 'soon', lastUpdateCheckAt: {} } })),
    ).toThrow(
      expect.objectContaining({ code: 'USAGE', message: 'plan: schedule.now is not an ISO time: "soon"' }),
    );
  });
});
