// Image composition (issue 4 §5): `larder image build` of ~40 generated packages (~100 MB
// uncompressed) against peers measured in the same run, median of 5 each (BENCH_RUNS):
//  (L) the whole `larder image build CONFIG -o OUT --format oci --arch x86_64` process;
//  (a) the floor, in-process: gunzip every package with zlib (the data member is nearly all of
//      it), then gzip the concatenated tar data once at level 6, with zlib's gzipSync (one
//      thread) and with larder's parallel gzip (what `image build` uses); the goal is judged
//      against the faster of the two;
//  (b) the naive path: GNU `tar -xzf` of every package into a directory, then
//      `tar --sort=name -c DIR | gzip -6`;
//  (c) apk-tools, when available (env APK_TOOLS, else /work/oracle/bin/apk):
//      `apk add --root R --initdb ...` of the same packages, then `tar -czf`.
// Goals: L within 1.3x of (a), 2x faster than (b), no slower than (c).
//   npm run build && node --import tsx bench/image-build.ts [packages] [MiB]
// BENCH_KEEP=1 keeps the generated repository, config and outputs (for profiling).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { collectTree, generateApkKeyPair, loadApkSigningKey, writeApkPackage } from '../src/apk/index.js';
import { parallelGzip } from '../src/oci/index.js';
import { prng } from '../test/kit/prng.js';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const PACKAGES = Number(process.argv[2] ?? 40);
const TOTAL_MIB = Number(process.argv[3] ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MIB = 1024 * 1024;
const ARCH = 'x86_64';

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function timeMs(run: () => unknown, before?: () => unknown): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await before?.();
    const t0 = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

function sh(script: string): void {
  const result = spawnSync('bash', ['-o', 'pipefail', '-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`failed (${result.status}): ${script}\n${result.stderr}`);
}

/**
 * Content that compresses like real packages: `textShare` of the bytes are runs of symbol-like
 * words (compressible), the rest short runs of random bytes.
 */
function content(bytes: number, seed: number, textShare: number): Buffer {
  const random = prng(seed);
  const words = Array.from({ length: 256 }, (_, i) => `sym_${i.toString(36)}_${Math.floor(random() * 1e6)}`);
  const out = Buffer.allocUnsafe(bytes);
  let at = 0;
  while (at < bytes) {
    if (random() >= textShare) {
      const n = Math.min(bytes - at, 16 + Math.floor(random() * 48));
      for (let i = 0; i < n; i++) out[at + i] = Math.floor(random() * 256);
      at += n;
    } else {
      at += out.write(
        `${words[Math.floor(random() * words.length)]}${random() < 0.1 ? '\n' : ' '}`,
        at,
        'latin1',
      );
    }
  }
  return out;
}

/** One package's tree: a binary, a library with its symlink, text data files, a random blob. */
async function writeTree(dir: string, n: number, bytes: number): Promise<void> {
  const name = pkgName(n);
  const share = join(dir, 'usr', 'share', name);
  await mkdir(join(dir, 'usr', 'bin'), { recursive: true });
  await mkdir(join(dir, 'usr', 'lib'), { recursive: true });
  await mkdir(share, { recursive: true });
  const part = (f: number) => Math.floor(bytes * f);
  await writeFile(join(dir, 'usr', 'bin', name), content(part(0.25), n * 100 + 1, 0.9), { mode: 0o755 });
  await writeFile(join(dir, 'usr', 'lib', `lib${name}.so.1`), content(part(0.4), n * 100 + 2, 0.85));
  await symlink(`lib${name}.so.1`, join(dir, 'usr', 'lib', `lib${name}.so`));
  for (let k = 0; k < 4; k++) {
    await writeFile(join(share, `data-${k}.txt`), content(part(0.06), n * 100 + 10 + k, 1));
  }
  await writeFile(join(share, 'blob.dat'), content(part(0.11), n * 100 + 3, 0));
}

function pkgName(n: number): string {
  return `bench${String(n).padStart(2, '0')}`;
}

async function inParallel<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

function apkToolsPath(): string | undefined {
  const candidate = process.env.APK_TOOLS ?? '/work/oracle/bin/apk';
  return existsSync(candidate) ? candidate : undefined;
}

/** The largest blob of an OCI layout: the layer (one arch, one layer). */
function layerSize(layout: string): number {
  const blobs = join(layout, 'blobs', 'sha256');
  return Math.max(...readdirSync(blobs).map((b) => statSync(join(blobs, b)).size));
}

const mb = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;
const ms = (t: number) => `${t.toFixed(0)} ms`;

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const tmp = await mkdtemp(join(tmpdir(), 'larder-bench-image-'));
  try {
    // --- generate, sign and index the packages
    const keys = join(tmp, 'keys');
    const repo = join(tmp, 'repo');
    const archDir = join(repo, ARCH);
    await mkdir(keys, { recursive: true });
    await mkdir(archDir, { recursive: true });
    const { privateKeyPath, publicKeyPath } = await generateApkKeyPair('bench', { dir: keys });
    const signKey = await loadApkSigningKey(privateKeyPath);
    const perPackage = Math.floor((TOTAL_MIB * MIB) / PACKAGES);
    const numbers = Array.from({ length: PACKAGES }, (_, i) => i);
    const t0 = Date.now();
    let installed = 0;
    await inParallel(numbers, 2, async (n) => {
      const tree = join(tmp, 'trees', pkgName(n));
      await writeTree(tree, n, perPackage);
      const written = await writeApkPackage(join(archDir, `${pkgName(n)}-1.0-r0.apk`), {
        meta: {
          pkgname: pkgName(n),
          pkgver: '1.0-r0',
          pkgdesc: `bench package ${n}`,
          url: 'https://example.org',
          arch: ARCH,
          origin: pkgName(n),
          license: 'Apache-2.0',
          depend: [],
          provides: [],
          install_if: [],
          replaces: [],
          triggers: [],
          extra: [],
        },
        entries: await collectTree(tree),
        signKey,
      });
      installed += written.pkginfo.size;
      await rm(tree, { recursive: true });
    });
    const apks = readdirSync(archDir)
      .filter((f) => f.endsWith('.apk'))
      .sort()
      .map((f) => join(archDir, f));
    execFileSync(
      process.execPath,
      [CLI, 'index', '--sign-key', privateKeyPath, '-o', join(archDir, 'APKINDEX.tar.gz'), ...apks],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    const apkBytes = apks.reduce((sum, f) => sum + statSync(f).size, 0);
    const names = numbers.map(pkgName);
    const config = join(tmp, 'config.yaml');
    await writeFile(
      config,
      `contents:\n  repositories:\n    - ${repo}\n  keyring:\n    - ${publicKeyPath}\n  packages:\n${names.map((n) => `    - ${n}\n`).join('')}archs:\n  - ${ARCH}\n`,
    );
    console.log(
      `image bench: ${PACKAGES} packages, ${mb(installed)} installed, ${mb(apkBytes)} of .apk files (generated in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );

    // --- (L) larder image build, the whole process, fresh state dir and output each run
    const out = join(tmp, 'out-oci');
    const state = join(tmp, 'state');
    const larder = await timeMs(
      () =>
        execFileSync(
          process.execPath,
          [CLI, 'image', 'build', config, '-o', out, '--format', 'oci', '--arch', ARCH, '--state-dir', state],
          { stdio: ['ignore', 'ignore', 'inherit'] },
        ),
      async () => {
        await rm(out, { recursive: true, force: true });
        await rm(state, { recursive: true, force: true });
      },
    );
    const larderLayer = layerSize(out);

    // --- (a) the floor: gunzip the data members, gzip the concatenated tar once
    // zlib's gunzip joins members: each file inflates to its signature and control fragments
    // (a few KiB) followed by the data tar.
    const dataTars = (): Buffer[] => apks.map((f) => gunzipSync(readFileSync(f)));
    let floorLayer = 0;
    const floorZlib = await timeMs(() => {
      floorLayer = gzipSync(Buffer.concat(dataTars()), { level: 6 }).length;
    });
    let floorParallelLayer = 0;
    const floorParallel = await timeMs(async () => {
      let size = 0;
      for await (const part of parallelGzip(dataTars(), { level: 6 })) size += part.length;
      floorParallelLayer = size;
    });
    const floor = Math.min(floorZlib, floorParallel);

    // --- (b) the naive path: extract every package, then tar | gzip -6
    const naiveDir = join(tmp, 'naive-root');
    const naiveOut = join(tmp, 'naive.tar.gz');
    const apkList = apks.map((f) => `'${f}'`).join(' ');
    const naive = await timeMs(
      () =>
        sh(
          `for f in ${apkList}; do tar -xzf "$f" -C '${naiveDir}' --warning=no-unknown-keyword; done; ` +
            `tar --sort=name -C '${naiveDir}' -c . | gzip -6 > '${naiveOut}'`,
        ),
      async () => {
        await rm(naiveDir, { recursive: true, force: true });
        await mkdir(naiveDir);
      },
    );
    const naiveLayer = statSync(naiveOut).size;

    // --- (c) apk-tools, when available
    const apkTools = apkToolsPath();
    let apkAdd: number | undefined;
    let apkLayer = 0;
    if (apkTools !== undefined) {
      const apkRoot = join(tmp, 'apk-root');
      const apkOut = join(tmp, 'apk.tar.gz');
      apkAdd = await timeMs(
        () =>
          sh(
            `'${apkTools}' add --quiet --root '${apkRoot}' --initdb --arch ${ARCH} --keys-dir '${keys}' ` +
              `--repository '${repo}' --no-network --no-cache ${names.join(' ')} && tar -czf '${apkOut}' -C '${apkRoot}' .`,
          ),
        async () => rm(apkRoot, { recursive: true, force: true }),
      );
      apkLayer = statSync(apkOut).size;
    }

    // --- report
    const ratio = (x: number, y: number) => `${(x / y).toFixed(2)}x`;
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log(`(L) larder image build:        ${ms(larder)}  layer ${mb(larderLayer)}`);
    console.log(`(a) floor, zlib gzipSync -6:   ${ms(floorZlib)}  layer ${mb(floorLayer)}`);
    console.log(`(a) floor, parallel gzip -6:   ${ms(floorParallel)}  layer ${mb(floorParallelLayer)}`);
    console.log(`(b) naive tar -xzf + tar|gzip: ${ms(naive)}  layer ${mb(naiveLayer)}`);
    if (apkAdd !== undefined)
      console.log(`(c) apk add --root + tar -czf: ${ms(apkAdd)}  layer ${mb(apkLayer)}`);
    else console.log('(c) apk-tools not available (set APK_TOOLS): skipped');
    console.log(
      `L/a = ${ratio(larder, floor)} (goal <= 1.3x: ${verdict(larder <= 1.3 * floor)}; against the zlib floor ${ratio(larder, floorZlib)})`,
    );
    console.log(`L/b = ${ratio(larder, naive)} (goal <= 0.5x, 2x faster: ${verdict(larder * 2 <= naive)})`);
    if (apkAdd !== undefined) {
      console.log(`L/c = ${ratio(larder, apkAdd)} (goal <= 1.0x: ${verdict(larder <= apkAdd)})`);
    }
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept ${tmp} (BENCH_KEEP is set)`);
    else await rm(tmp, { recursive: true, force: true });
  }
}

await main();
