import { LarderError } from '../core/index.js';
import { applyRecordField, newPackageRecord, type PackageRecord } from './index-record.js';
import { pushRecordLines } from './index-record-format.js';
import { FileListReader, type InstalledDir, pushFileLines } from './installed-db-files.js';

export type { InstalledAcl, InstalledDir, InstalledFile } from './installed-db-files.js';

/** One package of `lib/apk/db/installed`: its index fields and the directories and files it owns. */
export interface InstalledPackage {
  record: PackageRecord;
  /** Directories in the order listed, each with its files. */
  files: InstalledDir[];
}

/** Letters after which apk-tools 2.14 treats the record as installed and refuses unknown fields. */
const INSTALLED_LETTERS = 'FMRZarqsf';

/**
 * Parses an installed database (docs/formats.md 4.6), the format of apk-tools' `apk_db_index_read`
 * with `repo == -1`.
 *
 * Records are separated by empty lines; every other line must be `X:value` (a bare `F:` is the
 * root directory, `U:` an empty URL). apko's `i:[]` reads as an empty install_if. A directory
 * listed twice stays two entries, in order (apk-tools merges them when loading).
 *
 * @param source names the input in error messages.
 * @throws LarderError `INSTALLED_DB_INVALID` naming record, line and field: a malformed line,
 *   missing `P:`/`V:`, `F:` before `P:`, `M:`/`R:` before any `F:`, `a:`/`Z:` not after an
 *   `R:`, bad numbers, ACLs or checksums, or an unknown field after the installed-only fields
 *   (apk-tools 2.14 refuses those as written by a newer apk).
 */
export function parseInstalledDb(text: string, source = 'lib/apk/db/installed'): InstalledPackage[] {
  const pkgs: InstalledPackage[] = [];
  let rec: PackageRecord | undefined;
  let files = new FileListReader();
  let order = '';
  let odd = '';
  let installedSeen = false;
  let recordNo = 0;
  let firstLine = 0;
  let lineNo = 0;
  const fail = (message: string, line = lineNo): never => {
    throw new LarderError('INSTALLED_DB_INVALID', `${source}: record ${recordNo} (line ${line}): ${message}`);
  };
  const finish = (done: PackageRecord): void => {
    if (done.name === '') fail('missing P: (name)', firstLine);
    if (done.version === '') fail(`missing V: (version) for ${done.name}`, firstLine);
    done.fieldOrder = order;
    if (odd !== '') done.uninstallable = odd;
    pkgs.push({ record: done, files: files.dirs });
  };

  const n = text.length;
  let pos = 0;
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    lineNo++;
    if (end === pos) {
      if (rec !== undefined) finish(rec);
      rec = undefined;
      pos = end + 1;
      continue;
    }
    if (rec === undefined) {
      rec = newPackageRecord('', '');
      files = new FileListReader();
      order = '';
      odd = '';
      installedSeen = false;
      recordNo++;
      firstLine = lineNo;
    }
    const letter = text.charAt(pos);
    const value = text.slice(pos + 2, end);
    if (end - pos < 2 || text.charCodeAt(pos + 1) !== 58 /* ':' */) {
      fail(`malformed line ${JSON.stringify(text.slice(pos, Math.min(end, pos + 40)))}: expected X:value`);
    }
    if (letter === 'F' && rec.name === '') fail('F: (directory) line before P: (name)');
    if (INSTALLED_LETTERS.includes(letter)) installedSeen = true;
    if (files.line(letter, value, fail)) {
      // file-list line: handled
    } else if (applyRecordField(rec, letter, value, fail)) {
      if (!order.includes(letter)) order += letter;
    } else if (installedSeen) {
      fail(`unknown field ${JSON.stringify(letter)} after installed-database fields`);
    } else {
      rec.extra.push([letter, value]);
      order += letter;
      if (!(letter >= 'a' && letter <= 'z') && !odd.includes(letter)) odd += letter;
    }
    pos = end + 1;
  }
  if (rec !== undefined) finish(rec);
  return pkgs;
}

/**
 * Writes an installed database as apk-tools' `apk_db_write_fdb` does, in the given package order:
 * each record's fields (see pushRecordLines; apk-tools' order unless the record carries a
 * `fieldOrder` from parsing), then its file list, then an empty line. apko's `i:[]` is written as
 * `i:`, and default ACLs are left out.
 *
 * @throws LarderError `INSTALLED_DB_INVALID` for a record that would not read back as written.
 */
export function formatInstalledDb(pkgs: readonly InstalledPackage[]): string {
  const out: string[] = [];
  for (const pkg of pkgs) {
    pushRecordLines(pkg.record, out, 'INSTALLED_DB_INVALID');
    const start = out.length;
    pushFileLines(pkg.files, out);
    for (let i = start; i < out.length; i++) {
      if (out[i]?.includes('\n')) {
        throw new LarderError(
          'INSTALLED_DB_INVALID',
          `cannot write ${pkg.record.name}: newline in a file-list line`,
        );
      }
    }
    out.push('');
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
