import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostApkArch, readApkIndex, readApkPackage } from '../../src/apk/index.js';
import { larder } from '../kit/cli.js';
import { own, tempDir } from '../kit/paths.js';

// `larder build-all` over a tree of tiny recipes that only write files, run with `--runner host`
// (bwrap over the host's tools): build order, a recipe's DIR/NAME source dir, skipping what the
// repository already has, -j 2, and stopping after a failure.
const ARCH = hostApkArch();
const KEY = own('keys', 'larder-test.rsa');
const DESTDIR = ['$', '{{', 'targets.destdir', '}}'].join('');
const SUBPKGDIR = ['$', '{{', 'targets.subpkgdir', '}}'].join('');

let dir: string;
let tree: string;
let out: string;
beforeEach(async () => {
  dir = await tempDir('larder-build-all-');
  tree = join(dir, 'tree');
  out = join(dir, 'repo');
  await mkdir(tree);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Tiny {
  readonly env?: string[];
  readonly runtime?: string[];
  readonly epoch?: number;
  readonly run?: string;
  readonly sub?: string;
}

async function recipe(name: string, t: Tiny = {}): Promise<void> {
  const lines = [
    'package:',
    `  name: ${name}`,
    '  version: 1.0.0',
    `  epoch: ${t.epoch ?? 0}`,
    '  copyright:',
    '    - license: MIT',
    ...(t.runtime ? ['  dependencies:', '    runtime:', ...t.runtime.map((r) => `      - ${r}`)] : []),
    ...(t.env ? ['environment:', '  contents:', '    packages:', ...t.env.map((e) => `      - ${e}`)] : []),
    'pipeline:',
    '  - name: install',
    '    runs: |',
    `      mkdir -p ${DESTDIR}/usr/share/${name}`,
    `      echo ${name} > ${DESTDIR}/usr/share/${name}/stamp`,
    ...(t.run ?? '')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => `      ${l}`),
    ...(t.sub
      ? [
          'subpackages:',
          `  - name: ${t.sub}`,
          '    pipeline:',
          '      - name: split',
          '        runs: |',
          `          mkdir -p ${SUBPKGDIR}/usr/include`,
          `          echo header > ${SUBPKGDIR}/usr/include/${name}.h`,
        ]
      : []),
    '',
  ];
  await writeFile(join(tree, `${name}.yaml`), lines.join('\n'));
}

/** lib (with lib-dev and a source dir) ← app → tool; zed alone. Build order: lib tool app zed. */
async function writeTree(extra: Partial<Record<string, Tiny>> = {}): Promise<void> {
  await mkdir(join(tree, 'lib'));
  await writeFile(join(tree, 'lib', 'data.txt'), 'from lib/\n');
  await recipe('lib', { sub: 'lib-dev', run: `cp data.txt ${DESTDIR}/usr/share/lib/`, ...extra.lib });
  await recipe('tool', { ...extra.tool });
  await recipe('app', { env: ['lib-dev>=1'], runtime: ['tool'], ...extra.app });
  await recipe('zed', { ...extra.zed });
}

function buildAll(...args: string[]) {
  return larder(
    ['build-all', tree, '--out-dir', out, '--sign-key', KEY, '--runner', 'host', '--arch', ARCH, ...args],
    { env: { LARDER_QUIET: '' } },
  );
}

const started = (stderr: string) =>
  [...stderr.matchAll(/^larder: build-all: (\S+)-1\.0\.0-r\d+: building$/gm)].map((m) => m[1]);

describe('larder build-all', () => {
  it('builds in dependency order, uses DIR/NAME as the source dir, then skips what REPO has', async () => {
    await writeTree();
    const first = buildAll();
    expect(first.status, first.stderr).toBe(0);
    expect(started(first.stderr)).toEqual(['lib', 'tool', 'app', 'zed']);
    const names = first.stdout
      .trim()
      .split('\n')
      .map((p) => p.slice(p.lastIndexOf('/') + 1));
    expect(names).toEqual([
      'lib-1.0.0-r0.apk',
      'lib-dev-1.0.0-r0.apk',
      'tool-1.0.0-r0.apk',
      'app-1.0.0-r0.apk',
      'zed-1.0.0-r0.apk',
    ]);
    const lib = await readApkPackage(join(out, ARCH, 'lib-1.0.0-r0.apk'));
    expect(lib.files.map((e) => e.path)).toContain('usr/share/lib/data.txt');
    const index = readApkIndex(await readFile(join(out, ARCH, 'APKINDEX.tar.gz')));
    expect(index.records.map((r) => r.name).sort()).toEqual(['app', 'lib', 'lib-dev', 'tool', 'zed']);

    const again = buildAll();
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toBe('');
    expect(started(again.stderr)).toEqual([]);
    expect(again.stderr).toContain('larder: build-all: 0 built, 4 skipped');

    // A new epoch is a new package: only that recipe is built again.
    await recipe('zed', { epoch: 1 });
    const bumped = buildAll();
    expect(bumped.status, bumped.stderr).toBe(0);
    expect(started(bumped.stderr)).toEqual(['zed']);
    expect(bumped.stdout.trim()).toBe(join(out, ARCH, 'zed-1.0.0-r1.apk'));
  });

  it('runs two independent recipes at once with -j 2, each only after what it depends on', async () => {
    await writeTree({ lib: { sub: 'lib-dev', run: 'sleep 1' }, tool: { run: 'sleep 1' } });
    const r = buildAll('-j', '2');
    expect(r.status, r.stderr).toBe(0);
    const events = [...r.stderr.matchAll(/^larder: build-all: (\S+)-1\.0\.0-r0: (building|built)$/gm)].map(
      (m) => `${m[2]} ${m[1]}`,
    );
    // lib and tool start together; app waits for both.
    expect(events.slice(0, 2)).toEqual(['building lib', 'building tool']);
    expect(events.indexOf('building app')).toBeGreaterThan(events.indexOf('built lib'));
    expect(events.indexOf('building app')).toBeGreaterThan(events.indexOf('built tool'));
    expect(events.filter((e) => e.startsWith('built'))).toHaveLength(4);
  });

  it('stops after a failure and names the failed and the unbuilt recipes', async () => {
    await writeTree({ tool: { run: 'exit 3' } });
    const r = buildAll();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^larder: FAIL tool: STEP_FAILED: .*exit status 3/m);
    expect(r.stderr).toContain('1 built, 0 skipped, 1 failed (tool), 2 not built (app zed)');
    expect((await readdir(join(out, ARCH))).filter((n) => n.endsWith('.apk')).sort()).toEqual([
      'lib-1.0.0-r0.apk',
      'lib-dev-1.0.0-r0.apk',
    ]);
  });

  it('rejects a bad -j and a missing key as usage errors', async () => {
    await writeTree();
    const j = buildAll('-j', '0');
    expect(j.status).toBe(2);
    expect(j.stderr).toContain("-j '0': expected a whole number");
    const nokey = larder(['build-all', tree, '--out-dir', out]);
    expect(nokey.status).toBe(2);
    expect(nokey.stderr).toContain('a signing key is required');
  });
});
