import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goSortFunc } from '../../../../src/image/assemble/ldso-cache/go-sort.js';

interface Vector {
  name: string;
  keys: number[];
  order: number[];
}

// Produced by Go itself: scripts/go-sort-vectors.go (sort.Slice, the pdqsort slices.SortFunc uses).
const VECTORS: Vector[] = JSON.parse(
  readFileSync(new URL('../../../fixtures/go-sort/vectors.json', import.meta.url), 'utf8'),
);

describe("Go's unstable sort", () => {
  it('leaves ties in the order Go leaves them, on every recorded input', () => {
    expect(VECTORS.length).toBeGreaterThan(50);
    for (const v of VECTORS) {
      const idx = v.keys.map((_, i) => i);
      goSortFunc(idx, (a, b) => v.keys[a]! - v.keys[b]!);
      expect(idx, v.name).toEqual(v.order);
    }
  });

  it('sorts', () => {
    const xs = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 1013);
    goSortFunc(xs, (a, b) => a - b);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });
});
