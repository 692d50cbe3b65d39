import { createHash } from 'node:crypto';
import { LarderError } from '../core/index.js';

/**
 * The one JSON encoding for every document larder hashes (manifests, indexes, configs,
 * `index.json`, docker `manifest.json`). A digest is over the exact bytes written, so these
 * bytes must not depend on how an object was built:
 *
 * - compact: no whitespace, `JSON.stringify` escaping for strings, finite numbers only;
 *   `undefined` members are left out (as `JSON.stringify` does);
 * - keys of an object come in FIELD_ORDER first (the order of the image-spec Go structs, as
 *   go-containerregistry and apko emit them), then any other keys sorted by UTF-8 bytes;
 * - the members of a map-valued field (MAP_FIELDS: annotations, labels, ports, volumes) are
 *   sorted by UTF-8 bytes, as Go's encoding/json sorts map keys, whatever the key.
 */
const FIELD_ORDER: readonly string[] = [
  // oci-layout
  'imageLayoutVersion',
  // manifest and index head
  'schemaVersion',
  'mediaType',
  'artifactType',
  // image config head (history entries use created, created_by, author, comment)
  'created',
  'created_by',
  'author',
  'comment',
  'empty_layer',
  // platform (inline in the image config too)
  'architecture',
  'os',
  'os.version',
  'os.features',
  'variant',
  'features',
  // descriptor
  'digest',
  'size',
  'urls',
  'data',
  'platform',
  // manifest body, index body, image config body
  'config',
  'layers',
  'manifests',
  'rootfs',
  'type',
  'diff_ids',
  'history',
  'subject',
  // the execution config (Go's ImageConfig order)
  'User',
  'ExposedPorts',
  'Env',
  'Entrypoint',
  'Cmd',
  'Volumes',
  'WorkingDir',
  'Labels',
  'StopSignal',
  // docker archive manifest.json
  'Config',
  'RepoTags',
  'Layers',
  'annotations',
];
const RANK = new Map(FIELD_ORDER.map((key, i) => [key, i]));
const MAP_FIELDS = new Set(['annotations', 'Labels', 'ExposedPorts', 'Volumes']);

/** Encodes `value` with larder's fixed key order (see above). */
export function encodeJson(value: unknown): string {
  return encode(value, false, '$');
}

/** The bytes of {@link encodeJson}, their `sha256:` digest and size: a blob ready to write. */
export function jsonBlob(value: unknown): { bytes: Buffer; digest: string; size: number } {
  const bytes = Buffer.from(encodeJson(value), 'utf8');
  return { bytes, digest: sha256Digest(bytes), size: bytes.length };
}

/** `sha256:<hex>` of some bytes. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function encode(value: unknown, isMap: boolean, path: string): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new LarderError('USAGE', `cannot encode ${value} at ${path} as JSON`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, i) => (item === undefined ? 'null' : encode(item, false, `${path}[${i}]`))).join(',')}]`;
  }
  if (typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
    keys.sort(isMap ? byBytes : byRank);
    const members = keys.map((key) => {
      const child = (value as Record<string, unknown>)[key];
      return `${JSON.stringify(key)}:${encode(child, !isMap && MAP_FIELDS.has(key), `${path}.${key}`)}`;
    });
    return `{${members.join(',')}}`;
  }
  throw new LarderError('USAGE', `cannot encode a ${typeof value} at ${path} as JSON`);
}

function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function byRank(a: string, b: string): number {
  const ra = RANK.get(a);
  const rb = RANK.get(b);
  if (ra !== undefined && rb !== undefined) return ra - rb;
  if (ra !== undefined) return -1;
  if (rb !== undefined) return 1;
  return byBytes(a, b);
}
