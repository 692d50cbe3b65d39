/**
 * Vulnerability ids in advisory documents (vulns.md §1.4): `CGA-xxxx-xxxx-xxxx` advisory ids
 * drawn from the GHSA alphabet, and the aliases wolfictl accepts (CVE, GHSA, Go vuln ids).
 */
import { randomBytes } from 'node:crypto';

/** The 20 characters of CGA and GHSA id groups. */
export const ADVISORY_ID_ALPHABET = '23456789cfghjmpqrvwx';

const CGA = /^CGA(-[23456789cfghjmpqrvwx]{4}){3}$/;
const CVE = /^CVE-\d{4}-\d{4,}$/;
const GHSA = /^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/;
const GO = /^GO-\d{4}-\d{4,}$/;

/** True for a Chainguard advisory id, `CGA-` and three groups of four from the alphabet. */
export function isAdvisoryId(id: string): boolean {
  return CGA.test(id);
}

/** True for an id an advisory may list as an alias: `CVE-YYYY-N…`, `GHSA-…-…-…`, `GO-YYYY-NNNN`. */
export function isAliasId(id: string): boolean {
  return CVE.test(id) || GHSA.test(id) || GO.test(id);
}

/** Where the bytes of a new id come from; tests pass a seeded source. */
export type RandomBytes = (size: number) => Uint8Array;

/**
 * A new CGA id not in `taken`. Each character is chosen uniformly from the alphabet by
 * rejection sampling over random bytes (bytes ≥ 240 are dropped, so `% 20` has no bias).
 */
export function newAdvisoryId(taken: ReadonlySet<string>, random: RandomBytes = randomBytes): string {
  for (;;) {
    const chars: string[] = [];
    while (chars.length < 12) {
      for (const byte of random(16)) {
        if (byte >= 240 || chars.length === 12) continue;
        chars.push(ADVISORY_ID_ALPHABET[byte % 20] as string);
      }
    }
    const text = chars.join('');
    const id = `CGA-${text.slice(0, 4)}-${text.slice(4, 8)}-${text.slice(8, 12)}`;
    if (!taken.has(id)) return id;
  }
}
