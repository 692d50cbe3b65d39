import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostApkArch, readApkPackage } from '../../src/apk/index.js';
import { busyboxRepository } from '../kit/busybox-repo.js';
import { larder } from '../kit/cli.js';
import { own, tempDir } from '../kit/paths.js';

// `larder build-all` under real bubblewrap (CI installs bubblewrap and busybox-static): a later
// recipe's guest installs a package an earlier recipe just published into REPO, which is
// signed with a different key than the guest repository's.
const ARCH = hostApkArch();
const GUEST_KEY = own('keys', 'larder-test.rsa');
const REPO_KEY = own('keys', 'other-test.rsa');
const DESTDIR = ['$', '{{', 'targets.destdir', '}}'].join('');

let dir: string;
let guestRepo: string;
beforeAll(async () => {
  dir = await tempDir('larder-build-all-bwrap-');
  guestRepo = await busyboxRepository(dir, ARCH, GUEST_KEY);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function recipe(name: string, env: string[], script: string): string {
  return [
    'package:',
    `  name: ${name}`,
    '  version: "2.0"',
    '  epoch: 0',
    '  copyright:',
    '    - license: MIT',
    'environment:',
    '  contents:',
    '    packages:',
    ...env.map((e) => `      - ${e}`),
    'pipeline:',
    '  - name: install',
    '    runs: |',
    ...script.split('\n').map((l) => `      ${l}`),
    '',
  ].join('\n');
}

describe('larder build-all --runner bubblewrap', () => {
  it("installs an earlier recipe's package from REPO into a later recipe's guest", async () => {
    const tree = join(dir, 'tree');
    await mkdir(tree);
    await writeFile(
      join(tree, 'greeting.yaml'),
      recipe(
        'greeting',
        ['busybox'],
        `mkdir -p ${DESTDIR}/usr/share/greeting\necho bonjour > ${DESTDIR}/usr/share/greeting/text`,
      ),
    );
    await writeFile(
      join(tree, 'echoer.yaml'),
      recipe(
        'echoer',
        ['busybox', 'greeting=2.0-r0'],
        `mkdir -p ${DESTDIR}/usr/share/echoer\ncp /usr/share/greeting/text ${DESTDIR}/usr/share/echoer/heard`,
      ),
    );
    const out = join(dir, 'repo');
    const r = larder([
      'build-all',
      tree,
      '--out-dir',
      out,
      '--sign-key',
      REPO_KEY,
      '--arch',
      ARCH,
      '-j',
      '2',
      '--repository',
      guestRepo,
      '--keyring',
      `${GUEST_KEY}.pub`,
      '--state-dir',
      join(dir, 'state'),
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      join(out, ARCH, 'greeting-2.0-r0.apk'),
      join(out, ARCH, 'echoer-2.0-r0.apk'),
    ]);
    const echoer = await readApkPackage(join(out, ARCH, 'echoer-2.0-r0.apk'));
    expect(echoer.files.map((f) => f.path)).toContain('usr/share/echoer/heard');
  });
});
