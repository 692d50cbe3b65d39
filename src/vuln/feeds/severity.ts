import { type Cvss, SEVERITIES, type Severity } from '../model.js';

/**
 * The severity band of a CVSS rating, grype's mapping (catalog.md §5.6): 0 negligible, < 4 low,
 * < 7 medium, then high; v3.x and v4 have critical from 9.0, v2 stops at high. Undefined when
 * the rating has no score (a v4 vector without a stated score).
 */
export function severityOfCvss(cvss: Cvss): Severity | undefined {
  const score = cvss.score;
  if (score === undefined || !Number.isFinite(score)) return undefined;
  if (score === 0) return 'negligible';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (cvss.version === '2.0' || score < 9) return 'high';
  return 'critical';
}

const WORDS: Readonly<Record<string, Severity>> = {
  critical: 'critical',
  important: 'high',
  high: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  negligible: 'negligible',
  none: 'negligible',
  informational: 'negligible',
  unimportant: 'negligible',
};

/** A source's stated severity word (GHSA's `MODERATE`, `High`, ...) as a level; else unknown. */
export function severityOfText(text: string | undefined): Severity {
  if (text === undefined) return 'unknown';
  return WORDS[text.trim().toLowerCase()] ?? 'unknown';
}

/** The higher of two levels (unknown is lowest). */
export function higherSeverity(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b) ? a : b;
}

/**
 * The severity of a vulnerability: the highest level any scored CVSS rating gives, else the
 * highest stated level, else unknown.
 */
export function severityOf(cvss: readonly Cvss[], stated: readonly Severity[]): Severity {
  let fromCvss: Severity | undefined;
  for (const rating of cvss) {
    const level = severityOfCvss(rating);
    if (level !== undefined) fromCvss = fromCvss === undefined ? level : higherSeverity(fromCvss, level);
  }
  if (fromCvss !== undefined) return fromCvss;
  return stated.reduce<Severity>(higherSeverity, 'unknown');
}
