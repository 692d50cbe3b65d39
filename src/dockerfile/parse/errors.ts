import { LarderError } from '../../core/index.js';

/** A DOCKERFILE_INVALID error whose message starts with `file:line:`, as BuildKit names places. */
export function invalidAt(file: string, line: number, message: string): LarderError {
  return new LarderError('DOCKERFILE_INVALID', `${file}:${line}: ${message}`, { subject: file });
}
