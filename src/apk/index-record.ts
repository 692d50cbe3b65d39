import { appendWords, type FieldFailure, isChecksum, parseDecimalField, quote } from './field-values.js';

/**
 * One package's metadata as it appears in an APKINDEX record and at the head of an installed
 * database record (docs/formats.md 2.2, 4.6). Field letters are given in the comments.
 */
export interface PackageRecord {
  /** `C:` package identity checksum, `Q1<base64 sha1>` (or `X1<hex>`), as written. */
  checksum?: string;
  /** `P:` package name. */
  name: string;
  /** `V:` apk version string, not validated here. */
  version: string;
  /** `A:` architecture. */
  arch?: string;
  /** `S:` size of the .apk file in bytes. */
  size?: number;
  /** `I:` installed size in bytes. */
  installedSize?: number;
  /** `T:` one-line description. */
  description?: string;
  /** `U:` project URL. */
  url?: string;
  /** `L:` license expression. */
  license?: string;
  /** `o:` origin (source package) name. */
  origin?: string;
  /** `m:` maintainer. */
  maintainer?: string;
  /** `t:` build time, Unix seconds. */
  buildTime?: number;
  /** `c:` source commit. */
  commit?: string;
  /** `k:` provider priority. */
  providerPriority?: number;
  /** `D:` raw dependency strings (split on spaces; parsed elsewhere). */
  depends: string[];
  /** `p:` raw provides strings. */
  provides: string[];
  /** `i:` raw install_if strings. */
  installIf: string[];
  /** `r:` raw replaces strings (installed database only). */
  replaces: string[];
  /** `q:` replaces priority (installed database only). */
  replacesPriority?: number;
  /** `s:` repository tag the package was installed from (installed database only). */
  repoTag?: string;
  /** `f:` broken flags, letters of `fsxS` (installed database only). */
  brokenFlags?: string;
  /** Lines with letters this model does not know, as `[letter, value]`, in the order read. */
  extra: Array<[string, string]>;
  /**
   * The unknown letters seen that are not lower-case (e.g. `"X"`), when there are any: apk-tools
   * (`apk_pkg_add_info`) then marks the package not installable, while unknown lower-case letters
   * are optional extensions. Derived on parse; the fields themselves stay in `extra`.
   */
  uninstallable?: string;
  /**
   * The field letters in the order they were read (known letters once, unknown ones each time),
   * so that writing a parsed record reproduces apko's and melange's field order as well as
   * apk-tools'. Leave unset on records you build: the writer then uses apk-tools' order.
   */
  fieldOrder?: string;
}

/** A record with only a name and version: the starting point for builders and parsers. */
export function newPackageRecord(name: string, version: string): PackageRecord {
  return { name, version, depends: [], provides: [], installIf: [], replaces: [], extra: [] };
}

/** Letters that {@link applyRecordField} understands; every other letter is unknown. */
export const RECORD_LETTERS = 'CPVASITULomtckDpirqsf';

/**
 * Stores one `letter:value` line into `rec`. Returns false for a letter outside
 * {@link RECORD_LETTERS}, leaving `rec` unchanged. Repeated dependency-list letters append, as in
 * apk-tools (`apk_blob_pull_deps` adds to the array); repeated scalar letters overwrite.
 */
export function applyRecordField(
  rec: PackageRecord,
  letter: string,
  value: string,
  fail: FieldFailure,
): boolean {
  switch (letter) {
    case 'C':
      if (!isChecksum(value)) fail(`C: ${quote(value)} is not a Q1/X1 checksum`);
      rec.checksum = value;
      break;
    case 'P':
      rec.name = value;
      break;
    case 'V':
      rec.version = value;
      break;
    case 'A':
      rec.arch = value;
      break;
    case 'S':
      rec.size = parseDecimalField(letter, value, fail);
      break;
    case 'I':
      rec.installedSize = parseDecimalField(letter, value, fail);
      break;
    case 'T':
      rec.description = value;
      break;
    case 'U':
      rec.url = value;
      break;
    case 'L':
      rec.license = value;
      break;
    case 'o':
      rec.origin = value;
      break;
    case 'm':
      rec.maintainer = value;
      break;
    case 't':
      rec.buildTime = parseDecimalField(letter, value, fail);
      break;
    case 'c':
      rec.commit = value;
      break;
    case 'k':
      rec.providerPriority = parseDecimalField(letter, value, fail);
      break;
    case 'D':
      rec.depends = appendWords(rec.depends, value);
      break;
    case 'p':
      rec.provides = appendWords(rec.provides, value);
      break;
    case 'i':
      // apko prints install_if from a Go slice: `i:[]`, or `i:[a b]`; '[' starts no real name.
      rec.installIf = appendWords(
        rec.installIf,
        value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value,
      );
      break;
    case 'r':
      rec.replaces = appendWords(rec.replaces, value);
      break;
    case 'q':
      rec.replacesPriority = parseDecimalField(letter, value, fail);
      break;
    case 's':
      rec.repoTag = value;
      break;
    case 'f':
      for (const flag of value) if (!'fsxS'.includes(flag)) fail(`f: unknown broken flag ${quote(flag)}`);
      rec.brokenFlags = value;
      break;
    default:
      return false;
  }
  return true;
}
