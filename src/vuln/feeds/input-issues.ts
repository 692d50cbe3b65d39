import type { z } from 'zod';
import { LarderError, type LarderErrorCode } from '../../core/index.js';
import { jsonPath, shownValue } from './json-input.js';

const SHOWN = 5;

/**
 * One LarderError for every problem zod found in `data` read from `file`: each as
 * `path: problem (found value)`, the first five spelled out and the rest counted.
 */
export function inputIssuesError(
  code: LarderErrorCode,
  file: string,
  data: unknown,
  error: z.ZodError,
  prefix: readonly PropertyKey[] = [],
): LarderError {
  const lines = error.issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    const problem = issue.message.replace(/^Invalid (input|option): /, '');
    const found =
      issue.code === 'invalid_type' || issue.code === 'invalid_value'
        ? shownValue(data, issue.path)
        : undefined;
    return `${jsonPath(path)}: ${problem}${found === undefined ? '' : ` (found ${found})`}`;
  });
  return inputError(code, file, lines);
}

/** A LarderError listing `problems` (path: problem) found in `file`. */
export function inputError(code: LarderErrorCode, file: string, problems: readonly string[]): LarderError {
  const more = problems.length > SHOWN ? `; and ${problems.length - SHOWN} more` : '';
  return new LarderError(code, `${file}: ${problems.slice(0, SHOWN).join('; ')}${more}`, { subject: file });
}
