import { LarderError } from '../../core/index.js';

/**
 * Parses a JSON column the factory wrote; text that does not parse means the store was edited
 * by hand or damaged: STORE_INVALID naming the table, row and column.
 */
export function storedJson(table: string, row: string, column: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new LarderError(
      'STORE_INVALID',
      `${table} ${row}: column ${column} is not JSON: ${JSON.stringify(text.slice(0, 60))}`,
      { cause: err, subject: row },
    );
  }
}

/** A JSON column that must hold a list of strings. */
export function storedStrings(table: string, row: string, column: string, text: string): string[] {
  const value = storedJson(table, row, column, text);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw new LarderError('STORE_INVALID', `${table} ${row}: column ${column} is not a list of strings`, {
      subject: row,
    });
  return value;
}

/** A JSON column that must hold an object. */
export function storedObject(
  table: string,
  row: string,
  column: string,
  text: string,
): Record<string, unknown> {
  const value = storedJson(table, row, column, text);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new LarderError('STORE_INVALID', `${table} ${row}: column ${column} is not an object`, {
      subject: row,
    });
  return value as Record<string, unknown>;
}
