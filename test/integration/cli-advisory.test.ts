import { cp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { larder } from '../kit/cli.js';
import { own, tempDir } from '../kit/paths.js';

// `larder advisory validate|list|add|export-secdb` through the built CLI.
const WOLFI_LIKE = own('advisories', 'wolfi-like');
let work: string;

beforeAll(async () => {
  work = await tempDir('larder-cli-advisory-');
});
afterAll(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

async function copyOf(name: string): Promise<string> {
  const dir = join(work, name);
  await cp(WOLFI_LIKE, dir, { recursive: true });
  return dir;
}

describe('larder advisory validate', () => {
  it('prints OK FILE per valid document and exits 0', () => {
    const r = larder(['advisory', 'validate', WOLFI_LIKE]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(
      ['busybox', 'crane', 'glibc', 'openssl', 'redis-operator', 'zlib'].map(
        (p) => `OK ${join(WOLFI_LIKE, `${p}.advisories.yaml`)}`,
      ),
    );
    expect(r.stderr).toBe('');
  });

  it('prints FILE:LINE:COL: problem per problem and exits 1 (a negative verdict)', () => {
    const bad = own('advisories', 'bad');
    const r = larder(['advisory', 'validate', bad, join(WOLFI_LIKE, 'zlib.advisories.yaml')]);
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines).toContain(
      `${join(bad, 'unknown-event-type.advisories.yaml')}:16:15: advisories[0].events[1].type: unknown event type 'fixed-soon' (expected one of: detection, true-positive-determination, fixed, false-positive-determination, pending-upstream-fix, fix-not-planned, analysis-not-planned)`,
    );
    expect(lines).toContain(
      `${join(bad, 'invalid-fixed-version.advisories.yaml')}:14:26: advisories[0].events[0].data.fixed-version: invalid fixed-version '1.1.0-r1-r0': more than one -rN epoch`,
    );
    expect(lines).toContain(
      `${join(bad, 'duplicate-ids.advisories.yaml')}:16:9: advisories[1].id: duplicate advisory id CGA-2222-3333-4444 (also advisories[0])`,
    );
    expect(lines.at(-1)).toBe(`OK ${join(WOLFI_LIKE, 'zlib.advisories.yaml')}`);
    expect(lines.filter((l) => l.startsWith('OK '))).toHaveLength(1);
  });

  it('exits 2 for a missing path or a directory without documents', async () => {
    const missing = larder(['advisory', 'validate', join(work, 'missing')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^larder: NOT_FOUND: cannot read .*missing/);
    await mkdir(join(work, 'empty'));
    const empty = larder(['advisory', 'validate', join(work, 'empty')]);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toBe(`larder: NOT_FOUND: no *.advisories.yaml files in ${join(work, 'empty')}\n`);
  });
});

describe('larder advisory list', () => {
  it('a table sorted by package and id, filtered by package and by id or alias', () => {
    const r = larder(['advisory', 'list', WOLFI_LIKE, '--package', 'zlib']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        'PACKAGE  ID                  ALIASES                             STATE                        FIXED      UPDATED',
        'zlib     CGA-6q37-mxj5-p94x  CVE-2025-90012,GHSA-jm66-r3rr-qhgw  fixed                        1.3.1-r52  2025-06-03T09:00:00Z',
        'zlib     CGA-72gv-xxfh-jrjf  CVE-2022-90011,GHSA-h92f-74mx-x948  fixed                        1.2.13-r1  2022-08-10T12:00:00Z',
        'zlib     CGA-ppj4-rmqf-m48c  CVE-2025-90013                      true-positive-determination  -          2025-07-01T11:00:00Z',
        '',
      ].join('\n'),
    );
    const all = larder(['advisory', 'list', WOLFI_LIKE]);
    expect(all.stdout.split('\n').filter(Boolean)).toHaveLength(26);
  });

  it('--json: one line, an array of rows; --vuln matches an alias', () => {
    const r = larder(['advisory', 'list', WOLFI_LIKE, '--vuln', 'CVE-2023-90002', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.trimEnd().includes('\n')).toBe(false);
    expect(JSON.parse(r.stdout)).toEqual([
      {
        package: 'openssl',
        id: 'CGA-cq8m-vv58-wvcx',
        aliases: ['CVE-2023-90002', 'GHSA-66mv-79jx-mwrq'],
        state: 'false-positive-determination',
        falsePositiveType: 'vulnerable-code-not-included-in-package',
        updated: '2023-04-12T10:30:00Z',
        events: 2,
        file: join(WOLFI_LIKE, 'openssl.advisories.yaml'),
      },
    ]);
    expect(larder(['advisory', 'list', WOLFI_LIKE, '--vuln', 'CVE-1999-0001']).stdout).toBe('');
  });

  it('an invalid directory is an error naming every problem (exit 2)', () => {
    const r = larder(['advisory', 'list', own('advisories', 'bad')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^larder: ADVISORY_INVALID: invalid advisories in .* \(\d+ problems\):\n/);
    expect(r.stderr).toContain('missing-epoch.advisories.yaml:14:26:');
  });
});

describe('larder advisory add', () => {
  it('appends an event to the advisory with the alias and prints its id; the file keeps everything else', async () => {
    const dir = await copyOf('add-alias');
    const file = join(dir, 'openssl.advisories.yaml');
    const before = await readFile(file, 'utf8');
    const r = larder(
      [
        'advisory',
        'add',
        dir,
        'openssl',
        'CVE-2025-90003',
        '--event',
        'fixed',
        '--fixed-version',
        '3.5.3-r0',
      ],
      { env: { SOURCE_DATE_EPOCH: '1756000000' } },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('CGA-4mg4-hmcp-58f5\n');
    const after = await readFile(file, 'utf8');
    const anchor = '          note: Upstream has acknowledged the report; no release contains a fix yet.\n';
    expect(after).toBe(
      before.replace(
        anchor,
        `${anchor}      - timestamp: 2025-08-24T01:46:40Z\n        type: fixed\n        data:\n          fixed-version: 3.5.3-r0\n`,
      ),
    );
    const list = larder(['advisory', 'list', dir, '--vuln', 'CGA-4mg4-hmcp-58f5']);
    expect(list.stdout).toMatch(/fixed +3\.5\.3-r0 +2025-08-24T01:46:40Z\n/);
    expect(await readdir(dir)).toHaveLength(6);
  });

  it('opens a new advisory, or a new document, with a fresh CGA id; each event type takes its data flags', async () => {
    const dir = await copyOf('add-new');
    const fp = larder([
      'advisory',
      'add',
      dir,
      'busybox',
      'GHSA-rcrc-hfmh-5vm7',
      '--event',
      'false-positive-determination',
      '--fp-type',
      'vulnerable-code-not-in-execution-path',
      '--note',
      'applet: not built',
      '--timestamp',
      '2025-09-01T00:00:00Z',
    ]);
    expect(fp.status, fp.stderr).toBe(0);
    const id = fp.stdout.trim();
    expect(id).toMatch(/^CGA(-[23456789cfghjmpqrvwx]{4}){3}$/);
    const busybox = await readFile(join(dir, 'busybox.advisories.yaml'), 'utf8');
    expect(busybox).toContain(
      `\n\n  - id: ${id}\n    aliases:\n      - GHSA-rcrc-hfmh-5vm7\n    events:\n      - timestamp: 2025-09-01T00:00:00Z\n        type: false-positive-determination\n        data:\n          type: vulnerable-code-not-in-execution-path\n          note: "applet: not built"\n`,
    );
    const scan = larder([
      'advisory',
      'add',
      dir,
      'curl',
      'CVE-2025-90080',
      '--event',
      'detection',
      '--detection-type',
      'scan/v1',
      '--subpackage',
      'libcurl-openssl4',
      '--component-name',
      'libcurl-openssl4',
      '--component-version',
      '8.11.1-r0',
      '--component-type',
      'apk',
      '--component-location',
      '/.PKGINFO',
      '--timestamp',
      '2025-09-02T00:00:00Z',
    ]);
    expect(scan.status, scan.stderr).toBe(0);
    const curl = await readFile(join(dir, 'curl.advisories.yaml'), 'utf8');
    expect(curl).toMatch(
      /^schema-version: 2\.0\.2\n\npackage:\n {2}name: curl\n\nadvisories:\n {2}- id: CGA-/,
    );
    expect(curl).toContain('            subpackageName: libcurl-openssl4\n            componentID: ');
    expect(curl).toContain('            scanner: grype\n');
    for (const [event, flags] of [
      ['pending-upstream-fix', ['--note', 'waiting']],
      ['fix-not-planned', ['--note', 'end of life']],
      ['analysis-not-planned', ['--note', 'not worth it']],
      ['true-positive-determination', []],
      [
        'detection',
        [
          '--detection-type',
          'nvdapi',
          '--cpe-searched',
          'cpe:2.3:a:*:curl:*:*:*:*:*:*:*:*',
          '--cpe-found',
          'cpe:2.3:a:haxx:curl:*:*:*:*:*:*:*:*',
        ],
      ],
    ] as const) {
      const r = larder(['advisory', 'add', dir, 'curl', 'CVE-2025-90080', '--event', event, ...flags]);
      expect(r.status, `${event}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toBe(scan.stdout);
    }
    const validate = larder(['advisory', 'validate', dir]);
    expect(validate.status, validate.stdout).toBe(0);
    const row = JSON.parse(larder(['advisory', 'list', dir, '--package', 'curl', '--json']).stdout);
    expect(row).toMatchObject([{ events: 6 }]);
  });

  it('usage and input errors exit 2 and write nothing', async () => {
    const dir = await copyOf('add-errors');
    const before = await readFile(join(dir, 'zlib.advisories.yaml'), 'utf8');
    const cases: [string[], RegExp][] = [
      [['--event', 'fixed'], /^larder: USAGE: fixed needs --fixed-version\n$/],
      [
        ['--event', 'fixed', '--fixed-version', '1.1.0-r1-r0'],
        /^larder: ADVISORY_INVALID: invalid fixed event: data\.fixed-version: invalid fixed-version '1\.1\.0-r1-r0': more than one -rN epoch\n$/,
      ],
      [
        ['--event', 'fixed', '--fixed-version', '1.3.2-r0', '--note', 'x'],
        /^larder: USAGE: --event fixed does not take --note\n$/,
      ],
      [['--event', 'guessed'], /^larder: USAGE: --event 'guessed': expected one of detection, /],
      [
        ['--event', 'false-positive-determination', '--fp-type', 'not_affected'],
        /^larder: USAGE: --fp-type 'not_affected': expected one of /,
      ],
      [
        ['--event', 'detection', '--cpe-found', 'cpe:2.3:a:x:y:*:*:*:*:*:*:*:*'],
        /^larder: USAGE: --cpe-found: only with --detection-type nvdapi\n$/,
      ],
      [
        ['--event', 'fixed', '--fixed-version', '1.3.2-r0', '--timestamp', 'tomorrow'],
        /timestamp 'tomorrow' is not RFC 3339/,
      ],
    ];
    for (const [flags, message] of cases) {
      const r = larder(['advisory', 'add', dir, 'zlib', 'CVE-2025-90012', ...flags]);
      expect(r.status, flags.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
    const unknown = larder([
      'advisory',
      'add',
      dir,
      'zlib',
      'CGA-2222-2222-2222',
      '--event',
      'fixed',
      '--fixed-version',
      '1.3.2-r0',
    ]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^larder: NOT_FOUND: zlib has no advisory CGA-2222-2222-2222/);
    expect(await readFile(join(dir, 'zlib.advisories.yaml'), 'utf8')).toBe(before);
    expect(await readdir(dir)).toHaveLength(6);
  });
});

describe('larder advisory export-secdb', () => {
  it('-o FILE: the golden security.json, written atomically; prints the path', async () => {
    const out = join(work, 'security.json');
    const r = larder(['advisory', 'export-secdb', WOLFI_LIKE, '-o', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${out}\n`);
    expect(await readFile(out, 'utf8')).toBe(
      await readFile(own('advisories', 'secdb', 'wolfi-like.security.json'), 'utf8'),
    );
    expect((await readdir(work)).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('--arch (repeatable, comma lists, OCI names), --urlprefix and --reponame, or --repo-url; stdout by default', () => {
    const r = larder([
      'advisory',
      'export-secdb',
      WOLFI_LIKE,
      '--arch',
      'amd64',
      '--arch',
      'x86_64,aarch64',
      '--urlprefix',
      'https://apk.example.test',
      '--reponame',
      'main',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      archs: ['x86_64', 'aarch64'],
      urlprefix: 'https://apk.example.test',
      reponame: 'main',
    });
    expect(doc.packages.map((p: { pkg: { name: string } }) => p.pkg.name)).toEqual([
      'busybox',
      'crane',
      'glibc',
      'openssl',
      'redis-operator',
      'zlib',
    ]);
    const viaUrl = JSON.parse(
      larder(['advisory', 'export-secdb', WOLFI_LIKE, '--repo-url', 'https://apk.example.test/main/']).stdout,
    );
    expect(viaUrl).toMatchObject({ urlprefix: 'https://apk.example.test', reponame: 'main' });
    const both = larder([
      'advisory',
      'export-secdb',
      WOLFI_LIKE,
      '--repo-url',
      'https://a.test/os',
      '--reponame',
      'x',
    ]);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/^larder: USAGE: --repo-url sets both/);
    const arch = larder(['advisory', 'export-secdb', WOLFI_LIKE, '--arch', 'sparc']);
    expect(arch.status).toBe(2);
    expect(arch.stderr).toMatch(/^larder: USAGE: unknown architecture 'sparc'/);
  });

  it('an invalid directory writes nothing', async () => {
    const out = join(work, 'never.json');
    const r = larder(['advisory', 'export-secdb', own('advisories', 'bad'), '-o', out]);
    expect(r.status).toBe(2);
    expect(await readdir(work)).not.toContain('never.json');
  });
});
