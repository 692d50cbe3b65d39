/**
 * larder's solver against apk-tools 2.14.10 itself: every case of
 * test/fixtures/solver/alpine-317-aarch64.json (generated with the reference binary) must agree
 * on success/failure, the exit status, the installed packages in install order, and for
 * failures apk's error text.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWorldDependency, renderProblems, solve } from '../../../src/solver/index.js';
import { own } from '../../kit/paths.js';
import { alpineUniverse } from './helpers.js';

interface OracleCase {
  id: string;
  category: string;
  world: string[];
  exitStatus: number;
  install: Array<[string, string]>;
  stderr?: string;
}

const fixture = JSON.parse(readFileSync(own('solver', 'alpine-317-aarch64.json'), 'utf8')) as {
  cases: OracleCase[];
};

describe('agreement with apk-tools 2.14.10 on the Alpine 3.17 index', () => {
  it('has at least 200 cases', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(200);
  });

  it.each(fixture.cases.map((c) => [`${c.id} (${c.category}): ${c.world.join(' ')}`, c] as const))(
    '%s',
    async (_, c) => {
      const u = await alpineUniverse();
      const r = solve(u, c.world.map(parseWorldDependency));
      if (c.exitStatus === 0) {
        expect(r.ok).toBe(true);
        expect(r.install.map((p) => [p.name, p.version])).toEqual(c.install);
      } else {
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.exitStatus).toBe(c.exitStatus);
        // apk prints no changes when it refuses; its text must match ours to the byte.
        expect(renderProblems(r.problems)).toBe(c.stderr);
      }
    },
  );
});
