import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostApkArch } from '../../src/apk/index.js';
import { busyboxRepository } from '../kit/busybox-repo.js';
import { larder } from '../kit/cli.js';
import { own, tempDir } from '../kit/paths.js';

// `larder recipe test` under real bubblewrap: a guest repository of Debian's busybox and two
// packages of our own (hello, hello-doc) packaged by larder, and a recipe whose test sections
// pass for one package and fail for the other.
const ARCH = hostApkArch();
const KEY = own('keys', 'larder-test.rsa');

let dir: string;
let repo: string;

function run(args: string[]): void {
  const r = larder(args);
  if (r.status !== 0) throw new Error(`larder ${args.join(' ')}: ${r.stderr}`);
}

async function packageOf(name: string, files: Record<string, string>): Promise<string> {
  const tree = join(dir, `${name}-tree`);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(tree, path, '..'), { recursive: true });
    await writeFile(join(tree, path), text);
    await chmod(join(tree, path), 0o755);
  }
  const apk = join(repo, ARCH, `${name}-1.0.0-r0.apk`);
  run(
    ['apk', 'create', '--name', name, '--version', '1.0.0-r0', '--arch', ARCH, '--from', tree].concat([
      '--license',
      'MIT',
      '--sign-key',
      KEY,
      '-o',
      apk,
    ]),
  );
  return apk;
}

async function recipe(name: string, body: string[]): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  const head = [
    'package:',
    '  name: hello',
    '  version: 1.0.0',
    '  epoch: 0',
    'pipeline:',
    '  - runs: "true"',
  ];
  await writeFile(file, [...head, ...body, ''].join('\n'));
  return file;
}

function test(file: string, extra: string[] = []) {
  return larder(
    ['recipe', 'test', file, '--runner', 'bubblewrap', '--arch', ARCH, '--repository', repo].concat(
      ['--keyring', `${KEY}.pub`, '--state-dir', join(dir, 'state')],
      extra,
    ),
    { env: { LARDER_QUIET: '' } },
  );
}

beforeAll(async () => {
  dir = await tempDir('larder-cli-recipe-test-');
  repo = await busyboxRepository(dir, ARCH, KEY);
  const apks = [
    join(repo, ARCH, 'busybox-1.35.0-r0.apk'),
    await packageOf('hello', { 'usr/bin/hello': '#!/bin/sh\necho "hello, $1"\n' }),
    await packageOf('hello-doc', { 'usr/share/doc/hello/README': 'hello\n' }),
  ];
  run(['index', '--sign-key', KEY, '-o', join(repo, ARCH, 'APKINDEX.tar.gz'), ...apks]);
});
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('larder recipe test under bubblewrap', () => {
  it('runs every test section in a guest of its environment plus the package under test', async () => {
    const file = await recipe('mixed', [
      'test:',
      '  environment:',
      '    contents:',
      '      packages: [busybox]',
      '    environment:',
      '      WHO: tester',
      '  pipeline:',
      '    - name: greets',
      '      runs: |',
      '        hello "$WHO" | tee /tmp/out',
      '        grep -q "hello, tester" /tmp/out',
      'subpackages:',
      '  - name: hello-doc',
      '    pipeline:',
      '      - runs: "true"',
      '    test:',
      '      environment:',
      '        contents:',
      '          packages: [busybox]',
      '      pipeline:',
      '        - name: has-readme',
      '          runs: test -f /usr/share/doc/hello/README',
      '        - name: has-manual',
      '          runs: |',
      '            echo looking for the manual',
      '            test -f /usr/share/doc/hello/manual.txt',
      '        - name: never-reached',
      '          runs: echo unreachable',
    ]);
    const r = test(file);
    expect(r.stdout).toBe(
      "OK hello\nFAIL hello-doc: has-manual: build step 'has-manual' failed with exit status 1\n",
    );
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain('[greets] hello, tester');
    expect(r.stderr).toContain('[has-manual] looking for the manual');
    expect(r.stderr).not.toContain('unreachable');

    const quiet = test(file, ['-q']);
    expect(quiet.stdout).toBe(r.stdout);
    expect(quiet.stderr).not.toContain('[greets]');
  });

  it('passes when every section passes; a package the repositories lack fails its environment', async () => {
    const ok = await recipe('ok', [
      'test:',
      '  environment:',
      '    contents:',
      '      packages: [busybox]',
      '  pipeline:',
      '    - runs: hello world | grep -q world',
    ]);
    const r = test(ok);
    expect(r.stdout, r.stderr).toBe('OK hello\n');
    expect(r.status).toBe(0);

    const missing = await recipe('missing', [
      'subpackages:',
      '  - name: hello-absent',
      '    pipeline:',
      '      - runs: "true"',
      '    test:',
      '      pipeline:',
      '        - runs: "true"',
    ]);
    const m = test(missing);
    expect(m.status, m.stdout + m.stderr).toBe(1);
    expect(m.stdout).toMatch(/^FAIL hello-absent: environment: .*hello-absent/);
  });

  it('--runner host runs the steps on the host with a warning that nothing is installed', async () => {
    const file = await recipe('host', [
      'test:',
      '  pipeline:',
      '    - name: where',
      '      runs: echo "on $(uname -s)"',
    ]);
    const r = test(file, ['--runner', 'host']);
    expect(r.stdout, r.stderr).toBe('OK hello\n');
    expect(r.stderr).toContain('--runner host installs nothing');
    expect(r.stderr).toContain('[where] on Linux');
  });

  it('an unknown runner is a usage error', async () => {
    const r = test(await recipe('usage', []), ['--runner', 'docker']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--runner 'docker'");
  });
});
