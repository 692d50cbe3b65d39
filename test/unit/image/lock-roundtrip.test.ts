import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createLock, formatLockFile, parseLockFile, readLockFile } from '../../../src/image/index.js';
import { shared } from '../../kit/paths.js';

const read = (name: string) => readFile(shared('apko', name), 'utf8');

describe('lock files: byte-exact round trips', () => {
  it.each([
    'apko.lock.json',
    'apko.pre-0.13.lock.json',
    'apko-discover.lock.json',
    'image_on_top.apko.lock.json',
  ])('%s: format(parse(x)) === x', async (name) => {
    const text = await read(name);
    expect(formatLockFile(parseLockFile(text, name))).toBe(text);
  });

  it('the current shape: config, all repository lists, keyring content, package checksums', async () => {
    const lock = await readLockFile(shared('apko', 'apko.lock.json'));
    expect(lock.source).toBe(shared('apko', 'apko.lock.json'));
    expect(lock.config).toEqual({
      name: 'apko.yaml',
      checksum: 'sha256-eal7+HCFuOLz/8m3vNO5cYyNK0Zw7AphCcsc76TbTXg=',
    });
    expect(lock.contents.buildRepositories).toEqual([]);
    expect(lock.contents.runtimeRepositories).toEqual([]);
    expect(lock.contents.keyring[0]?.content).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(lock.contents.packages.map((p) => p.checksum)).toEqual([
      'Q1m6wB0UFePGN8Drz82pC8y2uAiu8=',
      'Q11/HhSewwwOXgl0r0ffb0O0BRtYc=',
      'Q1JQ8nfsxa27d0f6oa056sdT5IcJY=',
      'Q1u62watWiRSQgVtAIuVuYoDOaVO4=',
    ]);
    expect(lock.finalNewline).toBeUndefined();
  });

  it('the pre-0.13 shape: the fields it lacks are absent, and it has no final newline', async () => {
    const lock = parseLockFile(await read('apko.pre-0.13.lock.json'), 'old.json');
    expect(lock.config).toBeUndefined();
    expect(lock.contents.buildRepositories).toBeUndefined();
    expect(lock.contents.runtimeRepositories).toBeUndefined();
    expect(lock.contents.keyring).toEqual([
      { name: './testdata/melange.rsa.pub', url: './testdata/melange.rsa.pub' },
    ]);
    expect(lock.contents.packages).toHaveLength(4);
    expect(lock.contents.packages.every((p) => p.checksum === undefined)).toBe(true);
    expect(lock.finalNewline).toBe(false);
  });

  it('createLock writes the current shape exactly as apko (rebuilding the fixture)', async () => {
    const text = await read('apko.lock.json');
    const parsed = parseLockFile(text, 'apko.lock.json');
    const c = parsed.contents;
    const rebuilt = createLock({
      configName: 'apko.yaml',
      configChecksum: parsed.config?.checksum ?? '',
      keyring: [...c.keyring].reverse(),
      buildRepositories: [],
      runtimeRepositories: [],
      repositories: c.repositories,
      packages: c.packages,
    });
    expect(formatLockFile(rebuilt)).toBe(text);
  });

  it('a pre-0.13 lock, re-made with createLock, gains the current shape', async () => {
    const old = parseLockFile(await read('apko.pre-0.13.lock.json'), 'old.json');
    const text = formatLockFile(
      createLock({
        configName: 'apko.yaml',
        configChecksum: 'sha256-eal7+HCFuOLz/8m3vNO5cYyNK0Zw7AphCcsc76TbTXg=',
        keyring: old.contents.keyring,
        buildRepositories: [],
        runtimeRepositories: [],
        repositories: old.contents.repositories,
        packages: old.contents.packages,
      }),
    );
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('"config": {\n    "name": "apko.yaml",');
    expect(text).toContain(
      '"build_repositories": [],\n    "runtime_repositories": [],\n    "repositories": [',
    );
  });

  it("escapes strings as Go's encoder does: <, >, &, U+2028, U+2029; control characters; raw UTF-8", () => {
    const lock = createLock({
      configName: 'a<b>&c\u2028\u2029.yaml',
      configChecksum: 'sha256-eal7+HCFuOLz/8m3vNO5cYyNK0Zw7AphCcsc76TbTXg=',
      keyring: [{ name: 'k', url: 'k', content: 'tab\tnl\nbell\u0007bs\bff\fé€😀\u007f"\\' }],
      buildRepositories: [],
      runtimeRepositories: [],
      repositories: [],
      packages: [],
    });
    const text = formatLockFile(lock);
    expect(text).toContain('"name": "a\\u003cb\\u003e\\u0026c\\u2028\\u2029.yaml"');
    expect(text).toContain('"content": "tab\\tnl\\nbell\\u0007bs\\bff\\fé€😀\u007f\\"\\\\"');
    expect(text).toContain('"packages": []\n  }\n}\n');
    const back = parseLockFile(text, 'x');
    expect(back.config?.name).toBe('a<b>&c\u2028\u2029.yaml');
    expect(formatLockFile(back)).toBe(text);
  });

  it('a lone surrogate becomes U+FFFD, as Go decodes it', () => {
    const text = formatLockFile(
      createLock({
        configName: 'x\ud800y',
        configChecksum: 'sha256-eal7+HCFuOLz/8m3vNO5cYyNK0Zw7AphCcsc76TbTXg=',
        keyring: [],
        buildRepositories: [],
        runtimeRepositories: [],
        repositories: [],
        packages: [],
      }),
    );
    expect(text).toContain('"name": "x\ufffdy"');
  });
});
