/** The advisory input's fields as both the API (POST /api/advisories) and the dashboard's form check them. */
import type { AdvisoryInput } from '../../factory/index.js';

/** The advisory event types, as Wolfi's advisory schema 2 names them. */
export const ADVISORY_TYPES = [
  'detection',
  'true-positive-determination',
  'fixed',
  'false-positive-determination',
  'fix-not-planned',
  'analysis-not-planned',
  'pending-upstream-fix',
] as const satisfies readonly AdvisoryInput['type'][];

/** An origin package name. */
export const ADVISORY_PACKAGE = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/** The longest note, in characters. */
export const MAX_ADVISORY_NOTE = 4000;
