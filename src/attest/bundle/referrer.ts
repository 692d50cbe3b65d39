import { isLarderError, LarderError } from '../../core/index.js';
import {
  ANNOTATIONS,
  jsonBlob,
  MEDIA_TYPES,
  type OCIDescriptor,
  type OCIManifest,
  type RegistryClient,
  type RepositoryName,
  sha256Digest,
} from '../../oci/index.js';
import { parseStatement } from '../intoto/index.js';
import {
  MAX_BUNDLE_SIZE,
  parseBundle,
  SIGSTORE_BUNDLE_V03,
  type SigstoreBundle,
  serializeBundle,
} from './bundle.js';

/** Referrer annotation naming what the bundle holds (`dsse-envelope`). */
export const BUNDLE_CONTENT_ANNOTATION = 'dev.sigstore.bundle.content';
/** Referrer annotation carrying the Statement's predicate type. */
export const BUNDLE_PREDICATE_TYPE_ANNOTATION = 'dev.sigstore.bundle.predicateType';

const BUNDLE_MEDIA_PREFIX = 'application/vnd.dev.sigstore.bundle';
const EMPTY = Buffer.from('{}', 'utf8');
const EMPTY_DESCRIPTOR: OCIDescriptor = {
  mediaType: MEDIA_TYPES.empty,
  digest: jsonBlob({}).digest,
  size: 2,
};
const MAX_REFERRERS = 1000;
const MAX_MANIFEST = 4 * 1024 * 1024;
/** How the client reports a blob that is not what its descriptor says. */
const CONTENT_MISMATCH = /received \d+ bytes with digest|more than the expected \d+ bytes/;

/** What attaching a bundle did. */
export interface AttachedBundle {
  /** Digest of the referrer manifest. */
  readonly manifestDigest: string;
  /** False when the same referrer manifest was already listed for the subject (nothing pushed). */
  readonly added: boolean;
}

/** A sigstore-bundle referrer of a digest: its bundle, or why it could not be read. */
export interface FoundBundle {
  readonly manifestDigest: string;
  /** From the referrer's `dev.sigstore.bundle.predicateType` annotation (unverified). */
  readonly predicateType?: string;
  readonly bundle?: SigstoreBundle;
  readonly error?: string;
}

/** RFC 3339 UTC to the second. */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `options.createdAt`, else SOURCE_DATE_EPOCH when set, else now. */
function creationTime(createdAt: Date | undefined): Date {
  if (createdAt !== undefined) return createdAt;
  const raw = process.env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return new Date();
  if (!/^\d{1,12}$/.test(raw)) {
    throw new LarderError('USAGE', `SOURCE_DATE_EPOCH '${raw}': expected whole seconds since 1970`);
  }
  return new Date(Number(raw) * 1000);
}

function predicateTypeOf(bundle: SigstoreBundle): string {
  try {
    return parseStatement(Buffer.from(bundle.dsseEnvelope.payload, 'base64')).predicateType;
  } catch (err) {
    throw new LarderError('USAGE', 'the bundle to attach does not hold an in-toto statement', { cause: err });
  }
}

/** The referrer manifest of oci-trust.md §5.2 for a bundle blob. */
export function bundleReferrerManifest(
  subject: OCIDescriptor,
  bundleBlob: { readonly digest: string; readonly size: number },
  predicateType: string,
  createdAt: Date,
): OCIManifest {
  return {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.manifest,
    artifactType: SIGSTORE_BUNDLE_V03,
    config: EMPTY_DESCRIPTOR,
    layers: [{ mediaType: SIGSTORE_BUNDLE_V03, digest: bundleBlob.digest, size: bundleBlob.size }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: {
      [ANNOTATIONS.created]: rfc3339(createdAt),
      [BUNDLE_CONTENT_ANNOTATION]: 'dsse-envelope',
      [BUNDLE_PREDICATE_TYPE_ANNOTATION]: predicateType,
    },
  };
}

/**
 * Attaches a bundle to `subject` as an OCI 1.1 referrer: uploads the `{}` config and the bundle
 * blob, PUTs the referrer manifest by digest, and updates the `sha256-<hex>` fallback index when
 * the registry has no referrers API. Nothing is pushed when the same manifest is listed already
 * (`options.listed`: the referrer manifest digests the caller has just listed, e.g. from
 * {@link findBundles}, saves listing them again).
 */
export async function attachBundle(
  client: RegistryClient,
  image: RepositoryName,
  subject: OCIDescriptor,
  bundle: SigstoreBundle,
  options: { createdAt?: Date; listed?: readonly string[] } = {},
): Promise<AttachedBundle> {
  const bytes = serializeBundle(bundle);
  const blob = { digest: sha256Digest(bytes), size: bytes.length };
  const manifest = jsonBlob(
    bundleReferrerManifest(subject, blob, predicateTypeOf(bundle), creationTime(options.createdAt)),
  );
  const listed =
    options.listed ?? (await client.listReferrers(image, subject.digest)).descriptors.map((d) => d.digest);
  if (listed.includes(manifest.digest)) {
    return { manifestDigest: manifest.digest, added: false };
  }
  await client.pushBlob(image, { digest: EMPTY_DESCRIPTOR.digest, size: EMPTY.length, bytes: EMPTY });
  await client.pushBlob(image, { digest: blob.digest, size: blob.size, bytes });
  const pushed = await client.pushReferrer(image, manifest.bytes, MEDIA_TYPES.manifest);
  return { manifestDigest: pushed.digest, added: true };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function readBlob(
  client: RegistryClient,
  image: RepositoryName,
  layer: OCIDescriptor,
): Promise<Buffer> {
  if (layer.size > MAX_BUNDLE_SIZE) {
    throw new LarderError('BUNDLE_INVALID', `bundle blob of ${layer.size} bytes exceeds ${MAX_BUNDLE_SIZE}`);
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of await client.getBlob(image, { digest: layer.digest, size: layer.size })) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function isBundleType(mediaType: unknown): boolean {
  return typeof mediaType === 'string' && mediaType.startsWith(BUNDLE_MEDIA_PREFIX);
}

/** The manifest's one bundle layer, or undefined when it is not a sigstore-bundle referrer (§5.3 step 2). */
function bundleLayer(bytes: Buffer): OCIDescriptor | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  const layers = (doc as { layers?: unknown } | null)?.layers;
  if (!Array.isArray(layers) || layers.length !== 1) return undefined;
  const layer = layers[0] as Partial<OCIDescriptor> | null;
  if (layer === null || typeof layer !== 'object' || !isBundleType(layer.mediaType)) return undefined;
  if (typeof layer.digest !== 'string' || typeof layer.size !== 'number') return undefined;
  return { mediaType: layer.mediaType as string, digest: layer.digest, size: layer.size };
}

/**
 * The sigstore bundles attached to `digest`: referrers (API, else the fallback tag) whose
 * manifest has exactly one layer of a sigstore bundle media type, each parsed. A referrer whose
 * manifest or bundle cannot be fetched or parsed comes back with `error`; referrers of other
 * kinds are left out. Registry failures other than a missing manifest or blob are thrown.
 */
export async function findBundles(
  client: RegistryClient,
  image: RepositoryName,
  digest: string,
): Promise<FoundBundle[]> {
  const listed = await client.listReferrers(image, digest);
  const found: FoundBundle[] = [];
  for (const descriptor of listed.descriptors.slice(0, MAX_REFERRERS)) {
    const annotated = descriptor.annotations?.[BUNDLE_PREDICATE_TYPE_ANNOTATION];
    const base = {
      manifestDigest: descriptor.digest,
      ...(annotated === undefined ? {} : { predicateType: annotated }),
    };
    if (descriptor.size > MAX_MANIFEST) continue;
    let manifest: Buffer;
    try {
      manifest = (await client.getManifest(image, descriptor.digest)).bytes;
    } catch (err) {
      if (!isLarderError(err, 'FETCH_NOT_FOUND')) throw err;
      if (isBundleType(descriptor.artifactType)) found.push({ ...base, error: message(err) });
      continue;
    }
    const layer = bundleLayer(manifest);
    if (layer === undefined) continue;
    try {
      const bytes = await readBlob(client, image, layer);
      found.push({ ...base, bundle: parseBundle(bytes, `referrer ${descriptor.digest}`) });
    } catch (err) {
      const mismatch = isLarderError(err, 'FETCH_FAILED') && CONTENT_MISMATCH.test(err.message);
      if (!mismatch && !isLarderError(err, 'BUNDLE_INVALID', 'FETCH_NOT_FOUND')) throw err;
      found.push({ ...base, error: message(err) });
    }
  }
  return found;
}
