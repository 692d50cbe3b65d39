import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import {
  type GzipEvent,
  gzipBufferEvents,
  gzipBufferEventsAsync,
  readGzipMembers,
} from '../archive/index.js';
import { inFile, LarderError } from '../core/index.js';
import { ApkMemberReader, type MemberReaderOptions } from './package-members.js';
import type { ApkPackage, ApkPackageHead } from './package-types.js';

export type { ApkControlScript, ApkFileEntry, ApkSignatureVerdict } from './package-control.js';
export type { ApkPackage, ApkPackageHead, ApkVerification } from './package-types.js';

export interface ReadApkOptions extends MemberReaderOptions {
  /** Name used in messages when `source` is not a path. */
  readonly name?: string;
}

/**
 * Files up to this size are read whole and each member inflated in one zlib call on the thread
 * pool (a round trip per 16 KiB chunk made reading a 100 MB image's packages ~2x slower; one call
 * per member lets several packages inflate in parallel); larger ones stream with bounded memory.
 */
const IN_MEMORY_BYTES = 64 * 1024 * 1024;

type PackageSource = string | Uint8Array | AsyncIterable<Uint8Array>;

/**
 * Reads an .apk in one pass (formats.md §1): signature and control members are kept, data
 * members are hashed and their tar parsed without being kept. Structural problems (bad gzip,
 * bad tar, unsafe paths, bad .PKGINFO) throw a LarderError naming the file; verification results
 * are returned in `verification` (see assertApkVerified).
 */
export async function readApkPackage(
  source: PackageSource,
  options: ReadApkOptions = {},
): Promise<ApkPackage> {
  const name = options.name ?? (typeof source === 'string' ? source : 'package');
  try {
    const reader = new ApkMemberReader(name, options);
    for await (const ev of await eventsOf(source)) reader.push(ev);
    return reader.finish();
  } catch (err) {
    throw inFile(name, err);
  }
}

/**
 * Reads only what verifying a package against its index record needs: the signature and control
 * members, and a SHA-256 (plus, for packages without datahash, the legacy identity and
 * signature) over the raw bytes after them; the data is never inflated. The data tar's
 * structure and per-file checksums are checked by whoever reads the data (readApkPackage).
 */
export async function readApkPackageHead(
  source: string | Uint8Array,
  options: Omit<ReadApkOptions, 'onDataEvent' | 'onEntryEnd'> = {},
): Promise<ApkPackageHead> {
  const name = options.name ?? (typeof source === 'string' ? source : 'package');
  try {
    // A file that fits is read in one call: two streams per package cost ~8 ms each.
    if (typeof source === 'string') source = (await wholeFile(source)) ?? source;
    const reader = new ApkMemberReader(name, options);
    let end = 0;
    const events =
      typeof source === 'string' ? readGzipMembers(createReadStream(source)) : gzipBufferEvents(source);
    for await (const ev of events) {
      reader.push(ev);
      if (ev.type === 'end') end = ev.info.offset + ev.info.length;
      if (reader.headDone) break;
    }
    if (!reader.headDone) reader.finishHead(); // throws the missing-member error
    if (typeof source === 'string') {
      for await (const chunk of createReadStream(source, { start: end })) reader.data(chunk as Buffer);
    } else {
      reader.data(Buffer.from(source.buffer, source.byteOffset + end, source.byteLength - end));
    }
    return reader.finishHead();
  } catch (err) {
    throw inFile(name, err);
  }
}

async function eventsOf(source: PackageSource): Promise<Iterable<GzipEvent> | AsyncIterable<GzipEvent>> {
  if (source instanceof Uint8Array) return gzipBufferEvents(source);
  if (typeof source !== 'string') return readGzipMembers(source);
  const bytes = await wholeFile(source);
  return bytes === undefined ? readGzipMembers(createReadStream(source)) : gzipBufferEventsAsync(bytes);
}

/** The file's bytes when it is at most IN_MEMORY_BYTES long, else undefined (stream it). */
async function wholeFile(path: string): Promise<Buffer | undefined> {
  const file = await open(path);
  try {
    const { size } = await file.stat();
    return size > IN_MEMORY_BYTES ? undefined : await file.readFile();
  } finally {
    await file.close();
  }
}

/**
 * Throws the LarderError a failed verification deserves; returns when everything verified.
 * `signature: false` checks only the hashes (for callers that do not hold a keyring). A package
 * head has no per-file checksums to check.
 */
export function assertApkVerified(pkg: ApkPackageHead, options: { signature?: boolean } = {}): void {
  const v = pkg.verification;
  if (options.signature !== false && v.signature.verdict === 'unchecked') {
    throw new LarderError('SIGNATURE_UNTRUSTED', `${pkg.source}: signature not checked: no keyring given`, {
      subject: pkg.source,
    });
  }
  if (v.signature.verdict === 'untrusted')
    throw new LarderError('SIGNATURE_UNTRUSTED', `${pkg.source}: ${v.signature.reason}`, {
      subject: pkg.source,
    });
  if (v.signature.verdict === 'bad')
    throw new LarderError('SIGNATURE_BAD', `${pkg.source}: ${v.signature.reason}`, { subject: pkg.source });
  if (typeof v.datahash === 'object') {
    throw new LarderError(
      'DATAHASH_MISMATCH',
      `${pkg.source}: data member sha256 ${v.datahash.actual} but .PKGINFO datahash is ${v.datahash.expected}`,
      { subject: pkg.source },
    );
  }
  if (v.fileChecksums?.mismatched.length) {
    throw new LarderError(
      'FILE_CHECKSUM_MISMATCH',
      `${pkg.source}: content does not match APK-TOOLS.checksum.SHA1 for ${v.fileChecksums.mismatched.join(', ')}`,
      { subject: pkg.source },
    );
  }
}
