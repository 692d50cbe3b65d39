import { describe, expect, it } from 'vitest';
import { murmur3, nameBucket } from '../../../src/solver/name-hash.js';

describe('nameBucket', () => {
  it('hashes names as murmur3 over their UTF-8 bytes, ASCII shortcut or not', () => {
    const names = ['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'so:libc.musl-aarch64.so.1', 'cmd:[', 'caf\u00e9'];
    names.push('\u2603x', 'x\u2603', 'abc\u00ff', 'a\u{1f600}b', '~'.repeat(300), `${'z'.repeat(299)}\u00e9`);
    for (const name of names) {
      expect(nameBucket(name), name).toBe(murmur3(new TextEncoder().encode(name)) % 20000);
    }
  });
});
