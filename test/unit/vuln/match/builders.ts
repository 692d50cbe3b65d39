// Synthetic catalog packages and records for matching tests, in the model's shapes.
import type {
  Catalog,
  CatalogedPackage,
  DistroRecord,
  Ecosystem,
  RangeEvent,
  RangeRecord,
  VexStatement,
  VulnMeta,
} from '../../../../src/vuln/model.js';

export function apk(name: string, version: string, origin = name, distro = 'wolfi'): CatalogedPackage {
  const upstream = origin === name ? '' : `&upstream=${origin}`;
  return {
    id: `apk:${name}@${version}`,
    ecosystem: 'apk',
    name,
    version,
    purl: `pkg:apk/${distro}/${name}@${version}?arch=x86_64&distro=${distro}-20230201${upstream}`,
    origin,
    arch: 'x86_64',
    locations: ['lib/apk/db/installed'],
    evidence: 'apk-installed-db',
  };
}

const PURL_TYPE: Readonly<Record<Ecosystem, string>> = {
  apk: 'apk',
  go: 'golang',
  pypi: 'pypi',
  npm: 'npm',
  maven: 'maven',
  cargo: 'cargo',
};

export function lang(
  ecosystem: Exclude<Ecosystem, 'apk'>,
  name: string,
  version: string,
  extra: Partial<CatalogedPackage> = {},
): CatalogedPackage {
  const purlName = ecosystem === 'maven' ? name.replace(':', '/') : name;
  const purlVersion = ecosystem === 'go' && name === 'stdlib' ? version.replace(/^go/, '') : version;
  return {
    id: `${ecosystem}:${name}@${version}${extra.locations ? `#${extra.locations[0]}` : ''}`,
    ecosystem,
    name,
    version,
    purl: `pkg:${PURL_TYPE[ecosystem]}/${purlName}@${purlVersion}`,
    locations: ['usr/bin/app'],
    evidence: ecosystem === 'go' ? 'go-buildinfo' : 'sbom',
    ...extra,
  };
}

export function fixed(
  pkg: string,
  vuln: string,
  version: string,
  extra: Partial<DistroRecord> = {},
): DistroRecord {
  return {
    distro: 'wolfi',
    package: pkg,
    vulnerability: vuln,
    aliases: [],
    state: 'fixed',
    fixedVersion: version,
    source: `advisories/${pkg}.advisories.yaml`,
    ...extra,
  };
}

export function stated(
  pkg: string,
  vuln: string,
  state: DistroRecord['state'],
  extra: Partial<DistroRecord> = {},
): DistroRecord {
  return {
    distro: 'wolfi',
    package: pkg,
    vulnerability: vuln,
    aliases: [],
    state,
    source: `advisories/${pkg}.advisories.yaml`,
    ...extra,
  };
}

export function osv(
  ecosystem: Ecosystem,
  pkg: string,
  vuln: string,
  events: RangeEvent[],
  extra: Partial<RangeRecord> = {},
): RangeRecord {
  return {
    ecosystem,
    package: pkg,
    vulnerability: vuln,
    aliases: [],
    ranges: [{ type: ecosystem === 'go' || ecosystem === 'npm' ? 'SEMVER' : 'ECOSYSTEM', events }],
    versions: [],
    source: `osv/${vuln}.json`,
    ...extra,
  };
}

export function meta(
  id: string,
  severity: VulnMeta['severity'],
  aliases: string[] = [],
  extra: Partial<VulnMeta> = {},
): VulnMeta {
  return { id, aliases, severity, cvss: [], references: [], ...extra };
}

export function vex(
  vulnerability: string,
  status: VexStatement['status'],
  products: string[],
  extra: Partial<VexStatement> = {},
): VexStatement {
  return {
    vulnerability,
    aliases: [],
    products,
    subcomponents: [],
    status,
    source: 'test.openvex.json',
    ...extra,
  };
}

export function catalog(packages: CatalogedPackage[], extra: Partial<Catalog> = {}): Catalog {
  return {
    source: {
      kind: 'oci-layout',
      target: 'image.tar',
      digest: `sha256:${'ab'.repeat(32)}`,
      names: ['cgr.dev/acme/app:1.0'],
    },
    distro: { id: 'wolfi', versionId: '20230201' },
    packages,
    ...extra,
  };
}

/** `value` without the optional property `key` (exactOptionalPropertyTypes forbids `key: undefined`). */
export function without<T extends object, K extends keyof T>(value: T, key: K): Omit<T, K> {
  const copy = { ...value };
  delete copy[key];
  return copy;
}
