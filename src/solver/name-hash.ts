/**
 * apk-tools' name hash table order (solver.md §5). `rdepends` and `rinstall_if` are filled by
 * walking `db->available.names` in bucket order, and that order leaks into discovery ids, the
 * dirty queue and error listings, so byte-identical results need the same walk.
 */

/** apk's `db->available.names` bucket count (`apk_hash_init(..., 20000)`). */
const NAME_BUCKETS = 20000;
/** `apk_blob_hash` seed. */
const SEED = 5381;

const encoder = new TextEncoder();

/** murmur3_32 as in apk `src/blob.c` (little-endian 4-byte blocks, as on x86-64/aarch64). */
export function murmur3(bytes: Uint8Array, seed: number = SEED): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const len = bytes.length;
  const nblocks = len >>> 2;
  let h = seed >>> 0;
  let i = 0;
  for (let b = 0; b < nblocks; b++, i += 4) {
    let k = (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const tail = len & 3;
  if (tail === 3) k ^= bytes[i + 2]! << 16;
  if (tail >= 2) k ^= bytes[i + 1]! << 8;
  if (tail >= 1) {
    k ^= bytes[i]!;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const scratch = new Uint8Array(256);

/** UTF-8 bytes of a name; ASCII (every real name) without allocating. */
function nameBytes(name: string): Uint8Array {
  if (name.length > scratch.length) return encoder.encode(name);
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c > 0x7f) return encoder.encode(name);
    scratch[i] = c;
  }
  return scratch.subarray(0, name.length);
}

/** The bucket apk files a name under. */
export function nameBucket(name: string): number {
  return murmur3(nameBytes(name)) % NAME_BUCKETS;
}
