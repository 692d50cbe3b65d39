import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type ApkPackageMeta,
  type ApkTreeEntry,
  loadApkSigningKey,
  parseInstalledDb,
  writeApkPackage,
} from '../../../src/apk/index.js';
import { readTar } from '../../../src/archive/index.js';
import { assembleRootfs, replacesFile } from '../../../src/image/assemble/index.js';
import { EMPTY_IMAGE_CONFIG, type ImageConfig } from '../../../src/image/index.js';
import { own, tempDir } from '../../kit/paths.js';

const CONFIG = EMPTY_IMAGE_CONFIG;

const dir = (path: string): ApkTreeEntry => ({
  path,
  type: 'directory',
  mode: 0o755,
  uid: 0,
  gid: 0,
  uname: 'root',
  gname: 'root',
  size: 0,
  xattrs: [],
});
const file = (path: string, content: string, mode = 0o644): ApkTreeEntry => ({
  ...dir(path),
  type: 'file',
  mode,
  size: Buffer.byteLength(content),
  source: Buffer.from(content),
});

async function makePackage(
  out: string,
  name: string,
  entries: ApkTreeEntry[],
  extra: Partial<ApkPackageMeta> = {},
  scripts: Array<{ name: '.post-install' | '.trigger'; content: string }> = [],
): Promise<string> {
  const meta: ApkPackageMeta = {
    pkgname: name,
    pkgver: '1.0-r0',
    pkgdesc: name,
    url: '',
    arch: 'x86_64',
    origin: name,
    builddate: 1_700_000_000,
    depend: [],
    provides: [],
    install_if: [],
    replaces: [],
    triggers: [],
    extra: [],
    ...extra,
  };
  const path = join(out, `${name}.apk`);
  const signKey = await loadApkSigningKey(own('keys', 'larder-test.rsa'));
  await writeApkPackage(path, { meta, entries, scripts, signKey, mtime: 1_700_000_000 });
  return path;
}

async function assemble(paths: string[], config: ImageConfig = CONFIG) {
  const result = await assembleRootfs({
    arch: 'x86_64',
    packages: paths.map((path) => ({ path })),
    config,
    runtimeRepositories: [],
    keys: [],
  });
  const chunks: Buffer[] = [];
  for await (const c of result.tar) chunks.push(c);
  const entries = readTar(Buffer.concat(chunks));
  const text = (name: string) => entries.find((e) => e.header.name === name)?.data.toString('utf8');
  return { result, entries, text };
}

describe('file conflicts between packages', () => {
  it('fails naming both packages and the path when content differs and nothing replaces', async () => {
    const out = await tempDir();
    const a = await makePackage(out, 'alpha', [dir('etc'), file('etc/conf', 'a\n')]);
    const b = await makePackage(out, 'beta', [dir('etc'), file('etc/conf', 'b\n')]);
    await expect(assemble([a, b])).rejects.toMatchObject({
      code: 'PACKAGE_INVALID',
      message: expect.stringMatching(/beta-1\.0-r0 .*etc\/conf.*alpha-1\.0-r0/),
    });
  });

  it('lets the later package overwrite when it replaces the earlier, and moves ownership', async () => {
    const out = await tempDir();
    const a = await makePackage(out, 'alpha', [dir('etc'), file('etc/conf', 'a\n')]);
    const b = await makePackage(out, 'beta', [dir('etc'), file('etc/conf', 'b\n')], { replaces: ['alpha'] });
    const { text, result } = await assemble([a, b]);
    expect(text('etc/conf')).toBe('b\n');
    const db = parseInstalledDb(text('usr/lib/apk/db/installed') ?? '');
    expect(db.map((p) => p.files.flatMap((d) => d.files.map((f) => `${d.path}/${f.name}`)))).toEqual([
      [],
      ['etc/conf'],
    ]);
    expect(result.created).toBe(1_700_000_000);
  });

  it('keeps the earlier file when the earlier package replaces the later one', async () => {
    const out = await tempDir();
    const a = await makePackage(out, 'alpha', [dir('etc'), file('etc/conf', 'a\n')], { replaces: ['beta'] });
    const b = await makePackage(out, 'beta', [dir('etc'), file('etc/conf', 'b\n')]);
    const { text } = await assemble([a, b]);
    expect(text('etc/conf')).toBe('a\n');
  });

  it('accepts identical content and same-origin packages', async () => {
    const out = await tempDir();
    const a = await makePackage(out, 'alpha', [dir('etc'), file('etc/conf', 'same\n')]);
    const b = await makePackage(out, 'beta', [dir('etc'), file('etc/conf', 'same\n')]);
    expect((await assemble([a, b])).text('etc/conf')).toBe('same\n');
    const c = await makePackage(out, 'gamma', [dir('etc'), file('etc/conf', 'c\n')], { origin: 'alpha' });
    expect((await assemble([a, c])).text('etc/conf')).toBe('c\n');
  });

  it('refuses a file where a directory is, and a directory where a file is', async () => {
    const out = await tempDir();
    const a = await makePackage(out, 'alpha', [dir('etc'), dir('etc/conf')]);
    const b = await makePackage(out, 'beta', [dir('etc'), file('etc/conf', 'b\n')]);
    await expect(assemble([a, b])).rejects.toMatchObject({ code: 'PACKAGE_INVALID' });
    await expect(assemble([b, a])).rejects.toMatchObject({ code: 'PACKAGE_INVALID' });
  });

  it('records scripts in scripts.tar and triggers, and writes non-default ACLs', async () => {
    const out = await tempDir();
    const a = await makePackage(
      out,
      'alpha',
      [dir('usr'), dir('usr/bin'), file('usr/bin/tool', '#!/bin/sh\n', 0o4755)],
      { triggers: ['/usr/share/a', '/usr/share/b'] },
      [
        { name: '.post-install', content: 'echo hi\n' },
        { name: '.trigger', content: 'echo trig\n' },
      ],
    );
    const { text, result } = await assemble([a]);
    const checksum = result.installed[0]?.record.checksum ?? '';
    expect(text('usr/lib/apk/db/triggers')).toBe(`${checksum} /usr/share/a /usr/share/b\n`);
    const scripts = readTar(Buffer.from(text('usr/lib/apk/db/scripts.tar') ?? '', 'latin1'));
    expect(scripts.map((e) => e.header.name)).toEqual([
      `alpha-1.0-r0.${checksum}.post-install`,
      `alpha-1.0-r0.${checksum}.trigger`,
    ]);
    expect(scripts[0]?.data.toString()).toBe('echo hi\n');
    expect(text('usr/lib/apk/db/installed')).toContain('R:tool\na:0:0:4755\nZ:Q1');
  });
});

describe('replacesFile (apk_pkg_replaces_file)', () => {
  const pkg = (name: string, replaces: string[] = [], replacesPriority = 0, origin?: string) => ({
    name,
    version: '1-r0',
    replaces,
    replacesPriority,
    ...(origin !== undefined ? { origin } : {}),
  });
  it.each([
    ['same name', pkg('a'), pkg('a'), 'yes'],
    ['same origin', pkg('a', [], 0, 'o'), pkg('b', [], 0, 'o'), 'yes'],
    ['new replaces old', pkg('a'), pkg('b', ['a']), 'yes'],
    ['versioned replaces that does not match', pkg('a'), pkg('b', ['a>2']), 'conflict'],
    ['old replaces new', pkg('a', ['b']), pkg('b'), 'no'],
    ['both replace, old has higher priority', pkg('a', ['b'], 5), pkg('b', ['a'], 1), 'no'],
    ['both replace, equal priority', pkg('a', ['b'], 1), pkg('b', ['a'], 1), 'yes'],
    ['unrelated', pkg('a'), pkg('b'), 'conflict'],
  ] as const)('%s', (_why, old, incoming, verdict) => {
    expect(replacesFile(old, incoming)).toBe(verdict);
  });
});
