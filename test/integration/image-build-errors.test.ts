import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { larder } from '../kit/cli.js';
import { own, shared, tempDir } from '../kit/paths.js';

// Bad input to `larder image build`: a clear error, a non-zero exit, and no output left behind.
async function config(dir: string, body: string): Promise<void> {
  await writeFile(join(dir, 'image.yaml'), body);
}

function build(dir: string) {
  return larder(['image', 'build', 'image.yaml', '-o', 'out', '--state-dir', join(dir, 'state')], {
    cwd: dir,
  });
}

async function leftovers(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter(
    (n) => n === 'out' || n.startsWith('.larder-build-') || n.startsWith('.out'),
  );
}

describe('larder image build on bad input', () => {
  it('an unknown config key names file:line:column', async () => {
    const dir = await tempDir();
    await config(dir, 'contents:\n  packages: [a]\nentrypoint:\n  comand: /bin/sh\n');
    const r = build(dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^larder: CONFIG_INVALID: [\s\S]*image\.yaml:4:3: entrypoint\.comand: unknown key/,
    );
    expect(await leftovers(dir)).toEqual([]);
  });

  it('an unreachable repository is a fetch error naming the URL', async () => {
    const dir = await tempDir();
    await config(
      dir,
      `contents:\n  repositories: [http://127.0.0.1:9/repo]\n  keyring: [${shared('keys', 'melange', 'melange.rsa.pub')}]\n  packages: [replayout]\narchs: [x86_64]\n`,
    );
    const r = build(dir);
    expect(r.status).toBe(2);
    // Each retry is a warning line; the failure is the last line.
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/^larder: FETCH_FAILED: .*127\.0\.0\.1:9\/repo\/x86_64\/APKINDEX\.tar\.gz/);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^larder: warning: .*retrying in \d+ ms/);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('an index signed by a key not in the keyring is untrusted (exit 1), naming both sides', async () => {
    const dir = await tempDir();
    await config(
      dir,
      `contents:\n  repositories: [${shared('repo', 'melange-test')}]\n  keyring: [${own('keys', 'other-test.rsa.pub')}]\n  packages: [replayout]\narchs: [x86_64]\n`,
    );
    const r = build(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^larder: SIGNATURE_UNTRUSTED: .*melange\.rsa\.pub.*other-test\.rsa\.pub/);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('two packages writing the same file conflict, naming both packages and the path', async () => {
    const dir = await tempDir();
    for (const name of ['alpha', 'beta']) {
      await mkdir(join(dir, name, 'etc'), { recursive: true });
      await writeFile(join(dir, name, 'etc', 'shared.conf'), `${name}\n`);
      const r = larder([
        'apk',
        'create',
        '--name',
        name,
        '--version',
        '1.0-r0',
        '--arch',
        'x86_64',
        '--from',
        join(dir, name),
        '--sign-key',
        own('keys', 'larder-test.rsa'),
        '-o',
        join(dir, 'repo', 'x86_64', `${name}-1.0-r0.apk`),
      ]);
      expect(r.status).toBe(0);
    }
    expect(
      larder([
        'index',
        '--sign-key',
        own('keys', 'larder-test.rsa'),
        '-o',
        join(dir, 'repo', 'x86_64', 'APKINDEX.tar.gz'),
        join(dir, 'repo', 'x86_64', 'alpha-1.0-r0.apk'),
        join(dir, 'repo', 'x86_64', 'beta-1.0-r0.apk'),
      ]).status,
    ).toBe(0);
    await config(
      dir,
      `contents:\n  repositories: [${join(dir, 'repo')}]\n  keyring: [${own('keys', 'larder-test.rsa.pub')}]\n  packages: [alpha, beta]\narchs: [x86_64]\n`,
    );
    const r = build(dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^larder: PACKAGE_INVALID: .*(alpha|beta)-1\.0-r0.*etc\/shared\.conf.*(alpha|beta)-1\.0-r0/,
    );
    expect(await leftovers(dir)).toEqual([]);
  });
});
