import { LarderError } from '../../core/index.js';
import { MEDIA_TYPES, type OCIDescriptor, type OCIManifest, sha256Digest } from '../../oci/index.js';
import { SIMPLE_SIGNING_MEDIA_TYPE } from '../simple-signing/index.js';

/** The layer annotation holding the standard-base64 signature over the payload blob. */
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';

/** cosign caps a signature image at this many layers. */
export const MAX_SIGNATURE_LAYERS = 1000;

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** `sha256-<hex>.sig`: the tag cosign's legacy layout stores an image's signatures under. */
export function signatureTag(digest: string): string {
  const m = /^sha256:([0-9a-f]{64})$/.exec(digest);
  if (m === null) throw new LarderError('USAGE', `digest '${digest}': expected sha256:<64 hex>`);
  return `sha256-${m[1]}.sig`;
}

/** A blob to upload: bytes with digest and size. */
export interface SignatureBlob {
  readonly bytes: Buffer;
  readonly digest: string;
  readonly size: number;
}

/** The signature manifest for these layers and the config blob it references. */
export interface SignatureImage {
  readonly manifest: SignatureBlob;
  readonly config: SignatureBlob;
}

function blob(text: string): SignatureBlob {
  const bytes = Buffer.from(text, 'utf8');
  return { bytes, digest: sha256Digest(bytes), size: bytes.length };
}

/**
 * The config blob in go-containerregistry's empty-image shape: no platform, zero time, one history
 * entry per layer, and the (uncompressed) layer digests as diff_ids. Verifiers never read it.
 */
export function signatureConfig(layers: readonly OCIDescriptor[]): SignatureBlob {
  return blob(
    JSON.stringify({
      architecture: '',
      created: ZERO_TIME,
      history: layers.map(() => ({ created: ZERO_TIME })),
      os: '',
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
      config: {},
    }),
  );
}

/** An OCI image manifest over the given layers, with its config blob. */
export function signatureImage(layers: readonly OCIDescriptor[]): SignatureImage {
  if (layers.length > MAX_SIGNATURE_LAYERS) {
    throw new LarderError('USAGE', `a signature image holds at most ${MAX_SIGNATURE_LAYERS} signatures`);
  }
  const config = signatureConfig(layers);
  const manifest: OCIManifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.manifest,
    config: { mediaType: MEDIA_TYPES.config, size: config.size, digest: config.digest },
    layers,
  };
  return { manifest: blob(JSON.stringify(manifest)), config };
}

/** The layer descriptor for one payload blob and its signature. */
export function signatureLayer(payload: Uint8Array, signature: string): OCIDescriptor {
  return {
    mediaType: SIMPLE_SIGNING_MEDIA_TYPE,
    size: payload.length,
    digest: sha256Digest(payload),
    annotations: { [SIGNATURE_ANNOTATION]: signature },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The layers of a signature manifest's bytes; MANIFEST_INVALID when it is not an image manifest. */
export function signatureLayers(bytes: Uint8Array): OCIDescriptor[] {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw new LarderError('PAYLOAD_INVALID', 'signature manifest: not JSON', { cause: err });
  }
  if (!isObject(doc) || !Array.isArray(doc.layers)) {
    throw new LarderError('PAYLOAD_INVALID', 'signature manifest: no layers array');
  }
  return doc.layers.map((layer, i) => {
    if (
      !isObject(layer) ||
      typeof layer.mediaType !== 'string' ||
      typeof layer.digest !== 'string' ||
      typeof layer.size !== 'number'
    ) {
      throw new LarderError('PAYLOAD_INVALID', `signature manifest: layer ${i} is not a descriptor`);
    }
    return layer as unknown as OCIDescriptor;
  });
}
