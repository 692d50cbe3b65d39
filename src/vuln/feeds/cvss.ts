import type { CvssReading } from './cvss-metrics.js';
import { readCvssV2 } from './cvss-v2.js';
import { readCvssV3 } from './cvss-v3.js';
import { readCvssV4 } from './cvss-v4.js';

/**
 * Reads a CVSS vector of any version: `CVSS:3.x/` and `CVSS:4.0/` by their prefix, anything
 * else as v2. v2 and v3.x get their base score computed; v4 keeps the vector only.
 */
export function readCvss(vector: string): CvssReading {
  const text = vector.trim();
  if (text.startsWith('CVSS:3.')) return readCvssV3(text);
  if (text.startsWith('CVSS:4.')) return readCvssV4(text);
  if (/^CVSS:/.test(text) && !text.startsWith('CVSS:2.0/'))
    return { problem: `unknown CVSS version '${text.split('/')[0]}'` };
  return readCvssV2(text);
}

export type { CvssReading } from './cvss-metrics.js';
