/**
 * Scenarios of apk-tools' own solver tests (test/*.test in the 2.14-stable tree), re-expressed
 * as table rows. Those tests run `apk-test --test-repo`, which loads indexes after the database
 * opened, so reverse edges are in load order (`edgeOrder: 'load'`).
 */
import { describe, expect, it } from 'vitest';
import { buildUniverse, renderProblems, type SolverRepository } from '../../../src/solver/index.js';
import { fakeChecksum, installed, solveArgs, specRepo } from './helpers.js';

// pinning-basic / pinning-overlay1 / pinning-overlay3 equivalents.
const BASIC = ['a 2 D:b', 'b 2', 'c 2 D:a>=2', 'samever 10'];
const OVERLAY = ['a 3 D:b', 'b 3', 'c 3 D:a>=3', `samever 10 C:${fakeChecksum('samever-overlay')}`];
const IIF_OVERLAY = ['iif 3 D:a,b i:a'];
const pinned = (...extra: SolverRepository[]) => [specRepo(BASIC), specRepo(OVERLAY, 'testing'), ...extra];

// complicated1.repo equivalent.
const COMPLICATED = [
  'a 2 D:b,c',
  'a 3 D:b,c,d>1.5',
  'b 1 D:c,d<2.0',
  'c 1 D:d>1.0',
  'd 1.0',
  'd 1.5',
  'd 2.0',
];

// The parts of provides.repo the ported cases use.
const PROVIDES = [
  'libfoo 1 p:so:foo.so.1=1.0',
  'libfoo 2 p:so:foo.so.2=1.0',
  'app 2 D:so:foo.so.1',
  'app2 2 D:so:foo.so.2',
  'server-a 1 p:theservice=1',
  'server-b 1 p:theservice=2',
  'conflicted-provider-a 0.1 p:conflicted-provider',
  'conflicted-provider-b 0.1 p:conflicted-provider,conflicted-provider-2',
  'conflicted-dep 0.1 D:conflicted-provider',
  'pulseaudio-alsa 1 k:10',
  'pulseaudio 1 k:10',
  'pipewire-pulse 1 k:1 p:pulseaudio=1,pulseaudio-alsa=1',
];

// installif1.repo equivalent (upstream's libiif shares bar's checksum after base64 decoding, so
// apk sees one package; it is left out here for the same effect).
const IIF = [
  'app 1 D:lib',
  'lib 1',
  'foo 1',
  'bar 1',
  'appiif1 1 D:app i:app,foo',
  'appiif2 1 D:app i:app,bar',
  'dam 1',
  'dam-babel 1 p:cmd:babel',
  'dam1-babel 1 i:dam,dam-babel p:cmd:babel',
];

interface Row {
  id: string;
  repos: SolverRepository[];
  world: string;
  base?: string;
  install?: string[];
  exit?: number;
  text?: string;
}

const rows: Row[] = [
  {
    id: 'pinning1: default pin wins over a newer @testing',
    repos: pinned(),
    world: 'a',
    install: ['b-2', 'a-2'],
  },
  {
    id: 'pinning2: a@testing; its deps still prefer default',
    repos: pinned(),
    world: 'a@testing',
    install: ['b-2', 'a@testing-3'],
  },
  { id: 'pinning3', repos: pinned(), world: 'a@testing b@testing', install: ['b@testing-3', 'a@testing-3'] },
  {
    id: 'pinning4: allowed, not preferred',
    repos: pinned(),
    world: 'c@testing',
    install: ['b-2', 'a@testing-3', 'c@testing-3'],
  },
  {
    id: 'pinning11: best candidate only in @testing is masked',
    repos: pinned(),
    world: 'c>=3',
    base: 'a@testing',
    exit: 1,
    text: 'ERROR: unable to select packages:\n  c-3:\n    masked in: @testing\n    satisfies: world[c>=3]\n',
  },
  {
    id: 'pinning12: install_if inherits the trigger pinning',
    repos: pinned(specRepo(IIF_OVERLAY, 'testing')),
    world: 'a@testing',
    install: ['b-2', 'a@testing-3', 'iif@testing-3'],
  },
  { id: 'pinning13', repos: pinned(), world: 'samever@testing', install: ['samever@testing-10'] },
  {
    id: 'provides5: versioned provides clash',
    repos: [specRepo(PROVIDES)],
    world: 'server-a server-b',
    exit: 2,
    text:
      'ERROR: unable to select packages:\n  server-a-1:\n    conflicts: server-b-1[theservice=1]\n    satisfies: world[server-a]\n' +
      '  server-b-1:\n    conflicts: server-a-1[theservice=2]\n    satisfies: world[server-b]\n',
  },
  {
    id: 'provides6: two versions of one name',
    repos: [specRepo(PROVIDES)],
    world: 'app app2',
    exit: 4, // both libfoo, plus app and app2 by propagation
    text:
      'ERROR: unable to select packages:\n  libfoo-1:\n    conflicts: libfoo-2\n    satisfies: app-2[so:foo.so.1]\n' +
      '  libfoo-2:\n    conflicts: libfoo-1\n    satisfies: app2-2[so:foo.so.2]\n',
  },
  {
    id: 'provides9: virtual without priority',
    repos: [specRepo(PROVIDES)],
    world: 'conflicted-provider',
    exit: 1,
    text:
      "ERROR: unable to select packages:\n  conflicted-provider (virtual):\n    note: please select one of the 'provided by'\n" +
      '          packages explicitly\n    provided by: conflicted-provider-a\n                 conflicted-provider-b\n' +
      '    required by: world[conflicted-provider]\n',
  },
  {
    id: 'provides10: the same, required by a package',
    repos: [specRepo(PROVIDES)],
    world: 'conflicted-dep',
    exit: 2, // the name, plus conflicted-dep's unfulfilled dependency
    text:
      "ERROR: unable to select packages:\n  conflicted-provider (virtual):\n    note: please select one of the 'provided by'\n" +
      '          packages explicitly\n    provided by: conflicted-provider-a\n                 conflicted-provider-b\n' +
      '    required by: conflicted-dep-0.1[conflicted-provider]\n',
  },
  {
    id: 'provides13: real packages beat a versioned provider',
    repos: [specRepo(PROVIDES)],
    world: 'pulseaudio pulseaudio-alsa',
    install: ['pulseaudio-1', 'pulseaudio-alsa-1'],
  },
  {
    id: 'installif1',
    repos: [specRepo(IIF)],
    world: 'foo app',
    install: ['lib-1', 'app-1', 'foo-1', 'appiif1-1'],
  },
  {
    id: 'installif2',
    repos: [specRepo(IIF)],
    world: 'foo app bar',
    install: ['lib-1', 'app-1', 'bar-1', 'appiif2-1', 'foo-1', 'appiif1-1'],
  },
  {
    id: 'installif3: a broken newer install_if package is skipped',
    repos: [specRepo(IIF), specRepo(['appiif1 2 D:app,broken-deps i:app,foo'])],
    world: 'foo app',
    install: ['lib-1', 'app-1', 'foo-1', 'appiif1-1'],
  },
  {
    id: 'installif5',
    repos: [specRepo(IIF)],
    world: 'dam dam-babel cmd:babel',
    install: ['dam-babel-1', 'dam-1', 'dam1-babel-1'],
  },
  {
    id: 'installif6: trigger through so: provides',
    repos: [
      specRepo([
        'qt5-qtbase 1 p:so:libQt5Core.so.5=1',
        'wayland-libs-client 1 p:so:libwayland-client.so.0=1',
        'peruse 1 D:so:libQt5Core.so.5',
        'sway 1 D:so:libwayland-client.so.0',
        'qt5-qtwayland 1 i:wayland-libs-client,qt5-qtbase',
      ]),
    ],
    world: 'sway peruse',
    install: ['qt5-qtbase-1', 'peruse-1', 'wayland-libs-client-1', 'qt5-qtwayland-1', 'sway-1'],
  },
  {
    id: 'installif10: versioned trigger and a provided dependency',
    repos: [
      specRepo([
        'postmarketos-base-ui-gnome 1 D:polkit',
        'openrc 1',
        'postmarketos-base-ui-gnome-openrc 1 i:postmarketos-base-ui-gnome=1,openrc D:polkit-elogind',
        'polkit 1',
        'polkit-elogind 1 p:polkit=1',
      ]),
    ],
    world: 'postmarketos-base-ui-gnome openrc',
    install: [
      'openrc-1',
      'polkit-elogind-1',
      'postmarketos-base-ui-gnome-1',
      'postmarketos-base-ui-gnome-openrc-1',
    ],
  },
  { id: 'conflict1', repos: [specRepo(['a 1 D:!b>1', 'b 1', 'b 2'])], world: 'a b', install: ['b-1', 'a-1'] },
  {
    id: 'conflict2',
    repos: [specRepo(['a 1 D:!b>1', 'b 1', 'b 2'])],
    world: 'a b>1',
    exit: 1,
    text: 'ERROR: unable to select packages:\n  b-2:\n    breaks: a-1[!b>1]\n    satisfies: world[b>1]\n',
  },
  { id: 'complicated1', repos: [specRepo(COMPLICATED)], world: 'a', install: ['d-1.5', 'c-1', 'b-1', 'a-2'] },
  { id: 'complicated2', repos: [specRepo(COMPLICATED)], world: 'b', install: ['d-1.5', 'c-1', 'b-1'] },
  { id: 'complicated3', repos: [specRepo(COMPLICATED)], world: 'c', install: ['d-2.0', 'c-1'] },
  {
    id: 'error1',
    repos: [specRepo(COMPLICATED)],
    world: 'a d>1.5',
    exit: 2,
    text: 'ERROR: unable to select packages:\n  d-2.0:\n    breaks: b-1[d<2.0]\n    satisfies: world[d>1.5] a-3[d>1.5] c-1[d>1.0]\n',
  },
  {
    id: 'error2',
    repos: [specRepo(COMPLICATED)],
    world: 'a d<1.5',
    text: 'ERROR: unable to select packages:\n  d-1.0:\n    breaks: c-1[d>1.0]\n    satisfies: world[d<1.5] b-1[d<2.0]\n',
  },
  {
    id: 'error3',
    repos: [specRepo(COMPLICATED)],
    world: 'a !b',
    text:
      'ERROR: unable to select packages:\n  d-2.0:\n    breaks: b-1[d<2.0]\n    satisfies: a-3[d>1.5] c-1[d>1.0]\n' +
      '  b-1:\n    breaks: world[!b]\n    satisfies: a-3[b]\n',
  },
  {
    id: 'error4',
    repos: [specRepo(COMPLICATED)],
    world: 'a nonexistant',
    exit: 1,
    text: 'ERROR: unable to select packages:\n  nonexistant (no such package):\n    required by: world[nonexistant]\n',
  },
  {
    id: 'error5',
    repos: [specRepo(COMPLICATED)],
    world: 'a>2',
    text: 'ERROR: unable to select packages:\n  d-2.0:\n    breaks: b-1[d<2.0]\n    satisfies: a-3[d>1.5] c-1[d>1.0]\n',
  },
];

describe('apk-tools upstream solver scenarios', () => {
  it.each(rows.map((r) => [r.id, r] as const))('%s', (_, row) => {
    const u = buildUniverse(row.repos, { edgeOrder: 'load' });
    const r = solveArgs(u, row.world, row.base);
    if (row.install !== undefined) {
      expect(r.ok).toBe(true);
      expect(installed(r)).toEqual(row.install);
      return;
    }
    expect(r.ok).toBe(false);
    if (r.ok) return;
    if (row.exit !== undefined) expect(r.exitStatus).toBe(row.exit);
    expect(renderProblems(r.problems)).toBe(row.text);
  });
});
