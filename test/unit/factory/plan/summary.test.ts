import { describe, expect, it } from 'vitest';
import { planWork } from '../../../../src/factory/plan/index.js';
import { built, image, input, recipe, sha, workspace } from './estate.js';

describe('planWork: summary', () => {
  it('gives one line per job, in-flight key, blocked key, held item, problem and exposed image', () => {
    const lib = recipe('libgreet', { hash: sha('libgreet:2') });
    const app = recipe('hello', { deps: ['libgreet'] });
    const tool = recipe('tool', { deps: ['missing-dep-from-cycle'] });
    const a = recipe('a', { deps: ['b'], provides: ['a', 'missing-dep-from-cycle'] });
    const b = recipe('b', { deps: ['a'] });
    const stuck = recipe('stuck');
    const ws = workspace([lib, app, tool, a, b, stuck], [image('web')]);
    const stuckKey = planWork(input(workspace([stuck]))).jobs[0]?.key as string;
    const plan = planWork(
      input(ws, {
        repository: { x86_64: [built(recipe('libgreet')), built(app)] },
        jobs: [
          { key: stuckKey, status: 'failed', attempts: 2 },
          { key: 'build:other@1-r0/x86_64#000000000000', status: 'running', attempts: 1 },
        ],
        images: {
          web: {
            resolution: { lockHash: sha('lock2') },
            published: {
              lockHash: sha('lock1'),
              configHash: image('web').hash,
              digest: sha('digest'),
              scannedFeedVersion: 'feed-1',
              scannedAt: '2026-11-28T00:00:00.000Z',
              awaitingFix: true,
            },
          },
        },
        feedVersion: 'feed-2',
      }),
    );
    const lines = plan.summary.split('\n');
    expect(lines[0]).toBe('3 jobs planned, 0 in flight, 1 blocked, 2 held, 2 problems');
    expect(lines[1]).toMatch(
      /^\+ build:libgreet@1\.0-r0\/x86_64#[0-9a-f]{12}: recipe changed \([0-9a-f]{12} → [0-9a-f]{12}\)$/,
    );
    expect(lines[2]).toMatch(
      /^\+ build:hello@1\.0-r0\/x86_64#[0-9a-f]{12}\.[0-9a-f]{12}: build-dep libgreet rebuilt \[after build:libgreet@/,
    );
    expect(lines[3]).toMatch(/^\+ rescan:web@[0-9a-f]{12}#feed-2: feed version changed \(feed-1 → feed-2\)$/);
    expect(lines[4]).toBe(`! ${stuckKey}: blocked, failed after 2 attempts; waits for its inputs to change`);
    expect(lines.slice(5)).toEqual([
      '= build:tool/x86_64: held, never built; waits: build-dep a has no package for x86_64 (in a cycle)',
      expect.stringMatching(
        /^= image:web: held, resolution changed \(lock [0-9a-f]{12} → [0-9a-f]{12}\); waits for 3 builds to settle$/,
      ),
      'x recipe:a: build-dependency cycle: a → b → a; none of its recipes is built',
      'x recipe:b: build-dependency cycle: a → b → a; none of its recipes is built',
      '? image:web: exposed, awaiting a fix',
    ]);
  });
});
