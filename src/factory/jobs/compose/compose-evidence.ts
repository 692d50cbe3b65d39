/** The OpenVEX attestation of a composed image: what its scan says about each finding. */
import type { EvidenceAttestation } from '../../../attest/index.js';
import { toOpenVexDocument, vexDraftsFromScan, vexTimestamp } from '../../../vuln/index.js';
import type { ImageScan } from './image-scan.js';
import { OPENVEX_PREDICATE } from './publish-image.js';

/**
 * An OpenVEX 0.2 document when statements apply (a finding, or one an advisory covers): its
 * statements name the image (`pkg:oci/…@<index digest>`) with each package as subcomponent.
 * Attached to the index only. The time is SOURCE_DATE_EPOCH's when set, else the job's.
 */
export function composeEvidence(input: {
  readonly scan: ImageScan;
  readonly indexDigest: string;
  readonly repository: string;
  readonly toolVersion: string;
  readonly epoch: number | undefined;
  readonly now: string;
}): EvidenceAttestation[] {
  // Platforms share most statements (the purls carry no arch): each once.
  const seen = new Set<string>();
  const drafts = input.scan.platforms
    .flatMap((p) =>
      vexDraftsFromScan({
        catalog: p.catalog,
        findings: p.findings,
        suppressed: p.suppressed,
        distroStatements: p.statements,
      }),
    )
    .filter((d) => {
      const key = JSON.stringify(d);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  if (drafts.length === 0) return [];
  const document = toOpenVexDocument(drafts, {
    timestamp: vexTimestamp(input.epoch, () => Date.parse(input.now)),
    tooling: `larder ${input.toolVersion}`,
  });
  return [
    {
      label: 'openvex',
      predicateType: OPENVEX_PREDICATE,
      predicate: document as unknown as Record<string, unknown>,
      subjects: [{ name: input.repository, digest: { sha256: input.indexDigest.slice('sha256:'.length) } }],
      attachTo: [input.indexDigest],
    },
  ];
}
