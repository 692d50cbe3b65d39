// The factory's remediation time on a real upstream build (issue 8 §5): SQLite 3's amalgamation
// (the sqlite3.c better-sqlite3 ships, a real upstream source of ~9.5 MB) compiled into
// libsqlite3.so.0 and libsqlite3.a by a recipe in the example workspace, in the bubblewrap sandbox, and an image
// of it (base-layout + sqlite) published by `larder serve` to a local docker-registry.
// Timed: an advisory says CVE-2026-7777 in sqlite is fixed in <version>-r1; the rescan finds it;
// then the fix lands (the recipe's epoch is bumped) and the clock runs until the factory has
// rebuilt sqlite, recomposed, scanned clean, pushed and signed the image. Printed: the
// remediation time, the build job's own time, and the factory's overhead (the rest) as a ratio of
// the build time (goal: under 10%).
//   node --import tsx bench/factory-remediation.ts
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { larder } from '../test/kit/cli.js';
import { getJson, logFileIn, startFactoryProcess, waitFor } from '../test/kit/factory-server.js';
import { prepareFactoryWorkspace, setRecipeEpoch } from '../test/kit/factory-workspace.js';
import { tempDir } from '../test/kit/paths.js';
import { startLocalRegistry } from '../test/kit/registry.js';

const CVE = 'CVE-2026-7777';
const sqliteDir = join(
  dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')),
  'deps',
  'sqlite3',
);

interface Finding {
  readonly vulnId: string;
  readonly aliases: readonly string[];
  readonly resolvedAt?: string;
}
interface Image {
  readonly latest?: { readonly indexDigest: string; readonly signed: boolean; readonly publishedAt: string };
  readonly openFindings: number;
  readonly findings: readonly Finding[];
}
interface Job {
  readonly key: string;
  readonly kind: string;
  readonly status: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly result?: { readonly durationMs?: number };
}

async function sqliteVersion(): Promise<string> {
  const header = await readFile(join(sqliteDir, 'sqlite3.h'), 'utf8');
  const m = /#define SQLITE_VERSION\s+"([\d.]+)"/.exec(header);
  if (!m) throw new Error('no SQLITE_VERSION in sqlite3.h');
  return m[1]!;
}

async function addSqlite(ws: string, version: string): Promise<void> {
  const src = join(ws, 'recipes', 'sqlite');
  await mkdir(src, { recursive: true });
  for (const f of ['sqlite3.c', 'sqlite3.h']) await cp(join(sqliteDir, f), join(src, f));
  await writeFile(
    join(src, 'Makefile'),
    [
      // As distributions build it: the shared library and the static archive, with R*Tree
      // and column metadata (two full compiles of the 9.5 MB amalgamation: over 60 s here).
      'FEATURES = -DSQLITE_ENABLE_RTREE -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_THREADSAFE=1',
      'all: libsqlite3.so.0 libsqlite3.a',
      'libsqlite3.so.0: sqlite3.c sqlite3.h',
      '\t$(CC) -O2 -fPIC -shared $(FEATURES) -Wl,-soname,libsqlite3.so.0 -Wl,--build-id=none -o $@ sqlite3.c -lm',
      'libsqlite3.a: sqlite3.c sqlite3.h',
      '\t$(CC) -O2 $(FEATURES) -c -o sqlite3.o sqlite3.c && ar rcD $@ sqlite3.o',
      'install: libsqlite3.so.0 libsqlite3.a',
      '\tmkdir -p $(DESTDIR)/usr/lib',
      '\tinstall -m 644 libsqlite3.a $(DESTDIR)/usr/lib/libsqlite3.a',
      '\tinstall -m 755 libsqlite3.so.0 $(DESTDIR)/usr/lib/libsqlite3.so.0',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(ws, 'recipes', 'sqlite.yaml'),
    [
      'package:',
      '  name: sqlite',
      `  version: ${version}`,
      '  epoch: 0',
      '  description: SQLite library (the amalgamation)',
      '  copyright:',
      '    - license: blessing',
      'environment:',
      '  contents:',
      '    packages: [host-toolchain]',
      'pipeline:',
      '  - runs: |',
      '      make CC=gcc',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: melange's substitution, not JavaScript's
      '      make install DESTDIR=${{targets.destdir}}',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(ws, 'images', 'sqlite.yaml'),
    'contents:\n  packages: [base-layout, sqlite]\nentrypoint:\n  command: /bin/true\narchs: [x86_64]\n',
  );
}

async function main(): Promise<void> {
  const dir = await tempDir('larder-bench-remediation-');
  const registry = await startLocalRegistry();
  const ws = await prepareFactoryWorkspace(join(dir, 'ws'), { registry: registry.host });
  const version = await sqliteVersion();
  await addSqlite(ws.dir, version);
  const yaml = await readFile(join(ws.dir, 'larder.yaml'), 'utf8');
  await writeFile(
    join(ws.dir, 'larder.yaml'),
    yaml.replace('  publish:\n', `  publish:\n    sqlite: [${registry.host}/larder/sqlite:latest]\n`),
  );
  const serve = await startFactoryProcess(['serve', '--workspace', ws.dir, '--listen', '127.0.0.1:0'], {
    logFile: logFileIn(dir, 'serve'),
    waitForListen: true,
  });
  const url = serve.url;
  const image = () => getJson<Image>(url, '/api/images/sqlite');
  const idle = async () => {
    const s = await getJson<{ queue: Record<string, number> }>(url, '/api/status');
    return (s.queue.pending ?? 0) + (s.queue.running ?? 0) === 0;
  };
  const names = (f: Finding) => [f.vulnId, ...f.aliases];
  try {
    process.stdout.write(`sqlite ${version}: first build and publication (not timed)...\n`);
    const first = await waitFor(
      'the first publication',
      async () => ((await idle()) ? (await image()).latest : undefined),
      { timeoutMs: 1_200_000, everyMs: 1000, describe: serve.output },
    );
    const token = larder(['token', 'create', '--workspace', ws.dir, '--name', 'bench']).stdout.trim();
    const res = await fetch(`${url}/api/advisories`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        package: 'sqlite',
        vulnerability: CVE,
        type: 'fixed',
        fixedVersion: `${version}-r1`,
      }),
    });
    if (res.status >= 300) throw new Error(`advisory: ${res.status} ${await res.text()}`);
    await waitFor(
      'the rescan to find the CVE',
      async () =>
        (await image()).findings.some((f) => names(f).includes(CVE) && !f.resolvedAt) ? true : undefined,
      { timeoutMs: 120_000, everyMs: 250 },
    );

    const t0 = Date.now();
    await setRecipeEpoch(ws.dir, 'sqlite', 1);
    const fixed = await waitFor(
      'the remediated image',
      async () => {
        const i = await image();
        return i.latest && i.latest.indexDigest !== first.indexDigest && i.openFindings === 0 ? i : undefined;
      },
      { timeoutMs: 1_200_000, everyMs: 100, describe: serve.output },
    );
    // The image version is recorded just before its compose job is marked done: wait for both.
    const finished = (j: Job | undefined) => j?.startedAt !== undefined && j.finishedAt !== undefined;
    const { build, compose } = await waitFor(
      'the remediating build and compose jobs to be recorded',
      async () => {
        const jobs = (await getJson<{ jobs: Job[] }>(url, '/api/jobs?limit=1000')).jobs;
        const build = jobs.find((j) => j.kind === 'build' && j.key.startsWith(`build:sqlite@${version}-r1/`));
        // The compose that published the fixed image: it ends once pushed, signed and recorded.
        const compose = jobs.find(
          (j) =>
            j.kind === 'compose' &&
            j.payload.image === 'sqlite' &&
            (j.result as { digest?: string } | undefined)?.digest === fixed.latest!.indexDigest,
        );
        return finished(build) && finished(compose) ? { build: build!, compose: compose! } : undefined;
      },
      { timeoutMs: 60_000, everyMs: 100 },
    );
    const buildMs = Date.parse(build.finishedAt!) - Date.parse(build.startedAt!);
    const composeMs = Date.parse(compose.finishedAt!) - Date.parse(compose.startedAt!);
    const remediationMs = Date.parse(compose.finishedAt!) - t0;
    const overheadMs = remediationMs - buildMs;
    const row = (label: string, ms: number) =>
      `  ${label.padEnd(44)} ${(ms / 1000).toFixed(1).padStart(7)} s\n`;
    process.stdout.write(
      [
        `remediation of ${CVE} in sqlite ${version} (load ${loadavg()[0]!.toFixed(1)})\n`,
        row('fix landed → fixed image published and signed', remediationMs),
        row('  of which the build job (sandbox, compile, emit)', buildMs),
        row('  of which the compose job (compose, scan, push, sign)', composeMs),
        row('  factory overhead (remediation - build)', overheadMs),
        `  overhead / build time                        ${((overheadMs / buildMs) * 100).toFixed(1).padStart(6)} %   (goal < 10 %)\n`,
      ].join(''),
    );
  } finally {
    await serve.stop();
    await registry.stop();
  }
}

await main();
