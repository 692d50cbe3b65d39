// Vulnerability database bench (issue 6 §5): "import 30,000 synthetic advisories, then scan a
// 1,000-package SBOM; print the scan time against the floor of just parsing the inputs".
// This file holds the generator and the import half; the scan half adds a phase of its own.
//  1. generate ~3,000 Wolfi advisory documents (10 advisories each, every event type, some
//     events out of order) into a temporary directory;
//  2. floor: read and validate the same files (readAdvisoryDirectory) without a database;
//  3. import: the same as `larder vuln db import --advisories DIR` in-process (read, validate,
//     records, one transaction into a fresh SQLite file), and the whole CLI process;
//  4. lookups: distroRecords for 1,000 package names and vulnerability() for 1,000 ids on the
//     imported database (the read path a scan takes).
//   npm run build && node --import tsx bench/vuln-db.ts   (BENCH_ADVISORIES=30000 by default)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ADVISORY_ID_ALPHABET,
  openVulnDatabase,
  readAdvisoryDirectory,
  readAdvisoryFeed,
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
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
