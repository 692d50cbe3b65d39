import { type CvssReading, readMetrics } from './cvss-metrics.js';

// CVSS v2 base equations (FIRST's CVSS v2 guide, section 3.2.1).
const AV = { L: 0.395, A: 0.646, N: 1 };
const AC = { H: 0.35, M: 0.61, L: 0.71 };
const AU = { M: 0.45, S: 0.56, N: 0.704 };
const CIA = { N: 0, P: 0.275, C: 0.66 };

const BASE: Readonly<Record<string, readonly string[]>> = {
  AV: ['L', 'A', 'N'],
  AC: ['H', 'M', 'L'],
  Au: ['M', 'S', 'N'],
  C: ['N', 'P', 'C'],
  I: ['N', 'P', 'C'],
  A: ['N', 'P', 'C'],
};
const OTHER: Readonly<Record<string, readonly string[]>> = {
  E: ['U', 'POC', 'F', 'H', 'ND'],
  RL: ['OF', 'TF', 'W', 'U', 'ND'],
  RC: ['UC', 'UR', 'C', 'ND'],
  CDP: ['N', 'L', 'LM', 'MH', 'H', 'ND'],
  TD: ['N', 'L', 'M', 'H', 'ND'],
  CR: ['L', 'M', 'H', 'ND'],
  IR: ['L', 'M', 'H', 'ND'],
  AR: ['L', 'M', 'H', 'ND'],
};

/** Reads a CVSS v2 vector (`AV:N/AC:L/Au:N/C:P/I:P/A:P`, optionally in parentheses) and scores it. */
export function readCvssV2(vector: string): CvssReading {
  const text = vector.replace(/^\((.*)\)$/, '$1').replace(/^CVSS:2\.0\//, '');
  const metrics = readMetrics(text, BASE, OTHER);
  if ('problem' in metrics) return metrics;
  const m = metrics.values;
  const get = (table: Readonly<Record<string, number>>, key: string) => table[m[key] ?? ''] ?? 0;
  const impact = 10.41 * (1 - (1 - get(CIA, 'C')) * (1 - get(CIA, 'I')) * (1 - get(CIA, 'A')));
  const exploitability = 20 * get(AV, 'AV') * get(AC, 'AC') * get(AU, 'Au');
  const f = impact === 0 ? 0 : 1.176;
  const raw = (0.6 * impact + 0.4 * exploitability - 1.5) * f;
  // round_to_1_decimal, on integers so that 6.45 (stored as 6.4499...) rounds as the spec means.
  const score = Math.max(0, Math.round(Math.round(raw * 100_000) / 10_000) / 10);
  return { cvss: { version: '2.0', vector, score } };
}
