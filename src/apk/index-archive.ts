import {
  gzipMember,
  readTar,
  splitGzipMembers,
  type TarWriteEntry,
  tarEntry,
  writeTar,
} from '../archive/index.js';
import { LarderError } from '../core/index.js';
import type { PackageRecord } from './index-record.js';
import { formatApkIndexText, parseApkIndexBytes } from './index-text.js';
import type { ApkKeyring } from './keyring.js';
import type { ApkSigningKey } from './rsa-key.js';
import {
  type ApkSignatureEntry,
  failedSignatureVerdict,
  parseSignatureName,
  pickSignature,
  signatureEntryName,
  signRsa256,
  verifySignature,
} from './signature.js';

/** A repository index as read from `APKINDEX.tar.gz` (or a plain `APKINDEX` text file). */
export interface ApkIndex {
  readonly records: PackageRecord[];
  readonly description: string;
  readonly signatures: readonly ApkSignatureEntry[];
  /** How the signature checked out against the keyring, when one was given. */
  readonly signature:
    | { readonly verdict: 'ok'; readonly keyName: string }
    | { readonly verdict: 'unchecked' | 'untrusted' | 'bad'; readonly reason: string };
}

export interface ReadApkIndexOptions {
  /** Name used in messages (a path or URL). */
  readonly source?: string;
  /** When given, the signature must verify against it unless `allowUntrusted`. */
  readonly keyring?: ApkKeyring;
  /** Accept an index whose signature is missing or unknown (never one that is wrong). */
  readonly allowUntrusted?: boolean;
}

/**
 * Reads an index (formats.md §2): an optional signature member over the exact compressed
 * bytes that follow it, then a closed tar holding `APKINDEX` and `DESCRIPTION` in either
 * order (other names are ignored, as apk does). Plain, uncompressed APKINDEX text is read
 * too (it can carry no signature). With a keyring, an untrusted index throws
 * SIGNATURE_UNTRUSTED unless `allowUntrusted`, and a bad signature always throws.
 */
export function readApkIndex(bytes: Uint8Array, options: ReadApkIndexOptions = {}): ApkIndex {
  const source = options.source ?? 'APKINDEX';
  const isGzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (!isGzip) {
    const records = parseApkIndexBytes(bytes, source);
    return finish(
      { records, description: '', signatures: [], signature: unsigned(options, source) },
      options,
      source,
    );
  }
  const members = splitGzipMembers(bytes);
  const signatures = signatureEntries(members[0]?.data);
  const start = signatures === undefined ? 0 : 1;
  if (members.length <= start)
    throw new LarderError('INDEX_INVALID', `${source}: no index member after the signature`, {
      subject: source,
    });
  const signed = Buffer.from(bytes.subarray(members[start]!.offset));
  // One index member (every real index) is read in place rather than copied by concat.
  const rest = members.slice(start).map((m) => m.data);
  const entries = readTar(rest.length === 1 ? rest[0]! : Buffer.concat(rest));
  const text = entries.find((e) => e.header.name === 'APKINDEX');
  if (text === undefined)
    throw new LarderError('INDEX_INVALID', `${source}: the archive has no APKINDEX entry`, {
      subject: source,
    });
  const description = entries.find((e) => e.header.name === 'DESCRIPTION')?.data.toString('utf8') ?? '';
  const records = parseApkIndexBytes(text.data, source);
  const found = signatures ?? [];
  const signature = checkIndexSignature(found, signed, options);
  return finish({ records, description, signatures: found, signature }, options, source);
}

/** The `.SIGN.*` entries of a first member, or undefined when it is not a signature member. */
function signatureEntries(first: Buffer | undefined): ApkSignatureEntry[] | undefined {
  const entries = first ? readTar(first) : [];
  if (!entries[0]?.header.name.startsWith('.SIGN.')) return undefined;
  const out: ApkSignatureEntry[] = [];
  for (const e of entries) {
    const parsed = parseSignatureName(e.header.name);
    if (parsed && e.header.type === 'file') out.push({ ...parsed, signature: e.data });
  }
  return out;
}

function checkIndexSignature(
  signatures: readonly ApkSignatureEntry[],
  signed: Uint8Array,
  options: ReadApkIndexOptions,
): ApkIndex['signature'] {
  if (!options.keyring) return { verdict: 'unchecked', reason: 'no keyring given' };
  const pick = pickSignature(signatures, options.keyring);
  if (!pick.found) return { verdict: 'untrusted', reason: pick.reason };
  if (verifySignature(pick, signed)) return { verdict: 'ok', keyName: pick.entry.keyName };
  return failedSignatureVerdict(pick);
}

/** What verifyApkIndex finds out without reading the index itself. */
export type ApkIndexTrust = Pick<ApkIndex, 'signatures' | 'signature'>;

/**
 * Checks an index's signature exactly as readApkIndex does (same verdicts, same errors) but
 * without inflating or parsing the index member: the signature covers its compressed bytes.
 * For callers that keep parsed indexes by digest and only need to know the bytes are trusted.
 */
export function verifyApkIndex(bytes: Uint8Array, options: ReadApkIndexOptions = {}): ApkIndexTrust {
  const source = options.source ?? 'APKINDEX';
  const isGzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (!isGzip) return finishTrust({ signatures: [], signature: unsigned(options, source) }, options, source);
  const [first] = splitGzipMembers(bytes, { limit: 1 });
  const signatures = signatureEntries(first?.data);
  if (signatures === undefined)
    return finishTrust(
      { signatures: [], signature: checkIndexSignature([], bytes, options) },
      options,
      source,
    );
  const signed = bytes.subarray(first!.length);
  if (signed.length === 0)
    throw new LarderError('INDEX_INVALID', `${source}: no index member after the signature`, {
      subject: source,
    });
  return finishTrust(
    { signatures, signature: checkIndexSignature(signatures, signed, options) },
    options,
    source,
  );
}

function finishTrust(trust: ApkIndexTrust, options: ReadApkIndexOptions, source: string): ApkIndexTrust {
  finish({ records: [], description: '', ...trust }, options, source);
  return trust;
}

function unsigned(options: ReadApkIndexOptions, _source: string): ApkIndex['signature'] {
  return options.keyring
    ? { verdict: 'untrusted', reason: 'plain APKINDEX text carries no signature' }
    : { verdict: 'unchecked', reason: 'no keyring given' };
}

function finish(index: ApkIndex, options: ReadApkIndexOptions, source: string): ApkIndex {
  const sig = index.signature;
  if (sig.verdict === 'bad')
    throw new LarderError('SIGNATURE_BAD', `${source}: ${sig.reason}`, { subject: source });
  if (sig.verdict === 'untrusted' && !options.allowUntrusted) {
    throw new LarderError(
      'SIGNATURE_UNTRUSTED',
      `${source}: ${sig.reason} (use --allow-untrusted to accept it)`,
      { subject: source },
    );
  }
  return index;
}

export interface WriteApkIndexOptions {
  readonly description?: string;
  /** Signs the index (RSA256, entry named after the key file). Unsigned when absent. */
  readonly signKey?: ApkSigningKey;
  /** Timestamp of the tar entries (SOURCE_DATE_EPOCH); 0 by default. */
  readonly mtime?: number;
  readonly level?: number;
}

/**
 * Serialises an index: the records (callers sort them, see sortApkIndexRecords), a closed
 * tar of `APKINDEX` then `DESCRIPTION` (as apko and melange write), gzipped, and when a key is
 * given a signature member over the exact compressed index bytes.
 */
export function writeApkIndex(records: readonly PackageRecord[], options: WriteApkIndexOptions = {}): Buffer {
  const mtime = options.mtime ?? 0;
  const level = options.level ?? 9;
  const root = { type: 'file', mode: 0o644, uid: 0, gid: 0, uname: 'root', gname: 'root', mtime } as const;
  const tar = writeTar(
    [
      { entry: { ...root, name: 'APKINDEX' }, data: Buffer.from(formatApkIndexText(records)) },
      { entry: { ...root, name: 'DESCRIPTION' }, data: Buffer.from(options.description ?? '') },
    ],
    { endBlocks: true },
  );
  const index = gzipMember(tar, { level });
  if (!options.signKey) return index;
  const entry: TarWriteEntry = { ...root, name: signatureEntryName(options.signKey) };
  const signature = gzipMember(tarEntry(entry, signRsa256(options.signKey, index)), { level });
  return Buffer.concat([signature, index]);
}
