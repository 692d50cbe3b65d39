// The files apko writes from the config, in a whole assembly of the melange-test packages:
// /etc/apko.json, /etc/os-release from the config, the certificates, the s6 service tree.
import { createHash, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readTar } from '../../../src/archive/index.js';
import { type AssembleOptions, assembleRootfs, imageWorld } from '../../../src/image/assemble/index.js';
import { osReleaseFields, osReleaseText } from '../../../src/image/assemble/os-release-config.js';
import { writeSupervisionTree } from '../../../src/image/assemble/s6.js';
import { RootTree } from '../../../src/image/assemble/tree.js';
import { EMPTY_IMAGE_CONFIG, type ImageConfig } from '../../../src/image/index.js';
import { fixtureCertificates } from '../../kit/certificates.js';
import { shared } from '../../kit/paths.js';
import { thrown } from './helpers.js';

const apk = (name: string) => shared('repo', 'melange-test', 'x86_64', `${name}-1.0.0-r0.apk`);

async function build(config: ImageConfig, packages: string[], over: Partial<AssembleOptions> = {}) {
  const result = await assembleRootfs({
    arch: 'x86_64',
    packages: packages.map((name) => ({ path: apk(name) })),
    config,
    sourceDateEpoch: 1_700_000_000,
    runtimeRepositories: [],
    keys: [],
    ...over,
  });
  const chunks: Buffer[] = [];
  for await (const c of result.tar) chunks.push(c);
  const byName = new Map(readTar(Buffer.concat(chunks)).map((e) => [e.header.name, e]));
  const text = (name: string) => byName.get(name)?.data.toString('utf8');
  return { result, byName, text };
}

const withConfig = (over: Partial<ImageConfig>): ImageConfig => ({ ...EMPTY_IMAGE_CONFIG, ...over });

describe('/etc/apko.json', () => {
  it('is written 0444 with every installed package pinned, sorted', async () => {
    const config = withConfig({ contents: { ...EMPTY_IMAGE_CONFIG.contents, packages: ['replayout'] } });
    const { byName, text } = await build(config, ['pretend-baselayout', 'replayout']);
    expect(byName.get('etc/apko.json')?.header).toMatchObject({ mode: 0o444, uid: 0, mtime: 1_700_000_000 });
    expect(text('etc/apko.json')).toBe(
      '{"contents":{"packages":["pretend-baselayout=1.0.0-r0","replayout=1.0.0-r0"]},' +
        '"entrypoint":{},"accounts":{},"archs":["amd64"]}\n',
    );
  });

  it("takes a lock's package list as given, and is written before `paths` (which may change it)", async () => {
    const config = withConfig({
      paths: [{ path: '/etc/apko.json', type: 'permissions', permissions: 0o400 }],
    });
    const { byName, text } = await build(config, ['replayout'], { lockedPackages: ['z=1', 'a=2'] });
    expect(JSON.parse(text('etc/apko.json')!).contents.packages).toEqual(['z=1', 'a=2']);
    expect(byName.get('etc/apko.json')?.header.mode).toBe(0o400);
  });
});

describe('os-release from the config', () => {
  it("writes apko's file (and /etc/<id>-release) when no package has one; the SBOM reads it", async () => {
    const osRelease = {
      id: 'larder',
      versionId: '2.0',
      prettyName: 'Larder 2',
      bugReportUrl: 'https://x/bugs',
    };
    const { result, byName, text } = await build(withConfig({ osRelease }), ['custom-ca-certs-1']);
    expect(text('etc/os-release')).toBe(
      'ID=larder\nNAME="apko-generated image"\nPRETTY_NAME="Larder 2"\nVERSION_ID=2.0\n' +
        'HOME_URL="https://chainguard.dev/apko"\nBUG_REPORT_URL="https://x/bugs"\n',
    );
    expect(byName.get('etc/os-release')?.header).toMatchObject({ mode: 0o644, uid: 0, gid: 0 });
    expect(text('etc/larder-release')).toBe('2.0\n');
    expect(result.osRelease).toEqual({ id: 'larder', versionId: '2.0', prettyName: 'Larder 2' });
  });

  it("keeps the package's file when one provides it", async () => {
    const { result, byName } = await build(withConfig({ osRelease: { id: 'larder' } }), [
      'pretend-baselayout',
    ]);
    expect(result.osRelease?.id).toBe('pretend');
    expect(byName.get('etc/os-release')?.header.uid).toBe(501);
    expect(byName.has('etc/larder-release')).toBe(false);
  });

  it('writes nothing without the block', async () => {
    const { result, byName } = await build(EMPTY_IMAGE_CONFIG, ['custom-ca-certs-1']);
    expect(byName.has('etc/os-release')).toBe(false);
    expect(result.osRelease).toBeUndefined();
  });

  it("apko's defaults and line format", () => {
    expect(osReleaseText(osReleaseFields({}))).toBe(
      'ID=unknown\nNAME="apko-generated image"\nPRETTY_NAME="apko-generated image"\nVERSION_ID=unknown\n' +
        'HOME_URL="https://chainguard.dev/apko"\n',
    );
    expect(osReleaseFields({ name: 'Only Name' })).toMatchObject({ name: 'Only Name', prettyName: '' });
  });
});

describe('certificates in an image of the apko-certs.yaml packages', () => {
  it("appends the providers' certificates, in path order, to a bundle made by `paths`, and checksums it", async () => {
    const certs = fixtureCertificates();
    const inline = certs.get('cert-d')!;
    const config = withConfig({
      paths: [{ path: '/etc/ssl/certs/ca-certificates.crt', type: 'empty-file', permissions: 0o644 }],
      certificates: {
        additional: [{ name: 'corp', content: inline }],
        providers: ['custom-ca-certificates'],
      },
    });
    const { text, byName } = await build(config, [
      'pretend-baselayout',
      'custom-ca-certs-2',
      'custom-ca-certs-1',
    ]);
    const order = [inline, ...['cert-a', 'cert-b', 'cert-c', 'cert-d'].map((n) => certs.get(n)!)];
    const bundle = text('etc/ssl/certs/ca-certificates.crt');
    expect(bundle).toBe(order.map((pem) => `${pem}\n`).join(''));
    const fp = new X509Certificate(inline).fingerprint256.replaceAll(':', '').toLowerCase();
    expect(text(`usr/local/share/ca-certificates/corp-${fp}.crt`)).toBe(inline);
    const sum = createHash('sha256').update(bundle!).digest('hex');
    expect(text('etc/ssl/certs/.ca-certificates.crt.sha256')).toBe(`${sum}  ca-certificates.crt\n`);
    expect(byName.get('etc/ssl/certs/.ca-certificates.crt.sha256')?.header.mode).toBe(0o444);
  });
});

describe('s6 service bundles', () => {
  const bundle = withConfig({
    entrypoint: { type: 'service-bundle', services: { web: 'nginx -g "daemon off;"', db: 'postgres' } },
  });

  it('adds s6 to the world of a service bundle only', () => {
    expect(imageWorld({ ...bundle, contents: { ...bundle.contents, packages: ['a', 's6'] } })).toEqual([
      'a',
      's6',
      's6',
    ]);
    expect(imageWorld(withConfig({ entrypoint: { services: { a: 'b' } } }))).toEqual([]);
  });

  it('writes /sv/<name>/run (0755, execline) under 0777 directories; world and apko.json say s6', async () => {
    const { byName, text } = await build(bundle, ['replayout'], { lockedPackages: ['replayout=1.0.0-r0'] });
    expect(byName.get('sv')?.header).toMatchObject({ type: 'directory', mode: 0o777 });
    expect(byName.get('sv/web')?.header).toMatchObject({ type: 'directory', mode: 0o777 });
    expect(byName.get('sv/web/run')?.header).toMatchObject({ mode: 0o755, mtime: 1_700_000_000 });
    expect(text('sv/web/run')).toBe('#!/bin/execlineb\nnginx -g "daemon off;"\n');
    expect(text('sv/db/run')).toBe('#!/bin/execlineb\npostgres\n');
    expect(text('etc/apk/world')).toBe('replayout=1.0.0-r0\ns6\n');
    const json = JSON.parse(text('etc/apko.json')!);
    expect(json.entrypoint.command).toBe('/bin/s6-svscan /sv');
    expect(json.contents.packages).toEqual(['replayout=1.0.0-r0', 's6']);
  });

  it('writes services whatever the entrypoint type, and refuses names that are not one component', () => {
    const tree = new RootTree();
    writeSupervisionTree(tree, { one: 'x' }, 0);
    expect(tree.get('sv/one/run')?.data?.toString()).toBe('#!/bin/execlineb\nx\n');
    for (const name of ['../etc', 'a/b', '', '.', '..']) {
      expect(
        thrown(() => writeSupervisionTree(new RootTree(), { [name]: 'x' }, 0), 'CONFIG_INVALID').message,
      ).toMatch(/^entrypoint.services: /);
    }
  });
});
