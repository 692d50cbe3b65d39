/** What is attached to an image in a registry (cosign tree) and downloading it (cosign download). */

export { attachedTag, fetchAttachedManifest, fetchAttachedTag, manifestLayers } from './attached-tags.js';
export { type DiscoverOptions, discoverAttached } from './discover.js';
export {
  type DownloadedAttestation,
  type DownloadedSbom,
  type DownloadedSignatures,
  downloadAttestations,
  downloadSboms,
  downloadSignatures,
  type SignatureRecord,
} from './download.js';
export {
  type AttachedArtifacts,
  type AttachedKind,
  type AttachedLayer,
  type AttachedReferrer,
  type AttachedTag,
  type ChildArtifacts,
  isEmptyAttachment,
} from './types.js';
