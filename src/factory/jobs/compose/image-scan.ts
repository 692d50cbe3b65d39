/**
 * Scanning an image's packages (docs/factory.md "Compose and rescan jobs"): each platform's
 * installed APKs, as the lock records them, matched against the vulnerability data; advisories
 * saying `not-affected` (false-positive determinations, secdb `"0"`) and VEX cover a finding, and
 * it is recorded as `not-affected` rather than counted. The same code scans a fresh compose and
 * re-matches a published version's lock for a rescan, so both judge alike.
 */
import {
  apkPackagePurl,
  apkSearchName,
  type Catalog,
  type CatalogedPackage,
  type Distro,
  type DistroRecord,
  type Finding,
  groupByIds,
  inDecisionOrder,
  matchCatalog,
  namespaceApplies,
  type SuppressedFinding,
  type VulnSource,
} from '../../../vuln/index.js';
import type { FindingInput } from '../../state/index.js';

/** One platform's installed packages, as the factory records them with a published version. */
export interface PlatformPackages {
  readonly arch: string;
  /** From the image's `/etc/os-release`. */
  readonly distro?: Distro;
  readonly packages: readonly {
    readonly name: string;
    readonly version: string;
    readonly origin: string;
  }[];
}

/** A `not-affected` statement of an advisory or feed about an installed package. */
export interface CoveringStatement {
  readonly package: CatalogedPackage;
  readonly record: DistroRecord;
}

/** What a scan of every platform found. */
export interface ImageScan {
  /** Counted findings (not covered), one per (vulnerability, package) over all platforms. */
  readonly findings: readonly Finding[];
  /** Vulnerabilities of installed packages an advisory or VEX statement says do not apply. */
  readonly covered: readonly FindingInput[];
  /** What recordScan takes: findings (`open` or `awaiting-fix`) and covered ones (`not-affected`). */
  readonly records: readonly FindingInput[];
  readonly warnings: readonly string[];
  /** Per platform: its catalog, findings and covering statements (what a VEX document states). */
  readonly platforms: readonly {
    readonly catalog: Catalog;
    readonly findings: readonly Finding[];
    readonly suppressed: readonly SuppressedFinding[];
    readonly statements: readonly CoveringStatement[];
  }[];
}

/** What is scanned: the image's name (its canonical reference) and, once known, its index digest. */
export interface ScanSubject {
  readonly name: string;
  readonly digest?: string;
}

/** A catalog of one platform's APKs. */
export function platformCatalog(platform: PlatformPackages, subject: ScanSubject): Catalog {
  const release =
    platform.distro === undefined
      ? undefined
      : {
          id: platform.distro.id,
          ...(platform.distro.versionId === undefined ? {} : { versionId: platform.distro.versionId }),
        };
  const packages: CatalogedPackage[] = platform.packages.map((p) => ({
    id: `apk:${p.name}@${p.version}`,
    ecosystem: 'apk',
    name: p.name,
    version: p.version,
    purl: apkPackagePurl(
      { name: p.name, version: p.version, arch: platform.arch, origin: p.origin },
      release,
    ),
    origin: p.origin,
    arch: platform.arch,
    locations: ['lib/apk/db/installed'],
    evidence: 'apk-installed-db',
  }));
  return {
    source: {
      kind: 'registry',
      target: subject.name,
      ...(subject.digest === undefined ? {} : { digest: subject.digest }),
      names: [subject.name],
    },
    ...(platform.distro === undefined ? {} : { distro: platform.distro }),
    packages,
  };
}

const identity = (vulnerability: string, pkg: string) => `${vulnerability}\u0000${pkg}`;

/**
 * The deciding `not-affected` records about each package's origin (newest per vulnerability
 * group, of the records that apply to the platform's distribution), as `scan --format openvex`
 * states them.
 */
function coveringStatements(catalog: Catalog, source: VulnSource): CoveringStatement[] {
  const out: CoveringStatement[] = [];
  const byOrigin = new Map<string, DistroRecord[]>();
  for (const pkg of catalog.packages) {
    const origin = apkSearchName(pkg);
    let deciding = byOrigin.get(origin);
    if (deciding === undefined) {
      const records = source
        .distroRecords(origin)
        .filter((r) => catalog.distro === undefined || namespaceApplies(r.distro, catalog.distro));
      deciding = groupByIds(records)
        .map((group) => inDecisionOrder(group)[0] as DistroRecord)
        .filter((r) => r.state === 'not-affected');
      byOrigin.set(origin, deciding);
    }
    for (const record of deciding) out.push({ package: pkg, record });
  }
  return out;
}

/** Matches every platform and merges the results (the first platform's finding wins a duplicate). */
export function scanPlatforms(
  platforms: readonly PlatformPackages[],
  source: VulnSource,
  subject: ScanSubject,
): ImageScan {
  const findings = new Map<string, Finding>();
  const covered = new Map<string, FindingInput>();
  const warnings: string[] = [];
  const scanned: ImageScan['platforms'][number][] = [];
  for (const platform of platforms) {
    const catalog = platformCatalog(platform, subject);
    const result = matchCatalog(catalog, source);
    const suppressed = result.suppressed.filter(
      (s) => s.reason.kind === 'distro-not-affected' || s.reason.kind === 'vex',
    );
    const statements = coveringStatements(catalog, source);
    scanned.push({ catalog, findings: result.findings, suppressed, statements });
    for (const f of result.findings) {
      const key = identity(f.vulnerability, f.package.name);
      if (!findings.has(key)) findings.set(key, f);
    }
    for (const s of suppressed) {
      const key = identity(s.finding.vulnerability, s.finding.package.name);
      if (!covered.has(key)) covered.set(key, findingRecord(s.finding, 'not-affected'));
    }
    for (const { package: pkg, record } of statements) {
      const key = identity(record.vulnerability, pkg.name);
      if (!covered.has(key))
        covered.set(key, {
          vulnId: record.vulnerability,
          aliases: [...record.aliases],
          package: pkg.name,
          origin: pkg.origin ?? pkg.name,
          state: 'not-affected',
        });
    }
    for (const w of result.warnings) warnings.push(`${platform.arch}: ${w}`);
  }
  // A finding on one platform wins over a statement covering it on another.
  for (const key of findings.keys()) covered.delete(key);
  const records: FindingInput[] = [
    ...[...findings.values()].map((f) => findingRecord(f, f.fix.state === 'fixed' ? 'open' : 'awaiting-fix')),
    ...covered.values(),
  ];
  return {
    findings: [...findings.values()],
    covered: [...covered.values()],
    records,
    warnings,
    platforms: scanned,
  };
}

function findingRecord(f: Finding, state: FindingInput['state']): FindingInput {
  const fixedIn = f.fix.state === 'fixed' ? f.fix.versions[0] : undefined;
  return {
    vulnId: f.vulnerability,
    aliases: [...f.aliases],
    package: f.package.name,
    origin: f.package.origin ?? f.package.name,
    ...(fixedIn === undefined ? {} : { fixedIn }),
    state,
  };
}
