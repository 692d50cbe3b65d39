/**
 * solver.md §6 worked examples on the real Alpine 3.17 aarch64 index: the install order of the
 * successes, and the structure and rendering of every failure kind (E5, E15–E17, E20, E24, E25).
 * The oracle test checks the same worlds against apk's own output; this file checks the data.
 */
import { describe, expect, it } from 'vitest';
import { renderProblems, type SolverProblem } from '../../../src/solver/index.js';
import { alpineUniverse, installed, solveArgs } from './helpers.js';

const successes: Array<[string, string, string[]]> = [
  ['E1', 'busybox', ['musl-1.2.3-r5', 'busybox-1.35.0-r29']],
  ['E2', '/bin/sh', ['musl-1.2.3-r5', 'busybox-1.35.0-r29', 'busybox-binsh-1.35.0-r29']],
  ['E7', 'cmd:yacc', ['musl-1.2.3-r5', 'byacc-20221106-r0']],
  [
    'E13',
    'busybox-binsh dash-binsh',
    [
      'musl-1.2.3-r5',
      'busybox-1.35.0-r29',
      'busybox-binsh-1.35.0-r29',
      'dash-0.5.11.5-r2',
      'dash-binsh-0.5.11.5-r2',
    ],
  ],
];

const last = (world: string) => async () => (await solveArgs(await alpineUniverse(), world)).install.at(-1);

describe('worked examples (solver.md §6)', () => {
  it.each(successes)('%s %s', async (_, world, expected) => {
    expect(installed(solveArgs(await alpineUniverse(), world))).toEqual(expected);
  });

  it.each([
    ['E4 lua', 'lua', 'lua5.4'],
    ['E8 version beats priority', 'cmd:su', 'heimdal-su'],
    ['E9 priority on equal versions', 'cmd:ssh', 'openssh-client-default'],
    ['E10 provides transitivity', 'clang14 cmd:clang', 'clang14'],
    ['E10 plain', 'cmd:clang', 'clang15'],
    ['E11', 'cmd:clang<15', 'clang14'],
    ['E23', 'dnsmasq-dnssec', 'dnsmasq-dnssec'],
  ])('%s', async (_, world, name) => {
    expect((await last(world)())?.name).toBe(name);
  });

  it('E3 priorities among unversioned providers', async () => {
    const names = solveArgs(await alpineUniverse(), 'alpine-base').install.map((p) => p.name);
    expect(names).toHaveLength(25);
    expect(names).toContain('ifupdown-ng');
    expect(names).toContain('busybox-mdev-openrc');
  });

  it('E14 dash-binsh is fast-selected, so busybox is never needed', async () => {
    const names = solveArgs(await alpineUniverse(), 'dash-binsh alpine-baselayout').install.map(
      (p) => p.name,
    );
    expect(names).toEqual(['alpine-baselayout-data', 'musl', 'dash', 'dash-binsh', 'alpine-baselayout']);
  });

  it('E18 install_if packages land right after their trigger', async () => {
    const names = solveArgs(await alpineUniverse(), 'docs busybox').install.map((p) => p.name);
    expect(names).toEqual([
      'musl',
      'busybox',
      'zlib',
      'zlib-doc',
      'mandoc',
      'mandoc-doc',
      'man-pages',
      'docs',
      'busybox-doc',
    ]);
  });

  it('E22 flagged world names are decided first (T3)', async () => {
    const u = await alpineUniverse();
    const asArgs = solveArgs(u, 'postgresql14 postgresql-client').install.map((p) => p.name);
    expect(asArgs).toContain('postgresql15-client');
    const fromWorldFile = solveArgs(u, '', 'postgresql14 postgresql-client').install.map((p) => p.name);
    expect(fromWorldFile).not.toContain('postgresql15-client');
  });
});

function only<K extends SolverProblem['kind']>(problems: readonly SolverProblem[], kind: K) {
  return problems.filter((p): p is Extract<SolverProblem, { kind: K }> => p.kind === kind);
}

describe('explained failures', () => {
  it('E5: a virtual name with no auto-selectable provider', async () => {
    const r = solveArgs(await alpineUniverse(), 'nginx-lua');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.exitStatus).toBe(1);
    expect(r.problems).toEqual([
      {
        kind: 'virtual',
        name: 'nginx-lua',
        providedBy: ['nginx-mod-http-lua'],
        candidates: [
          {
            package: { name: 'nginx-mod-http-lua', version: expect.any(String) },
            verdict: { kind: 'not-auto-selectable' },
          },
        ],
        requiredBy: [{ kind: 'world', dependency: 'nginx-lua' }],
      },
    ]);
  });

  it('E15: both sides of a versioned provides clash', async () => {
    const r = solveArgs(await alpineUniverse(), 'clang14 clang15');
    if (r.ok) throw new Error('expected failure');
    expect(r.exitStatus).toBe(2);
    const blocks = only(r.problems, 'package');
    expect(blocks.map((b) => b.package.name)).toEqual(['clang14', 'clang15']);
    expect(blocks[0]!.conflicts).toContainEqual({
      package: { name: 'clang15', version: '15.0.7-r0' },
      provide: 'cmd:clang=14.0.6-r1',
    });
    expect(blocks[0]!.satisfies).toEqual([{ kind: 'world', dependency: 'clang14' }]);
  });

  it('E16: provides clash plus explicit conflicts (breaks)', async () => {
    const r = solveArgs(await alpineUniverse(), 'openssh-client-default openssh-client-krb5');
    if (r.ok) throw new Error('expected failure');
    const block = only(r.problems, 'package').find((b) => b.package.name === 'openssh-client-default');
    expect(block?.breaks).toContainEqual({
      kind: 'package',
      name: 'openssh-client-krb5',
      version: '9.1_p1-r3',
      dependency: '!openssh-client-default',
    });
  });

  it('E17: one block, two errors; the silent one is an unfulfilled dependency', async () => {
    const r = solveArgs(await alpineUniverse(), 'cmd:ssh dropbear-ssh');
    if (r.ok) throw new Error('expected failure');
    expect(r.exitStatus).toBe(2);
    const [block] = only(r.problems, 'package');
    expect(block!.package.name).toBe('openssh-client-default');
    expect(block!.breaks).toEqual([
      { kind: 'package', name: 'dropbear-ssh', version: '2022.83-r0', dependency: '!openssh-client' },
    ]);
    expect(block!.disqualified?.reason).toBe('conflicting dependency');
    expect(only(r.problems, 'unfulfilled-dependency')).toHaveLength(1);
    expect(renderProblems(r.problems, { extended: true })).toContain('dropbear-ssh-2022.83-r0:');
    expect(renderProblems(r.problems)).not.toContain('dropbear-ssh-2022.83-r0:');
  });

  it('E20: the only provider is chosen broken', async () => {
    const r = solveArgs(await alpineUniverse(), 'busybox<1.0');
    if (r.ok) throw new Error('expected failure');
    expect(renderProblems(r.problems)).toBe(
      'ERROR: unable to select packages:\n  busybox-1.35.0-r29:\n    breaks: world[busybox<1.0]\n',
    );
    expect(solveArgs(await alpineUniverse(), 'busybox>1.35').ok).toBe(true);
  });

  it('E24: no such package', async () => {
    const r = solveArgs(await alpineUniverse(), 'nonexistent-pkg busybox');
    if (r.ok) throw new Error('expected failure');
    expect(r.problems).toEqual([
      {
        kind: 'no-such-package',
        name: 'nonexistent-pkg',
        requiredBy: [{ kind: 'world', dependency: 'nonexistent-pkg' }],
      },
    ]);
    expect(installed(r)).toEqual(['musl-1.2.3-r5', 'busybox-1.35.0-r29']);
  });

  it('E25: missing repository tag', async () => {
    const r = solveArgs(await alpineUniverse(), 'busybox@edge');
    if (r.ok) throw new Error('expected failure');
    expect(r.exitStatus).toBe(99);
    expect(renderProblems(r.problems)).toBe(
      "WARNING: The repository tag for world dependency 'busybox@edge' does not exist\n" +
        'ERROR: Not committing changes due to missing repository tags. Use --force-broken-world to override.\n',
    );
  });

  it('problems are plain data: they survive a JSON round trip', async () => {
    const r = solveArgs(await alpineUniverse(), 'cmd:ssh dropbear-ssh nginx-lua nonexistent-pkg');
    if (r.ok) throw new Error('expected failure');
    expect(JSON.parse(JSON.stringify(r.problems))).toEqual(r.problems);
  });
});
