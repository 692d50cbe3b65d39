// The shared model of the vuln module: what cataloguing finds, what the vulnerability database
// holds, what matching produces. Every part (advisory, db, catalog, match, vex, report) speaks
// these types; each part owns its own folder and exports through src/vuln/index.ts.

/** Package ecosystems larder catalogues and matches. `go` includes the `stdlib` pseudo-module. */
export type Ecosystem = 'apk' | 'go' | 'pypi' | 'npm' | 'maven' | 'cargo';

/** Severity levels, lowest first (grype's names). */
export const SEVERITIES = ['unknown', 'negligible', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** How a package was found. */
export type Evidence =
  | 'apk-installed-db'
  | 'apk-file'
  | 'go-buildinfo'
  | 'python-dist-info'
  | 'npm-package-json'
  | 'java-archive'
  | 'cargo-auditable'
  | 'sbom';

/** The distribution an artifact belongs to, from `/etc/os-release` (ID, VERSION_ID) or the SBOM. */
export interface Distro {
  /** `wolfi`, `chainguard`, `alpine`, ... (os-release `ID`, lower case). */
  readonly id: string;
  readonly versionId?: string;
}

/** One package found in an artifact. */
export interface CatalogedPackage {
  /** Stable within one catalog: `${ecosystem}:${name}@${version}` plus `#${location}` when needed. */
  readonly id: string;
  readonly ecosystem: Ecosystem;
  /** APK name; Go module path (or `stdlib`); normalized PyPI name; npm name (with scope); Maven `groupId:artifactId`; crate name. */
  readonly name: string;
  /** As found (Go keeps its `v`; stdlib is `go1.22.3`). */
  readonly version: string;
  /** Package URL (purl). */
  readonly purl: string;
  /** APK only: the origin (source package) name, `o:`; falls back to the name when absent. */
  readonly origin?: string;
  readonly arch?: string;
  /** Paths (no leading slash) in the artifact where the evidence is. */
  readonly locations: readonly string[];
  readonly evidence: Evidence;
  /** The `id` of the APK package whose file list holds one of `locations` (ownership by file overlap). */
  readonly ownedBy?: string;
  /** Go only: the binary's main module (never matched when its version is `(devel)` or a pseudo-version). */
  readonly goMainModule?: boolean;
  /** Licenses when the evidence states them. */
  readonly licenses?: readonly string[];
}

/** What was catalogued, and from where. */
export interface Catalog {
  readonly source: {
    /** `oci-layout` | `docker-archive` | `registry` | `directory` | `installed-db` | `apk` | `spdx` | `cyclonedx`. */
    readonly kind: string;
    /** The path or reference given. */
    readonly target: string;
    /** Image manifest digest when the target is an image. */
    readonly digest?: string;
    /** Image references (tags) known for the target, for VEX product matching. */
    readonly names?: readonly string[];
  };
  readonly distro?: Distro;
  readonly packages: readonly CatalogedPackage[];
  /** Files inside the target that could not be read (corrupt, truncated, too large), one line each. */
  readonly warnings?: readonly string[];
}

/** A CVSS rating as a record carries it. */
export interface Cvss {
  readonly version: '2.0' | '3.0' | '3.1' | '4.0';
  readonly vector: string;
  /** Base score, computed from the vector when the record does not give it (v3.x). */
  readonly score?: number;
}

/** What the database knows about one vulnerability id (merged over its sources). */
export interface VulnMeta {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary?: string;
  readonly severity: Severity;
  readonly cvss: readonly Cvss[];
  readonly published?: string;
  readonly modified?: string;
  readonly references: readonly string[];
}

/**
 * A distribution's statement about one origin package and one vulnerability: from an advisory
 * document (latest event), a secdb entry, or an OSV record of a distro ecosystem (Alpine, Wolfi,
 * Chainguard). `not-affected` is secdb's `"0"` / a false-positive determination.
 */
export interface DistroRecord {
  /** Namespace: `wolfi`, `chainguard`, `alpine:3.18`...; '' applies to any distribution. */
  readonly distro: string;
  /** The origin (source) package name. */
  readonly package: string;
  /** Primary id (CGA-..., CVE-..., ALPINE-...). */
  readonly vulnerability: string;
  readonly aliases: readonly string[];
  readonly state:
    | 'fixed'
    | 'not-affected'
    | 'affected'
    | 'under-investigation'
    | 'pending-upstream-fix'
    | 'fix-not-planned'
    | 'analysis-not-planned';
  /** With `fixed`: the first fixed APK version (`version-rN`). */
  readonly fixedVersion?: string;
  /** With `not-affected`: why (false-positive type, or `secdb "0"`). */
  readonly reason?: string;
  /** ISO timestamp of the deciding event, when known. */
  readonly timestamp?: string;
  /** Where it came from: a file path, URL or `osv:ID`. */
  readonly source: string;
}

/** One OSV range event. */
export interface RangeEvent {
  readonly introduced?: string;
  readonly fixed?: string;
  readonly lastAffected?: string;
  readonly limit?: string;
}

/** An OSV `affected` entry of a language ecosystem. */
export interface RangeRecord {
  readonly ecosystem: Ecosystem;
  /** Normalized as `CatalogedPackage.name` is for that ecosystem. */
  readonly package: string;
  readonly vulnerability: string;
  readonly aliases: readonly string[];
  readonly ranges: readonly {
    readonly type: 'SEMVER' | 'ECOSYSTEM' | 'GIT';
    readonly events: readonly RangeEvent[];
  }[];
  /** Explicitly listed affected versions. */
  readonly versions: readonly string[];
  readonly withdrawn?: string;
  readonly source: string;
}

/**
 * The read side of the vulnerability database, synchronous (SQLite through better-sqlite3 is
 * synchronous; in-memory sources are too). Implemented by the db part and by test fakes.
 */
export interface VulnSource {
  /** Distro records for an origin package name, any namespace ('' records included). */
  distroRecords(pkg: string): readonly DistroRecord[];
  /** Range records for a package of a language ecosystem (name normalized as catalogued). */
  rangeRecords(ecosystem: Ecosystem, name: string): readonly RangeRecord[];
  /** Metadata by id or by any alias. */
  vulnerability(id: string): VulnMeta | undefined;
}

/** A VEX statement as read from OpenVEX or CycloneDX VEX (or made from our advisories). */
export interface VexStatement {
  readonly vulnerability: string;
  readonly aliases: readonly string[];
  /** Product identifiers: purls (`pkg:apk/...`, `pkg:oci/...`), image references or digests. */
  readonly products: readonly string[];
  readonly subcomponents: readonly string[];
  readonly status: 'not_affected' | 'affected' | 'fixed' | 'under_investigation';
  readonly justification?: string;
  readonly impactStatement?: string;
  readonly actionStatement?: string;
  /** ISO timestamp; the newest statement about a (product, vulnerability) wins. */
  readonly timestamp?: string;
  readonly source: string;
}

/** Fix state of a finding (grype's names). */
export type FixState = 'fixed' | 'not-fixed' | 'wont-fix' | 'unknown';

/** One (installed package, vulnerability) pair. */
export interface Finding {
  readonly package: CatalogedPackage;
  /** The id the matching record used (CGA-, CVE-, GHSA-, GO-...). */
  readonly vulnerability: string;
  readonly aliases: readonly string[];
  readonly severity: Severity;
  readonly cvss: readonly Cvss[];
  readonly fix: { readonly state: FixState; readonly versions: readonly string[] };
  /** Why it matched, for `--explain`. */
  readonly match: {
    readonly kind: 'apk-origin' | 'apk-name' | 'osv-range' | 'osv-version';
    /** The name looked up (the origin for APK). */
    readonly searchedBy: string;
    /** Human-readable constraint, e.g. `< 3.0.7-r0 (apk)` or `>= 1.0.0, < 1.2.5 (semver)`. */
    readonly constraint: string;
    readonly record: DistroRecord | RangeRecord;
  };
}

/** A match that a statement removed, with the statement. */
export interface SuppressedFinding {
  readonly finding: Finding;
  readonly reason: {
    readonly kind: 'distro-not-affected' | 'distro-fixed-owner' | 'vex' | 'ignore-rule' | 'only-fixed';
    /** One line: which statement, e.g. `wolfi advisory CGA-...: false-positive-determination (vulnerable-code-not-included-in-package)`. */
    readonly detail: string;
    readonly source: string;
  };
}
