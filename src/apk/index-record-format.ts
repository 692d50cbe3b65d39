import { LarderError, type LarderErrorCode } from '../core/index.js';
import { quote } from './field-values.js';
import { type PackageRecord, RECORD_LETTERS } from './index-record.js';

// A module-local copy: reading an imported binding in the hot loops costs a getter call under
// some module loaders.
const LETTERS = RECORD_LETTERS;

/**
 * Appends the field lines of `rec` (each `X:value`, without newline) to `out`.
 *
 * Without `rec.fieldOrder` the order and omissions are apk-tools 2.14's
 * (`apk_pkg_write_index_header`, then `apk_db_write_fdb`): `C P V [A] S I T U L [o] [m] [t] [c] [k]`,
 * `D p i` when non-empty, then unknown lower-case fields in stored order, then `r q s f`.
 * S, I, T, U and L are always written; t, k and q are left out when zero, as apk-tools does.
 *
 * With `rec.fieldOrder` (every parsed record has it) the letters come in that order, so apko- and
 * melange-written files, which use other orders and write `t:0`, `k:0`, `U:`, `D:`, keep their
 * shape; fields set but missing from `fieldOrder` follow, in apk-tools' order.
 */
export function pushRecordLines(rec: PackageRecord, out: string[], code: LarderErrorCode): void {
  const start = out.length;
  if (rec.fieldOrder === undefined) pushCanonical(rec, out);
  else pushInOrder(rec, rec.fieldOrder, out);
  // A record that would read back differently must not be written at all.
  if (rec.name === '' || rec.version === '') {
    throw new LarderError(code, `cannot write package ${quote(rec.name)}: empty name or version`);
  }
  for (let i = start; i < out.length; i++) {
    const line = out[i] ?? '';
    if (line.includes('\n') || line.charAt(1) !== ':') {
      throw new LarderError(code, `cannot write package ${quote(rec.name)}: bad field line ${quote(line)}`);
    }
  }
}

function pushCanonical(rec: PackageRecord, out: string[]): void {
  for (const letter of LETTERS) {
    if (letter === 'r') pushExtras(rec, out, undefined);
    let value = fieldText(rec, letter, false);
    if (value === undefined && 'SI'.includes(letter)) value = '0';
    if (value === undefined && 'TUL'.includes(letter)) value = '';
    if (value === '0' && 'tkq'.includes(letter)) value = undefined;
    if (value !== undefined) out.push(`${letter}:${value}`);
  }
}

function pushInOrder(rec: PackageRecord, order: string, out: string[]): void {
  let done = 0; // bit i set: RECORD_LETTERS[i] written
  const used: boolean[] = [];
  for (const letter of order) {
    const bit = LETTERS.indexOf(letter);
    if (bit < 0) {
      const i = rec.extra.findIndex(([l], j) => l === letter && !used[j]);
      const entry = rec.extra[i];
      if (entry === undefined) continue;
      used[i] = true;
      out.push(`${letter}:${entry[1]}`);
    } else if ((done & (1 << bit)) === 0) {
      done |= 1 << bit;
      // The letter was read, so even an empty list was written as `D:` and is written back so.
      const value = fieldText(rec, letter, true);
      if (value !== undefined) out.push(`${letter}:${value}`);
    }
  }
  for (let bit = 0; bit < LETTERS.length; bit++) {
    const letter = LETTERS.charAt(bit);
    if (letter === 'r') pushExtras(rec, out, used);
    if ((done & (1 << bit)) !== 0) continue;
    const value = fieldText(rec, letter, false);
    if (value !== undefined) out.push(`${letter}:${value}`);
  }
}

function pushExtras(rec: PackageRecord, out: string[], used: boolean[] | undefined): void {
  rec.extra.forEach(([letter, value], i) => {
    if (used?.[i] !== true) out.push(`${letter}:${value}`);
  });
}

/** The text of one field, or undefined when unset (lists: when empty, unless `keepEmpty`). */
function fieldText(rec: PackageRecord, letter: string, keepEmpty: boolean): string | undefined {
  switch (letter) {
    case 'C':
      return rec.checksum;
    case 'P':
      return rec.name;
    case 'V':
      return rec.version;
    case 'A':
      return rec.arch;
    case 'S':
      return rec.size?.toString();
    case 'I':
      return rec.installedSize?.toString();
    case 'T':
      return rec.description;
    case 'U':
      return rec.url;
    case 'L':
      return rec.license;
    case 'o':
      return rec.origin;
    case 'm':
      return rec.maintainer;
    case 't':
      return rec.buildTime?.toString();
    case 'c':
      return rec.commit;
    case 'k':
      return rec.providerPriority?.toString();
    case 'D':
      return list(rec.depends, keepEmpty);
    case 'p':
      return list(rec.provides, keepEmpty);
    case 'i':
      return list(rec.installIf, keepEmpty);
    case 'r':
      return list(rec.replaces, keepEmpty);
    case 'q':
      return rec.replacesPriority?.toString();
    case 's':
      return rec.repoTag;
    case 'f':
      return rec.brokenFlags === '' && !keepEmpty ? undefined : rec.brokenFlags;
    default:
      return undefined;
  }
}

function list(words: readonly string[], keepEmpty: boolean): string | undefined {
  return words.length > 0 || keepEmpty ? words.join(' ') : undefined;
}
