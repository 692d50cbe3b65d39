import { html } from 'hono/html';
import { type FactoryService, listPackages, type PackageRecord } from '../../factory/index.js';
import { buildPath, type Html, packagePath, table, time } from './format.js';

interface PackageSummary {
  readonly name: string;
  readonly origin: string;
  /** Arch → the newest published version. */
  readonly latest: ReadonlyMap<string, PackageRecord>;
}

/** Every published package name with its newest version per arch. */
export async function loadPackageList(service: FactoryService): Promise<PackageSummary[]> {
  const byName = new Map<string, Map<string, PackageRecord>>();
  // listPackages orders by name then publication time: a later row is newer.
  for (const p of await listPackages(service.store)) {
    const archs = byName.get(p.name) ?? new Map<string, PackageRecord>();
    archs.set(p.arch, p);
    byName.set(p.name, archs);
  }
  return [...byName].map(([name, latest]) => ({
    name,
    origin: [...latest.values()][0]?.origin ?? name,
    latest,
  }));
}

export function packageListContent(list: readonly PackageSummary[]): Html {
  const rows = list.map(
    (p) => html`<tr>
      <td><a href="${packagePath(p.name)}">${p.name}</a></td>
      <td>${p.origin}</td>
      <td class="mono">${[...p.latest].sort(([a], [b]) => a.localeCompare(b)).map(([arch, r]) => html`<div>${arch}: ${r.version}</div>`)}</td>
      <td>${time(
        [...p.latest.values()]
          .map((r) => r.publishedAt)
          .sort()
          .at(-1),
      )}</td>
    </tr>`,
  );
  return html`<h1>Packages</h1>
  <section class="card">${table(['Package', 'Origin', 'Newest per arch', 'Last published'], rows, 'No packages published yet.')}</section>`;
}

function packageRow(p: PackageRecord): Html {
  return html`<tr>
    <td class="mono">${p.version}</td>
    <td>${p.arch}</td>
    <td>${p.origin}</td>
    <td class="mono">${p.buildKey === undefined ? '—' : html`<a href="${buildPath(p.buildKey)}">${p.buildKey}</a>`}</td>
    <td>${time(p.publishedAt)}</td>
    <td>${p.size.toLocaleString('en')} B</td>
    <td class="mono" title="${p.checksum}">${p.checksum.slice(0, 14)}</td>
  </tr>`;
}

/** A package's versions, newest first; undefined when none was published under the name. */
export async function loadPackage(
  service: FactoryService,
  name: string,
): Promise<PackageRecord[] | undefined> {
  const rows = await listPackages(service.store, { name });
  return rows.length === 0 ? undefined : rows.reverse();
}

export function packageContent(name: string, rows: readonly PackageRecord[]): Html {
  return html`<h1>Package ${name}</h1>
  <section class="card">${table(['Version', 'Arch', 'Origin', 'Build', 'Published', 'Size', 'Checksum'], rows.map(packageRow), '')}</section>`;
}
