import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostApkArch } from '../../../src/apk/index.js';
import {
  ALL_IMAGE_ARCHS,
  loadImageConfig,
  ociArchName,
  parseArchFlag,
  parseImageConfig,
} from '../../../src/image/index.js';
import { shared } from '../../kit/paths.js';
import { rejection, writeTree } from './helpers.js';

const APKO_YAML = shared('apko', 'apko.yaml');

describe('image config: append options', () => {
  it('appends after the merge, skipping entries already listed; the checksum does not change', async () => {
    const plain = await loadImageConfig(APKO_YAML);
    const loaded = await loadImageConfig(APKO_YAML, {
      repositoryAppend: ['./testdata/packages/', 'https://example.com/extra'],
      buildRepositoryAppend: ['./build-only'],
      keyringAppend: ['./testdata/melange.rsa.pub', 'https://example.com/extra.rsa.pub'],
      packageAppend: ['busybox', 'replayout', 'zlib>=1.3'],
    });
    expect(loaded.config.contents.repositories).toEqual(['./testdata/packages', 'https://example.com/extra']);
    expect(loaded.config.contents.buildRepositories).toEqual(['./build-only']);
    expect(loaded.config.contents.keyring).toEqual([
      './testdata/melange.rsa.pub',
      'https://example.com/extra.rsa.pub',
    ]);
    expect(loaded.config.contents.packages).toEqual(['replayout', 'busybox', 'zlib>=1.3']);
    // As in apko, only the files are hashed: flags do not make a lock stale.
    expect(loaded.checksum).toBe(plain.checksum);
  });

  it('reports bad option values together with the file problems', async () => {
    const dir = await writeTree({ 'apko.yaml': 'cmd: 1\n' });
    const err = await rejection(
      loadImageConfig(join(dir, 'apko.yaml'), {
        packageAppend: ['ok', 'foo==1'],
        repositoryAppend: ['@tag'],
        archs: ['x86_64', 'sparc'],
      }),
      'CONFIG_INVALID',
    );
    const lines = err.message.split('\n');
    expect(lines[0]).toContain('(4 problems)');
    expect(lines).toContain("options: archs: unknown architecture 'sparc'");
    expect(lines).toContain(
      `options: packageAppend[1]: 'foo==1' is not a valid dependency: apko reads operator '==' as "any version" (use =, <, <=, >, >=, ~ or =~)`,
    );
    expect(lines.some((l) => l.startsWith('options: repositoryAppend[0]: '))).toBe(true);
    expect(lines.some((l) => l.startsWith(`${join(dir, 'apko.yaml')}:1:6: cmd: `))).toBe(true);
  });
});

describe('image config: architectures', () => {
  it('--arch overrides the config, deduplicated and sorted by OCI name (as apko ParseArchitectures)', async () => {
    const loaded = await loadImageConfig(APKO_YAML, {
      archs: ['arm64', 'x86_64', 'amd64', 'arm/v7', 'armhf'],
    });
    expect(loaded.archs).toEqual(['x86_64', 'armhf', 'armv7', 'aarch64']);
    expect(loaded.archs.map(ociArchName)).toEqual(['amd64', 'arm/v6', 'arm/v7', 'arm64']);
    expect(loaded.config.archs).toEqual(['x86_64', 'aarch64']);
  });

  it('--arch all and host', () => {
    expect(parseArchFlag(['all']).archs).toEqual(ALL_IMAGE_ARCHS);
    expect(parseArchFlag(['host']).archs).toEqual([hostApkArch()]);
    expect(parseArchFlag(['x86_64', 'bogus'])).toEqual({ archs: ['x86_64'], unknown: ['bogus'] });
  });

  it('config archs: apk names and OCI aliases, duplicates dropped, written order kept', () => {
    const parsed = parseImageConfig(
      'archs: [arm64, amd64, x86_64, arm/v7, armhf, "386", loong64]\n',
      'a.yaml',
    );
    expect(parsed.config?.archs).toEqual(['aarch64', 'x86_64', 'armv7', 'armhf', 'x86', 'loongarch64']);
  });

  it('config archs: all', () => {
    expect(parseImageConfig('archs: [all]\n', 'a.yaml').config?.archs).toEqual(ALL_IMAGE_ARCHS);
  });

  it('no archs anywhere means every arch, as apko lock does', async () => {
    const dir = await writeTree({ 'apko.yaml': 'contents:\n  packages: [a]\n' });
    expect((await loadImageConfig(join(dir, 'apko.yaml'))).archs).toEqual(ALL_IMAGE_ARCHS);
  });
});

describe('image config: values as apko decodes them', () => {
  it('string maps take any scalar as its source text; integers read like Go (0755 is octal)', () => {
    const text = [
      'environment:',
      '  PORT: 8080',
      '  RATIO: 1.50',
      '  DEBUG: true',
      '  EMPTY:',
      'annotations:',
      '  "org.opencontainers.image.version": 1.0',
      'paths:',
      '  - path: /a',
      '    type: directory',
      '    permissions: 0755',
      '    uid: 1_000',
      '  - path: /b',
      '    type: directory',
      '    permissions: 0o750',
      '    gid: 0x10',
      '',
    ].join('\n');
    const { config, issues } = parseImageConfig(text, 'a.yaml');
    expect(issues).toEqual([]);
    expect(config?.environment).toEqual({ PORT: '8080', RATIO: '1.50', DEBUG: 'true', EMPTY: '' });
    expect(config?.annotations).toEqual({ 'org.opencontainers.image.version': '1.0' });
    expect(config?.paths).toEqual([
      { path: '/a', type: 'directory', permissions: 0o755, uid: 1000 },
      { path: '/b', type: 'directory', permissions: 0o750, gid: 16 },
    ]);
  });

  it('null values mean "not set"; aliases resolve', () => {
    const text = 'cmd:\ncontents:\n  packages: &p [a, b]\n  keyring:\nvolumes: *p\n';
    const { config, issues } = parseImageConfig(text, 'a.yaml');
    expect(issues).toEqual([]);
    expect(config?.cmd).toBeUndefined();
    expect(config?.contents.keyring).toEqual([]);
    expect(config?.volumes).toEqual(['a', 'b']);
  });
});

describe('image config: YAML features apko (yaml.v3) supports', () => {
  it('merge keys', () => {
    const text = 'x-base: &base\n  command: /bin/sh\nentrypoint:\n  <<: *base\n  type: plain\n';
    const parsed = parseImageConfig(text, 'a.yaml');
    // x-base is itself an unknown key to apko's strict decoder.
    expect(parsed.issues.map((i) => i.path)).toEqual(['x-base']);
    const inline = parseImageConfig('entrypoint:\n  <<: {command: /bin/sh}\n  type: plain\n', 'a.yaml');
    expect(inline.config?.entrypoint).toEqual({ command: '/bin/sh', type: 'plain' });
  });

  it('an alias bomb is an issue, not a hang', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++)
      lines.push(
        `a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]`,
      );
    const parsed = parseImageConfig(`${lines.join('\n')}\n`, 'bomb.yaml');
    expect(parsed.config).toBeUndefined();
    expect(parsed.issues.map((i) => i.message)).toEqual([
      'Excessive alias count indicates a resource exhaustion attack',
    ]);
  });
});
