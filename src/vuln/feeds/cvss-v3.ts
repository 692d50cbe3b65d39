import type { Cvss } from '../model.js';
import { type CvssReading, readMetrics } from './cvss-metrics.js';

// CVSS v3.0/v3.1 base metrics and their weights (FIRST's specification, section 7.4).
const AV = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const AC = { L: 0.77, H: 0.44 };
const PR_UNCHANGED = { N: 0.85, L: 0.62, H: 0.27 };
const PR_CHANGED = { N: 0.85, L: 0.68, H: 0.5 };
const UI = { N: 0.85, R: 0.62 };
const CIA = { H: 0.56, L: 0.22, N: 0 };

const BASE: Readonly<Record<string, readonly string[]>> = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'R'],
  S: ['U', 'C'],
  C: ['H', 'L', 'N'],
  I: ['H', 'L', 'N'],
  A: ['H', 'L', 'N'],
};
// Temporal and environmental metrics are allowed in a vector but do not change the base score.
const OTHER: Readonly<Record<string, readonly string[]>> = {
  E: ['X', 'H', 'F', 'P', 'U'],
  RL: ['X', 'U', 'W', 'T', 'O'],
  RC: ['X', 'C', 'R', 'U'],
  CR: ['X', 'H', 'M', 'L'],
  IR: ['X', 'H', 'M', 'L'],
  AR: ['X', 'H', 'M', 'L'],
  MAV: ['X', 'N', 'A', 'L', 'P'],
  MAC: ['X', 'L', 'H'],
  MPR: ['X', 'N', 'L', 'H'],
  MUI: ['X', 'N', 'R'],
  MS: ['X', 'U', 'C'],
  MC: ['X', 'H', 'L', 'N'],
  MI: ['X', 'H', 'L', 'N'],
  MA: ['X', 'H', 'L', 'N'],
};

/**
 * Reads a `CVSS:3.0/...` or `CVSS:3.1/...` vector and computes its base score. The 3.1 Roundup
 * (integer arithmetic, no floating-point artefacts) is used for 3.0 too: the two differ only
 * where 3.0's naive ceiling suffered from floating-point error.
 */
export function readCvssV3(vector: string): CvssReading {
  const match = /^CVSS:(3\.[01])\/(.*)$/.exec(vector);
  if (match === null) return { problem: 'a CVSS v3 vector starts with CVSS:3.0/ or CVSS:3.1/' };
  const metrics = readMetrics(match[2]!, BASE, OTHER);
  if ('problem' in metrics) return metrics;
  const m = metrics.values;
  const changed = m.S === 'C';
  const iss = 1 - (1 - pick(CIA, m.C)) * (1 - pick(CIA, m.I)) * (1 - pick(CIA, m.A));
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const pr = pick(changed ? PR_CHANGED : PR_UNCHANGED, m.PR);
  const exploitability = 8.22 * pick(AV, m.AV) * pick(AC, m.AC) * pr * pick(UI, m.UI);
  let score = 0;
  if (impact > 0) score = roundUp(Math.min((changed ? 1.08 : 1) * (impact + exploitability), 10));
  const cvss: Cvss = { version: match[1] === '3.0' ? '3.0' : '3.1', vector, score };
  return { cvss };
}

function pick(table: Readonly<Record<string, number>>, key: string | undefined): number {
  return table[key ?? ''] ?? 0;
}

/** CVSS 3.1 Appendix A: the smallest one-decimal number >= x, computed on integers. */
export function roundUp(x: number): number {
  const scaled = Math.round(x * 100_000);
  return scaled % 10_000 === 0 ? scaled / 100_000 : (Math.floor(scaled / 10_000) + 1) / 10;
}
