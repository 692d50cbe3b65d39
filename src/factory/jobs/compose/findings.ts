/** Recording what a compose or rescan found, and saying it in one line. */

import type { Store } from '../../../store/index.js';
import type { Finding } from '../../../vuln/index.js';
import { type FindingInput, imageFindings, recordScan } from '../../state/index.js';

/** `CVE-1 (high) in libx 1.0-r0, fixed in 1.0-r1`. */
export function describeFinding(f: Finding): string {
  const fix =
    f.fix.state === 'fixed' && f.fix.versions.length > 0 ? `, fixed in ${f.fix.versions[0]}` : ', no fix yet';
  return `${f.vulnerability} (${f.severity}) in ${f.package.name} ${f.package.version}${fix}`;
}

/** The JSON an event carries about a finding. */
export function findingDetail(f: Finding): Record<string, unknown> {
  return {
    vulnerability: f.vulnerability,
    aliases: [...f.aliases],
    package: f.package.name,
    version: f.package.version,
    origin: f.package.origin ?? f.package.name,
    severity: f.severity,
    ...(f.fix.state === 'fixed' && f.fix.versions[0] !== undefined ? { fixedIn: f.fix.versions[0] } : {}),
  };
}

/**
 * Records the findings of a composed image the gate refused: added to the image's unresolved
 * findings, never resolving any (the published version still carries them).
 */
export async function recordBlockedScan(
  store: Store,
  scan: {
    readonly image: string;
    readonly digest: string;
    readonly at: string;
    readonly findings: readonly FindingInput[];
  },
): Promise<void> {
  const key = (f: { vulnId: string; package: string }) => `${f.vulnId}\u0000${f.package}`;
  const fresh = new Set(scan.findings.map(key));
  const kept: FindingInput[] = [];
  for (const f of await imageFindings(store, scan.image)) {
    if (f.resolvedAt !== undefined || f.state === 'fixed' || fresh.has(key(f))) continue;
    kept.push({
      vulnId: f.vulnId,
      aliases: f.aliases,
      package: f.package,
      origin: f.origin,
      ...(f.fixedIn === undefined ? {} : { fixedIn: f.fixedIn }),
      state: f.state,
    });
  }
  await recordScan(store, { ...scan, findings: [...scan.findings, ...kept] });
}
