import { execFileSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushOciLayout, RegistryClient } from '../../src/oci/index.js';
import { type Catalog, catalogTarget } from '../../src/vuln/index.js';
import { larder } from '../kit/cli.js';
import { tempDir } from '../kit/paths.js';
import { type LocalRegistry, startLocalRegistry } from '../kit/registry.js';

// Cataloguing artifacts made by real tools: a Go binary built by Debian's golang (no module
// proxy, local modules wired with `replace`), a C binary given a cargo-auditable section by
// objcopy, jars made by `zip`, all packaged by `larder apk create` and composed by
// `larder image build` into an OCI layout, a docker archive, a root filesystem and SBOMs.
// Needs golang-go, gcc, binutils and zip (.ci/run installs them).

const sh = (cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
  execFileSync(cmd, args, { encoding: 'utf8', ...options, env: { ...process.env, ...options.env } });

const APK = 'apk:gotool@1.0-r0';
let dir: string;
let goVersion: string;

/** The Go module tree: app requires liba v1.2.3 and libb v0.4.0, both replaced by directories. */
async function goModules(root: string): Promise<void> {
  const files: Record<string, string> = {
    'a/go.mod': 'module example.com/liba\n\ngo 1.19\n',
    'a/a.go': 'package liba\n\nfunc Hello() string { return "a" }\n',
    'b/go.mod': 'module example.com/libb\n\ngo 1.19\n',
    'b/b.go': 'package libb\n\nfunc Hello() string { return "b" }\n',
    'app/go.mod':
      'module example.com/app\n\ngo 1.19\n\nrequire (\n\texample.com/liba v1.2.3\n\texample.com/libb v0.4.0\n)\n\n' +
      'replace example.com/liba => ../a\n\nreplace example.com/libb v0.4.0 => ../b\n',
    'app/main.go':
      'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/liba"\n\t"example.com/libb"\n)\n\nvar version = "dev"\n\n' +
      'func main() { fmt.Println(liba.Hello(), libb.Hello(), version) }\n',
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

function ok(args: string[]) {
  const r = larder([...args, '--state-dir', join(dir, 'state')], {
    cwd: dir,
    env: { SOURCE_DATE_EPOCH: '1700000000' },
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  dir = await tempDir('larder-catalog-');
  const tree = join(dir, 'tree');
  await mkdir(join(tree, 'usr', 'bin'), { recursive: true });

  // Go: GOPROXY=off, local toolchain, every cache in the temp dir.
  const goEnv = {
    GOPROXY: 'off',
    GOFLAGS: '-mod=mod',
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
    GOCACHE: join(dir, 'go', 'cache'),
    GOPATH: join(dir, 'go', 'path'),
    GOENV: 'off',
  };
  await goModules(join(dir, 'src'));
  goVersion = sh('go', ['env', 'GOVERSION'], { env: goEnv }).trim();
  sh(
    'go',
    [
      'build',
      '-buildvcs=false',
      '-ldflags',
      '-X main.version=1.4.0',
      '-o',
      join(tree, 'usr', 'bin', 'gotool'),
      '.',
    ],
    {
      cwd: join(dir, 'src', 'app'),
      env: goEnv,
    },
  );

  // Rust stand-in: a gcc-built binary with a hand-made .dep-v0 section.
  await writeFile(join(dir, 'hello.c'), 'int main(void) { return 0; }\n');
  sh('gcc', ['-o', join(dir, 'hello'), join(dir, 'hello.c')]);
  const audit = {
    packages: [
      { name: 'rusty', version: '0.1.0', source: 'local', dependencies: [1, 2], root: true },
      { name: 'serde', version: '1.0.197', source: 'crates.io' },
      { name: 'cc', version: '1.0.90', source: 'crates.io', kind: 'build' },
    ],
  };
  await writeFile(join(dir, 'dep-v0'), deflateSync(JSON.stringify(audit)));
  sh('objcopy', [
    '--add-section',
    `.dep-v0=${join(dir, 'dep-v0')}`,
    join(dir, 'hello'),
    join(tree, 'usr', 'bin', 'rusty'),
  ]);

  // Java: an app jar with pom.properties and a nested library jar; a manifest-only jar.
  const jar = (name: string, files: Record<string, string>) => {
    const root = join(dir, 'jars', name);
    return (async () => {
      for (const [path, text] of Object.entries(files)) {
        await mkdir(join(root, path, '..'), { recursive: true });
        await writeFile(join(root, path), text);
      }
      return root;
    })();
  };
  await jar('lib', {
    'META-INF/maven/org.example/lib/pom.properties': 'groupId=org.example\nartifactId=lib\nversion=2.1.0\n',
  });
  sh('zip', ['-qr', join(dir, 'lib-2.1.0.jar'), '.'], { cwd: join(dir, 'jars', 'lib') });
  const app = await jar('app', {
    'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\nMain-Class: org.example.app.Main\n',
    'META-INF/maven/org.example/app/pom.properties': 'groupId=org.example\nartifactId=app\nversion=1.0.0\n',
  });
  await mkdir(join(app, 'BOOT-INF', 'lib'), { recursive: true });
  sh('cp', [join(dir, 'lib-2.1.0.jar'), join(app, 'BOOT-INF', 'lib')]);
  await mkdir(join(tree, 'usr', 'share', 'java'), { recursive: true });
  sh('zip', ['-qr', join(tree, 'usr', 'share', 'java', 'app-1.0.0.jar'), '.'], { cwd: app });
  await jar('plain', {
    'META-INF/MANIFEST.MF':
      'Manifest-Version: 1.0\nImplementation-Title: plain\nImplementation-Vendor-Id: com.example\n',
  });
  sh('zip', ['-qr', join(tree, 'usr', 'share', 'java', 'plain-3.3.jar'), '.'], {
    cwd: join(dir, 'jars', 'plain'),
  });

  // Python and npm.
  const site = join(tree, 'usr', 'lib', 'python3.12', 'site-packages', 'Requests-2.31.0.dist-info');
  await mkdir(site, { recursive: true });
  await writeFile(
    join(site, 'METADATA'),
    'Metadata-Version: 2.1\nName: Requests\nVersion: 2.31.0\nLicense: Apache 2.0\n',
  );
  const npm = join(tree, 'usr', 'lib', 'node_modules', '@scope', 'pad');
  await mkdir(npm, { recursive: true });
  await writeFile(join(npm, 'package.json'), '{"name":"@scope/pad","version":"1.3.0","license":"MIT"}\n');

  // Package, index, compose.
  ok(['keygen', '--name', 'test', '--out', 'keys', '--bits', '2048']);
  await mkdir(join(dir, 'repo', 'x86_64'), { recursive: true });
  const apk = join('repo', 'x86_64', 'gotool-1.0-r0.apk');
  ok(
    [
      'apk',
      'create',
      '--name',
      'gotool',
      '--version',
      '1.0-r0',
      '--arch',
      'x86_64',
      '--origin',
      'gotool-src',
    ].concat(['--license', 'MIT', '--from', 'tree', '--sign-key', 'keys/test.rsa', '-o', apk]),
  );
  ok(['index', '--sign-key', 'keys/test.rsa', '-o', join('repo', 'x86_64', 'APKINDEX.tar.gz'), apk]);
  await writeFile(
    join(dir, 'image.yaml'),
    'contents:\n  keyring: [./keys/test.rsa.pub]\n  repositories: [./repo]\n  packages: [gotool]\n' +
      "archs: [x86_64]\nos-release:\n  id: wolfi\n  version-id: '20230201'\n",
  );
  ok(['image', 'build', 'image.yaml', '-o', 'layout', '-t', 'example/gotool:1', '--sbom-dir', 'sboms']);
  ok(['image', 'build', 'image.yaml', '-o', 'img.tar', '--format', 'docker', '-t', 'example/gotool:1']);
  ok(['image', 'build', 'image.yaml', '-o', 'rootfs.tar.gz', '--format', 'rootfs']);
  await mkdir(join(dir, 'rootfs'));
  sh('tar', ['-xzf', join(dir, 'rootfs.tar.gz'), '-C', join(dir, 'rootfs')]);
}, 240_000);

/** What every image-shaped target must hold: the APK, and everything inside it owned by it. */
const LANGUAGE = () => [
  `go:example.com/app@v1.4.0 usr/bin/gotool <- ${APK}`,
  `go:example.com/liba@(devel) usr/bin/gotool <- ${APK}`,
  `go:example.com/libb@(devel) usr/bin/gotool <- ${APK}`,
  `go:stdlib@${goVersion} usr/bin/gotool <- ${APK}`,
  `pypi:requests@2.31.0 usr/lib/python3.12/site-packages/Requests-2.31.0.dist-info/METADATA <- ${APK}`,
  `npm:@scope/pad@1.3.0 usr/lib/node_modules/@scope/pad/package.json <- ${APK}`,
  `maven:com.example:plain@3.3 usr/share/java/plain-3.3.jar <- ${APK}`,
  `maven:org.example:app@1.0.0 usr/share/java/app-1.0.0.jar <- ${APK}`,
  `maven:org.example:lib@2.1.0 usr/share/java/app-1.0.0.jar:BOOT-INF/lib/lib-2.1.0.jar <- ${APK}`,
  `cargo:serde@1.0.197 usr/bin/rusty <- ${APK}`,
];
const summary = (c: Catalog) =>
  c.packages
    .filter((p) => p.ecosystem !== 'apk')
    .map((p) => `${p.id} ${p.locations.join(',')}${p.ownedBy ? ` <- ${p.ownedBy}` : ''}`);

describe('cataloguing what larder and real toolchains made', () => {
  it('the Go binary: build info as Go recorded it (replaced modules at (devel)), the exact Go version', async () => {
    const catalog = await catalogTarget(join(dir, 'tree'));
    const go = catalog.packages.filter((p) => p.ecosystem === 'go');
    expect(goVersion).toMatch(/^go1\.\d+/);
    expect(go.map((p) => [p.name, p.version, p.purl, p.goMainModule ?? false, p.arch])).toEqual([
      ['example.com/app', 'v1.4.0', 'pkg:golang/example.com/app@v1.4.0', true, 'amd64'],
      ['example.com/liba', '(devel)', 'pkg:golang/example.com/liba', false, 'amd64'],
      ['example.com/libb', '(devel)', 'pkg:golang/example.com/libb', false, 'amd64'],
      ['stdlib', goVersion, `pkg:golang/stdlib@${goVersion.slice(2)}`, false, 'amd64'],
    ]);
    // `go version -m` agrees on what was recorded.
    const listed = sh('go', ['version', '-m', join(dir, 'tree', 'usr', 'bin', 'gotool')]);
    expect(listed).toMatch(/dep\texample\.com\/liba\tv1\.2\.3\n\t=>\t\.\.\/a\t\(devel\)/);
    expect(catalog.warnings).toBeUndefined();
  });

  it('an OCI layout from larder image build: the APK with its origin, everything inside owned by it', async () => {
    const catalog = await catalogTarget(join(dir, 'layout'));
    expect(catalog.distro).toEqual({ id: 'wolfi', versionId: '20230201' });
    expect(catalog.source).toMatchObject({
      kind: 'oci-layout',
      names: expect.arrayContaining(['example/gotool:1']),
    });
    expect(catalog.source.digest).toMatch(/^sha256:/);
    expect(catalog.packages.filter((p) => p.ecosystem === 'apk')).toEqual([
      {
        id: APK,
        ecosystem: 'apk',
        name: 'gotool',
        version: '1.0-r0',
        purl: 'pkg:apk/wolfi/gotool@1.0-r0?arch=x86_64&distro=wolfi-20230201&upstream=gotool-src',
        origin: 'gotool-src',
        arch: 'x86_64',
        locations: ['usr/lib/apk/db/installed'],
        evidence: 'apk-installed-db',
        licenses: ['MIT'],
      },
    ]);
    expect(summary(catalog)).toEqual(LANGUAGE());
  });

  it('the docker archive and the extracted root filesystem give the same packages', async () => {
    const docker = await catalogTarget(join(dir, 'img.tar'));
    expect(docker.source).toMatchObject({ kind: 'docker-archive', names: ['example/gotool:1'] });
    expect(summary(docker)).toEqual(LANGUAGE());
    const rootfs = await catalogTarget(join(dir, 'rootfs'));
    expect(rootfs.source.kind).toBe('directory');
    expect(summary(rootfs)).toEqual(LANGUAGE());
    expect(rootfs.packages.find((p) => p.ecosystem === 'apk')?.origin).toBe('gotool-src');
  });

  it('the .apk itself: its .PKGINFO, and what it holds owned by it', async () => {
    const catalog = await catalogTarget(join(dir, 'repo', 'x86_64', 'gotool-1.0-r0.apk'));
    expect(catalog.source.kind).toBe('apk');
    expect(catalog.packages[0]).toMatchObject({
      id: APK,
      origin: 'gotool-src',
      evidence: 'apk-file',
      locations: ['gotool-1.0-r0.apk'],
    });
    expect(summary(catalog)).toEqual(LANGUAGE());
  });

  it('the SBOMs image build wrote round-trip: name, version, origin, distro', async () => {
    const sboms = (await readdir(join(dir, 'sboms'))).sort();
    expect(sboms).toEqual(['sbom-index.spdx.json', 'sbom-x86_64.cdx.json', 'sbom-x86_64.spdx.json']);
    // The index document lists images, not packages.
    const index = await catalogTarget(join(dir, 'sboms', 'sbom-index.spdx.json'));
    expect(index.packages).toEqual([]);
    expect(index.source.digest).toMatch(/^sha256:/);
    for (const [file, kind] of [
      ['sbom-x86_64.spdx.json', 'spdx'],
      ['sbom-x86_64.cdx.json', 'cyclonedx'],
    ] as const) {
      const catalog = await catalogTarget(join(dir, 'sboms', file));
      expect(catalog.source.kind).toBe(kind);
      expect(catalog.distro).toEqual({ id: 'wolfi', versionId: '20230201' });
      expect(catalog.packages.map((p) => [p.id, p.origin, p.purl])).toEqual([
        [
          APK,
          'gotool-src',
          'pkg:apk/wolfi/gotool@1.0-r0?arch=x86_64&distro=wolfi-20230201&upstream=gotool-src',
        ],
      ]);
    }
  });
});

describe('larder catalog', () => {
  it('prints the catalog as JSON or a table; a bad target or --distro exits 2 with one line', async () => {
    const json = larder(['catalog', join(dir, 'layout'), '--json']);
    expect(json.status, json.stderr).toBe(0);
    expect(json.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(json.stdout)).toEqual(await catalogTarget(join(dir, 'layout')));
    const table = larder(['catalog', join(dir, 'layout')]);
    expect(table.stdout).toMatch(
      /^oci-layout .*\(sha256:[0-9a-f]{64}\)\ndistro: wolfi 20230201\npackages: 11\n\nTYPE +NAME +VERSION +ORIGIN +LOCATION +OWNED BY\n/,
    );
    expect(table.stdout).toMatch(/\napk +gotool +1\.0-r0 +gotool-src +usr\/lib\/apk\/db\/installed\n/);
    expect(table.stdout).toMatch(/\ngo +stdlib +go1\.\S+ +usr\/bin\/gotool +apk:gotool@1\.0-r0\n/);
    const given = larder([
      'catalog',
      join(dir, 'repo', 'x86_64', 'gotool-1.0-r0.apk'),
      '--distro',
      'wolfi:20230201',
      '--json',
    ]);
    expect(JSON.parse(given.stdout).packages[0].purl).toBe(
      'pkg:apk/wolfi/gotool@1.0-r0?arch=x86_64&distro=wolfi-20230201&upstream=gotool-src',
    );
    const missing = larder(['catalog', join(dir, 'nothing.tar')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(
      `larder: TARGET_INVALID: ${join(dir, 'nothing.tar')}: no such file or directory\n`,
    );
    expect(larder(['catalog', dir, '--distro', 'Bad Name']).status).toBe(2);
  });
});

describe('cataloguing an image in a registry', () => {
  let registry: LocalRegistry;
  beforeAll(async () => {
    registry = await startLocalRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('pulls into a temporary layout, catalogues it and names the image by its reference', async () => {
    const ref = `${registry.host}/example/gotool:1`;
    const client = new RegistryClient();
    try {
      await pushOciLayout(join(dir, 'layout'), ref, { client });
    } finally {
      await client.close();
    }
    const catalog = await catalogTarget(`registry:${ref}`);
    expect(catalog.source).toMatchObject({ kind: 'registry', target: `registry:${ref}`, names: [ref] });
    expect(summary(catalog)).toEqual(LANGUAGE());
    const plain = await catalogTarget(ref);
    expect(plain.source.kind).toBe('registry');
  });
});
