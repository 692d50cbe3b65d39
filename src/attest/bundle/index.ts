/** Sigstore bundles (v0.3, key-based, DSSE) attached to images as OCI 1.1 referrers, as cosign v3 does. */
export {
  type BundleVerificationMaterial,
  bundleFromEnvelope,
  COSIGN_SIGN_PREDICATE,
  MAX_BUNDLE_SIZE,
  parseBundle,
  SIGSTORE_BUNDLE_V03,
  type SigstoreBundle,
  serializeBundle,
} from './bundle.js';
export {
  type AttachedBundle,
  attachBundle,
  BUNDLE_CONTENT_ANNOTATION,
  BUNDLE_PREDICATE_TYPE_ANNOTATION,
  bundleReferrerManifest,
  type FoundBundle,
  findBundles,
} from './referrer.js';
export { cosignSignStatement, signDigestBundle } from './sign.js';
export { type BundleVerdict, verifyBundle } from './verify-bundle.js';
