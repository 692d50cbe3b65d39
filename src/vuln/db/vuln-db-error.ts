import { isLarderError, LarderError } from '../../core/index.js';
import { storeErrorOf } from '../../store/index.js';

/**
 * A store failure as the vulnerability database reports it: a file that is not (or no longer)
 * a usable database is VULN_DB_INVALID naming it; other failures keep their code (IO, ...).
 */
export function vulnDbError(location: string, err: unknown): LarderError {
  const error = storeErrorOf(location, err);
  if (!isLarderError(error, 'STORE_INVALID')) return error;
  return new LarderError('VULN_DB_INVALID', error.message, {
    cause: error,
    subject: error.subject ?? location,
  });
}
