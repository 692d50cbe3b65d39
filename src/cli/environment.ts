import { LarderError } from '../core/index.js';

/**
 * SOURCE_DATE_EPOCH drives every timestamp larder writes; unset means 0, so output is
 * reproducible by default. A malformed value is an error, as in apko.
 */
export function sourceDateEpoch(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return 0;
  if (!/^\d+$/.test(raw))
    throw new LarderError('USAGE', `SOURCE_DATE_EPOCH '${raw}': expected whole seconds since 1970`);
  return Number(raw);
}
