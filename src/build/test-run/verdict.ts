/** The one-line reason a test step failed, without the recipe prefix the build adds. */
import { LarderError } from '../../core/index.js';

/**
 * The innermost LarderError's message of a failure on one line (its lines joined): `build step
 * 'x' failed ...` rather than `recipe.yaml: build step 'x' ...` (the report names the package).
 */
export function failureOf(err: LarderError): string {
  let inner: LarderError = err;
  while (inner.cause instanceof LarderError) inner = inner.cause;
  return inner.message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
}
