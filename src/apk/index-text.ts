import { LarderError } from '../core/index.js';
import { applyRecordField, newPackageRecord, type PackageRecord, RECORD_LETTERS } from './index-record.js';
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
  return parseLines(text, source, undefined);
}

/**
 * {@link parseApkIndexText} of `bytes` decoded as UTF-8, faster: the bytes are decoded as
 * latin1 (one character per byte, a one-byte string half the size of a UTF-8 decode of text
 * with any non-ASCII in it), and only lines holding a non-ASCII byte are decoded as UTF-8.
 * A newline byte never occurs inside a UTF-8 sequence, so the lines and values are the same.
 */
export function parseApkIndexBytes(bytes: Uint8Array, source = 'APKINDEX'): PackageRecord[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return parseLines(buffer.toString('latin1'), source, buffer);
}

const NON_ASCII = /[\u0080-\u00ff]/g;

function parseLines(text: string, source: string, utf8: Buffer | undefined): PackageRecord[] {
  const records: PackageRecord[] = [];
  let rec: PackageRecord | undefined;
  const root = new OrderNode('');
  let order = root;
  let seen = 0;
  let odd = '';
  let recordNo = 0;
  let firstLine = 0;
  let lineNo = 0;
  const fail = (message: string, line = lineNo): never => {
    throw new LarderError('INDEX_INVALID', `${source}: record ${recordNo} (line ${line}): ${message}`);
  };
  const finish = (done: PackageRecord): void => {
    if (done.name === '') fail('missing P: (name)', firstLine);
    if (done.version === '') fail(`missing V: (version) for ${done.name}`, firstLine);
    done.fieldOrder = order.order;
    if (odd !== '') done.uninstallable = odd;
    records.push(done);
  };
  // Where the next non-ASCII byte is, when reading bytes: the lines holding one are decoded.
  // A copy of the regex, as its lastIndex is this parse's state.
  const highs = new RegExp(NON_ASCII);
  let nextHigh = -1;
  if (utf8 !== undefined) nextHigh = highs.exec(text)?.index ?? -1;

  // One pass with indexOf and slice: no split of the whole text, no regex per line.
  const n = text.length;
  let pos = 0;
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    lineNo++;
    let line = text;
    let from = pos;
    let to = end;
    if (nextHigh >= 0 && nextHigh < end && utf8 !== undefined) {
      line = utf8.toString('utf8', pos, end);
      from = 0;
      to = line.length;
      highs.lastIndex = end;
      nextHigh = highs.exec(text)?.index ?? -1;
    }
    if (to === from) {
      if (rec !== undefined) finish(rec);
      rec = undefined;
    } else if (to - from >= 2 && line.charCodeAt(from + 1) === 58 /* ':' */) {
      if (rec === undefined) {
        rec = newPackageRecord('', '');
        order = root;
        seen = 0;
        odd = '';
        recordNo++;
        firstLine = lineNo;
      }
      const code = line.charCodeAt(from);
      const letter = line.charAt(from);
      const value = line.slice(from + 2, to);
      if (applyRecordField(rec, letter, value, fail)) {
        // Known letters enter the order once; `seen` has a bit per letter of RECORD_LETTERS.
        const bit = KNOWN_BIT[code] ?? 0;
        if ((seen & bit) === 0) {
          seen |= bit;
          order = order.append(code, letter);
        }
      } else {
        rec.extra.push([letter, value]);
        order = order.append(code, letter);
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
 * Field-order strings as a trie, so that growing a record's order by a letter is an array
 * look-up: a 5,000-record index has a few dozen distinct orders over ~70,000 field lines.
 */
class OrderNode {
  private readonly byCode: Array<OrderNode | undefined> = [];
  private byLetter: Map<string, OrderNode> | undefined;

  constructor(readonly order: string) {}

  append(code: number, letter: string): OrderNode {
    if (code < 128) return this.byCode[code] ?? this.grow(code, letter);
    // A non-ASCII letter (never in a real index): keyed by the letter itself.
    this.byLetter ??= new Map();
    let next = this.byLetter.get(letter);
    if (next === undefined) {
      next = new OrderNode(this.order + letter);
      this.byLetter.set(letter, next);
    }
    return next;
  }

  private grow(code: number, letter: string): OrderNode {
    const next = new OrderNode(this.order + letter);
    this.byCode[code] = next;
    return next;
  }
}

/** Bit of each letter of RECORD_LETTERS, by character code (0 for other characters). */
const KNOWN_BIT = new Int32Array(128);
for (let i = 0; i < RECORD_LETTERS.length; i++) KNOWN_BIT[RECORD_LETTERS.charCodeAt(i)] = 1 << i;

function isLower(letter: string): boolean {
  return letter >= 'a' && letter <= 'z';
}
