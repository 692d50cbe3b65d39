// Vulnerability database bench (issue 6 §5): "import 30,000 synthetic advisories, then scan a
// 1,000-package SBOM; print the scan time against the floor of just parsing the inputs".
// This file holds the generator and the import half; the scan half adds a phase of its own.
//  1. generate ~3,000 Wolfi advisory documents (10 advisories each, every event type, some
//     events out of order) into a temporary directory;
//  2. floor: read and validate the same files (readAdvisoryDirectory) without a database;
//  3. import: the same as `larder vuln db import --advisories DIR` in-process (read, validate,
//     records, one transaction into a fresh SQLite file), and the whole CLI process;
//  4. lookups: distroRecords for 1,000 package names and vulnerability() for 1,000 ids on the
//     imported database (the read path a scan takes);
//  5. scan: a 1,000-package CycloneDX SBOM (written as `image build --sbom-dir` writes one)
//     scanned against the database, in-process and as a `larder scan` process, against the
//     floor of parsing the SBOM and reading the rows the scan needs.
//   npm run build && node --import tsx bench/vuln-db.ts   (BENCH_ADVISORIES=30000 by default)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatJson, type SbomPackage, toCycloneDxDocument } from '../src/sbom/index.js';
import {
  ADVISORY_ID_ALPHABET,
  catalogTarget,
  openDataSources,
  openVulnDatabase,
  readAdvisoryDirectory,
  readAdvisoryFeed,
  scanTarget,
  toScanJson,
} from '../src/vuln/index.js';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

/** What generateAdvisoryTree wrote. */
export interface AdvisoryTree {
  readonly dir: string;
  readonly packages: readonly string[];
  /** Every advisory id and alias, in writing order. */
  readonly ids: readonly string[];
  readonly advisories: number;
}

/**
 * Writes `advisories` synthetic advisories as Wolfi v2 documents, `perPackage` per package
 * (`pkg-00000.advisories.yaml`...). Deterministic: the same arguments give the same bytes.
 * Latest events cycle through fixed, false-positive, detection, pending-upstream-fix,
 * fix-not-planned, true-positive and analysis-not-planned; every fourth advisory lists its
 * events out of order.
 */
export function generateAdvisoryTree(dir: string, advisories = 30_000, perPackage = 10): AdvisoryTree {
  mkdirSync(dir, { recursive: true });
  const packages: string[] = [];
  const ids: string[] = [];
  let n = 0;
  for (let p = 0; n < advisories; p++) {
    const name = `pkg-${String(p).padStart(5, '0')}`;
    packages.push(name);
    const lines = ['schema-version: 2.0.2', '', 'package:', `  name: ${name}`, '', 'advisories:'];
    for (let a = 0; a < perPackage && n < advisories; a++, n++) {
      const id = cgaId(n);
      const cve = `CVE-2099-${String(10_000 + n)}`;
      ids.push(id, cve);
      const detection = [
        '      - timestamp: 2099-01-01T00:00:00Z',
        '        type: detection',
        '        data:',
        '          type: manual',
      ];
      const latest = latestEvent(n);
      const events = n % 4 === 3 ? [...latest, ...detection] : [...detection, ...latest];
      lines.push(`  - id: ${id}`, '    aliases:', `      - ${cve}`, '    events:', ...events, '');
    }
    writeFileSync(join(dir, `${name}.advisories.yaml`), `${lines.join('\n')}\n`);
  }
  return { dir, packages, ids, advisories: n };
}

function latestEvent(n: number): string[] {
  const head = ['      - timestamp: 2099-02-01T00:00:00Z'];
  switch (n % 7) {
    case 0:
    case 1:
    case 2:
      return [
        ...head,
        '        type: fixed',
        '        data:',
        `          fixed-version: 1.${n % 50}.${n % 7}-r${n % 5}`,
      ];
    case 3:
      return [
        ...head,
        '        type: false-positive-determination',
        '        data:',
        '          type: vulnerable-code-not-in-execution-path',
      ];
    case 4:
      return [
        ...head,
        '        type: pending-upstream-fix',
        '        data:',
        '          note: waiting for a release',
      ];
    case 5:
      return [...head, '        type: fix-not-planned', '        data:', '          note: end of life'];
    default:
      return [...head, '        type: true-positive-determination'];
  }
}

/** The n-th id of the CGA alphabet, `CGA-xxxx-xxxx-xxxx`. */
function cgaId(n: number): string {
  let rest = n;
  const chars: string[] = [];
  for (let i = 0; i < 12; i++) {
    chars.push(ADVISORY_ID_ALPHABET[rest % 20]!);
    rest = Math.floor(rest / 20);
  }
  const s = chars.reverse().join('');
  return `CGA-${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = process.hrtime.bigint();
  const value = await work();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

/** Floor: read and validate the documents, nothing else. */
export async function parseFloorPhase(tree: AdvisoryTree): Promise<number> {
  return (await timed(() => readAdvisoryDirectory(tree.dir))).ms;
}

/** Import into a fresh database file in-process; returns the time and the record count. */
export async function importPhase(
  tree: AdvisoryTree,
  dbPath: string,
): Promise<{ ms: number; records: number }> {
  rmSync(dbPath, { force: true });
  const { ms, value } = await timed(async () => {
    const feed = await readAdvisoryFeed(tree.dir, { distro: 'wolfi' });
    const db = await openVulnDatabase(dbPath);
    try {
      const [source] = await db.import([feed]);
      return source?.counts.distroRecords ?? 0;
    } finally {
      await db.close();
    }
  });
  return { ms, records: value };
}

/** The whole `larder vuln db import` process. */
export function cliImportPhase(tree: AdvisoryTree, dbPath: string): number {
  rmSync(dbPath, { force: true });
  const t0 = process.hrtime.bigint();
  execFileSync(process.execPath, [CLI, 'vuln', 'db', 'import', '--db', dbPath, '--advisories', tree.dir], {
    stdio: 'ignore',
  });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** `count` distroRecords lookups and `count` vulnerability() lookups on the imported database. */
export async function lookupPhase(
  tree: AdvisoryTree,
  dbPath: string,
  count = 1_000,
): Promise<{ packagesMs: number; idsMs: number; found: number }> {
  const db = await openVulnDatabase(dbPath, { mustExist: true });
  try {
    const names = Array.from({ length: count }, (_, i) => tree.packages[(i * 7) % tree.packages.length]!);
    const ids = Array.from({ length: count }, (_, i) => tree.ids[(i * 13) % tree.ids.length]!);
    let found = 0;
    const packages = await timed(async () => {
      for (const name of names) found += db.distroRecords(name).length;
    });
    const lookups = await timed(async () => {
      for (const id of ids) if (db.vulnerability(id) !== undefined) found++;
    });
    return { packagesMs: packages.ms, idsMs: lookups.ms, found };
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  const advisories = Number(process.env.BENCH_ADVISORIES ?? 30_000);
  const work = mkdtempSync(join(tmpdir(), 'larder-bench-vuln-'));
  try {
    const t0 = process.hrtime.bigint();
    const tree = generateAdvisoryTree(join(work, 'advisories'), advisories);
    const genMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const dbPath = join(work, 'vuln.db');
    console.log(
      `vuln db: ${tree.advisories} advisories in ${tree.packages.length} documents (generated in ${genMs.toFixed(0)} ms)`,
    );
    const floor = await parseFloorPhase(tree);
    const imported = await importPhase(tree, dbPath);
    console.log(`  parse floor (read + validate)      ${floor.toFixed(0).padStart(7)} ms`);
    console.log(
      `  import in-process                  ${imported.ms.toFixed(0).padStart(7)} ms  (${(imported.ms / floor).toFixed(2)}x the floor, ${imported.records} records)`,
    );
    const cli = cliImportPhase(tree, dbPath);
    console.log(`  larder vuln db import (process)    ${cli.toFixed(0).padStart(7)} ms`);
    const lookups = await lookupPhase(tree, dbPath);
    console.log(`  1,000 distroRecords lookups        ${lookups.packagesMs.toFixed(1).padStart(7)} ms`);
    console.log(`  1,000 vulnerability() lookups      ${lookups.idsMs.toFixed(1).padStart(7)} ms`);
    await scanBench(tree, work, dbPath);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// ---- scan phase (issue 6 §5): scan a 1,000-package SBOM against the imported database ----

/**
 * Writes a CycloneDX SBOM of `count` APK packages as `image build --sbom-dir` does: every
 * other package is a subpackage (`NAME-libs`, origin NAME), so matching goes through origins;
 * all at version 1.25.0-r0, about half below the generated fixed versions.
 */
export function writeScanSbom(tree: AdvisoryTree, path: string, count = 1_000): number {
  const packages: SbomPackage[] = [];
  for (let i = 0; i < count; i++) {
    const origin = tree.packages[Math.floor(i / 2) % tree.packages.length]!;
    const name = i % 2 === 0 ? origin : `${origin}-libs`;
    packages.push({ name, version: '1.25.0-r0', arch: 'x86_64', origin, license: 'MIT' });
  }
  const doc = toCycloneDxDocument({
    name: 'bench/scan',
    created: 1_700_000_000,
    os: { id: 'wolfi', versionId: '20230201' },
    arch: 'x86_64',
    packages,
    toolVersion: 'bench',
  });
  writeFileSync(path, formatJson(doc));
  return packages.length;
}

/**
 * Floor: what any scan must do: parse the SBOM (catalogTarget), and read the rows it needs from
 * the database (distroRecords per origin, vulnerability() per id found), nothing else.
 */
export async function scanFloorPhase(
  sbomPath: string,
  dbPath: string,
): Promise<{ ms: number; rows: number }> {
  const { ms, value } = await timed(async () => {
    const catalog = await catalogTarget(sbomPath);
    const db = await openVulnDatabase(dbPath, { mustExist: true });
    try {
      let rows = 0;
      const ids = new Set<string>();
      for (const origin of new Set(catalog.packages.map((p) => p.origin ?? p.name))) {
        for (const record of db.distroRecords(origin)) {
          rows++;
          ids.add(record.vulnerability);
        }
      }
      for (const id of ids) if (db.vulnerability(id) !== undefined) rows++;
      return rows;
    } finally {
      await db.close();
    }
  });
  return { ms, rows: value };
}

/** The scan in-process, as `larder scan SBOM --db DB --format json` does it (report included). */
export async function scanPhase(
  sbomPath: string,
  dbPath: string,
): Promise<{ ms: number; findings: number; suppressed: number; bytes: number }> {
  const { ms, value } = await timed(async () => {
    const data = await openDataSources({ databases: [dbPath], feeds: [] });
    try {
      const outcome = await scanTarget(sbomPath, {
        source: data.source,
        dataSources: data.labels,
        tool: { name: 'larder', version: 'bench' },
      });
      const bytes = JSON.stringify(toScanJson(outcome), null, 2).length;
      return { findings: outcome.findings.length, suppressed: outcome.suppressed.length, bytes };
    } finally {
      await data.close();
    }
  });
  return { ms, ...value };
}

/** The whole `larder scan` process (JSON report to a pipe). */
export function cliScanPhase(sbomPath: string, dbPath: string): number {
  const t0 = process.hrtime.bigint();
  execFileSync(process.execPath, [CLI, 'scan', sbomPath, '--db', dbPath, '--format', 'json'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    maxBuffer: 256 * 1024 * 1024,
  });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Prints the scan phase: the floor, the scan in-process and the CLI process. */
export async function scanBench(tree: AdvisoryTree, work: string, dbPath: string): Promise<void> {
  const sbomPath = join(work, 'sbom-x86_64.cdx.json');
  const packages = writeScanSbom(tree, sbomPath);
  // One warm-up of each, so module loading and SQLite's page cache do not count as scan time.
  await scanFloorPhase(sbomPath, dbPath);
  await scanPhase(sbomPath, dbPath);
  const floor = await scanFloorPhase(sbomPath, dbPath);
  const scan = await scanPhase(sbomPath, dbPath);
  const cli = cliScanPhase(sbomPath, dbPath);
  console.log(`scan: a ${packages}-package CycloneDX SBOM against the database`);
  console.log(
    `  floor (parse SBOM + read rows)     ${floor.ms.toFixed(0).padStart(7)} ms  (${floor.rows} rows)`,
  );
  console.log(
    `  scan in-process (JSON report)      ${scan.ms.toFixed(0).padStart(7)} ms  (${(scan.ms / floor.ms).toFixed(2)}x the floor; ${scan.findings} findings, ${scan.suppressed} suppressed, ${(scan.bytes / 1e6).toFixed(1)} MB)`,
  );
  console.log(`  larder scan (process)              ${cli.toFixed(0).padStart(7)} ms`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
