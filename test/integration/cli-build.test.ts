import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostApkArch } from '../../src/apk/index.js';
import { busyboxRepository } from '../kit/busybox-repo.js';
import { larder } from '../kit/cli.js';
import { CLI, own, tempDir } from '../kit/paths.js';

// `larder build` end to end under real bubblewrap (required in CI: .ci/run installs bubblewrap
// and busybox-static): a guest repository of Debian's busybox packaged by larder, a recipe of
// our own that fetches a local tarball, installs files from a runs: step, splits a subpackage,
// and the packages published into a signed repository.
const ARCH = hostApkArch();
const KEY = own('keys', 'larder-test.rsa');
const EPOCH = '1700000000';
/** melange substitutions, spelled so that they are not taken for template placeholders. */
const sub = (name: string): string => ['$', '{{', name, '}}'].join('');
const DESTDIR = sub('targets.destdir');
const SUBPKGDIR = sub('targets.subpkgdir');

let dir: string;
let guestRepo: string;
let tarball: string;
let sum: string;

interface RecipeParts {
  readonly sha256?: string;
  readonly install?: string;
}

/** Writes our recipe into its own directory (the default source dir) with a local file next to it. */
async function recipe(name: string, parts: RecipeParts = {}): Promise<string> {
  const recipeDir = join(dir, name);
  await mkdir(recipeDir, { recursive: true });
  await writeFile(join(recipeDir, 'notes.txt'), 'from the source dir\n');
  const install =
    parts.install ??
    [
      `mkdir -p ${DESTDIR}/usr/bin ${DESTDIR}/usr/share/hello`,
      `cp hello.sh ${DESTDIR}/usr/bin/hello`,
      `chmod 755 ${DESTDIR}/usr/bin/hello`,
      `cp README notes.txt ${DESTDIR}/usr/share/hello/`,
      `mkdir -p ${DESTDIR}/usr/include && echo '/* hello */' > ${DESTDIR}/usr/include/hello.h`,
      'echo "installed from $(pwd)"',
    ].join('\n');
  const text = [
    'package:',
    '  name: hello',
    '  version: 1.2.3',
    '  epoch: 4',
    '  description: hello from larder',
    '  copyright:',
    '    - license: MIT',
    'environment:',
    '  contents:',
    '    packages:',
    '      - busybox',
    'pipeline:',
    '  - uses: fetch',
    '    with:',
    `      uri: file://${dir}/hello-${sub('package.version')}.tar.gz`,
    `      expected-sha256: ${parts.sha256 ?? sum}`,
    '  - name: install',
    '    runs: |',
    ...install.split('\n').map((l) => `      ${l}`),
    'subpackages:',
    '  - name: hello-doc',
    '    description: hello documentation',
    '    pipeline:',
    '      - name: split-docs',
    '        runs: |',
    `          mkdir -p ${SUBPKGDIR}/usr/share`,
    `          mv ${DESTDIR}/usr/share/hello ${SUBPKGDIR}/usr/share/`,
    '  - name: hello-dev',
    '    description: hello headers',
    '    pipeline:',
    '      - uses: split/dev',
    '',
  ].join('\n');
  const file = join(recipeDir, 'hello.yaml');
  await writeFile(file, text);
  return file;
}

function build(file: string, out: string, env: NodeJS.ProcessEnv = {}) {
  return larder(
    ['build', file, '--out-dir', out, '--sign-key', KEY, '--runner', 'bubblewrap', '--arch', ARCH].concat([
      '--repository',
      guestRepo,
      '--keyring',
      `${KEY}.pub`,
      '--state-dir',
      join(dir, 'state'),
    ]),
    { env: { SOURCE_DATE_EPOCH: EPOCH, ...env } },
  );
}

beforeAll(async () => {
  dir = await tempDir('larder-cli-build-');
  guestRepo = await busyboxRepository(dir, ARCH, KEY);
  const src = join(dir, 'upstream', 'hello-1.2.3');
  await mkdir(src, { recursive: true });
  await writeFile(join(src, 'hello.sh'), '#!/bin/sh\necho hello\n', { mode: 0o755 });
  await writeFile(join(src, 'README'), 'hello, the program\n');
  tarball = join(dir, 'hello-1.2.3.tar.gz');
  execFileSync('tar', ['-C', join(dir, 'upstream'), '-czf', tarball, 'hello-1.2.3']);
  sum = createHash('sha256')
    .update(await readFile(tarball))
    .digest('hex');
});
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('larder build under bubblewrap', () => {
  it('builds, signs and publishes the package and its subpackages (a runs: step, split/dev); twice gives identical bytes', async () => {
    const file = await recipe('ok');
    const out = join(dir, 'repo-1');
    const r = build(file, out, { LARDER_QUIET: '' });
    expect(r.status, r.stderr).toBe(0);
    const paths = r.stdout.trim().split('\n');
    expect(paths).toEqual([
      join(out, ARCH, 'hello-1.2.3-r4.apk'),
      join(out, ARCH, 'hello-doc-1.2.3-r4.apk'),
      join(out, ARCH, 'hello-dev-1.2.3-r4.apk'),
    ]);
    expect(r.stderr).toContain('[install] installed from /home/build');

    const verify = larder(['apk', 'verify', '--keyring', `${KEY}.pub`, ...paths]);
    expect(verify.stdout, verify.stderr).toBe(paths.map((p) => `OK ${p}\n`).join(''));

    const [main, doc] = paths.map((p) => JSON.parse(larder(['apk', 'info', '--json', p]).stdout));
    expect(main).toMatchObject({
      name: 'hello',
      version: '1.2.3-r4',
      origin: 'hello',
      arch: ARCH,
      license: 'MIT',
    });
    expect(String(main.builddate)).toBe(EPOCH);
    expect(main.provides).toContain('cmd:hello=1.2.3-r4');
    expect(doc).toMatchObject({ name: 'hello-doc', version: '1.2.3-r4', description: 'hello documentation' });
    const contents = larder(['apk', 'contents', paths[1] as string]).stdout;
    expect(contents).toContain('usr/share/hello/README');
    expect(contents).toContain('usr/share/hello/notes.txt');
    const mainContents = larder(['apk', 'contents', paths[0] as string]).stdout;
    expect(mainContents).not.toContain('usr/share/hello/');
    // The built-in split/dev pipeline moved the header (busybox's find and mv, in the sandbox).
    expect(mainContents).not.toContain('usr/include');
    expect(larder(['apk', 'contents', paths[2] as string]).stdout).toContain('usr/include/hello.h');

    // The signed index lists both: resolving against it checks its signature too.
    const resolved = larder(
      [
        'resolve',
        '--repository',
        out,
        '--keyring',
        `${KEY}.pub`,
        '--arch',
        ARCH,
        '--json',
        'hello-doc',
      ].concat(['hello']),
    );
    expect(resolved.status, resolved.stderr).toBe(0);
    expect(JSON.parse(resolved.stdout).packages).toEqual(
      expect.arrayContaining([
        ['hello', '1.2.3-r4'],
        ['hello-doc', '1.2.3-r4'],
      ]),
    );

    const again = join(dir, 'repo-2');
    const r2 = build(file, again);
    expect(r2.status, r2.stderr).toBe(0);
    for (const p of paths) {
      const name = p.slice(out.length);
      expect(await readFile(join(again, name))).toEqual(await readFile(p));
    }
  });

  it('a failing step names the step and the recipe, and nothing is published', async () => {
    const file = await recipe('fails', { install: 'echo about to fail\nexit 3' });
    const out = join(dir, 'repo-fail');
    const r = build(file, out);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/build step 'install' failed with exit status 3/);
    await expect(readdir(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a wrong checksum names the URL, and nothing is published', async () => {
    const file = await recipe('bad-sum', { sha256: '0'.repeat(64) });
    const out = join(dir, 'repo-sum');
    const r = build(file, out);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`file://${tarball}`);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/SOURCE_CHECKSUM_MISMATCH|checksum/i);
    await expect(readdir(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('larder build: usage and interruption', () => {
  it('refuses an unknown runner and a missing signing key before building', async () => {
    const file = await recipe('usage');
    const out = join(dir, 'repo-usage');
    const runner = larder(['build', file, '--out-dir', out, '--sign-key', KEY, '--runner', 'docker']);
    expect(runner.status).toBe(2);
    expect(runner.stderr).toContain("--runner 'docker': use bubblewrap or host");
    const key = larder(['build', file, '--out-dir', out]);
    expect(key.status).toBe(2);
    expect(key.stderr).toContain('--sign-key');
    await expect(readdir(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('Ctrl-C kills the running step, publishes nothing and removes the scratch directory', async () => {
    const file = await recipe('interrupted', { install: 'echo started\nsleep 30' });
    const out = join(dir, 'repo-int');
    const tmp = join(dir, 'tmp-int');
    await mkdir(tmp);
    const child = spawn(
      process.execPath,
      [
        CLI,
        'build',
        file,
        '--out-dir',
        out,
        '--sign-key',
        KEY,
        '--runner',
        'bubblewrap',
        '--arch',
        ARCH,
      ].concat(['--repository', guestRepo, '--keyring', `${KEY}.pub`, '--state-dir', join(dir, 'state')]),
      { env: { ...process.env, LARDER_QUIET: '', TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    const started = performance.now();
    const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('[install] started')) resolve();
      }),
    );
    // The scratch directory exists while the step runs, and is gone after the interruption.
    expect((await readdir(tmp)).filter((n) => n.startsWith('larder-build-'))).toHaveLength(1);
    child.kill('SIGINT');
    const code = await exit;
    expect(code, stderr).not.toBe(0);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(stderr).toMatch(/interrupted by SIGINT|cancelled/);
    await expect(readdir(out)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await readdir(tmp)).filter((n) => n.startsWith('larder-build-'))).toEqual([]);
  });
});

describe('larder build --runner host', () => {
  it("compiles a C library and a program with the host's gcc; the program depends on the library's so: provide", async () => {
    const recipeDir = join(dir, 'greet');
    await mkdir(recipeDir, { recursive: true });
    await writeFile(join(recipeDir, 'greet.c'), '#include <stdio.h>\nvoid greet(void) { puts("hi"); }\n');
    await writeFile(join(recipeDir, 'main.c'), 'void greet(void);\nint main(void) { greet(); return 0; }\n');
    const file = join(recipeDir, 'greet.yaml');
    await writeFile(
      file,
      [
        'package:',
        '  name: greet',
        '  version: 0.3.0',
        '  epoch: 1',
        '  description: says hi',
        '  copyright:',
        '    - license: MIT',
        'pipeline:',
        '  - name: compile',
        '    runs: |',
        '      gcc -shared -fPIC -Wl,-soname,libgreet.so.1 -o libgreet.so.1 greet.c',
        '      gcc -o greet main.c ./libgreet.so.1',
        `      mkdir -p ${DESTDIR}/usr/lib ${DESTDIR}/usr/bin`,
        `      cp libgreet.so.1 ${DESTDIR}/usr/lib/`,
        `      cp greet ${DESTDIR}/usr/bin/`,
        'subpackages:',
        '  - name: libgreet1',
        '    pipeline:',
        '      - name: split-lib',
        '        runs: |',
        `          mkdir -p ${SUBPKGDIR}/usr/lib`,
        `          mv ${DESTDIR}/usr/lib/libgreet.so.1 ${SUBPKGDIR}/usr/lib/`,
        '',
      ].join('\n'),
    );
    const out = join(dir, 'repo-host');
    const r = larder(
      ['build', file, '--out-dir', out, '--signing-key', KEY, '--runner', 'host', '--arch', ARCH].concat([
        '--state-dir',
        join(dir, 'state'),
      ]),
    );
    expect(r.status, r.stderr).toBe(0);
    const [program, library] = r.stdout
      .trim()
      .split('\n')
      .map((p) => JSON.parse(larder(['apk', 'info', '--json', p]).stdout));
    expect(library).toMatchObject({ name: 'libgreet1', version: '0.3.0-r1' });
    expect(library.provides).toContain('so:libgreet.so.1=1');
    expect(program).toMatchObject({ name: 'greet', version: '0.3.0-r1' });
    expect(program.depends).toEqual(expect.arrayContaining(['so:libgreet.so.1', 'so:libc.so.6']));
    expect(program.provides).toContain('cmd:greet=0.3.0-r1');
  });
});
