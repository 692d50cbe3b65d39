import type { OCIPlatform } from '../../oci/index.js';

/** The three tag suffixes cosign's legacy layout attaches beside an image digest. */
export type AttachedKind = 'sig' | 'att' | 'sbom';

/** One layer of an attached manifest (a signature, an attestation envelope, an SBOM, a bundle). */
export interface AttachedLayer {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  /** `.att` layers: their `predicateType` annotation; bundle referrers: `dev.sigstore.bundle.predicateType`. */
  readonly predicateType?: string;
}

/** The manifest at one `sha256-<hex>.sig|.att|.sbom` tag. */
export interface AttachedTag {
  /** `sha256-<hex>.sig` (or `.att`, `.sbom`). */
  readonly tag: string;
  /** Digest of the manifest at the tag. */
  readonly manifest: string;
  readonly layers: readonly AttachedLayer[];
}

/** A manifest whose `subject` is the image (OCI 1.1 referrers API or the `sha256-<hex>` index). */
export interface AttachedReferrer {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  readonly artifactType?: string;
  readonly annotations: Readonly<Record<string, string>>;
  /** The referrer manifest's layers; empty when the manifest is listed but missing (`missing`). */
  readonly layers: readonly AttachedLayer[];
  /** True when the listing names a manifest the repository does not hold. */
  readonly missing?: true;
}

/** What is attached to one manifest digest. */
export interface AttachedArtifacts {
  readonly digest: string;
  /** The media type of the manifest or index at `digest`. */
  readonly mediaType: string;
  readonly signatures?: AttachedTag;
  readonly attestations?: AttachedTag;
  readonly sbom?: AttachedTag;
  /** Sorted by artifactType, then digest (byte order). */
  readonly referrers: readonly AttachedReferrer[];
  /** `api` or `tag` (the `sha256-<hex>` fallback index), as the registry answered. */
  readonly referrersSource: 'api' | 'tag';
  /** With `recursive` on an index: the same for each of its manifests, in index order. */
  readonly children?: readonly ChildArtifacts[];
}

/** An index child and what is attached to it. */
export interface ChildArtifacts extends AttachedArtifacts {
  readonly platform?: OCIPlatform;
}

/** True when nothing at all is attached (children included). */
export function isEmptyAttachment(found: AttachedArtifacts): boolean {
  return (
    found.signatures === undefined &&
    found.attestations === undefined &&
    found.sbom === undefined &&
    found.referrers.length === 0 &&
    (found.children ?? []).every(isEmptyAttachment)
  );
}
