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
const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** murmur3_32 as in apk `src/blob.c` (little-endian 4-byte blocks, as on x86-64/aarch64). */
export function murmur3(bytes: Uint8Array, seed: number = SEED): number {
  const c1 = C1;
  const c2 = C2;
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

/**
 * murmur3 over the characters of an ASCII string, which are its UTF-8 bytes; undefined when
 * a character is not ASCII. Reading char codes directly spares a copy into a byte buffer for
 * each of the thousands of names a large reverse-edge walk sorts.
 */
function murmur3Ascii(name: string, seed: number): number | undefined {
  const len = name.length;
  let all = 0;
  let h = seed >>> 0;
  let i = 0;
  for (const end = len & ~3; i < end; i += 4) {
    const b0 = name.charCodeAt(i);
    const b1 = name.charCodeAt(i + 1);
    const b2 = name.charCodeAt(i + 2);
    const b3 = name.charCodeAt(i + 3);
    all |= b0 | b1 | b2 | b3;
    let k = (b0 | (b1 << 8) | (b2 << 16) | (b3 << 24)) >>> 0;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const tail = len & 3;
  if (tail === 3) k ^= name.charCodeAt(i + 2) << 16;
  if (tail >= 2) k ^= name.charCodeAt(i + 1) << 8;
  if (tail >= 1) {
    k ^= name.charCodeAt(i);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  for (let j = i; j < len; j++) all |= name.charCodeAt(j);
  if (all > 0x7f) return undefined;
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The bucket apk files a name under. */
export function nameBucket(name: string): number {
  return (murmur3Ascii(name, SEED) ?? murmur3(encoder.encode(name))) % NAME_BUCKETS;
}
