import type { Verify } from 'node:crypto';
import { checkLinkTarget, safeEntryPath, type TarEntry, type TarHeader } from '../archive/index.js';
import { LarderError } from '../core/index.js';
import type { ApkKeyring } from './keyring.js';
import { type PkgInfo, parsePkgInfo } from './pkginfo.js';
import {
  type ApkSignatureEntry,
  failedSignatureVerdict,
  parseSignatureName,
  type SignaturePick,
  startVerify,
} from './signature.js';

/** One entry of a package's data tar, as read. */
export interface ApkFileEntry {
  readonly path: string;
  readonly header: TarHeader;
  /** The `APK-TOOLS.checksum.SHA1` PAX record (lowercase hex), when present. */
  readonly sha1?: string;
}

/** A control script (`.post-install`, ...) with its content. */
export interface ApkControlScript {
  readonly name: string;
  readonly mode: number;
  readonly content: Buffer;
}

/** The signature verdict of a package (see ApkVerification). */
export type ApkSignatureVerdict =
  | { readonly verdict: 'ok'; readonly keyName: string }
  | { readonly verdict: 'bad' | 'untrusted' | 'unchecked'; readonly reason: string };

/** The `.SIGN.*` entries of a signature member. */
export function parseSignatureEntries(entries: readonly TarEntry[]): ApkSignatureEntry[] {
  const out: ApkSignatureEntry[] = [];
  for (const e of entries) {
    const parsed = parseSignatureName(e.header.name);
    if (parsed !== undefined && e.header.type === 'file') out.push({ ...parsed, signature: e.data });
  }
  return out;
}

/** `.PKGINFO` and the scripts of a control member; anything else in it is an error. */
export function parseControl(
  entries: readonly TarEntry[],
  name: string,
): { pkginfo: PkgInfo; scripts: ApkControlScript[] } {
  let pkginfo: PkgInfo | undefined;
  const scripts: ApkControlScript[] = [];
  for (const e of entries) {
    const entryName = e.header.name;
    if (!entryName.startsWith('.') || entryName.includes('/')) {
      throw new LarderError(
        'PACKAGE_INVALID',
        `control member holds '${entryName}', which is not a control entry`,
      );
    }
    if (entryName === '.PKGINFO') pkginfo = parsePkgInfo(e.data.toString('utf8'), `${name}: .PKGINFO`);
    else scripts.push({ name: entryName, mode: e.header.mode, content: e.data });
  }
  if (pkginfo === undefined) throw new LarderError('PACKAGE_INVALID', 'control member has no .PKGINFO');
  return { pkginfo, scripts };
}

/**
 * The verdict on the signature picked from the keyring: over the control member, or over
 * control and data together (`legacy`, fed as the data was read) for packages without datahash.
 */
export function signatureVerdict(
  keyring: ApkKeyring | undefined,
  pick: SignaturePick | undefined,
  legacy: Verify | undefined,
  control: Buffer,
): ApkSignatureVerdict {
  if (keyring === undefined) return { verdict: 'unchecked', reason: 'no keyring given' };
  if (pick === undefined) return { verdict: 'untrusted', reason: 'not signed' };
  if (!pick.found) return { verdict: 'untrusted', reason: pick.reason };
  const verifier = legacy ?? startVerify(pick.algorithm).update(control);
  return verifier.verify(pick.key, pick.entry.signature)
    ? { verdict: 'ok', keyName: pick.entry.keyName }
    : failedSignatureVerdict(pick);
}

/** A data-tar entry with its path checked (no escape from the root) and its PAX checksum. */
export function toFileEntry(header: TarHeader): ApkFileEntry {
  const path = safeEntryPath(header.name);
  if (header.type === 'symlink' || header.type === 'hardlink')
    checkLinkTarget(path, header.type, header.linkname);
  const sum = header.pax.get('APK-TOOLS.checksum.SHA1')?.toString('latin1');
  return { path, header, ...(sum !== undefined ? { sha1: sum.toLowerCase() } : {}) };
}
