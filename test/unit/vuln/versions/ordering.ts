// Helpers for table tests of version orders: an ascending list must be strictly ascending for
// every pair (not just neighbours), and groups of equal spellings must compare equal.
import { expect } from 'vitest';
import { type AnyVersionOrder, compareIn } from '../../../../src/vuln/versions/index.js';

/** Every i < j of `ascending` must compare as less, and greater the other way round. */
export function expectAscending(order: AnyVersionOrder, ascending: readonly string[]): void {
  const wrong: string[] = [];
  for (let i = 0; i < ascending.length; i++) {
    for (let j = 0; j < ascending.length; j++) {
      const a = ascending[i] as string;
      const b = ascending[j] as string;
      const want = Math.sign(i - j);
      const got = compareIn(order, a, b);
      if (got !== want) wrong.push(`${a} vs ${b}: got ${got}, want ${want}`);
    }
  }
  expect(wrong).toEqual([]);
}

/** Every spelling in a group compares equal to every other. */
export function expectEqual(order: AnyVersionOrder, groups: readonly (readonly string[])[]): void {
  const wrong: string[] = [];
  for (const group of groups) {
    for (const a of group)
      for (const b of group) if (compareIn(order, a, b) !== 0) wrong.push(`${a} != ${b}`);
  }
  expect(wrong).toEqual([]);
}
