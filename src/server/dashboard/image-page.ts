import { html } from 'hono/html';
import {
  type FactoryService,
  type FindingRecord,
  type ImageRecord,
  type ImageVersionRecord,
  imageFindings,
  imageHistory,
  listImages,
  type WorkspaceImage,
} from '../../factory/index.js';
import { type Html, shortDigest, statusBadge, table, time, yesNo } from './format.js';

/** One image's page data; undefined when neither the store nor the workspace knows the name. */
export interface ImagePageData {
  readonly name: string;
  readonly record?: ImageRecord;
  readonly workspace?: WorkspaceImage;
  readonly versions: readonly ImageVersionRecord[];
  readonly findings: readonly FindingRecord[];
}

export async function loadImagePage(
  service: FactoryService,
  name: string,
): Promise<ImagePageData | undefined> {
  const [records, versions, findings] = await Promise.all([
    listImages(service.store),
    imageHistory(service.store, name),
    imageFindings(service.store, name),
  ]);
  const record = records.find((r) => r.name === name);
  const workspace = service.workspace().images.find((i) => i.name === name);
  if (record === undefined && workspace === undefined && versions.length === 0) return undefined;
  return {
    name,
    ...(record === undefined ? {} : { record }),
    ...(workspace === undefined ? {} : { workspace }),
    versions,
    findings,
  };
}

function versionRow(v: ImageVersionRecord): Html {
  const archs = Object.entries(v.digests).sort(([a], [b]) => a.localeCompare(b));
  return html`<tr>
    <td class="mono" title="${v.indexDigest}">${shortDigest(v.indexDigest)}</td>
    <td class="mono">${archs.map(([arch, d]) => html`<div>${arch}: <span title="${d}">${shortDigest(d)}</span></div>`)}</td>
    <td class="mono" title="${v.lockHash}">${shortDigest(v.lockHash)}</td>
    <td>${time(v.publishedAt)}</td>
    <td>${yesNo(v.signed)}</td>
    <td>${yesNo(v.attested)}</td>
    <td class="mono">${v.feedVersion ?? '—'}</td>
  </tr>`;
}

function findingRow(f: FindingRecord): Html {
  return html`<tr>
    <td>${f.vulnId}${f.aliases.length > 0 ? html` <span class="muted">(${f.aliases.join(', ')})</span>` : ''}</td>
    <td>${f.package}${f.origin !== f.package ? html` <span class="muted">(${f.origin})</span>` : ''}</td>
    <td>${statusBadge(f.state)}</td>
    <td class="mono">${f.fixedIn ?? '—'}</td>
    <td>${time(f.firstSeen)}</td>
    <td>${time(f.resolvedAt)}</td>
    <td class="mono" title="${f.imageDigest}">${shortDigest(f.imageDigest)}</td>
  </tr>`;
}

const STATE_ORDER: Readonly<Record<string, number>> = {
  open: 0,
  'awaiting-fix': 1,
  'not-affected': 2,
  fixed: 3,
};

export function imageContent(d: ImagePageData): Html {
  const publish = d.record?.publish ?? d.workspace?.publish ?? [];
  const findings = [...d.findings].sort((a, b) => (STATE_ORDER[a.state] ?? 9) - (STATE_ORDER[b.state] ?? 9));
  return html`<h1>Image ${d.name}</h1>
  ${d.workspace?.problem === undefined ? '' : html`<p class="notice bad">${d.workspace.problem}</p>`}
  <section class="card" id="publish">
    <h2>Published to</h2>
    ${publish.length === 0 ? html`<p class="muted">No publish references.</p>` : html`<ul class="plain mono">${publish.map((r) => html`<li>${r}</li>`)}</ul>`}
    ${d.record === undefined ? '' : html`<p class="muted">Policy: ${d.record.policy} · config <span class="mono">${shortDigest(d.record.configHash)}</span></p>`}
  </section>
  <section class="card" id="findings">
    <h2>Findings</h2>
    ${table(['Vulnerability', 'Package', 'State', 'Fixed in', 'First seen', 'Resolved', 'Seen in'], findings.map(findingRow), 'No findings recorded.')}
  </section>
  <section class="card" id="versions">
    <h2>Versions</h2>
    ${table(['Index digest', 'Per arch', 'Lock', 'Published', 'Signed', 'Attested', 'Feed'], d.versions.map(versionRow), 'Never published.')}
  </section>`;
}
