/**
 * Splits a library file name as apko's `ParseLibFilename`: ldconfig only looks at `lib*.so*`
 * and `ld-*.so*`; `libfoo.so` → `libfoo`, `libfoo.so.1.2` → `libfoo` and `1.2` (the last
 * `.so.` splits). Returns undefined for any other name.
 */
export function parseLibFilename(name: string): { name: string; version: string } | undefined {
  if (!name.startsWith('lib') && !name.startsWith('ld-')) return undefined;
  if (name.endsWith('.so')) return { name: name.slice(0, -3), version: '' };
  const at = name.lastIndexOf('.so.');
  if (at < 1) return undefined;
  return { name: name.slice(0, at), version: name.slice(at + 4) };
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * glibc's `_dl_cache_libcmp` (elf/dl-cache.c), the order ld.so binary-searches the cache in:
 * runs of digits compare as numbers (wrapping at 64 bits, as apko's Go `int` does), a digit
 * sorts after any other byte, other bytes compare as unsigned; the longer rest is greater.
 */
export function dlCacheLibcmp(a: string, b: string): number {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const c = x[i]!;
    const d = y[j]!;
    if (isDigit(c) && isDigit(d)) {
      let u = 0n;
      let v = 0n;
      for (; i < x.length && isDigit(x[i]!); i++) u = BigInt.asIntN(64, u * 10n + BigInt(x[i]! - 0x30));
      for (; j < y.length && isDigit(y[j]!); j++) v = BigInt.asIntN(64, v * 10n + BigInt(y[j]! - 0x30));
      if (u !== v) return u < v ? -1 : 1;
    } else if (isDigit(c)) {
      return 1;
    } else if (isDigit(d)) {
      return -1;
    } else if (c !== d) {
      return c < d ? -1 : 1;
    } else {
      i++;
      j++;
    }
  }
  const restA = x.length - i;
  const restB = y.length - j;
  return restA === restB ? 0 : restA < restB ? -1 : 1;
}
