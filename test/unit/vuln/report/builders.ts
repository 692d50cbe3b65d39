// Hand-built catalogs, records and findings for the vex and report tests (the model only).
import type {
  Catalog,
  CatalogedPackage,
  DistroRecord,
  Ecosystem,
  Finding,
  RangeRecord,
  Severity,
  SuppressedFinding,
} from '../../../../src/vuln/model.js';

export const IMAGE_DIGEST = `sha256:${'ab'.repeat(32)}`;

const TYPE_OF: Record<Ecosystem, string> = {
  apk: 'apk',
  go: 'golang',
  pypi: 'pypi',
  npm: 'npm',
  maven: 'maven',
  cargo: 'cargo',
};

/** A catalogued package; APK ones get a wolfi purl with arch. */
export function pkg(
  name: string,
  version: string,
  more: Partial<CatalogedPackage> & { ecosystem?: Ecosystem } = {},
): CatalogedPackage {
  const ecosystem = more.ecosystem ?? 'apk';
  const purl =
    ecosystem === 'apk'
      ? `pkg:apk/wolfi/${name}@${version}?arch=x86_64&distro=wolfi-20230201`
      : `pkg:${TYPE_OF[ecosystem]}/${name}@${version}`;
  return {
    id: `${ecosystem}:${name}@${version}`,
    ecosystem,
    name,
    version,
    purl,
    locations: [ecosystem === 'apk' ? 'lib/apk/db/installed' : `usr/bin/${name.split('/').pop()}`],
    evidence: ecosystem === 'apk' ? 'apk-installed-db' : 'go-buildinfo',
    ...(ecosystem === 'apk' ? { origin: name, arch: 'x86_64' } : {}),
    ...more,
  };
}

export function distroRecord(
  pkgName: string,
  vulnerability: string,
  state: DistroRecord['state'],
  more: Partial<DistroRecord> = {},
): DistroRecord {
  return {
    distro: 'wolfi',
    package: pkgName,
    vulnerability,
    aliases: [],
    state,
    source: `advisories/${pkgName}.advisories.yaml`,
    ...more,
  };
}

export function rangeRecord(name: string, vulnerability: string, fixed: string): RangeRecord {
  return {
    ecosystem: 'go',
    package: name,
    vulnerability,
    aliases: [],
    ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }],
    versions: [],
    source: `osv/${vulnerability}.json`,
  };
}

/** A finding of `p` for `vulnerability`, from an apk fixed record unless told otherwise. */
export function finding(
  p: CatalogedPackage,
  vulnerability: string,
  severity: Severity,
  more: {
    aliases?: string[];
    fix?: Finding['fix'];
    record?: DistroRecord | RangeRecord;
    constraint?: string;
  } = {},
): Finding {
  const fix = more.fix ?? { state: 'not-fixed', versions: [] };
  const record =
    more.record ??
    distroRecord(p.origin ?? p.name, vulnerability, fix.state === 'fixed' ? 'fixed' : 'affected', {
      ...(fix.versions[0] === undefined ? {} : { fixedVersion: fix.versions[0] }),
      aliases: more.aliases ?? [],
    });
  const isDistro = 'state' in record;
  return {
    package: p,
    vulnerability,
    aliases: more.aliases ?? [],
    severity,
    cvss: [],
    fix,
    match: {
      kind: isDistro
        ? p.origin !== undefined && p.origin !== p.name
          ? 'apk-origin'
          : 'apk-name'
        : 'osv-range',
      searchedBy: isDistro ? (p.origin ?? p.name) : p.name,
      constraint:
        more.constraint ??
        (fix.versions[0] === undefined
          ? 'none (unknown)'
          : `< ${fix.versions[0]} (${isDistro ? 'apk' : 'semver'})`),
      record,
    },
  };
}

export function suppressed(
  f: Finding,
  kind: SuppressedFinding['reason']['kind'],
  detail: string,
  source = 'somewhere',
): SuppressedFinding {
  return { finding: f, reason: { kind, detail, source } };
}

export function catalog(packages: CatalogedPackage[], image = true): Catalog {
  return {
    source: image
      ? {
          kind: 'oci-layout',
          target: 'out/wolfi-base',
          digest: IMAGE_DIGEST,
          names: ['cgr.dev/chainguard/wolfi-base:latest'],
        }
      : { kind: 'installed-db', target: 'fixtures/installed' },
    distro: { id: 'wolfi', versionId: '20230201' },
    packages,
  };
}
