import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostApkArch } from '../../src/apk/index.js';
import { busyboxRepository } from '../kit/busybox-repo.js';
import { larderAsync } from '../kit/cli.js';
import { type FakeHttpServer, startFakeHttpServer } from '../kit/fake-http-server.js';
import { own, tempDir } from '../kit/paths.js';

// `larder lock` then `image build --lockfile --offline` in the SAME state directory: the locked
// build takes the packages `lock` verified into cache/packages (every locked hash checked again)
// instead of needing their URLs in the HTTP cache.
const ARCH = hostApkArch();
const KEY = own('keys', 'larder-test.rsa');
const ENV = { SOURCE_DATE_EPOCH: '1700000000' };

let dir: string;
let server: FakeHttpServer;
let stopped = false;

const run = (args: string[]) =>
  larderAsync([...args, '--state-dir', join(dir, 'state')], { cwd: dir, env: ENV });

beforeAll(async () => {
  dir = await tempDir('larder-lock-offline-');
  const repo = await busyboxRepository(dir, ARCH, KEY);
  await mkdir(join(repo, 'keys'));
  await copyFile(`${KEY}.pub`, join(repo, 'keys', 'larder-test.rsa.pub'));
  server = await startFakeHttpServer({ dir: repo });
  await mkdir(join(dir, 'images'));
  await writeFile(
    join(dir, 'images', 'app.yaml'),
    [
      'contents:',
      '  keyring:',
      `    - ${server.url}/keys/larder-test.rsa.pub`,
      '  repositories:',
      `    - ${server.url}`,
      '  packages:',
      '    - busybox',
      'archs:',
      `  - ${ARCH}`,
      '',
    ].join('\n'),
  );
}, 180_000);

afterAll(async () => {
  if (server !== undefined && !stopped) await server.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('a locked offline build after larder lock, in one state directory', () => {
  it('builds from the package cache with the server stopped, to the plain digest', async () => {
    const plain = await run(['image', 'build', 'images/app.yaml', '-o', 'plain']);
    expect(plain.status, plain.stderr).toBe(0);
    const lock = await run(['lock', 'images/app.yaml', '-o', 'apko.lock.json']);
    expect(lock.status, lock.stderr).toBe(0);
    await server.close();
    stopped = true;
    const locked = await run([
      'image',
      'build',
      'images/app.yaml',
      '--lockfile',
      'apko.lock.json',
      '--offline',
      '-o',
      'locked',
    ]);
    expect(locked.stderr).toBe('');
    expect(locked.status).toBe(0);
    expect(locked.stdout).toBe(plain.stdout);
  });
});
