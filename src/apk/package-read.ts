import { createHash, type Hash, type Verify } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  checkLinkTarget,
  type GzipMemberInfo,
  readGzipMembers,
  readTar,
  safeEntryPath,
  type TarEntry,
  type TarEvent,
  type TarHeader,
  TarParser,
} from '../archive/index.js';
import { inFile, LarderError, q1Checksum } from '../core/index.js';
import type { ApkKeyring } from './keyring.js';
import { type PkgInfo, parsePkgInfo } from './pkginfo.js';
import {
  type ApkSignatureEntry,
  failedSignatureVerdict,
  parseSignatureName,
  pickSignature,
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

/** The verdicts that make up "does this package verify". */
export interface ApkVerification {
  /** Signature over the control member (or control+data for packages without datahash). */
  readonly signature:
    | { readonly verdict: 'ok'; readonly keyName: string }
    | { readonly verdict: 'bad' | 'untrusted' | 'unchecked'; readonly reason: string };
  readonly datahash: 'ok' | 'absent' | { readonly expected: string; readonly actual: string };
  readonly fileChecksums: { readonly checked: number; readonly mismatched: readonly string[] };
}

/** A package read from an .apk file. */
export interface ApkPackage {
  readonly source: string;
  readonly pkginfo: PkgInfo;
  /** Control entries other than `.PKGINFO` (scripts), with their content. */
  readonly scripts: ReadonlyArray<{ readonly name: string; readonly mode: number; readonly content: Buffer }>;
  readonly signatures: readonly ApkSignatureEntry[];
  readonly members: {
    readonly signature?: GzipMemberInfo;
    readonly control: GzipMemberInfo;
    readonly data: readonly GzipMemberInfo[];
  };
  /** The APKINDEX `C:` identity: `Q1` + base64(SHA-1 of the control member). */
  readonly checksum: string;
  /** Lowercase hex SHA-256 of everything after the control member. */
  readonly dataSha256: string;
  readonly fileSize: number;
  readonly files: readonly ApkFileEntry[];
  readonly verification: ApkVerification;
}

export interface ReadApkOptions {
  /** When given, the signature is checked against it; otherwise it is `unchecked`. */
  readonly keyring?: ApkKeyring;
  /** Sees every event of the data tar, e.g. to stream file contents elsewhere. */
  readonly onDataEvent?: (event: TarEvent) => void;
  /** Name used in messages when `source` is not a path. */
  readonly name?: string;
}

/** Upper bound on signature and control members, which are a few KiB in real packages. */
const MAX_CONTROL_BYTES = 16 * 1024 * 1024;

/**
 * Reads an .apk in one streaming pass (formats.md §1): signature and control members are
 * kept, data members are hashed and their tar parsed without being buffered. Structural
 * problems (bad gzip, bad tar, unsafe paths, bad .PKGINFO) throw a LarderError naming the
 * file; verification results are returned in `verification` (see assertApkVerified).
 */
export async function readApkPackage(
  source: string | AsyncIterable<Uint8Array>,
  options: ReadApkOptions = {},
): Promise<ApkPackage> {
  const name = options.name ?? (typeof source === 'string' ? source : 'package');
  try {
    return await readStream(typeof source === 'string' ? createReadStream(source) : source, name, options);
  } catch (err) {
    throw inFile(name, err);
  }
}

async function readStream(
  stream: AsyncIterable<Uint8Array>,
  name: string,
  options: ReadApkOptions,
): Promise<ApkPackage> {
  const head: { raw: Buffer[]; data: Buffer[]; size: number } = { raw: [], data: [], size: 0 };
  let signatureInfo: GzipMemberInfo | undefined;
  let controlInfo: GzipMemberInfo | undefined;
  let signatures: ApkSignatureEntry[] = [];
  let control: { pkginfo: PkgInfo; scripts: ApkPackage['scripts']; raw: Buffer } | undefined;
  const dataInfos: GzipMemberInfo[] = [];
  const dataHash = createHash('sha256');
  let legacy: { identity: Hash; verify?: Verify } | undefined;
  let pick: SignaturePick | undefined;
  const files: ApkFileEntry[] = [];
  const mismatched: string[] = [];
  let checked = 0;
  const parser = new TarParser();
  let current: { entry: ApkFileEntry; hash?: Hash } | undefined;
  let sawEnd = false;

  const onTar = (event: TarEvent): void => {
    options.onDataEvent?.(event);
    switch (event.type) {
      case 'entry': {
        const entry = toFileEntry(event.header);
        files.push(entry);
        current = {
          entry,
          ...(entry.sha1 !== undefined && event.header.type === 'file' ? { hash: createHash('sha1') } : {}),
        };
        if (entry.sha1 !== undefined && event.header.type === 'symlink') {
          checked++;
          const actual = createHash('sha1').update(event.header.linkname).digest('hex');
          if (actual !== entry.sha1) mismatched.push(entry.path);
        }
        break;
      }
      case 'data':
        current?.hash?.update(event.bytes);
        break;
      case 'entry-end':
        if (current?.hash !== undefined) {
          checked++;
          if (current.hash.digest('hex') !== current.entry.sha1) mismatched.push(current.entry.path);
        }
        current = undefined;
        break;
      case 'eof':
        sawEnd = true;
        break;
    }
  };

  for await (const ev of readGzipMembers(stream)) {
    const isHead = control === undefined;
    if (ev.type === 'raw') {
      if (isHead) {
        head.raw.push(ev.bytes);
        head.size += ev.bytes.length;
        if (head.size > MAX_CONTROL_BYTES)
          throw new LarderError('PACKAGE_INVALID', `control member larger than ${MAX_CONTROL_BYTES} bytes`);
      } else {
        dataHash.update(ev.bytes);
        legacy?.identity.update(ev.bytes);
        legacy?.verify?.update(ev.bytes);
      }
    } else if (ev.type === 'data') {
      if (isHead) head.data.push(ev.bytes);
      else for (const t of parser.write(ev.bytes)) onTar(t);
    } else if (isHead) {
      const raw = Buffer.concat(head.raw);
      const entries = readTar(Buffer.concat(head.data));
      head.raw = [];
      head.data = [];
      head.size = 0;
      if (signatureInfo === undefined && ev.member === 0 && entries[0]?.header.name.startsWith('.SIGN.')) {
        signatureInfo = ev.info;
        signatures = parseSignatureEntries(entries);
        if (options.keyring) pick = pickSignature(signatures, options.keyring);
        continue;
      }
      controlInfo = ev.info;
      control = { ...parseControl(entries, name), raw };
      if (control.pkginfo.datahash === undefined) {
        legacy = { identity: createHash('sha1').update(raw) };
        if (pick?.found) legacy.verify = startVerify(pick.algorithm).update(raw);
      }
    } else {
      dataInfos.push(ev.info);
    }
  }
  for (const t of parser.end()) onTar(t);
  if (control === undefined || controlInfo === undefined) {
    throw new LarderError(
      'PACKAGE_INVALID',
      signatureInfo ? 'no control member after the signature' : 'empty file: no gzip members',
    );
  }
  if (dataInfos.length === 0)
    throw new LarderError('PACKAGE_INVALID', 'no data member after the control member');
  // A gzip file cut exactly at a member boundary is still valid gzip: only the tar's
  // end-of-archive blocks prove the data is complete.
  if (!sawEnd)
    throw new LarderError('PACKAGE_INVALID', 'the data tar has no end-of-archive blocks (file truncated?)');

  const dataSha256 = dataHash.digest('hex');
  const expected = control.pkginfo.datahash;
  const checksum = q1Checksum(
    legacy ? legacy.identity.digest() : createHash('sha1').update(control.raw).digest(),
  );
  const last = dataInfos[dataInfos.length - 1]!;
  return {
    source: name,
    pkginfo: control.pkginfo,
    scripts: control.scripts,
    signatures,
    members: {
      ...(signatureInfo ? { signature: signatureInfo } : {}),
      control: controlInfo,
      data: dataInfos,
    },
    checksum,
    dataSha256,
    fileSize: last.offset + last.length,
    files,
    verification: {
      signature: signatureVerdict(options.keyring, pick, legacy?.verify, control.raw),
      datahash:
        expected === undefined ? 'absent' : expected === dataSha256 ? 'ok' : { expected, actual: dataSha256 },
      fileChecksums: { checked, mismatched },
    },
  };
}

function signatureVerdict(
  keyring: ApkKeyring | undefined,
  pick: SignaturePick | undefined,
  legacy: Verify | undefined,
  control: Buffer,
): ApkVerification['signature'] {
  if (keyring === undefined) return { verdict: 'unchecked', reason: 'no keyring given' };
  if (pick === undefined) return { verdict: 'untrusted', reason: 'not signed' };
  if (!pick.found) return { verdict: 'untrusted', reason: pick.reason };
  const verifier = legacy ?? startVerify(pick.algorithm).update(control);
  return verifier.verify(pick.key, pick.entry.signature)
    ? { verdict: 'ok', keyName: pick.entry.keyName }
    : failedSignatureVerdict(pick);
}

function parseSignatureEntries(entries: readonly TarEntry[]): ApkSignatureEntry[] {
  const out: ApkSignatureEntry[] = [];
  for (const e of entries) {
    const parsed = parseSignatureName(e.header.name);
    if (parsed !== undefined && e.header.type === 'file') out.push({ ...parsed, signature: e.data });
  }
  return out;
}

function parseControl(
  entries: readonly TarEntry[],
  name: string,
): { pkginfo: PkgInfo; scripts: ApkPackage['scripts'] } {
  let pkginfo: PkgInfo | undefined;
  const scripts: Array<{ name: string; mode: number; content: Buffer }> = [];
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

function toFileEntry(header: TarHeader): ApkFileEntry {
  const path = safeEntryPath(header.name);
  if (header.type === 'symlink' || header.type === 'hardlink')
    checkLinkTarget(path, header.type, header.linkname);
  const sum = header.pax.get('APK-TOOLS.checksum.SHA1')?.toString('latin1');
  return { path, header, ...(sum !== undefined ? { sha1: sum.toLowerCase() } : {}) };
}

/**
 * Throws the LarderError a failed verification deserves; returns when everything verified.
 * `signature: false` checks only the hashes (for callers that do not hold a keyring).
 */
export function assertApkVerified(pkg: ApkPackage, options: { signature?: boolean } = {}): void {
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
  if (v.fileChecksums.mismatched.length) {
    throw new LarderError(
      'FILE_CHECKSUM_MISMATCH',
      `${pkg.source}: content does not match APK-TOOLS.checksum.SHA1 for ${v.fileChecksums.mismatched.join(', ')}`,
      { subject: pkg.source },
    );
  }
}
