import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OpenVexDocumentJson, ScanJson } from '../../src/vuln/index.js';
import { larder } from '../kit/cli.js';
import { tempDir } from '../kit/paths.js';
import { openVexValidator, problems, sarifValidator } from '../unit/vuln/report/schemas.js';

// `larder scan` of an image composed by larder: a Go binary built here by Debian's golang
// (GOPROXY=off, one dependency vendored at a real version) packaged by `larder apk create`
// with an origin, a second APK, `larder index`, `larder image build` (OCI layout, docker
// archive, SBOMs); vulnerability data written by the test in the real schemas (Wolfi advisory
// YAML, OSV JSON). Needs golang-go (.ci/run installs it).

let dir: string;
let goVersion: string;

const sh = (cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
  execFileSync(cmd, args, { encoding: 'utf8', ...options, env: { ...process.env, ...options.env } });

function ok(args: string[]): string {
  const r = larder([...args, '--state-dir', join(dir, 'state')], {
    cwd: dir,
    env: { SOURCE_DATE_EPOCH: '1700000000' },
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

async function write(files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

const DATA = () => ['--advisories', join(dir, 'advisories'), '--osv', join(dir, 'osv')];

/** OSV records for the Go module and the Go toolchain in the image. */
function osv(id: string, aliases: string[], name: string, events: object[], severity?: string): string {
  return JSON.stringify({
    schema_version: '1.6.0',
    id,
    modified: '2099-03-01T00:00:00Z',
    aliases,
    summary: `Synthetic: ${id} for larder's scan tests`,
    ...(severity === undefined ? {} : { severity: [{ type: 'CVSS_V3', score: severity }] }),
    affected: [{ package: { name, ecosystem: 'Go' }, ranges: [{ type: 'SEMVER', events }] }],
  });
}

function advisory(pkg: string, entries: { id: string; aliases: string[]; event: string }[]): string {
  return `schema-version: 2.0.2\n\npackage:\n  name: ${pkg}\n\nadvisories:\n${entries
    .map((e) => `  - id: ${e.id}\n    aliases: [${e.aliases.join(', ')}]\n    events:\n${e.event}`)
    .join('\n')}`;
}

const fixed = (version: string) =>
  `      - timestamp: 2099-01-02T00:00:00Z\n        type: fixed\n        data:\n          fixed-version: ${version}\n`;

beforeAll(async () => {
  dir = await tempDir('larder-scan-image-');
  // A Go program with one dependency vendored at v1.2.3: build info records that version.
  await write({
    'go/app/go.mod': 'module example.com/tool\n\ngo 1.19\n\nrequire example.com/liba v1.2.3\n',
    'go/app/main.go':
      'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/liba"\n)\n\nfunc main() { fmt.Println(liba.Hello()) }\n',
    'go/app/vendor/modules.txt': '# example.com/liba v1.2.3\n## explicit; go 1.19\nexample.com/liba\n',
    'go/app/vendor/example.com/liba/a.go': 'package liba\n\nfunc Hello() string { return "a" }\n',
    'libfoo/usr/share/libfoo/README': 'libfoo\n',
  });
  const goEnv = {
    GOPROXY: 'off',
    GOFLAGS: '-mod=vendor',
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
    GOCACHE: join(dir, 'go', 'cache'),
    GOPATH: join(dir, 'go', 'path'),
    GOENV: 'off',
  };
  goVersion = sh('go', ['env', 'GOVERSION'], { env: goEnv }).trim();
  await mkdir(join(dir, 'tool', 'usr', 'bin'), { recursive: true });
  sh('go', ['build', '-buildvcs=false', '-trimpath', '-o', join(dir, 'tool', 'usr', 'bin', 'tool'), '.'], {
    cwd: join(dir, 'go', 'app'),
    env: goEnv,
  });

  ok(['keygen', '--name', 'test', '--out', 'keys', '--bits', '2048']);
  await mkdir(join(dir, 'repo', 'x86_64'), { recursive: true });
  const create = (name: string, version: string, origin: string, from: string) =>
    ok([
      'apk',
      'create',
      '--name',
      name,
      '--version',
      version,
      '--arch',
      'x86_64',
      '--origin',
      origin,
      '--from',
      from,
      '--sign-key',
      'keys/test.rsa',
      '-o',
      join('repo', 'x86_64', `${name}-${version}.apk`),
    ]);
  create('tool', '1.0-r0', 'tool-src', 'tool');
  create('libfoo', '2.0-r0', 'libfoo', 'libfoo');
  ok([
    'index',
    '--sign-key',
    'keys/test.rsa',
    '-o',
    join('repo', 'x86_64', 'APKINDEX.tar.gz'),
    join('repo', 'x86_64', 'tool-1.0-r0.apk'),
    join('repo', 'x86_64', 'libfoo-2.0-r0.apk'),
  ]);
  await write({
    'image.yaml':
      'contents:\n  keyring: [./keys/test.rsa.pub]\n  repositories: [./repo]\n  packages: [tool, libfoo]\n' +
      "archs: [x86_64]\nos-release:\n  id: wolfi\n  version-id: '20230201'\n",
  });
  ok(['image', 'build', 'image.yaml', '-o', 'layout', '-t', 'example/tool:1', '--sbom-dir', 'sboms']);
  ok(['image', 'build', 'image.yaml', '-o', 'img.tar', '--format', 'docker', '-t', 'example/tool:1']);

  // Vulnerability data. tool-src's advisory fixes GHSA-2222-3333-4444 in 1.0-r0 (the installed
  // build), which covers the Go module's OSV record of that id; GO-2099-1002 is not covered.
  await write({
    'advisories/tool-src.advisories.yaml': advisory('tool-src', [
      { id: 'CGA-2345-6789-cfgh', aliases: ['CVE-2099-1001', 'GHSA-2222-3333-4444'], event: fixed('1.0-r0') },
    ]),
    'advisories/libfoo.advisories.yaml': advisory('libfoo', [
      { id: 'CGA-3456-789c-fghj', aliases: ['CVE-2099-1004'], event: fixed('2.0-r1') },
    ]),
    'osv/GHSA-2222-3333-4444.json': osv('GHSA-2222-3333-4444', ['CVE-2099-1001'], 'example.com/liba', [
      { introduced: '0' },
      { fixed: '1.2.5' },
    ]),
    'osv/GO-2099-1002.json': osv(
      'GO-2099-1002',
      ['CVE-2099-1002'],
      'example.com/liba',
      [{ introduced: '1.2.0' }, { fixed: '1.3.0' }],
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
    ),
    'osv/GO-2099-1003.json': osv('GO-2099-1003', ['CVE-2099-1003'], 'stdlib', [
      { introduced: '0' },
      { fixed: '1.99.0' },
    ]),
  });
}, 240_000);

function scanJson(target: string, more: string[] = []): ScanJson {
  return JSON.parse(ok(['scan', join(dir, target), ...DATA(), '--format', 'json', ...more])) as ScanJson;
}

const rows = (doc: ScanJson) =>
  doc.findings.map(
    (f) => `${f.package.type} ${f.package.name} ${f.package.version} ${f.vulnerability} ${f.severity}`,
  );

describe('larder scan: an image larder composed', () => {
  it('the OCI layout: the APK by its advisory, the vendored Go module and the toolchain by OSV; the owning APK fix covers its id', () => {
    const doc = scanJson('layout');
    expect(doc.source).toMatchObject({
      kind: 'oci-layout',
      names: expect.arrayContaining(['example/tool:1']),
    });
    expect(doc.source.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(doc.distro).toEqual({ id: 'wolfi', versionId: '20230201' });
    expect(rows(doc)).toEqual([
      'go-module example.com/liba v1.2.3 GO-2099-1002 high',
      'apk libfoo 2.0-r0 CGA-3456-789c-fghj unknown',
      `go-module stdlib ${goVersion} GO-2099-1003 unknown`,
    ]);
    const go = doc.findings[0]!;
    expect(go.package.locations).toEqual(['usr/bin/tool']);
    expect(go.match).toMatchObject({ kind: 'osv-range', searchedBy: 'example.com/liba' });
    expect(go.cvss[0]).toMatchObject({ version: '3.1', score: 7.5 });
    expect(doc.suppressed.map((s) => [s.package.name, s.vulnerability, s.suppressedBy.kind])).toEqual([
      ['example.com/liba', 'GHSA-2222-3333-4444', 'distro-fixed-owner'],
    ]);
  });

  it('the docker archive gives the same findings', () => {
    expect(rows(scanJson('img.tar'))).toEqual(rows(scanJson('layout')));
  });

  it("the SBOMs larder wrote: the APKs (SBOMs list no Go modules), with the APK's finding", () => {
    for (const sbom of ['sbom-x86_64.spdx.json', 'sbom-x86_64.cdx.json']) {
      const doc = scanJson(join('sboms', sbom));
      expect(doc.source.kind).toBe(sbom.includes('spdx') ? 'spdx' : 'cyclonedx');
      expect(rows(doc)).toEqual(['apk libfoo 2.0-r0 CGA-3456-789c-fghj unknown']);
    }
  });

  it('--fail-on high trips on the Go module; --only-fixed keeps it', () => {
    const r = larder(['scan', join(dir, 'layout'), ...DATA(), '--fail-on', 'high', '--only-fixed']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'policy violated: --fail-on high: 1 finding\n  GO-2099-1002 high example.com/liba v1.2.3 (fixed in 1.3.0)\n',
    );
    expect(larder(['scan', join(dir, 'layout'), ...DATA(), '--fail-on', 'critical']).status).toBe(0);
  });

  it('OpenVEX of the image: the image digest as product, packages as subcomponents; valid', () => {
    const text = ok(['scan', join(dir, 'layout'), ...DATA(), '--format', 'openvex']);
    const vex = JSON.parse(text) as OpenVexDocumentJson;
    expect(problems(openVexValidator(), vex)).toEqual([]);
    const digest = scanJson('layout').source.digest;
    const image = `pkg:oci/tool@${digest}`;
    const by = (name: string) => vex.statements.find((s) => s.vulnerability.name === name);
    expect(by('CVE-2099-1004')).toMatchObject({
      status: 'affected',
      action_statement: 'upgrade to 2.0-r1 or later',
      products: [{ '@id': image, subcomponents: [{ '@id': 'pkg:apk/wolfi/libfoo@2.0-r0' }] }],
    });
    expect(by('CVE-2099-1001')?.products).toEqual([
      {
        '@id': image,
        subcomponents: [{ '@id': 'pkg:apk/wolfi/tool@1.0-r0' }],
      },
    ]);
    expect(by('CVE-2099-1001')?.status).toBe('fixed');
    expect(by('CVE-2099-1002')).toMatchObject({ status: 'affected', action_statement: 'upgrade to 1.3.0' });
  });

  it('SARIF of the image: valid, located at the binary', () => {
    const sarif = JSON.parse(ok(['scan', join(dir, 'layout'), ...DATA(), '--format', 'sarif']));
    expect(problems(sarifValidator(), sarif)).toEqual([]);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('usr/bin/tool');
  });
});
