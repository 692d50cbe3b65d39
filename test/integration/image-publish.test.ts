import { execFileSync } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { larder } from '../kit/cli.js';
import { shared, tempDir } from '../kit/paths.js';
import { type LocalRegistry, startLocalRegistry } from '../kit/registry.js';

// `larder image publish` to Debian's docker-registry on 127.0.0.1, read back with skopeo.
describe('larder image publish', () => {
  let registry: LocalRegistry;
  beforeAll(async () => {
    registry = await startLocalRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('pushes the same index under every reference; skopeo reads it back with our digests', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'testdata'));
    await symlink(shared('keys', 'melange', 'melange.rsa.pub'), join(dir, 'testdata', 'melange.rsa.pub'));
    await symlink(shared('repo', 'melange-test'), join(dir, 'testdata', 'packages'));
    await writeFile(join(dir, 'apko.yaml'), await readFile(shared('apko', 'apko.yaml')));
    const env = { SOURCE_DATE_EPOCH: '1700000000', HOME: dir };
    const refs = [
      `${registry.host}/larder/test:1`,
      `${registry.host}/larder/test:latest`,
      `${registry.host}/other/name:x`,
    ];
    const r = larder(['image', 'publish', 'apko.yaml', ...refs, '--state-dir', join(dir, 'state')], {
      cwd: dir,
      env,
    });
    expect(r.stderr, registry.log()).toBe('');
    expect(r.status).toBe(0);
    const digest = r.stdout.trim();
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const local = larder(['image', 'build', 'apko.yaml', '-o', 'out', '--state-dir', join(dir, 'state')], {
      cwd: dir,
      env,
    });
    expect(local.stdout.trim()).toBe(digest);
    for (const ref of refs) {
      const raw = execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${ref}`]);
      const { createHash } = await import('node:crypto');
      expect(`sha256:${createHash('sha256').update(raw).digest('hex')}`).toBe(digest);
    }
    execFileSync(
      'skopeo',
      [
        'copy',
        '--all',
        '--preserve-digests',
        '--src-tls-verify=false',
        `docker://${refs[0]}`,
        `oci:${join(dir, 'back')}:t`,
      ],
      { stdio: 'ignore' },
    );
    const back = JSON.parse(await readFile(join(dir, 'back', 'index.json'), 'utf8'));
    expect(back.manifests[0].digest).toBe(digest);

    // `image inspect REF` pulls the pushed image and reports what inspecting the local build does.
    const remote = larder(['image', 'inspect', refs[1]!, '--json'], { cwd: dir, env });
    expect(remote.stderr, registry.log()).toBe('');
    expect(remote.status).toBe(0);
    const ours = JSON.parse(larder(['image', 'inspect', 'out', '--json'], { cwd: dir }).stdout);
    const theirs = JSON.parse(remote.stdout);
    expect(theirs.ref).toBe(refs[1]);
    expect(theirs.index).toBe(digest);
    expect(theirs.images).toEqual(ours.images);
    expect(theirs.images.flatMap((i: { packages: string[][] }) => i.packages.map((p) => p[0]))).toContain(
      'replayout',
    );
    const missing = larder(['image', 'inspect', `${registry.host}/larder/test:nope`], { cwd: dir, env });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^larder: [A-Z_]+: .*larder\/test.*nope/);
  });
});
