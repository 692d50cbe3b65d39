import { LarderError } from '../core/index.js';
import { applyRecordField, newPackageRecord, type PackageRecord } from './index-record.js';
import { pushRecordLines } from './index-record-format.js';

/** Installed-database letters apk-tools skips in an index without marking the package uninstallable. */
const SKIPPED_IN_INDEX = 'FMRZa';

/**
 * Parses APKINDEX text (docs/formats.md 2.2) into records, in file order.
 *
 * Records are separated by empty lines. A line whose second character is not `:` (including
 * one-character lines) is ignored, like apk-tools' `parse_index_line`. A line `X:` is a field
 * with an empty value, as in apk-tools' `apk_db_index_read`: an empty `P:` or `V:` is then
 * reported as missing, an empty number as invalid.
 *
 * Letters outside the model go to `extra`; one that is not lower-case (other than the installed
 * database's F M R Z) sets `uninstallable`, as apk-tools does.
 *
 * @param source names the input in error messages.
 * @throws LarderError `INDEX_INVALID` naming record, line and field: missing `P:` or `V:`, a
 *   non-decimal `S:`, `I:`, `t:`, `k:` or `q:`, a malformed `C:` checksum or `f:` flag.
 */
export function parseApkIndexText(text: string, source = 'APKINDEX'): PackageRecord[] {
  const records: PackageRecord[] = [];
  let rec: PackageRecord | undefined;
  let order = '';
  let odd = '';
  let recordNo = 0;
  let firstLine = 0;
  let lineNo = 0;
  const orders = new OrderInterner();
  const fail = (message: string, line = lineNo): never => {
    throw new LarderError('INDEX_INVALID', `${source}: record ${recordNo} (line ${line}): ${message}`);
  };
  const finish = (done: PackageRecord): void => {
    if (done.name === '') fail('missing P: (name)', firstLine);
    if (done.version === '') fail(`missing V: (version) for ${done.name}`, firstLine);
    done.fieldOrder = order;
    if (odd !== '') done.uninstallable = odd;
    records.push(done);
  };

  // One pass with indexOf and slice: no split of the whole text, no regex per line.
  const n = text.length;
  let pos = 0;
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    lineNo++;
    if (end === pos) {
      if (rec !== undefined) finish(rec);
      rec = undefined;
    } else if (end - pos >= 2 && text.charCodeAt(pos + 1) === 58 /* ':' */) {
      if (rec === undefined) {
        rec = newPackageRecord('', '');
        order = '';
        odd = '';
        recordNo++;
        firstLine = lineNo;
      }
      const letter = text.charAt(pos);
      const value = text.slice(pos + 2, end);
      if (applyRecordField(rec, letter, value, fail)) {
        if (!order.includes(letter)) order = orders.append(order, letter);
      } else {
        rec.extra.push([letter, value]);
        order = orders.append(order, letter);
        if (!isLower(letter) && !SKIPPED_IN_INDEX.includes(letter) && !odd.includes(letter)) odd += letter;
      }
    }
    pos = end + 1;
  }
  if (rec !== undefined) finish(rec);
  return records;
}

/**
 * Writes records as APKINDEX text: each record's lines (see {@link pushRecordLines} for the
 * order) followed by an empty line, so a non-empty result ends with `\n\n`.
 *
 * @throws LarderError `INDEX_INVALID` for a record with an empty name or version, or a value
 *   containing a newline, which would not read back as written.
 */
export function formatApkIndexText(records: readonly PackageRecord[]): string {
  const out: string[] = [];
  for (const rec of records) {
    pushRecordLines(rec, out, 'INDEX_INVALID');
    out.push('');
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/**
 * Returns the records sorted by name (code-unit order, which is byte order for the ASCII names
 * apk uses), then by version with `compare` (pass apk's version comparison). Does not mutate.
 */
export function sortApkIndexRecords(
  records: readonly PackageRecord[],
  compare: (a: string, b: string) => number,
): PackageRecord[] {
  return [...records].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : compare(a.version, b.version),
  );
}

/**
 * Grows field-order strings without allocating one per field: a 5,000-record index has a few
 * dozen distinct orders, so `order + letter` is looked up before it is built.
 */
class OrderInterner {
  private readonly next = new Map<string, Map<string, string>>();

  append(order: string, letter: string): string {
    let byLetter = this.next.get(order);
    if (byLetter === undefined) {
      byLetter = new Map();
      this.next.set(order, byLetter);
    }
    let grown = byLetter.get(letter);
    if (grown === undefined) {
      grown = order + letter;
      byLetter.set(letter, grown);
    }
    return grown;
  }
}

function isLower(letter: string): boolean {
  return letter >= 'a' && letter <= 'z';
}
