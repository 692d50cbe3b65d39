// Re-evaluating 200 images after a feed update (issue 8), against a floor measured in the same
// run: matching the same 200 locks' packages directly against the same vulnerability database
// with src/vuln's matchCatalog (no queue, no store writes, no job bodies).
// Set up, not timed: a workspace of 200 image configs (images/img-NNN.yaml: base-files, libcommon
// and an app pulling 2-6 of 40 libraries through its depends) over a repository of real signed
// packages, 40 earlier advisories (fixed in the installed version or false positives: looked up,
// no finding), a SQLite store in a temporary file holding each image's published version with
// the lock and lock hash the gatherer computes (so the planner plans no compose), and the
// embedded factory (createFactory as `larder serve` starts it, real job bodies) started and idle.
// Timed, per round: saveAdvisory (a detection for libcommon, which every image contains) → the
// reconciler refreshes the data and plans 200 rescans → the runner runs the real rescan bodies →
// every image's published version carries the new feed version and the finding. Then checked:
// the bench throws if any image was not rescanned or lacks the finding, or any other job ran.
//   node --import tsx bench/factory-rescan.ts   (BENCH_IMAGES, BENCH_ROUNDS, BENCH_RUNS, BENCH_CONCURRENCY)
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ApkTreeEntry, loadApkSigningKey, writeApkPackage } from '../src/apk/index.js';
import { hexDigest } from '../src/core/index.js';
import { createFactory, writeAdvisory } from '../src/factory/engine/index.js';
import { refreshVulnData } from '../src/factory/feed/index.js';
import { imageLockHash, loadWorkspaceImageConfig } from '../src/factory/jobs/compose/image-config.js';
import { type PlatformPackages, platformCatalog } from '../src/factory/jobs/compose/image-scan.js';
import { recordedLock } from '../src/factory/jobs/compose/recorded-lock.js';
import {
  latestImageVersions,
  openFindings,
  recordImage,
  recordImageVersion,
} from '../src/factory/state/index.js';
import { loadWorkspace } from '../src/factory/workspace/index.js';
import { fileResolutionCache, type LockPackage, makeLock } from '../src/image/index.js';
import { createFetcher, publishPackages } from '../src/repo/index.js';
import { openStore } from '../src/store/index.js';
import { matchCatalog } from '../src/vuln/index.js';
import { own, tempDir } from '../test/kit/paths.js';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
const LIBS = 40;
const DISTRO = 'larder-bench';
const PUBLISHED_AT = '2026-11-28T00:00:00.000Z';

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const pad3 = (n: number) => String(n).padStart(3, '0');
const libVersion = (k: number) => `1.0.${k}-r0`;
/** A fixed pseudo-random pick of 2-6 libraries for app `n`. */
const libsOf = (n: number) => {
  const picked = new Set<number>();
  let x = (n + 1) * 7919;
  while (picked.size < 2 + (n % 5)) {
    x = (x * 48_271) % 2_147_483_647;
    picked.add(x % LIBS);
  }
  return [...picked].sort((a, b) => a - b).map((k) => `lib-${String(k).padStart(2, '0')}`);
};
const file = (path: string, text: string): ApkTreeEntry => ({
  path,
  type: 'file',
  mode: 0o644,
  uid: 0,
  gid: 0,
  uname: 'root',
  gname: 'root',
  size: Buffer.byteLength(text),
  xattrs: [],
  source: Buffer.from(text),
});

// --- Setup (not timed) ---
const t0 = process.hrtime.bigint();
const tmp = await tempDir('larder-bench-rescan-');
const root = join(tmp, 'ws');
const stateDir = join(tmp, 'state');
for (const dir of ['keys', 'recipes', 'images', 'advisories', 'build'])
  await mkdir(join(root, dir), { recursive: true });
await copyFile(own('keys', 'larder-test.rsa'), join(root, 'keys', 'larder.rsa'));
await copyFile(own('keys', 'larder-test.rsa.pub'), join(root, 'keys', 'larder.rsa.pub'));
await writeFile(
  join(root, 'larder.yaml'),
  'repository:\n  name: main\n  dir: repo\n  archs: [x86_64]\n  signing-key: keys/larder.rsa\nschedules:\n  rescan: 0\n  update-check: 0\n',
);
const signKey = await loadApkSigningKey(join(root, 'keys', 'larder.rsa'));
const packages: { name: string; version: string; depends: string[]; files: Record<string, string> }[] = [
  { name: 'base-files', version: '1.0-r0', depends: [], files: { 'etc/os-release': `ID=${DISTRO}\n` } },
  { name: 'libcommon', version: '1.2.3-r0', depends: [], files: { 'usr/lib/libcommon.so.1': 'common' } },
];
for (let k = 0; k < LIBS; k++)
  packages.push({
    name: `lib-${String(k).padStart(2, '0')}`,
    version: libVersion(k),
    depends: ['libcommon'],
    files: { [`usr/lib/lib${k}.so`]: `lib ${k}` },
  });
for (let n = 0; n < IMAGES; n++)
  packages.push({
    name: `app-${pad3(n)}`,
    version: '1.0-r0',
    depends: libsOf(n),
    files: { [`usr/bin/app-${pad3(n)}`]: `app ${n}` },
  });
const apks: string[] = [];
for (const p of packages) {
  const path = join(root, 'build', `${p.name}-${p.version}.apk`);
  await writeApkPackage(path, {
    meta: {
      pkgname: p.name,
      pkgver: p.version,
      pkgdesc: p.name,
      url: '',
      arch: 'x86_64',
      origin: p.name,
      builddate: 1_700_000_000,
      depend: p.depends,
      provides: [],
      install_if: [],
      replaces: [],
      triggers: [],
      extra: [],
    },
    entries: Object.entries(p.files).map(([f, text]) => file(f, text)),
    signKey,
    mtime: 1_700_000_000,
  });
  apks.push(path);
}
await publishPackages({ repoDir: join(root, 'repo'), arch: 'x86_64', packages: apks, signKey });
for (let n = 0; n < IMAGES; n++)
  await writeFile(
    join(root, 'images', `img-${pad3(n)}.yaml`),
    `contents:\n  packages:\n    - base-files\n    - app-${pad3(n)}\narchs: [x86_64]\n`,
  );
for (let k = 0; k < LIBS; k++)
  await writeAdvisory(
    root,
    k % 3 === 0
      ? {
          package: `lib-${String(k).padStart(2, '0')}`,
          vulnerability: `CVE-2098-${1000 + k}`,
          type: 'false-positive-determination',
          falsePositiveType: 'vulnerable-code-not-in-execution-path',
          note: 'bench',
        }
      : {
          package: `lib-${String(k).padStart(2, '0')}`,
          vulnerability: `CVE-2098-${1000 + k}`,
          type: 'fixed',
          fixedVersion: libVersion(k),
        },
    PUBLISHED_AT,
  );

const store = await openStore(join(tmp, 'factory.sqlite'));
const workspace = await loadWorkspace(root);
const before = await refreshVulnData(workspace, store, { stateDir });
const locks = new Map<string, PlatformPackages[]>();
const fetcher = createFetcher({ stateDir });
for (const image of workspace.images) {
  const lock = await makeLock({
    loaded: await loadWorkspaceImageConfig(workspace, image.configFile),
    fetcher,
    stateDir,
    cache: fileResolutionCache<LockPackage[]>(stateDir),
  });
  const lockHash = imageLockHash(lock);
  const platforms: PlatformPackages[] = [
    {
      arch: 'x86_64',
      distro: { id: DISTRO },
      packages: lock.contents.packages.map((p) => ({ name: p.name, version: p.version, origin: p.name })),
    },
  ];
  locks.set(image.name, platforms);
  await recordImage(store, {
    name: image.name,
    configFile: image.configFile,
    configHash: image.hash,
    publish: [],
    policy: 'zero-known-cve',
  });
  const digest = `sha256:${hexDigest('sha256', `${image.name} ${lockHash}`)}`;
  await recordImageVersion(store, {
    image: image.name,
    indexDigest: digest,
    digests: { x86_64: digest },
    lock: recordedLock(lock, platforms),
    lockHash,
    configHash: image.hash,
    feedVersion: before.feedVersion,
    publishedAt: PUBLISHED_AT,
    signed: false,
    attested: false,
  });
}
await fetcher.close();
const lockedPackages = [...locks.values()].reduce((n, ps) => n + (ps[0]?.packages.length ?? 0), 0);

// As `larder serve` starts it: default polls, workspace watch and timers.
const factory = await createFactory({ workspaceDir: root, store, stateDir, concurrency: CONCURRENCY });
await factory.reconciler.idle();
const first = factory.reconciler.last();
if (
  first === undefined ||
  first.plan.jobs.length > 0 ||
  first.plan.problems.length > 0 ||
  factory.status().feedVersion !== before.feedVersion
)
  throw new Error(
    `bench setup: the idle factory should plan nothing, planned ${first?.plan.jobs.map((j) => j.key).join(', ')}; problems ${JSON.stringify(first?.plan.problems)}`,
  );
const setupS = Number(process.hrtime.bigint() - t0) / 1e9;

// --- The peer: the same locks matched directly against the same database ---
function directMatch(database: Awaited<ReturnType<typeof refreshVulnData>>['database']): number {
  let findings = 0;
  for (const [name, platforms] of locks)
    for (const platform of platforms)
      findings += matchCatalog(platformCatalog(platform, { name }), database).findings.length;
  return findings;
}

// Warm the peer's code (JIT) on the data as it was before the rounds.
for (let i = 0; i < 3; i++) directMatch(before.database);

// --- Timed rounds ---
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rounds: {
  factoryMs: number;
  plannedMs: number;
  reconciles: number;
  peerMs: number;
  findings: number;
  feed: string;
}[] = [];
let feedVersion = before.feedVersion;
for (let round = 1; round <= ROUNDS; round++) {
  const vulnerability = `CVE-2099-${1000 + round}`;
  const base = await factory.queue.stats();
  const runs = factory.reconciler.runs();
  const start = process.hrtime.bigint();
  let plannedMs = Number.NaN;
  await factory.saveAdvisory({ package: 'libcommon', vulnerability, type: 'detection' });
  for (const deadline = Date.now() + 600_000; ; await sleep(20)) {
    const s = await factory.queue.stats();
    if (s.failed > base.failed)
      throw new Error(
        `round ${round}: ${s.failed - base.failed} jobs failed: ${(await factory.queue.list({ status: 'failed' })).map((j) => `${j.key}: ${j.error}`).join('; ')}`,
      );
    const added = s.pending + s.running + s.succeeded - base.succeeded;
    if (Number.isNaN(plannedMs) && added >= IMAGES) plannedMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (s.succeeded - base.succeeded >= IMAGES && s.pending === 0 && s.running === 0) break;
    if (Date.now() > deadline) throw new Error(`round ${round}: timed out with ${JSON.stringify(s)}`);
  }
  const factoryMs = Number(process.hrtime.bigint() - start) / 1e6;
  const reconciles = factory.reconciler.runs() - runs;

  // Checked (not timed): every image rescanned under the new feed version, with the finding, and nothing else ran.
  const now = factory.status().feedVersion;
  if (now === feedVersion)
    throw new Error(`round ${round}: the feed version did not move from ${feedVersion}`);
  feedVersion = now;
  const jobs = await factory.queue.list();
  const other = jobs.filter((j) => j.kind !== 'rescan');
  if (other.length > 0)
    throw new Error(`round ${round}: jobs other than rescans ran: ${other.map((j) => j.key).join(', ')}`);
  const rescanned = new Set(
    jobs
      .filter((j) => j.status === 'succeeded' && j.result?.feedVersion === feedVersion)
      .map((j) => String(j.payload.image)),
  );
  const versions = await latestImageVersions(store);
  const stale = versions
    .filter((v) => v.feedVersion !== feedVersion || !rescanned.has(v.image))
    .map((v) => v.image);
  const exposed = new Set(
    (await openFindings(store))
      .filter(
        (f) =>
          f.package === 'libcommon' &&
          (f.vulnId === vulnerability || f.aliases.includes(vulnerability)) &&
          f.state === 'awaiting-fix',
      )
      .map((f) => f.image),
  );
  const missing = workspace.images.map((i) => i.name).filter((n) => !exposed.has(n));
  if (versions.length !== IMAGES || stale.length > 0 || missing.length > 0)
    throw new Error(
      `round ${round}: ${versions.length} versions; not rescanned under ${feedVersion}: ${stale.join(', ') || 'none'}; without ${vulnerability}: ${missing.join(', ') || 'none'}`,
    );

  const data = await refreshVulnData(factory.workspace(), store, { stateDir });
  if (data.feedVersion !== feedVersion)
    throw new Error(`round ${round}: the peer would match feed ${data.feedVersion}, not ${feedVersion}`);
  let findings = 0;
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const p0 = process.hrtime.bigint();
    findings = directMatch(data.database);
    samples.push(Number(process.hrtime.bigint() - p0) / 1e6);
  }
  if (findings !== IMAGES * round)
    throw new Error(
      `round ${round}: the direct match found ${findings} findings, expected ${IMAGES * round}`,
    );
  rounds.push({ factoryMs, plannedMs, reconciles, peerMs: median(samples), findings, feed: feedVersion });
}
await factory.close();
await store.close();
await rm(tmp, { recursive: true, force: true });

console.log(
  `factory rescan: ${IMAGES} images (${lockedPackages} locked packages, ${LIBS} earlier advisories), concurrency ${CONCURRENCY}, ${ROUNDS} rounds, peer median of ${RUNS}`,
);
console.log(
  `  set up in ${setupS.toFixed(1)} s (packages, locks, ${IMAGES} published versions, idle factory)`,
);
for (const [i, r] of rounds.entries())
  console.log(
    `  round ${i + 1} feed ${r.feed}: ${(r.factoryMs / 1000).toFixed(2).padStart(6)} s  ${(r.factoryMs / IMAGES).toFixed(1).padStart(6)} ms/image (all enqueued at ${r.plannedMs.toFixed(0)} ms, ${r.reconciles} reconciles)  peer ${r.peerMs.toFixed(1).padStart(6)} ms (${r.findings} findings)  ${(r.factoryMs / r.peerMs).toFixed(0).padStart(4)}× peer`,
  );
const f = median(rounds.map((r) => r.factoryMs));
const p = median(rounds.map((r) => r.peerMs));
console.log(
  `  median: advisory saved → ${IMAGES} images rescanned ${(f / 1000).toFixed(2)} s, ${(f / IMAGES).toFixed(1)} ms/image; direct match ${p.toFixed(1)} ms; ${(f / p).toFixed(0)}× peer`,
);
