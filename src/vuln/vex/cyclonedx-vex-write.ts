// CycloneDX 1.6 VEX documents from statements: components for what the statements are about,
// and one `vulnerabilities[]` entry with an `analysis` per statement.
import { rawDigest } from '../../core/index.js';
import type { VexDraft } from './draft.js';
import type { VexDocumentOptions } from './openvex-write.js';
import { purlParts } from './purl-parts.js';
import {
  CDX_OF_OPENVEX_JUSTIFICATION,
  CDX_STATE_OF_STATUS,
  type CdxJustification,
  type CdxState,
} from './vocabulary.js';

export interface CycloneDxVexComponent {
  type: 'container' | 'library';
  'bom-ref': string;
  name: string;
  version?: string;
  purl?: string;
}

export interface CycloneDxVexVulnerability {
  id: string;
  source?: { name: string; url?: string };
  references?: { id: string; source: { name: string; url?: string } }[];
  analysis: {
    state: CdxState;
    justification?: CdxJustification;
    response?: string[];
    detail?: string;
    lastUpdated?: string;
  };
  affects: { ref: string; versions?: { range: string; status: 'affected' }[] }[];
}

export interface CycloneDxVexJson {
  bomFormat: 'CycloneDX';
  specVersion: '1.6';
  serialNumber: string;
  version: 1;
  metadata: {
    timestamp: string;
    tools: { components: { type: 'application'; name: string; version?: string }[] };
    authors?: { name: string }[];
    component?: CycloneDxVexComponent;
  };
  components: CycloneDxVexComponent[];
  vulnerabilities: CycloneDxVexVulnerability[];
}

/**
 * The CycloneDX 1.6 VEX document stating `drafts`. An image product (`pkg:oci/...`) becomes
 * `metadata.component` (type container) and statements affect its packages (the
 * subcomponents); other products are the affected components themselves. Components are
 * libraries with bom-ref = purl. Status → `analysis.state` (affected → exploitable, fixed →
 * resolved, under_investigation → in_triage, not_affected → not_affected, or false_positive
 * for `component_not_present`); justification per vulns.md §4.3; `detail` joins the impact,
 * action and notes; a fix version adds `affects[].versions: [{range: "vers:apk/<F"}]`.
 * `serialNumber` is a UUID of the content without the timestamp.
 */
export function toCycloneDxVex(drafts: readonly VexDraft[], options: VexDocumentOptions): CycloneDxVexJson {
  const components = new Map<string, CycloneDxVexComponent>();
  let image: CycloneDxVexComponent | undefined;
  const vulnerabilities = drafts.map((d) => {
    const targets = d.subcomponents.length > 0 ? d.subcomponents : d.products;
    for (const product of d.subcomponents.length > 0 ? d.products : [])
      image ??= componentOf(product, 'container');
    for (const ref of targets) if (!components.has(ref)) components.set(ref, componentOf(ref, 'library'));
    return vulnerabilityJson(d, targets);
  });
  const tool = /^(\S+)\s+(\S+)$/.exec(options.tooling);
  const name = tool?.[1] ?? options.tooling;
  const version = tool?.[2];
  const doc: CycloneDxVexJson = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: '',
    version: 1,
    metadata: {
      timestamp: options.timestamp,
      tools: { components: [{ type: 'application', name, ...(version === undefined ? {} : { version }) }] },
      ...(options.author === undefined ? {} : { authors: [{ name: options.author }] }),
      ...(image === undefined ? {} : { component: image }),
    },
    components: [...components.values()].sort((a, b) => (a['bom-ref'] < b['bom-ref'] ? -1 : 1)),
    vulnerabilities,
  };
  doc.serialNumber = `urn:uuid:${contentUuid({ ...doc, metadata: { ...doc.metadata, timestamp: undefined } })}`;
  return doc;
}

function vulnerabilityJson(d: VexDraft, targets: readonly string[]): CycloneDxVexVulnerability {
  const mapped =
    d.status === 'not_affected' && d.justification !== undefined
      ? CDX_OF_OPENVEX_JUSTIFICATION[d.justification as keyof typeof CDX_OF_OPENVEX_JUSTIFICATION]
      : undefined;
  const state = mapped?.state ?? CDX_STATE_OF_STATUS[d.status];
  const detail = [d.impactStatement, d.actionStatement, d.statusNotes]
    .filter((t) => t !== undefined)
    .join('; ');
  const source = sourceOf(d.vulnerability);
  const range =
    d.fixedVersion === undefined
      ? undefined
      : [{ range: `vers:${d.versionScheme ?? 'generic'}/<${d.fixedVersion}`, status: 'affected' as const }];
  return {
    id: d.vulnerability,
    ...(source === undefined ? {} : { source }),
    ...(d.aliases.length === 0
      ? {}
      : { references: d.aliases.map((id) => ({ id, source: sourceOf(id) ?? { name: 'unknown' } })) }),
    analysis: {
      state,
      ...(mapped?.justification === undefined ? {} : { justification: mapped.justification }),
      ...(d.responses === undefined || d.responses.length === 0 ? {} : { response: [...d.responses] }),
      ...(detail === '' ? {} : { detail }),
      ...(d.timestamp === undefined ? {} : { lastUpdated: d.timestamp }),
    },
    affects: targets.map((ref) => (range === undefined ? { ref } : { ref, versions: range })),
  };
}

function componentOf(ref: string, type: CycloneDxVexComponent['type']): CycloneDxVexComponent {
  const parts = purlParts(ref);
  if (parts === undefined) return { type, 'bom-ref': ref, name: ref };
  return {
    type: parts.type === 'oci' ? 'container' : type,
    'bom-ref': ref,
    name: parts.name,
    ...(parts.version === undefined ? {} : { version: parts.version }),
    purl: ref,
  };
}

/** Who publishes an id, by its prefix. */
function sourceOf(id: string): { name: string; url: string } | undefined {
  if (/^CVE-/.test(id)) return { name: 'NVD', url: `https://nvd.nist.gov/vuln/detail/${id}` };
  if (/^GHSA-/.test(id)) return { name: 'GitHub', url: `https://github.com/advisories/${id}` };
  if (/^CGA-/.test(id)) return { name: 'Chainguard', url: `https://images.chainguard.dev/security/${id}` };
  if (/^GO-/.test(id)) return { name: 'Go', url: `https://pkg.go.dev/vuln/${id}` };
  if (/^(PYSEC|RUSTSEC|OSV)-/.test(id)) return { name: 'OSV', url: `https://osv.dev/vulnerability/${id}` };
  return undefined;
}

/** A name-based UUID (version 8, SHA-256) of `content`. */
function contentUuid(content: unknown): string {
  const bytes = rawDigest('sha256', JSON.stringify(content)).subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
