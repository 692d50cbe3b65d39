import { type FieldFailure, isChecksum, parseDecimalField, quote } from './field-values.js';

/** Owner and permissions of a directory (`M:`) or file (`a:`) in the installed database. */
export interface InstalledAcl {
  uid: number;
  gid: number;
  /** Permission bits, written in octal. */
  mode: number;
  /** Checksum of the extended attributes, `Q1…`, when the entry has any. */
  xattrChecksum?: string;
}

/** A file owned by a package: `R:` and the `a:` and `Z:` lines after it. */
export interface InstalledFile {
  /** `R:` basename within the directory. */
  name: string;
  /** `a:`; unset means apk's default 0:0:0644. */
  acl?: InstalledAcl;
  /** `Z:` content checksum (`Q1…`; for a symlink, of the target string). */
  checksum?: string;
}

/** A directory owned by a package: `F:`, its `M:`, and the files listed under it. */
export interface InstalledDir {
  /** `F:` path relative to the root, without leading or trailing `/`; `''` is the root. */
  path: string;
  /** `M:`; unset means apk's default 0:0:0755. */
  acl?: InstalledAcl;
  files: InstalledFile[];
}

const DEFAULT_DIR_MODE = 0o755;
const DEFAULT_FILE_MODE = 0o644;

/**
 * Collects the file-list lines of one installed-database record, enforcing apk-tools' order
 * rules (`apk_db_index_read`): `M:` and `R:` need an `F:` before them, `a:` and `Z:` an `R:`
 * in the current directory. apk-tools lets an `a:` or `Z:` after a new `F:` reach back to the
 * previous directory's last file; that is a corrupt database, so it is an error here.
 */
export class FileListReader {
  readonly dirs: InstalledDir[] = [];
  private dir: InstalledDir | undefined;
  private file: InstalledFile | undefined;

  /** Handles one line; false when `letter` is not a file-list letter (F M R a Z). */
  line(letter: string, value: string, fail: FieldFailure): boolean {
    switch (letter) {
      case 'F':
        this.dir = { path: value, files: [] };
        this.file = undefined;
        this.dirs.push(this.dir);
        return true;
      case 'M': {
        const dir = this.currentDir(letter, fail);
        const acl = parseAcl(letter, value, DEFAULT_DIR_MODE, fail);
        if (acl === undefined) delete dir.acl;
        else dir.acl = acl;
        return true;
      }
      case 'R':
        this.file = { name: value };
        this.currentDir(letter, fail).files.push(this.file);
        return true;
      case 'a': {
        const file = this.currentFile(letter, fail);
        const acl = parseAcl(letter, value, DEFAULT_FILE_MODE, fail);
        if (acl === undefined) delete file.acl;
        else file.acl = acl;
        return true;
      }
      case 'Z':
        if (!isChecksum(value)) fail(`Z: ${quote(value)} is not a Q1/X1 checksum`);
        this.currentFile(letter, fail).checksum = value;
        return true;
      default:
        return false;
    }
  }

  private currentDir(letter: string, fail: FieldFailure): InstalledDir {
    return this.dir ?? fail(`${letter}: line before any F: (directory) line`);
  }

  private currentFile(letter: string, fail: FieldFailure): InstalledFile {
    return this.file ?? fail(`${letter}: line not after an R: (file) line in the current directory`);
  }
}

/**
 * Parses `uid:gid:octalmode[:xattrchecksum]`. Returns undefined for the default ACL (0:0 with
 * `defaultMode`, no xattrs), which apk-tools does not write, so that re-reading is stable.
 */
function parseAcl(
  letter: string,
  value: string,
  defaultMode: number,
  fail: FieldFailure,
): InstalledAcl | undefined {
  const parts = value.split(':');
  const [uid, gid, mode, xattr] = parts;
  if (parts.length < 3 || parts.length > 4 || uid === undefined || gid === undefined || mode === undefined) {
    return fail(`${letter}: ${quote(value)} is not uid:gid:mode[:checksum]`);
  }
  if (!/^[0-7]{1,7}$/.test(mode)) fail(`${letter}: mode ${quote(mode)} is not octal`);
  const acl: InstalledAcl = {
    uid: parseDecimalField(`${letter}: uid`, uid, fail),
    gid: parseDecimalField(`${letter}: gid`, gid, fail),
    mode: Number.parseInt(mode, 8),
  };
  if (xattr !== undefined) {
    if (!isChecksum(xattr)) fail(`${letter}: xattr checksum ${quote(xattr)} is not a Q1/X1 checksum`);
    acl.xattrChecksum = xattr;
  }
  const isDefault = acl.uid === 0 && acl.gid === 0 && acl.mode === defaultMode && xattr === undefined;
  return isDefault ? undefined : acl;
}

/**
 * Appends the file-list lines for `dirs` to `out`, as apk-tools' `apk_db_write_fdb` does:
 * `F:`, `M:` unless default, then per file `R:`, `a:` unless default, `Z:` when known. Modes
 * are unpadded octal (`apk_blob_push_uint(…, 8)`), so apko's `0777` is written back as `777`.
 */
export function pushFileLines(dirs: readonly InstalledDir[], out: string[]): void {
  for (const dir of dirs) {
    out.push(`F:${dir.path}`);
    if (dir.acl !== undefined && !isDefaultAcl(dir.acl, DEFAULT_DIR_MODE)) out.push(formatAcl('M', dir.acl));
    for (const file of dir.files) {
      out.push(`R:${file.name}`);
      if (file.acl !== undefined && !isDefaultAcl(file.acl, DEFAULT_FILE_MODE))
        out.push(formatAcl('a', file.acl));
      if (file.checksum !== undefined) out.push(`Z:${file.checksum}`);
    }
  }
}

function isDefaultAcl(acl: InstalledAcl, defaultMode: number): boolean {
  return acl.uid === 0 && acl.gid === 0 && acl.mode === defaultMode && acl.xattrChecksum === undefined;
}

function formatAcl(letter: string, acl: InstalledAcl): string {
  const xattr = acl.xattrChecksum === undefined ? '' : `:${acl.xattrChecksum}`;
  return `${letter}:${acl.uid}:${acl.gid}:${acl.mode.toString(8)}${xattr}`;
}
