// Which distro records apply to a catalog's distribution. A record's namespace is `wolfi`,
// `chainguard`, `alpine:3.18`, ... or '' (any). `wolfi` applies to os-release ID wolfi only,
// `chainguard` to chainguard only (their feeds differ, trap T12); `alpine:3.18` to ID alpine with
// VERSION_ID 3.18 or 3.18.x; `alpine:edge` to an Alpine pre-release (`3.21.0_alpha2024...`,
// grype's rule); a namespace without a version to every version of that ID.
//
// With no distribution known (an SBOM without one, a bare installed database) records of every
// namespace are used, each namespace deciding on its own, and a package is reported when any
// namespace finds it vulnerable (a scanner should not hide a finding on a guess). Records of ''
// join every namespace.
import type { Distro, DistroRecord } from '../model.js';

/** True when a record of `namespace` speaks about packages of `distro`. */
export function namespaceApplies(namespace: string, distro: Distro): boolean {
  if (namespace === '') return true;
  const colon = namespace.indexOf(':');
  const id = (colon < 0 ? namespace : namespace.slice(0, colon)).toLowerCase();
  if (id !== distro.id.toLowerCase()) return false;
  if (colon < 0) return true;
  const wanted = namespace.slice(colon + 1).replace(/^v(?=[0-9])/, '');
  const have = (distro.versionId ?? '').replace(/^v(?=[0-9])/, '');
  if (wanted === '' || wanted === 'rolling') return true;
  if (wanted === 'edge') return /_alpha|edge/.test(have);
  return have === wanted || have.startsWith(`${wanted}.`) || have.startsWith(`${wanted}_`);
}

/**
 * The records to decide with, by namespace: one pool for a known distribution (its records and
 * the '' ones), else one pool per namespace present (each with the '' records).
 */
export function namespacePools(
  records: readonly DistroRecord[],
  distro: Distro | undefined,
): Map<string, DistroRecord[]> {
  const pools = new Map<string, DistroRecord[]>();
  if (distro !== undefined) {
    const applying = records.filter((r) => namespaceApplies(r.distro, distro));
    if (applying.length > 0) pools.set(distro.id, applying);
    return pools;
  }
  const anywhere = records.filter((r) => r.distro === '');
  for (const record of records) {
    if (record.distro === '') continue;
    let pool = pools.get(record.distro);
    if (pool === undefined) {
      pool = [...anywhere];
      pools.set(record.distro, pool);
    }
    pool.push(record);
  }
  if (pools.size === 0 && anywhere.length > 0) pools.set('', anywhere);
  return pools;
}
