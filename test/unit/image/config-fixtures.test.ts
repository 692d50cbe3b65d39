import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadImageConfig, parseLockFile } from '../../../src/image/index.js';
import { shared } from '../../kit/paths.js';

const APKO = shared('apko');

describe('image config: the apko fixtures', () => {
  it('loads every fixture config, with a checksum over its bytes', async () => {
    const names = (await readdir(APKO)).filter((n) => n.endsWith('.yaml')).sort();
    expect(names).toEqual([
      'apko-certs.yaml',
      'apko-discover.yaml',
      'apko.yaml',
      'image_on_top.apko.yaml',
      'layering.yaml',
    ]);
    for (const name of names) {
      const loaded = await loadImageConfig(shared('apko', name));
      const bytes = await readFile(shared('apko', name));
      expect(loaded.checksum, name).toBe(`sha256-${createHash('sha256').update(bytes).digest('base64')}`);
      expect(loaded.files).toEqual([shared('apko', name)]);
      expect(loaded.archs, name).toEqual(['x86_64', 'aarch64']);
      expect(loaded.config.contents.keyring).toEqual(['./testdata/melange.rsa.pub']);
    }
  });

  it.each([
    ['apko.yaml', 'apko.lock.json'],
    ['apko-discover.yaml', 'apko-discover.lock.json'],
    ['image_on_top.apko.yaml', 'image_on_top.apko.lock.json'],
  ])('%s hashes to the config.checksum of %s', async (config, lockName) => {
    const lock = parseLockFile(await readFile(shared('apko', lockName), 'utf8'), lockName);
    const loaded = await loadImageConfig(shared('apko', config));
    expect(loaded.checksum).toBe(lock.config?.checksum);
  });

  it('apko.yaml: the exact checksum and model', async () => {
    const { config, checksum } = await loadImageConfig(shared('apko', 'apko.yaml'));
    expect(checksum).toBe('sha256-eal7+HCFuOLz/8m3vNO5cYyNK0Zw7AphCcsc76TbTXg=');
    expect(config).toEqual({
      contents: {
        repositories: ['./testdata/packages'],
        buildRepositories: [],
        runtimeRepositories: [],
        keyring: ['./testdata/melange.rsa.pub'],
        runtimeKeyring: [],
        packages: ['replayout'],
      },
      entrypoint: { command: '/bin/sh -l' },
      accounts: { users: [], groups: [] },
      archs: ['x86_64', 'aarch64'],
      paths: [],
      volumes: [],
    });
  });

  it('apko-discover.yaml keeps its repositories in order, schemes and all', async () => {
    const { config } = await loadImageConfig(shared('apko', 'apko-discover.yaml'));
    expect(config.contents.repositories).toEqual([
      'https://dl-cdn.alpinelinux.org/alpine/v3.22/main',
      'https://apk.cgr.dev/chainguard',
      './testdata/packages',
    ]);
  });

  it('apko-certs.yaml: certificates are recognised', async () => {
    const { config } = await loadImageConfig(shared('apko', 'apko-certs.yaml'));
    expect(config.certificates).toEqual({ additional: [], providers: ['custom-ca-certificates'] });
    expect(config.contents.packages).toEqual([
      'pretend-baselayout',
      'custom-ca-certs-1',
      'custom-ca-certs-2',
    ]);
  });

  it('image_on_top.apko.yaml: the base image is recognised', async () => {
    const { config } = await loadImageConfig(shared('apko', 'image_on_top.apko.yaml'));
    expect(config.contents.baseimage).toEqual({
      image: './testdata/base_image/',
      apkindex: './testdata/base_image/metadata/',
    });
  });

  it('layering.yaml: build and runtime repositories and layering', async () => {
    const { config } = await loadImageConfig(shared('apko', 'layering.yaml'));
    expect(config.contents.buildRepositories).toEqual(['./packages']);
    expect(config.contents.runtimeRepositories).toEqual(['apk.cgr.dev/runtime-only-repo']);
    expect(config.layering).toEqual({ strategy: 'origin', budget: 2 });
  });
});
