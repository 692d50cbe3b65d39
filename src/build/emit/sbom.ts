import { hexDigest } from '../../core/index.js';
import { formatJson, formatPurl, isSpdxLicenseExpression } from '../../sbom/index.js';
import type { EmitPackageInput, EmitSource } from './types.js';

/** Where melange puts a package's own SBOM inside it (`pkg/build/sbom.SBOMDir`). */
export const SBOM_DIR = 'var/lib/db/sbom';

/** melange's SPDX licence list version. */
const LICENSE_LIST_VERSION = '3.22';
const NOASSERTION = 'NOASSERTION';

/** melange `normalizeLicenseID`: a valid SPDX expression as is, else a sanitised `LicenseRef-`. */
export function normalizeLicense(license: string): string {
  if (license === '' || isSpdxLicenseExpression(license)) return license;
  const kept = license.replace(/[ _]/g, '-').replace(/[^A-Za-z0-9.-]/g, '');
  return `LicenseRef-${kept === '' ? hexDigest('sha256', license).slice(0, 16) : kept}`;
}

/** melange `stringToIdentifier`: `:` and `/` become `-`, other invalid characters `C<code>`. */
export function spdxIdentifier(text: string): string {
  let out = '';
  for (const ch of text) {
    if (ch === ':' || ch === '/') out += '-';
    else if (/[-.A-Za-z0-9]/.test(ch)) out += ch;
    else out += `C${ch.codePointAt(0)}`;
  }
  return out;
}

/** Go's `fnv.New128a` over UTF-8 bytes, as lowercase hex. */
export function fnv128a(text: string): string {
  const prime = (1n << 88n) + 0x13bn;
  const mask = (1n << 128n) - 1n;
  let hash = 0x6c62272e07bb014262b821756295c58dn;
  for (const byte of Buffer.from(text, 'utf8')) hash = ((hash ^ BigInt(byte)) * prime) & mask;
  return hash.toString(16).padStart(32, '0');
}

/** Go's `cases.Title(language.English)` for a namespace such as `wolfi`. */
function title(text: string): string {
  return text.replace(/\p{L}[\p{L}\p{N}']*/gu, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase());
}

/** melange `LicenseExpression`: the normalised licences of `copyright[]` joined with AND. */
export function licenseExpression(input: Pick<EmitPackageInput, 'origin'>): string {
  return (input.origin.copyright ?? [])
    .map((c) => normalizeLicense(c.license))
    .filter((l) => l !== '')
    .join(' AND ');
}

/** The SBOM file name of a package: `<name>-<version>-r<epoch>.spdx.json`. */
export function sbomFileNameOf(input: EmitPackageInput): string {
  return `${input.package.name}-${input.origin.version}-r${input.origin.epoch}.spdx.json`;
}

/**
 * The SPDX 2.3 document melange writes into each package (`pkg/build/sbom/spdx`): an
 * operating-system package for the namespace, the apk package it describes (licence from the
 * recipe's copyright, apk purl), and the upstream sources it was generated from. Three
 * deliberate differences: the tool line names larder and no vendor organisation, and empty
 * `relationships` are `[]`, not Go's `null`, and the OS package's purpose is `OPERATING_SYSTEM`
 * (melange writes `OPERATING-SYSTEM`): the SPDX 2.3 schema refuses both.
 */
export function packageSbomJson(input: EmitPackageInput): string {
  const o = input.origin;
  const fullVersion = `${o.version}-r${o.epoch}`;
  const namespace = input.namespace ?? 'unknown';
  const supplier = `Organization: ${title(namespace)}`;
  const license = licenseExpression(input);
  const attestations = (o.copyright ?? []).map((c) => c.attestation ?? '').filter((a) => a !== '');
  const id = spdxIdentifier(`SPDXRef-Package-apk-${input.package.name}-${fullVersion}`);
  const purl = formatPurl({
    type: 'apk',
    namespace,
    name: input.package.name,
    version: fullVersion,
    qualifiers: { arch: input.arch, distro: namespace === 'unknown' ? undefined : namespace },
  });
  const pkg = {
    SPDXID: id,
    name: input.package.name,
    versionInfo: fullVersion,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: license === '' ? NOASSERTION : license,
    downloadLocation: NOASSERTION,
    originator: supplier,
    supplier,
    copyrightText: attestations.length > 0 ? attestations.map((a) => `${a}\n`).join('') : NOASSERTION,
    primaryPackagePurpose: 'APPLICATION',
    externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceLocator: purl, referenceType: 'purl' }],
  };
  const sources = (input.sources ?? []).map((s) =>
    sourcePackage(s, s.namespace === undefined ? supplier : `Organization: ${title(s.namespace)}`),
  );
  const doc = {
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `apk-${input.package.name}-${fullVersion}`,
    spdxVersion: 'SPDX-2.3',
    creationInfo: {
      created: new Date((input.sourceDateEpoch ?? 0) * 1000).toISOString().replace('.000Z', 'Z'),
      creators: [`Tool: ${input.tool ?? 'larder'}`],
      licenseListVersion: LICENSE_LIST_VERSION,
    },
    dataLicense: 'CC0-1.0',
    documentNamespace: `https://spdx.org/spdxdocs/chainguard/melange/${fnv128a(`apk-${namespace}-${fullVersion}`)}`,
    documentDescribes: [id],
    packages: [osPackage(namespace, supplier), pkg, ...sources],
    relationships: sources.map((s) => ({
      spdxElementId: id,
      relationshipType: 'GENERATED_FROM',
      relatedSpdxElement: s.SPDXID,
    })),
    ...licensingInfos(input),
  };
  return formatJson(doc);
}

function osPackage(namespace: string, supplier: string) {
  return {
    SPDXID: 'SPDXRef-OperatingSystem',
    name: namespace,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    description: 'Operating System',
    downloadLocation: NOASSERTION,
    originator: supplier,
    supplier,
    primaryPackagePurpose: 'OPERATING_SYSTEM',
  };
}

function sourcePackage(s: EmitSource, supplier: string) {
  const checksums = Object.keys(s.checksums ?? {})
    .sort()
    .map((algorithm) => ({ algorithm, checksumValue: s.checksums?.[algorithm] ?? '' }));
  return {
    SPDXID: spdxIdentifier(['SPDXRef-Package', ...s.idComponents].join('-')),
    name: s.name,
    ...(s.version !== '' ? { versionInfo: s.version } : {}),
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared:
      s.licenseDeclared === undefined || s.licenseDeclared === '' ? NOASSERTION : s.licenseDeclared,
    downloadLocation: s.downloadLocation === '' ? NOASSERTION : s.downloadLocation,
    originator: supplier,
    supplier,
    primaryPackagePurpose: 'SOURCE',
    ...(checksums.length > 0 ? { checksums } : {}),
    ...(s.purl !== undefined
      ? {
          externalRefs: [
            { referenceCategory: 'PACKAGE-MANAGER', referenceLocator: s.purl, referenceType: 'purl' },
          ],
        }
      : {}),
  };
}

/** `LicenseRef-` licences with their texts, sorted by id (Go iterates a map here). */
function licensingInfos(input: EmitPackageInput) {
  const infos = new Map<string, string>();
  for (const c of input.origin.copyright ?? []) {
    const id = normalizeLicense(c.license);
    const text = input.licenseTexts?.[c.license];
    if (text !== undefined) infos.set(id, text);
    else if (id.startsWith('LicenseRef-')) infos.set(id, `Non-SPDX License: ${c.license}`);
  }
  if (infos.size === 0) return {};
  const sorted = [...infos].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    hasExtractedLicensingInfos: sorted.map(([licenseId, extractedText]) => ({ licenseId, extractedText })),
  };
}
