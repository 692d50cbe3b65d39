/**
 * One small in-memory index per rule of apk-tools' solver (solver.md §1–§4, traps T1–T21).
 */
import { describe, expect, it } from 'vitest';
import { buildUniverse, type SolverRepository } from '../../../src/solver/index.js';
import { installed, solveArgs, specRepo } from './helpers.js';

interface Row {
  rule: string;
  repos: SolverRepository[];
  world: string;
  /** `name-version[@tag]` in install order; omitted for failures. */
  install?: string[];
  exit?: number;
}

const one = (...specs: string[]) => [specRepo(specs)];

const rows: Row[] = [
  { rule: 'highest version wins', repos: one('a 1', 'a 2', 'a 1.5'), world: 'a', install: ['a-2'] },
  {
    rule: 'version constraint picks the newest match',
    repos: one('a 1', 'a 2', 'a 3'),
    world: 'a<3',
    install: ['a-2'],
  },
  {
    rule: 'fuzzy ~ is a token prefix',
    repos: one('a 1.2.9', 'a 1.3.0'),
    world: 'a~1.2',
    install: ['a-1.2.9'],
  },
  {
    rule: 'deps are installed before dependents',
    repos: one('a 1 D:b,c', 'b 1 D:c', 'c 1'),
    world: 'a',
    install: ['c-1', 'b-1', 'a-1'],
  },
  {
    rule: 'siblings follow D: order, world in name order',
    repos: one('z 1 D:y,x', 'y 1', 'x 1', 'm 1'),
    world: 'z m',
    install: ['m-1', 'y-1', 'x-1', 'z-1'],
  },
  {
    rule: 'dependency cycles are cut at the first revisit',
    repos: one('a 1 D:b', 'b 1 D:a'),
    world: 'a',
    install: ['b-1', 'a-1'],
  },
  {
    rule: 'versioned provide: the higher provided version wins over priority',
    repos: one('p1 1 p:cmd:x=2 k:100', 'p2 1 p:cmd:x=3'),
    world: 'cmd:x',
    install: ['p2-1'],
  },
  {
    rule: 'equal provided versions: provider_priority decides',
    repos: one('p1 1 p:virt=1', 'p2 1 p:virt=1 k:5'),
    world: 'virt',
    install: ['p2-1'],
  },
  {
    rule: 'unversioned provides: provider_priority decides',
    repos: one('p1 1 p:/bin/sh k:60', 'p2 1 p:/bin/sh k:100', 'p3 1 p:/bin/sh k:50'),
    world: '/bin/sh',
    install: ['p2-1'],
  },
  {
    rule: 'provider_priority is an unsigned short (65636 wraps to 100)',
    repos: one('p1 1 p:/bin/sh k:65636', 'p2 1 p:/bin/sh k:200'),
    world: '/bin/sh',
    install: ['p2-1'],
  },
  {
    rule: 'unversioned provide without k: is never auto-selected (E5)',
    repos: one('p1 1 p:virt'),
    world: 'virt',
    exit: 1,
  },
  {
    rule: 'a real package beats an unversioned provider without k: (E6)',
    repos: one('vim 9', 'gvim 9 p:vim'),
    world: 'vim',
    install: ['vim-9'],
  },
  {
    rule: 'name>=x never matches an unversioned provide (T6)',
    repos: one('p1 1 p:virt k:1'),
    world: 'virt>=1',
    exit: 1,
  },
  {
    rule: 'so:, cmd: and pc: are plain names',
    repos: one(
      'app 1 D:so:libz.so.1,cmd:sh,pc:zlib',
      'zlib 1.3 p:so:libz.so.1=1.3 p:pc:zlib=1.3',
      'sh 1 p:cmd:sh=1',
    ),
    world: 'app',
    install: ['zlib-1.3', 'sh-1', 'app-1'],
  },
  {
    rule: 'conflict !name removes the provider; the next priority takes over (E12)',
    repos: one('p1 1 p:/bin/sh k:100', 'p2 1 p:/bin/sh k:60', 'app 1 D:/bin/sh'),
    world: 'app !p1',
    install: ['p2-1', 'app-1'],
  },
  {
    rule: 'conflict !name<2 only hits old versions',
    repos: one('a 1', 'a 2', 'b 1 D:a,!a<2'),
    world: 'b',
    install: ['a-2', 'b-1'],
  },
  {
    rule: 'unversioned co-providers coexist (E13)',
    repos: one('p1 1 p:/bin/sh k:1', 'p2 1 p:/bin/sh k:2'),
    world: 'p1 p2',
    install: ['p1-1', 'p2-1'],
  },
  {
    rule: 'versioned co-providers clash, both marked (E15)',
    repos: one('p1 1 p:cmd:x=1', 'p2 1 p:cmd:x=2'),
    world: 'p1 p2',
    exit: 2,
  },
  {
    rule: 'install_if: triggered when every trigger name is installed',
    repos: one('app 1', 'lang 1', 'app-lang 1 i:app,lang'),
    world: 'app lang',
    install: ['app-1', 'lang-1', 'app-lang-1'],
  },
  {
    rule: 'install_if: not triggered when a trigger is absent',
    repos: one('app 1', 'lang 1', 'app-lang 1 i:app,lang'),
    world: 'app',
    install: ['app-1'],
  },
  {
    rule: 'install_if: versioned trigger must match the chosen version',
    repos: one('app 2', 'lang 1', 'app-lang 1 i:app=1,lang'),
    world: 'app lang',
    install: ['app-2', 'lang-1'],
  },
  {
    rule: 'install_if chains: a triggered package triggers another',
    repos: one('a 1', 'b 1', 'ab 1 i:a,b', 'abc 1 i:ab'),
    world: 'a b',
    install: ['a-1', 'b-1', 'ab-1', 'abc-1'],
  },
  {
    rule: 'install_if: docs style, emitted right after the trigger completes (E18)',
    repos: one('docs 1 D:man', 'man 1', 'zlib 1', 'zlib-doc 1 i:docs,zlib=1', 'app 1 D:zlib'),
    world: 'docs app',
    install: ['zlib-1', 'app-1', 'man-1', 'docs-1', 'zlib-doc-1'],
  },
  {
    rule: 'noarch and foreign arch are ignored by the solver',
    repos: one('a 1 D:b A:x86_64', 'b 1 A:noarch'),
    world: 'a',
    install: ['b-1', 'a-1'],
  },
  {
    rule: 'repository order breaks a full tie',
    repos: [specRepo(['p1 1 p:virt=1']), specRepo(['p2 1 p:virt=1'])],
    world: 'virt',
    install: ['p1-1'],
  },
  {
    rule: 'a missing dependency fails its requirer',
    repos: one('a 1 D:missing'),
    world: 'a',
    exit: 2,
  },
];

describe('solver rules', () => {
  it.each(rows.map((r) => [r.rule, r] as const))('%s', (_, row) => {
    const r = solveArgs(buildUniverse(row.repos), row.world);
    if (row.install !== undefined) {
      expect(r.ok).toBe(true);
      expect(installed(r)).toEqual(row.install);
    } else {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.exitStatus).toBe(row.exit);
    }
  });

  it('the same checksum in two repositories is one package in both', () => {
    const [a] = specRepo(['a 1']).packages;
    const u = buildUniverse([{ packages: [a!] }, { tag: 'edge', packages: [a!] }]);
    expect(u.packages).toHaveLength(1);
    const r = solveArgs(u, 'a@edge');
    expect(installed(r)).toEqual(['a-1']); // tag 0 comes first in apk's get_tag
  });

  it('same name and version with another checksum is a second provider', () => {
    const u = buildUniverse([specRepo(['a 1 D:b', 'b 1']), specRepo(['a 1'])]);
    expect(u.packages).toHaveLength(3);
    expect(installed(solveArgs(u, 'a'))).toEqual(['b-1', 'a-1']);
  });

  it('replaces (r:) plays no part in resolution', () => {
    const u = buildUniverse(one('a 1 r:b', 'b 1'));
    expect(installed(solveArgs(u, 'a b'))).toEqual(['a-1', 'b-1']);
  });

  it('a repeated world name: the last spec wins', () => {
    const u = buildUniverse(one('a 1', 'a 2'));
    expect(installed(solveArgs(u, 'a<2 a'))).toEqual(['a-2']);
    expect(installed(solveArgs(u, 'a a<2'))).toEqual(['a-1']);
  });

  it('an unknown tag refuses the commit with status 99 (E25)', () => {
    const u = buildUniverse(one('a 1'));
    const r = solveArgs(u, 'a@edge');
    expect(r).toMatchObject({
      ok: false,
      exitStatus: 99,
      problems: [{ kind: 'missing-tag', tag: 'edge', dependency: 'a' }],
    });
  });

  it('is pure: one universe, many worlds, same answers', () => {
    const u = buildUniverse(one('a 1 D:b', 'b 1', 'c 1 D:!b'));
    const first = JSON.stringify(solveArgs(u, 'a c'));
    expect(installed(solveArgs(u, 'a'))).toEqual(['b-1', 'a-1']);
    expect(JSON.stringify(solveArgs(u, 'a c'))).toBe(first);
  });
});
