import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ConfigIssue, loadImageConfig } from '../../../src/image/index.js';
import { rejection, writeTree } from './helpers.js';

const BASE = `contents:
  keyring: [https://example.com/k1.rsa.pub]
  repositories: [https://example.com/r1/]
  build_repositories: [./b1]
  runtime_repositories: [https://example.com/rt1]
  runtime_keyring:
    - name: a
      content: x
  packages: [p1]
entrypoint:
  command: /base
cmd: base-cmd
stop-signal: SIGTERM
work-dir: /base
accounts:
  run-as: "1"
  users:
    - username: u1
      uid: 1
  groups:
    - groupname: g1
      gid: 1
archs: [arm64]
environment:
  A: base
  B: base
annotations:
  x: base
paths:
  - path: /p1
    type: directory
volumes: [/v1]
vcs-url: https://example.com/base.git
layering:
  strategy: origin
  budget: 1
format: tar
certificates:
  providers: [c1]
`;

const MAIN = `include: base.yaml
contents:
  keyring: [./k2.rsa.pub]
  repositories: [https://example.com/r2//]
  packages: [p2]
cmd: main-cmd
accounts:
  users:
    - username: u2
      uid: 2
environment:
  B: main
  C: main
paths:
  - path: /p2
    type: empty-file
volumes: [/v2]
`;

const sha256b64 = (...parts: Buffer[]) =>
  `sha256-${createHash('sha256').update(Buffer.concat(parts)).digest('base64')}`;

describe('image config: include', () => {
  it('merges the included file underneath: scalars target-first, maps unioned, lists included-first', async () => {
    const dir = await writeTree({ 'main.yaml': MAIN, 'base.yaml': BASE });
    const { config, files } = await loadImageConfig(join(dir, 'main.yaml'));
    expect(files).toEqual([join(dir, 'main.yaml'), join(dir, 'base.yaml')]);
    expect(config.contents).toEqual({
      repositories: ['https://example.com/r1', 'https://example.com/r2'],
      buildRepositories: ['./b1'],
      runtimeRepositories: ['https://example.com/rt1'],
      keyring: ['https://example.com/k1.rsa.pub', './k2.rsa.pub'],
      runtimeKeyring: [{ name: 'a', content: 'x' }],
      packages: ['p1', 'p2'],
    });
    expect(config.entrypoint).toEqual({ command: '/base' });
    expect(config.cmd).toBe('main-cmd');
    expect(config.stopSignal).toBe('SIGTERM');
    expect(config.workDir).toBe('/base');
    expect(config.accounts).toEqual({
      runAs: '1',
      users: [
        { username: 'u1', uid: 1 },
        { username: 'u2', uid: 2 },
      ],
      groups: [{ groupname: 'g1', gid: 1, members: [] }],
    });
    expect(config.archs).toEqual(['aarch64']);
    expect(config.environment).toEqual({ A: 'base', B: 'main', C: 'main' });
    expect(config.annotations).toEqual({ x: 'base' });
    expect(config.paths.map((p) => p.path)).toEqual(['/p1', '/p2']);
    expect(config.volumes).toEqual(['/v1', '/v2']);
    expect(config.layering).toEqual({ strategy: 'origin', budget: 1 });
    expect(config.format).toBe('tar');
    expect(config.certificates).toEqual({ additional: [], providers: ['c1'] });
    expect(config.include).toBe('base.yaml');
    // apko's MergeInto does not merge vcs-url: the included file's is dropped.
    expect(config.vcsUrl).toBeUndefined();
  });

  it('the checksum covers the main file, then each included file in load order', async () => {
    const dir = await writeTree({
      'a.yaml': 'include: b.yaml\ncontents:\n  packages: [a]\n',
      'b.yaml': 'include: c.yaml\ncontents:\n  packages: [b]\n',
      'c.yaml': 'contents:\n  packages: [c]\narchs: [amd64]\n',
    });
    const loaded = await loadImageConfig(join(dir, 'a.yaml'));
    const read = (n: string) => readFile(join(dir, n));
    expect(loaded.checksum).toBe(sha256b64(await read('a.yaml'), await read('b.yaml'), await read('c.yaml')));
    expect(loaded.files.map((f) => f.slice(dir.length + 1))).toEqual(['a.yaml', 'b.yaml', 'c.yaml']);
    expect(loaded.config.contents.packages).toEqual(['c', 'b', 'a']);
    expect(loaded.archs).toEqual(['x86_64']);
  });

  it('a target scalar wins; a base image comes from the include when the target has none', async () => {
    const dir = await writeTree({
      'main.yaml': 'include: base.yaml\nformat: erofs\narchs: [x86_64]\n',
      'base.yaml': 'contents:\n  baseimage:\n    image: ./base\nformat: tar\narchs: [aarch64]\n',
    });
    const { config } = await loadImageConfig(join(dir, 'main.yaml'));
    expect(config.format).toBe('erofs');
    expect(config.archs).toEqual(['x86_64']);
    expect(config.contents.baseimage).toEqual({ image: './base' });
  });

  it('looks in the working directory first (as apko), then --include-paths, then beside the file', async () => {
    const dir = await writeTree({
      'conf/main.yaml': 'include: base.yaml\n',
      'conf/base.yaml': 'cmd: beside\n',
      'cwd/base.yaml': 'cmd: cwd\n',
      'lib/shared.yaml': 'cmd: include-path\n',
      'conf/shared.yaml': 'cmd: beside-shared\n',
      'conf/uses-shared.yaml': 'include: shared.yaml\n',
    });
    const main = join(dir, 'conf', 'main.yaml');
    expect((await loadImageConfig(main, { cwd: join(dir, 'cwd') })).config.cmd).toBe('cwd');
    expect((await loadImageConfig(main, { cwd: join(dir, 'lib') })).config.cmd).toBe('beside');
    const shared = join(dir, 'conf', 'uses-shared.yaml');
    const viaPaths = await loadImageConfig(shared, { cwd: dir, includePaths: ['lib'] });
    expect(viaPaths.config.cmd).toBe('include-path');
    expect(viaPaths.files[1]).toBe(join('lib', 'shared.yaml'));
  });

  it('a missing include is reported at the include line', async () => {
    const dir = await writeTree({ 'main.yaml': 'cmd: x\ninclude: nowhere.yaml\n' });
    const err = await rejection(loadImageConfig(join(dir, 'main.yaml')), 'CONFIG_INVALID');
    expect(err.message).toContain(`${join(dir, 'main.yaml')}:2:10: include: cannot find 'nowhere.yaml'`);
  });

  it('an include cycle is reported instead of looping', async () => {
    const dir = await writeTree({ 'a.yaml': 'include: b.yaml\n', 'b.yaml': '\ninclude: a.yaml\n' });
    const err = await rejection(loadImageConfig(join(dir, 'a.yaml')), 'CONFIG_INVALID');
    expect(err.message).toContain(`${join(dir, 'b.yaml')}:2:10: include: include cycle: `);
  });

  it('problems in the main and in an included file are reported together, each in its file', async () => {
    const dir = await writeTree({
      'main.yaml': 'include: base.yaml\ncmd: [a]\n',
      'base.yaml': 'contents:\n  packages:\n    - "a b"\nbogus: 1\n',
    });
    const err = await rejection(loadImageConfig(join(dir, 'main.yaml')), 'CONFIG_INVALID');
    const issues = err.cause as ConfigIssue[];
    expect(issues.map((i) => `${i.file.slice(dir.length + 1)}:${i.line}:${i.column} ${i.path}`)).toEqual([
      'base.yaml:3:7 contents.packages[0]',
      'base.yaml:4:1 bogus',
      'main.yaml:2:1 cmd',
    ]);
  });

  it('a missing main file is NOT_FOUND', async () => {
    await rejection(loadImageConfig('/nonexistent/apko.yaml'), 'NOT_FOUND');
  });
});
