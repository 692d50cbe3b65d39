import { mkdtempSync } from 'node:fs';
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLarderError } from '../../../../src/core/index.js';
import { initWorkspace, loadWorkspace, type Workspace } from '../../../../src/factory/index.js';

const base = mkdtempSync(join(tmpdir(), 'larder-ws-'));
let n = 0;

/** A fresh `larder init` workspace (2048-bit RSA to keep the test quick). */
async function fresh(): Promise<string> {
  n += 1;
  return (await initWorkspace(join(base, `ws${n}`), { rsaBits: 2048 })).root;
}

async function setPublish(root: string, yaml: string): Promise<void> {
  const file = join(root, 'larder.yaml');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace('  attest: true', `  attest: true\n${yaml}`));
}

let example: string;
let ws: Workspace;
beforeAll(async () => {
  example = await fresh();
  ws = await loadWorkspace(example);
});
afterAll(() => rm(base, { recursive: true, force: true }));

describe('loadWorkspace over the init example', () => {
  it('reads larder.yaml with paths resolved against the root', () => {
    expect(ws.root).toBe(example);
    expect(ws.config.repository).toMatchObject({
      name: 'main',
      dir: join(example, 'repo'),
      archs: ['x86_64'],
    });
    expect(ws.config.repository.signingKey).toBe(join(example, 'keys', 'larder.rsa'));
    expect(ws.config.images).toMatchObject({ signingKey: join(example, 'keys', 'cosign.key'), attest: true });
    expect(ws.advisoryFiles).toEqual([]);
  });

  it('lists the recipes by name with version, provides and build-time needs', () => {
    expect(
      ws.recipes.map((r) => [
        r.name,
        `${r.version}-r${r.epoch}`,
        r.provides,
        r.buildDepends,
        r.archs,
        r.problem,
      ]),
    ).toEqual([
      ['base-layout', '1.0.0-r0', ['base-layout'], ['host-toolchain'], ['x86_64'], undefined],
      ['greet', '1.0.0-r0', ['greet'], ['host-toolchain', 'libgreet-dev'], ['x86_64'], undefined],
      ['host-libc', '1.0.0-r0', ['host-libc'], ['host-toolchain'], ['x86_64'], undefined],
      ['libgreet', '1.0.0-r0', ['libgreet', 'libgreet-dev'], ['host-toolchain'], ['x86_64'], undefined],
    ]);
    for (const r of ws.recipes) {
      expect(r.file).toBe(join(example, 'recipes', `${r.name}.yaml`));
      expect(r.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(r.hasUpdateSource).toBe(false);
    }
  });

  it('lists the image with its hash and no publish reference until larder.yaml names one', () => {
    expect(ws.images).toEqual([
      {
        name: 'greet',
        configFile: join(example, 'images', 'greet.yaml'),
        publish: [],
        hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      },
    ]);
  });

  it('is deterministic: the same workspace loads the same', async () => {
    expect(await loadWorkspace(example)).toEqual(ws);
  });
});

describe('loadWorkspace changes and problems', () => {
  it('changes a recipe hash when a file of its source directory changes, is added or renamed', async () => {
    const root = await fresh();
    const hashOf = async (name: string) =>
      (await loadWorkspace(root)).recipes.find((r) => r.name === name)?.hash;
    const before = await hashOf('libgreet');
    const greet = await hashOf('greet');
    await appendFile(join(root, 'recipes', 'libgreet', 'greet.c'), '/* patched */\n');
    const edited = await hashOf('libgreet');
    expect(edited).not.toBe(before);
    await mkdir(join(root, 'recipes', 'libgreet', 'patches'));
    await writeFile(join(root, 'recipes', 'libgreet', 'patches', 'a.patch'), '');
    const added = await hashOf('libgreet');
    expect(added).not.toBe(edited);
    expect(await hashOf('greet')).toBe(greet);
  });

  it('keeps a broken recipe or image as a problem placed at file:line:col, never throwing', async () => {
    const root = await fresh();
    await writeFile(
      join(root, 'recipes', 'broken.yaml'),
      'package:\n  name: broken\n  version: 1\n  epochs: 2\n',
    );
    await writeFile(join(root, 'recipes', 'syntax.yaml'), 'package: [\n');
    await writeFile(join(root, 'images', 'bad.yaml'), 'contents:\n  packages: hello\n');
    const loaded = await loadWorkspace(root);
    const broken = loaded.recipes.find((r) => r.name === 'broken');
    expect(broken?.problem).toMatch(/recipes\/broken\.yaml:4:3: package\.epochs: unknown key 'epochs'/);
    expect(broken?.hash).toMatch(/^sha256:/);
    expect(loaded.recipes.find((r) => r.name === 'syntax')?.problem).toMatch(
      /recipes\/syntax\.yaml:\d+:\d+: /,
    );
    expect(loaded.recipes.filter((r) => r.problem === undefined)).toHaveLength(4);
    const bad = loaded.images.find((i) => i.name === 'bad');
    expect(bad?.problem).toMatch(/images\/bad\.yaml:2:13: contents\.packages: expected a list/);
    expect(bad?.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('adds declared provides after the package names, and sees an update source', async () => {
    const root = await fresh();
    await writeFile(
      join(root, 'recipes', 'tool.yaml'),
      [
        'package:',
        '  name: tool',
        '  version: 2.1.0',
        '  epoch: 3',
        '  dependencies:',
        '    provides: [cmd:tool=2.1.0, alt-tool]',
        'environment:',
        '  contents:',
        '    packages: [host-toolchain, "libgreet-dev>=1"]',
        'pipeline:',
        '  - runs: "true"',
        'subpackages:',
        '  - name: tool-doc',
        '    pipeline:',
        '      - runs: "true"',
        'update:',
        '  enabled: true',
        '  git: {}',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(root, 'recipes', 'manual.yaml'),
      'package: { name: manual, version: 1.0.0 }\npipeline: [ { runs: "true" } ]\nupdate: { enabled: true, manual: true, git: {} }\n',
    );
    const loaded = await loadWorkspace(root);
    const tool = loaded.recipes.find((r) => r.name === 'tool');
    expect(tool).toMatchObject({
      version: '2.1.0',
      epoch: 3,
      provides: ['tool', 'tool-doc', 'alt-tool', 'cmd:tool'],
      buildDepends: ['host-toolchain', 'libgreet-dev'],
      hasUpdateSource: true,
    });
    expect(loaded.recipes.find((r) => r.name === 'manual')?.hasUpdateSource).toBe(false);
  });

  it('marks a second config file for the same image name', async () => {
    const root = await fresh();
    await writeFile(join(root, 'images', 'greet.yml'), 'contents:\n  packages: [greet]\n');
    const loaded = await loadWorkspace(root);
    expect(loaded.images.map((i) => [i.name, i.problem])).toEqual([
      ['greet', undefined],
      ['greet', 'images/greet.yml: image greet is also defined by images/greet.yaml'],
    ]);
  });

  it('marks a recipe building a package another recipe builds', async () => {
    const root = await fresh();
    const text = await readFile(join(root, 'recipes', 'libgreet.yaml'), 'utf8');
    await writeFile(
      join(root, 'recipes', 'libgreet2.yaml'),
      text.replace('name: libgreet\n', 'name: libgreet2\n'),
    );
    const loaded = await loadWorkspace(root);
    expect(loaded.recipes.find((r) => r.name === 'libgreet2')?.problem).toBe(
      'recipes/libgreet2.yaml: package libgreet-dev is also built by recipes/libgreet.yaml',
    );
  });

  it('limits a recipe to the workspace archs it targets', async () => {
    const root = await fresh();
    const file = join(root, 'larder.yaml');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('archs: [x86_64]', 'archs: [x86_64, aarch64]'),
    );
    const loaded = await loadWorkspace(root);
    expect(loaded.recipes.find((r) => r.name === 'host-libc')?.archs).toEqual(['x86_64']);
    expect(loaded.recipes.find((r) => r.name === 'greet')?.archs).toEqual(['x86_64', 'aarch64']);
  });

  it('gives each image its publish references and advisory files by name', async () => {
    const root = await fresh();
    await setPublish(
      root,
      '  publish:\n    greet: [127.0.0.1:5000/larder/greet:latest, 127.0.0.1:5000/larder/greet:1]\n',
    );
    await writeFile(
      join(root, 'advisories', 'greet.advisories.yaml'),
      'schema-version: 2.0.2\npackage:\n  name: greet\n',
    );
    await writeFile(join(root, 'advisories', 'notes.txt'), '');
    const loaded = await loadWorkspace(root);
    expect(loaded.images[0]?.publish).toEqual([
      '127.0.0.1:5000/larder/greet:latest',
      '127.0.0.1:5000/larder/greet:1',
    ]);
    expect(loaded.advisoryFiles).toEqual([join(root, 'advisories', 'greet.advisories.yaml')]);
  });

  it('throws CONFIG_INVALID, placed, for a publish entry naming no image and for a missing key file', async () => {
    const root = await fresh();
    await setPublish(root, '  publish:\n    nope: [127.0.0.1:5000/larder/nope:1]\n');
    await rm(join(root, 'keys', 'cosign.key'));
    const err = await loadWorkspace(root).catch((e: unknown) => e);
    expect(isLarderError(err, 'CONFIG_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(/images\.signing-key: no such file .*keys\/cosign\.key/);
    await writeFile(join(root, 'keys', 'cosign.key'), '');
    const again = await loadWorkspace(root).catch((e: unknown) => e);
    expect((again as Error).message).toContain(`${join(root, 'larder.yaml')}:`);
    expect((again as Error).message).toMatch(
      /larder\.yaml:\d+:5: images\.publish\.nope: no image images\/nope\.yaml/,
    );
  });

  it('throws NOT_FOUND for a directory without larder.yaml', async () => {
    const err = await loadWorkspace(join(base, 'none')).catch((e: unknown) => e);
    expect(isLarderError(err, 'NOT_FOUND')).toBe(true);
    expect((err as Error).message).toContain('larder init DIR');
  });
});
