import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readTar } from '../../src/archive/index.js';
import { apkoWorkspace } from '../kit/apko-workspace.js';
import { fixtureCertificates } from '../kit/certificates.js';
import { larder } from '../kit/cli.js';
import { shared } from '../kit/paths.js';

// apko's apko-certs.yaml (custom-ca-certs-1/2 provide custom-ca-certificates) built by
// `larder image build`, on top of a package of ours that ships a CA bundle and a Java cacerts
// made by keytool; the result is checked with openssl and keytool. And /etc/apko.json of
// apko's own apko.yaml. Needs openssl and keytool (Debian default-jre-headless).

const EPOCH = 1_700_000_000;

function ok(dir: string, args: string[]) {
  const r = larder([...args, '--state-dir', join(dir, 'state')], {
    cwd: dir,
    env: { SOURCE_DATE_EPOCH: `${EPOCH}` },
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

const sh = (cmd: string, args: string[], input?: string) =>
  execFileSync(cmd, args, { encoding: 'utf8', ...(input !== undefined ? { input } : {}) });

/** openssl's re-encoding of a certificate, and its SHA-256 fingerprint as apko names files. */
const normalised = (pem: string) => sh('openssl', ['x509'], pem);
const fingerprint = (pem: string) =>
  sh('openssl', ['x509', '-noout', '-fingerprint', '-sha256'], pem)
    .split('=')[1]!
    .trim()
    .replaceAll(':', '')
    .toLowerCase();

async function rootfs(dir: string, config: string) {
  ok(dir, ['image', 'build', config, '-o', 'rootfs.tar.gz', '--format', 'rootfs', '--arch', 'x86_64']);
  const entries = readTar(gunzipSync(await readFile(join(dir, 'rootfs.tar.gz'))));
  return new Map(entries.map((e) => [e.header.name, e]));
}

/** A signed repository `stores/` with one package shipping a CA bundle and a JKS cacerts. */
async function trustStorePackage(dir: string, existing: string): Promise<void> {
  const tree = join(dir, 'tree');
  await mkdir(join(tree, 'etc', 'ssl', 'certs', 'java'), { recursive: true });
  await writeFile(join(tree, 'etc', 'ssl', 'certs', 'ca-certificates.crt'), '# base bundle\n');
  await writeFile(join(dir, 'existing.pem'), existing);
  const store = join(tree, 'etc', 'ssl', 'certs', 'java', 'cacerts');
  sh(
    'keytool',
    ['-importcert', '-noprompt', '-alias', 'existing', '-file', join(dir, 'existing.pem')].concat([
      '-keystore',
      store,
      '-storepass',
      'changeit',
      '-storetype',
      'JKS',
    ]),
  );
  ok(dir, ['keygen', '--name', 'stores', '--out', 'keys', '--bits', '2048']);
  const apk = join('stores', 'x86_64', 'trust-stores-1.0-r0.apk');
  await mkdir(join(dir, 'stores', 'x86_64'), { recursive: true });
  ok(
    dir,
    ['apk', 'create', '--name', 'trust-stores', '--version', '1.0-r0', '--arch', 'x86_64'].concat([
      '--from',
      'tree',
      '--sign-key',
      'keys/stores.rsa',
      '-o',
      apk,
    ]),
  );
  ok(dir, ['index', '--sign-key', 'keys/stores.rsa', '-o', join('stores', 'x86_64', 'APKINDEX.tar.gz'), apk]);
}

describe('image build: certificates, /etc/apko.json, os-release', () => {
  it("apko-certs.yaml: inline and provided certificates reach the CA bundle and Java's cacerts", async () => {
    const dir = await apkoWorkspace();
    await copyFile(shared('apko', 'apko-certs.yaml'), join(dir, 'apko-certs.yaml'));
    await trustStorePackage(dir, fixtureCertificates().get('cert-c')!);
    const key = join(dir, 'inline.key');
    sh(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'].concat([
        '-subj',
        '/CN=larder inline test',
        '-days',
        '2',
        '-keyout',
        key,
        '-out',
        join(dir, 'inline.pem'),
      ]),
    );
    const inline = `# our corporate root\n${await readFile(join(dir, 'inline.pem'), 'utf8')}`;
    const indented = inline.replace(/^/gm, '        ').trimEnd();
    await writeFile(
      join(dir, 'certs.yaml'),
      `include: apko-certs.yaml\ncontents:\n  keyring: [./keys/stores.rsa.pub]\n  repositories: [./stores]\n` +
        `  packages: [trust-stores]\narchs: [x86_64]\nos-release:\n  id: larder\ncertificates:\n` +
        `  providers: [custom-ca-certificates]\n  additional:\n    - name: corp-root\n      content: |\n${indented}\n`,
    );
    const files = await rootfs(dir, 'certs.yaml');
    const text = (name: string) => files.get(name)?.data.toString('utf8');
    const fromPackages = ['a', 'b', 'c', 'd'].map(
      (x) => text(`usr/local/share/ca-certificates/cert-${x}.crt`)!,
    );
    const order = [inline, ...fromPackages];

    const bundle = text('etc/ssl/certs/ca-certificates.crt')!;
    expect(bundle).toBe(`# base bundle\n${order.map((pem) => `${normalised(pem)}\n`).join('')}`);
    expect(files.get('etc/ssl/certs/ca-certificates.crt')?.header).toMatchObject({
      mode: 0o644,
      mtime: EPOCH,
    });
    const own = `usr/local/share/ca-certificates/corp-root-${fingerprint(inline)}.crt`;
    expect(text(own)).toBe(normalised(inline));
    expect(files.get(own)?.header).toMatchObject({ mode: 0o644, uid: 0, mtime: EPOCH });
    const sum = createHash('sha256').update(bundle).digest('hex');
    expect(text('etc/ssl/certs/.ca-certificates.crt.sha256')).toBe(`${sum}  ca-certificates.crt\n`);
    expect(files.get('etc/ssl/certs/.ca-certificates.crt.sha256')?.header.mode).toBe(0o444);

    const cacerts = files.get('etc/ssl/certs/java/cacerts')!.data;
    await writeFile(join(dir, 'cacerts'), cacerts);
    // keytool checks the store's integrity digest with the password, then lists the aliases.
    const listing = sh('keytool', [
      '-list',
      '-keystore',
      join(dir, 'cacerts'),
      '-storepass',
      'changeit',
      '-storetype',
      'JKS',
    ]);
    const aliases = [...listing.matchAll(/^([^,\n]+), [^\n]*trustedCertEntry, *$/gm)].map((m) => m[1]);
    expect(aliases.sort()).toEqual(
      [
        'existing',
        `corp-root-${fingerprint(inline)}`,
        ...fromPackages.map((p) => `pkg-${fingerprint(p)}`),
      ].sort(),
    );
    // New entries are dated SOURCE_DATE_EPOCH (2023-11-14 22:13:20 UTC), in milliseconds.
    const verbose = execFileSync(
      'keytool',
      ['-list', '-v', '-alias', `corp-root-${fingerprint(inline)}`, '-keystore', join(dir, 'cacerts')].concat(
        ['-storepass', 'changeit'],
      ),
      { encoding: 'utf8', env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' } },
    );
    expect(verbose).toMatch(/^Creation date: Nov 14, 2023$/m);
    const jksSum = createHash('sha256').update(cacerts).digest('hex');
    expect(text('etc/ssl/certs/java/.cacerts.sha256')).toBe(`${jksSum}  cacerts\n`);

    // pretend-baselayout ships /etc/os-release: it wins over the config's block.
    expect(text('etc/os-release')).toContain('ID=pretend');
    expect(files.has('etc/larder-release')).toBe(false);
    const json = JSON.parse(text('etc/apko.json')!);
    const installed = text('usr/lib/apk/db/installed')!;
    const pinned = [...installed.matchAll(/^P:(.*)\nV:(.*)$/gm)].map((m) => `${m[1]}=${m[2]}`).sort();
    expect(json.contents.packages).toEqual(pinned);
    expect(json.certificates).toEqual({
      additional: [{ name: 'corp-root', content: inline }],
      providers: ['custom-ca-certificates'],
    });
    expect(json['os-release']).toMatchObject({ id: 'larder' });
  });

  it("apko.yaml: /etc/apko.json is apko's locked config, the same with or without the lock", async () => {
    const dir = await apkoWorkspace();
    // Byte for byte what apko wrote in its own golden image of this config
    // (internal/cli/testdata/golden, amd64 layer), less the annotations given there on the command line.
    const golden =
      '{"contents":{"repositories":["./testdata/packages"],"keyring":["./testdata/melange.rsa.pub"],' +
      '"packages":["pretend-baselayout=1.0.0-r0","replayout=1.0.0-r0"]},' +
      '"entrypoint":{"command":"/bin/sh -l"},"accounts":{},"archs":["amd64"]}\n';
    const plain = await rootfs(dir, 'apko.yaml');
    expect(plain.get('etc/apko.json')?.data.toString()).toBe(golden);
    expect(plain.get('etc/apko.json')?.header).toMatchObject({ mode: 0o444, uid: 0, gid: 0, mtime: EPOCH });
    ok(dir, ['lock', 'apko.yaml', '-o', 'apko.lock.json']);
    ok(
      dir,
      ['image', 'build', 'apko.yaml', '-o', 'locked.tar.gz', '--format', 'rootfs', '--arch', 'x86_64'].concat(
        ['--lockfile', 'apko.lock.json'],
      ),
    );
    const locked = readTar(gunzipSync(await readFile(join(dir, 'locked.tar.gz'))));
    expect(locked.find((e) => e.header.name === 'etc/apko.json')?.data.toString()).toBe(golden);
  });
});
