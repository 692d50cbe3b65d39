import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { larder } from '../kit/cli.js';
import { shared, tempDir } from '../kit/paths.js';

// `larder resolve` end to end: the real Alpine 3.17 aarch64 index (in apk's REPO/ARCH layout
// through a symlink) and the real melange-test repository, with their keys.
describe('larder resolve', () => {
  let repo = '';
  let state = '';
  const alpine = () => [
    '--repository',
    repo,
    '--keyring',
    shared('keys', 'alpine'),
    '--arch',
    'aarch64',
    '--state-dir',
    state,
  ];

  beforeAll(async () => {
    const dir = await tempDir();
    repo = join(dir, 'alpine');
    state = join(dir, 'state');
    await mkdir(join(repo, 'aarch64'), { recursive: true });
    await symlink(
      shared('index', 'alpine-317-aarch64', 'APKINDEX.tar.gz'),
      join(repo, 'aarch64', 'APKINDEX.tar.gz'),
    );
  });

  it('prints name version lines sorted by name', () => {
    const r = larder(['resolve', ...alpine(), 'busybox', '/bin/sh']);
    expect(r.stderr).toBe('');
    expect(r).toMatchObject({
      status: 0,
      stdout: 'busybox 1.35.0-r29\nbusybox-binsh 1.35.0-r29\nmusl 1.2.3-r5\n',
    });
  });

  it('keeps parsed indexes by digest under --state-dir; a corrupt entry is ignored and rewritten', async () => {
    const { readdir, writeFile: write } = await import('node:fs/promises');
    const fresh = join(await tempDir(), 'state');
    const args = [
      'resolve',
      '--repository',
      repo,
      '--keyring',
      shared('keys', 'alpine'),
      '--arch',
      'aarch64',
      '--state-dir',
      fresh,
      'alpine-base',
    ];
    const first = larder(args);
    const entries = await readdir(join(fresh, 'cache', 'solver'));
    expect(entries).toHaveLength(1);
    expect(larder(args).stdout).toBe(first.stdout);
    await write(join(fresh, 'cache', 'solver', entries[0]!), 'garbage');
    expect(larder(args)).toMatchObject({ status: 0, stdout: first.stdout });
  });

  it('--json gives one line in the --worlds shape', () => {
    const r = larder(['resolve', ...alpine(), '--json', 'cmd:yacc']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('{"ok":true,"packages":[["byacc","20221106-r0"],["musl","1.2.3-r5"]]}\n');
  });

  it('explains an unsatisfiable world and exits 1; --json --explain adds the structure', () => {
    const r = larder(['resolve', ...alpine(), 'busybox<1.0', 'nonexistent-pkg']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('nonexistent-pkg (no such package):');
    expect(r.stderr).toContain('required by: world[nonexistent-pkg]');
    expect(r.stderr).toContain('breaks: world[busybox<1.0]');
    const j = larder(['resolve', ...alpine(), '--json', '--explain', 'nonexistent-pkg']);
    expect(j.status).toBe(1);
    const parsed = JSON.parse(j.stdout);
    expect(parsed.ok).toBe(false);
    expect(parsed.problems[0]).toMatchObject({
      kind: 'no-such-package',
      name: 'nonexistent-pkg',
      requiredBy: [{ kind: 'world', dependency: 'nonexistent-pkg' }],
    });
  });

  it('--worlds: one JSON line per input line, in order; exit 1 when any failed, 2 for a malformed line', async () => {
    const dir = await tempDir();
    const file = join(dir, 'worlds.jsonl');
    await writeFile(
      file,
      [
        '{"world":["busybox","so:libc.musl-aarch64.so.1"]}',
        '{"world":["nope-nope"]}',
        '{"world":["zlib"]}',
      ].join('\n'),
    );
    const r = larder(['resolve', ...alpine(), '--worlds', file]);
    expect(r.status).toBe(1);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({
      ok: true,
      packages: [
        ['busybox', '1.35.0-r29'],
        ['musl', '1.2.3-r5'],
      ],
    });
    expect(lines[1].ok).toBe(false);
    expect(lines[1].error).toContain('nope-nope (no such package)');
    expect(lines[2]).toEqual({
      ok: true,
      packages: [
        ['musl', '1.2.3-r5'],
        ['zlib', '1.2.13-r0'],
      ],
    });
    await writeFile(file, '{"world":["zlib"]}\nnot json\n');
    const bad = larder(['resolve', ...alpine(), '--worlds', file]);
    expect(bad.status).toBe(2);
    expect(bad.stdout.trim().split('\n')[1]).toMatch(/"ok":false,"error":".*worlds\.jsonl:2: not JSON/);
  });

  it('treats arguments as positionals after a repeated --repository', () => {
    const r = larder([
      'resolve',
      '--repository',
      repo,
      '--keyring',
      shared('keys', 'alpine'),
      '--arch',
      'arm64',
      '--state-dir',
      state,
      'zlib',
    ]);
    expect(r).toMatchObject({ status: 0, stdout: 'musl 1.2.3-r5\nzlib 1.2.13-r0\n' });
  });

  it('requires a trusted index, naming the repository, the signer and the keys offered', () => {
    const r = larder([
      'resolve',
      '--repository',
      repo,
      '--keyring',
      shared('keys', 'melange'),
      '--arch',
      'aarch64',
      '--state-dir',
      state,
      'zlib',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^larder: SIGNATURE_UNTRUSTED: .*repository .*alpine.*alpine-devel@lists\.alpinelinux\.org-616ae350\.rsa\.pub.*melange\.rsa\.pub/,
    );
    const ok = larder([
      'resolve',
      '--repository',
      repo,
      '--arch',
      'aarch64',
      '--state-dir',
      state,
      '--allow-untrusted',
      'zlib',
    ]);
    expect(ok).toMatchObject({ status: 0, stdout: 'musl 1.2.3-r5\nzlib 1.2.13-r0\n' });
  });

  it('resolves from the real melange-test repository for both arches, @tag pins included', () => {
    const base = shared('repo', 'melange-test');
    for (const arch of ['x86_64', 'aarch64']) {
      const r = larder([
        'resolve',
        '--repository',
        base,
        '--keyring',
        shared('keys', 'melange'),
        '--arch',
        arch,
        '--state-dir',
        state,
        'replayout',
      ]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('replayout 1.0.0-r0\n');
    }
    const pinned = larder([
      'resolve',
      '--repository',
      `@local ${base}`,
      '--keyring',
      shared('keys', 'melange'),
      '--arch',
      'x86_64',
      '--state-dir',
      state,
      'replayout@local',
    ]);
    expect(pinned.status, pinned.stderr).toBe(0);
    const missing = larder([
      'resolve',
      '--repository',
      base,
      '--keyring',
      shared('keys', 'melange'),
      '--arch',
      'x86_64',
      '--state-dir',
      state,
      'replayout@edge',
    ]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/repository tag for world dependency 'replayout@edge' does not exist/);
  });

  it('usage errors: no --arch, several arches, no constraint', () => {
    expect(larder(['resolve', '--repository', repo, 'zlib']).status).toBe(2);
    expect(larder(['resolve', ...alpine(), '--arch', 'x86_64', 'zlib']).stderr).toMatch(/exactly one --arch/);
    expect(larder(['resolve', ...alpine()]).stderr).toMatch(/at least one CONSTRAINT/);
  });
});
