// The two SBOM formats, reduced to entries: SPDX 2.x JSON packages (purl external references,
// primaryPackagePurpose) and CycloneDX 1.x JSON components (nested ones included).
import { LarderError } from '../../../core/index.js';
import type { SbomContents, SbomEntry } from './read-sbom.js';

type Json = Record<string, unknown>;

const NO_LICENSE = new Set(['', 'NOASSERTION', 'NONE']);

/** True when `doc` is an SPDX JSON document. */
export function isSpdx(doc: unknown): boolean {
  return isObject(doc) && typeof doc.spdxVersion === 'string';
}

/** True when `doc` is a CycloneDX JSON BOM. */
export function isCycloneDx(doc: unknown): boolean {
  return isObject(doc) && doc.bomFormat === 'CycloneDX';
}

/** @throws LarderError SBOM_INVALID naming `target` and the field. */
export function spdxEntries(doc: Json, target: string): SbomContents {
  const fail = (why: string): never => {
    throw new LarderError('SBOM_INVALID', `${target}: ${why}`, { subject: target });
  };
  if (!/^SPDX-2\.\d+$/.test(doc.spdxVersion as string))
    fail(`spdxVersion ${JSON.stringify(doc.spdxVersion)} is not SPDX 2.x`);
  const packages = doc.packages ?? [];
  if (!Array.isArray(packages)) fail('packages is not a list');
  const entries = (packages as unknown[]).map((p, i): SbomEntry => {
    if (!isObject(p)) return fail(`packages[${i}] is not an object`);
    const where = `packages[${i}]${typeof p.SPDXID === 'string' ? ` (${p.SPDXID})` : ''}`;
    const refs = Array.isArray(p.externalRefs) ? p.externalRefs : [];
    const purl = refs.find(
      (r): r is Json => isObject(r) && r.referenceType === 'purl' && typeof r.referenceLocator === 'string',
    )?.referenceLocator as string | undefined;
    const purpose = p.primaryPackagePurpose;
    const origin = /^built from origin package (\S+)$/.exec(str(p.sourceInfo) ?? '')?.[1];
    const license = str(p.licenseDeclared);
    return {
      where,
      kind:
        purpose === 'OPERATING_SYSTEM' || purpose === 'OPERATING-SYSTEM'
          ? 'operating-system'
          : purpose === 'CONTAINER'
            ? 'container'
            : 'package',
      ...optional('name', str(p.name)),
      ...optional('version', str(p.versionInfo)),
      ...optional('purl', purl),
      ...optional('origin', origin),
      ...(license === undefined || NO_LICENSE.has(license) ? {} : { licenses: [license] }),
    };
  });
  return { kind: 'spdx', entries };
}

/** @throws LarderError SBOM_INVALID naming `target` and the field. */
export function cycloneDxEntries(doc: Json, target: string): SbomContents {
  const entries: SbomEntry[] = [];
  const fail = (why: string): never => {
    throw new LarderError('SBOM_INVALID', `${target}: ${why}`, { subject: target });
  };
  const walk = (list: unknown, where: string, depth: number): void => {
    if (list === undefined) return;
    if (!Array.isArray(list)) fail(`${where} is not a list`);
    if (depth > 32) fail(`${where} nests components more than 32 deep`);
    (list as unknown[]).forEach((c, i) => {
      const at = `${where}[${i}]`;
      if (!isObject(c)) fail(`${at} is not an object`);
      entries.push(cycloneDxEntry(c as Json, at));
      walk((c as Json).components, `${at}.components`, depth + 1);
    });
  };
  const metadata = doc.metadata;
  if (isObject(metadata) && isObject(metadata.component)) {
    entries.push(cycloneDxEntry(metadata.component, 'metadata.component'));
  }
  walk(doc.components, 'components', 0);
  return { kind: 'cyclonedx', entries };
}

function cycloneDxEntry(c: Json, where: string): SbomEntry {
  const props = Array.isArray(c.properties) ? c.properties.filter(isObject) : [];
  const origin = str(props.find((p) => p.name === 'larder:apk:origin')?.value);
  const licenses = (Array.isArray(c.licenses) ? c.licenses : [])
    .filter(isObject)
    .map(
      (l) =>
        str(l.expression) ?? (isObject(l.license) ? (str(l.license.id) ?? str(l.license.name)) : undefined),
    )
    .filter((l): l is string => l !== undefined && !NO_LICENSE.has(l));
  return {
    where,
    kind:
      c.type === 'operating-system' ? 'operating-system' : c.type === 'container' ? 'container' : 'package',
    ...optional('name', str(c.name)),
    ...optional('version', str(c.version)),
    ...optional('purl', str(c.purl)),
    ...optional('origin', origin),
    ...(licenses.length === 0 ? {} : { licenses }),
  };
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
