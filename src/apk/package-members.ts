import { createHash, type Hash, type Verify } from 'node:crypto';
import { type GzipEvent, type GzipMemberInfo, readTar, type TarEvent, TarParser } from '../archive/index.js';
import { LarderError, q1Checksum } from '../core/index.js';
import type { ApkKeyring } from './keyring.js';
import {
  type ApkControlScript,
  type ApkFileEntry,
  parseControl,
  parseSignatureEntries,
  signatureVerdict,
  toFileEntry,
} from './package-control.js';
import type { ApkPackage, ApkPackageHead } from './package-types.js';
import type { PkgInfo } from './pkginfo.js';
import { type ApkSignatureEntry, pickSignature, type SignaturePick, startVerify } from './signature.js';

/** Upper bound on signature and control members, which are a few KiB in real packages. */
const MAX_CONTROL_BYTES = 16 * 1024 * 1024;

/** Callbacks and keys for reading a package's members. */
export interface MemberReaderOptions {
  readonly keyring?: ApkKeyring;
  readonly onDataEvent?: (event: TarEvent) => void;
  /**
   * Called at the end of every data-tar entry with the SHA-1 (hex) of a regular file's content
   * or a symlink's target; when given, every regular file is hashed, not only those that carry
   * an `APK-TOOLS.checksum.SHA1` to check.
   */
  readonly onEntryEnd?: (entry: ApkFileEntry, sha1: string | undefined) => void;
  /**
   * Take a file's `APK-TOOLS.checksum.SHA1` as its checksum without hashing the content, as
   * apk-tools 2.14 does when it installs (`apk_db_install_archive_entry`): the record is covered
   * by the datahash, which the signature covers. Only files without one are hashed. `apk verify`
   * style checks leave this off and hash every file.
   */
  readonly trustFileChecksums?: boolean;
}

/**
 * The state machine behind readApkPackage (formats.md §1): fed the gzip events of an .apk in
 * order, it keeps the signature and control members, hashes everything after the control
 * member (datahash, and the legacy identity/signature of packages without one) and parses the
 * data tar as it streams, checking per-file checksums. `headDone` turns true once the control
 * member is parsed; a head-only reader then feeds the remaining raw bytes to `data()`.
 */
export class ApkMemberReader {
  private head: { raw: Buffer[]; data: Buffer[]; size: number } = { raw: [], data: [], size: 0 };
  private signatureInfo: GzipMemberInfo | undefined;
  private controlInfo: GzipMemberInfo | undefined;
  private signatures: ApkSignatureEntry[] = [];
  private control: { pkginfo: PkgInfo; scripts: ApkControlScript[]; raw: Buffer } | undefined;
  private readonly dataInfos: GzipMemberInfo[] = [];
  private readonly dataHash = createHash('sha256');
  private dataBytes = 0;
  private legacy: { identity: Hash; verify?: Verify } | undefined;
  private pick: SignaturePick | undefined;
  private readonly files: ApkFileEntry[] = [];
  private readonly mismatched: string[] = [];
  private checked = 0;
  private readonly parser = new TarParser();
  private current: { entry: ApkFileEntry; hash?: Hash } | undefined;
  private sawEnd = false;

  constructor(
    private readonly name: string,
    private readonly options: MemberReaderOptions = {},
  ) {}

  get headDone(): boolean {
    return this.control !== undefined;
  }

  /** Consumes one event of readGzipMembers / gzipBufferEvents. */
  push(ev: GzipEvent): void {
    const isHead = this.control === undefined;
    if (ev.type === 'raw') {
      if (isHead) {
        this.head.raw.push(ev.bytes);
        this.head.size += ev.bytes.length;
        if (this.head.size > MAX_CONTROL_BYTES)
          throw new LarderError('PACKAGE_INVALID', `control member larger than ${MAX_CONTROL_BYTES} bytes`);
      } else this.data(ev.bytes);
    } else if (ev.type === 'data') {
      if (isHead) this.head.data.push(ev.bytes);
      else for (const t of this.parser.write(ev.bytes)) this.onTar(t);
    } else if (isHead) this.endHeadMember(ev.member, ev.info);
    else this.dataInfos.push(ev.info);
  }

  /** Raw (compressed) bytes after the control member: hashed, never inflated here. */
  data(bytes: Buffer): void {
    this.dataBytes += bytes.length;
    this.dataHash.update(bytes);
    this.legacy?.identity.update(bytes);
    this.legacy?.verify?.update(bytes);
  }

  /** The package's head, once every byte after the control member went through `data()`. */
  finishHead(): ApkPackageHead {
    const { control, controlInfo } = this.requireControl();
    if (this.dataBytes === 0)
      throw new LarderError('PACKAGE_INVALID', 'no data member after the control member');
    const dataSha256 = this.dataHash.digest('hex');
    const expected = control.pkginfo.datahash;
    const identity = this.legacy
      ? this.legacy.identity.digest()
      : createHash('sha1').update(control.raw).digest();
    return {
      source: this.name,
      pkginfo: control.pkginfo,
      scripts: control.scripts,
      signatures: this.signatures,
      members: { ...(this.signatureInfo ? { signature: this.signatureInfo } : {}), control: controlInfo },
      checksum: q1Checksum(identity),
      dataSha256,
      fileSize: controlInfo.offset + controlInfo.length + this.dataBytes,
      verification: {
        signature: signatureVerdict(this.options.keyring, this.pick, this.legacy?.verify, control.raw),
        datahash:
          expected === undefined
            ? 'absent'
            : expected === dataSha256
              ? 'ok'
              : { expected, actual: dataSha256 },
      },
    };
  }

  /** The whole package, once every event was pushed. */
  finish(): ApkPackage {
    for (const t of this.parser.end()) this.onTar(t);
    this.requireControl();
    if (this.dataInfos.length === 0)
      throw new LarderError('PACKAGE_INVALID', 'no data member after the control member');
    // A gzip file cut exactly at a member boundary is still valid gzip: only the tar's
    // end-of-archive blocks prove the data is complete.
    if (!this.sawEnd)
      throw new LarderError('PACKAGE_INVALID', 'the data tar has no end-of-archive blocks (file truncated?)');
    const head = this.finishHead();
    return {
      ...head,
      members: { ...head.members, data: this.dataInfos },
      files: this.files,
      verification: {
        ...head.verification,
        fileChecksums: { checked: this.checked, mismatched: this.mismatched },
      },
    };
  }

  private requireControl() {
    const { control, controlInfo } = this;
    if (control === undefined || controlInfo === undefined) {
      throw new LarderError(
        'PACKAGE_INVALID',
        this.signatureInfo ? 'no control member after the signature' : 'empty file: no gzip members',
      );
    }
    return { control, controlInfo };
  }

  private endHeadMember(member: number, info: GzipMemberInfo): void {
    const raw = Buffer.concat(this.head.raw);
    const entries = readTar(Buffer.concat(this.head.data));
    this.head = { raw: [], data: [], size: 0 };
    if (this.signatureInfo === undefined && member === 0 && entries[0]?.header.name.startsWith('.SIGN.')) {
      this.signatureInfo = info;
      this.signatures = parseSignatureEntries(entries);
      if (this.options.keyring) this.pick = pickSignature(this.signatures, this.options.keyring);
      return;
    }
    this.controlInfo = info;
    this.control = { ...parseControl(entries, this.name), raw };
    if (this.control.pkginfo.datahash === undefined) {
      this.legacy = { identity: createHash('sha1').update(raw) };
      if (this.pick?.found) this.legacy.verify = startVerify(this.pick.algorithm).update(raw);
    }
  }

  private onTar(event: TarEvent): void {
    this.options.onDataEvent?.(event);
    switch (event.type) {
      case 'entry': {
        const entry = toFileEntry(event.header);
        this.files.push(entry);
        const trusted = this.options.trustFileChecksums === true && entry.sha1 !== undefined;
        const hashed =
          event.header.type === 'file' &&
          !trusted &&
          (entry.sha1 !== undefined || this.options.onEntryEnd !== undefined);
        this.current = { entry, ...(hashed ? { hash: createHash('sha1') } : {}) };
        break;
      }
      case 'data':
        this.current?.hash?.update(event.bytes);
        break;
      case 'entry-end':
        if (this.current !== undefined) this.endEntry(this.current.entry, this.current.hash);
        this.current = undefined;
        break;
      case 'eof':
        this.sawEnd = true;
        break;
    }
  }

  private endEntry(entry: ApkFileEntry, hash: Hash | undefined): void {
    let actual: string | undefined;
    if (hash !== undefined) actual = hash.digest('hex');
    else if (entry.header.type === 'symlink')
      actual = createHash('sha1').update(entry.header.linkname).digest('hex');
    else if (entry.header.type === 'file' && this.options.trustFileChecksums === true) {
      this.options.onEntryEnd?.(entry, entry.sha1);
      return;
    }
    if (entry.sha1 !== undefined && actual !== undefined) {
      this.checked++;
      if (actual !== entry.sha1) this.mismatched.push(entry.path);
    }
    this.options.onEntryEnd?.(entry, actual);
  }
}
