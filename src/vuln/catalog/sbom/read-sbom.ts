// SBOMs as targets: SPDX 2.x JSON and CycloneDX 1.x JSON. Packages come from purls; the
// distribution from the operating-system entry, else from apk purls' namespace and `distro`
// qualifier; the image digest and names from the container entry.
import { LarderError } from '../../../core/index.js';
import { jsonErrorPosition } from '../../feeds/index.js';
import type { Catalog, Distro } from '../../model.js';
import { assembleCatalog } from '../assemble.js';
import type { PackageDraft } from '../package-draft.js';
import { draftFromPurl, type ParsedPurl, parsePurl } from './purl.js';

/** One SBOM entry, whichever the format: what cataloguing needs of it. */
export interface SbomEntry {
  /** Names the entry in errors: `packages[3] (SPDXRef-…)`, `components[2]`. */
  readonly where: string;
  readonly kind: 'package' | 'operating-system' | 'container';
  readonly name?: string;
  readonly version?: string;
  readonly purl?: string;
  /** The origin the SBOM states apart from the purl (larder's property, SPDX sourceInfo). */
  readonly origin?: string;
  readonly licenses?: readonly string[];
}

/** What a format reader gives. */
export interface SbomContents {
  readonly kind: 'spdx' | 'cyclonedx';
  readonly entries: readonly SbomEntry[];
}

/**
 * Turns SBOM entries into a catalog of the packages whose purls larder knows.
 * @throws LarderError SBOM_INVALID naming the file and entry for a malformed purl.
 */
export function catalogSbomEntries(contents: SbomContents, target: string, distroOverride?: Distro): Catalog {
  const warnings: string[] = [];
  const apks: PackageDraft[] = [];
  const language: PackageDraft[] = [];
  let osDistro: Distro | undefined;
  let purlDistro: Distro | undefined;
  let digest: string | undefined;
  const names: string[] = [];
  for (const entry of contents.entries) {
    const where = `${target}: ${entry.where}`;
    const parsed = entry.purl === undefined ? undefined : parsePurl(entry.purl, where);
    if (entry.kind === 'operating-system') {
      if (
        osDistro === undefined &&
        entry.name !== undefined &&
        entry.name !== '' &&
        entry.name !== 'unknown'
      ) {
        osDistro = { id: entry.name.toLowerCase(), ...(entry.version ? { versionId: entry.version } : {}) };
      }
      continue;
    }
    if (entry.kind === 'container') {
      if (digest === undefined && entry.version?.startsWith('sha256:')) digest = entry.version;
      const name = parsed === undefined ? undefined : imageName(parsed);
      if (name !== undefined && !names.includes(name)) names.push(name);
      continue;
    }
    if (parsed === undefined || entry.purl === undefined) continue;
    const draft = draftFromPurl(parsed, entry.purl, entry.origin);
    if (draft === undefined) continue;
    const withLicenses = entry.licenses?.length ? { ...draft, licenses: entry.licenses } : draft;
    if (draft.ecosystem === 'apk') {
      apks.push(withLicenses);
      purlDistro ??= apkPurlDistro(parsed);
    } else language.push(withLicenses);
  }
  const distro = distroOverride ?? osDistro ?? purlDistro;
  if (distro === undefined && apks.length > 0) {
    warnings.push(`${target}: names no distribution (no operating-system entry, no apk purl namespace)`);
  }
  return assembleCatalog({
    source: {
      kind: contents.kind,
      target,
      ...(digest === undefined ? {} : { digest }),
      ...(names.length === 0 ? {} : { names }),
    },
    ...(distro === undefined ? {} : { distro }),
    apks,
    language: language.map((draft) => ({ draft })),
    warnings,
  });
}

/** `pkg:apk/wolfi/x@1?distro=wolfi-20230201` → wolfi, 20230201. */
function apkPurlDistro(purl: ParsedPurl): Distro | undefined {
  const id = purl.namespace?.toLowerCase();
  if (id === undefined) return undefined;
  const qualifier = purl.qualifiers.get('distro');
  const versionId = qualifier?.startsWith(`${id}-`) ? qualifier.slice(id.length + 1) : undefined;
  return versionId === undefined || versionId === '' ? { id } : { id, versionId };
}

/** `pkg:oci/img@sha256:…?repository_url=reg/org/img&tag=1` → `reg/org/img:1`. */
function imageName(purl: ParsedPurl): string | undefined {
  if (purl.type !== 'oci') return undefined;
  const repo = purl.qualifiers.get('repository_url');
  const tag = purl.qualifiers.get('tag');
  if (repo === undefined) return undefined;
  return tag === undefined ? repo : `${repo}:${tag}`;
}

/**
 * Parses SBOM JSON, naming line and column of a syntax error.
 * @throws LarderError SBOM_INVALID.
 */
export function parseSbomJson(text: string, target: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const body = text.replace(/^\uFEFF/, '');
    const offset = jsonErrorPosition(body);
    const before = offset === undefined ? undefined : body.slice(0, offset).split('\n');
    const where = before === undefined ? '' : ` at line ${before.length}:${(before.at(-1) ?? '').length + 1}`;
    throw new LarderError('SBOM_INVALID', `${target}: not valid JSON${where}: ${(err as Error).message}`, {
      cause: err,
      subject: target,
    });
  }
}
