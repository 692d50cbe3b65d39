import { LarderError } from '../core/index.js';
import { applyPreHeaders, emptyPreHeaders, type PreHeaders, parsePaxRecords } from './pax.js';
import {
  BLOCK,
  decodeHeaderBlock,
  ENTRY_TYPES,
  isZeroBlock,
  type RawHeader,
  type TarHeader,
} from './tar-header.js';

/** Limits for {@link TarParser} and {@link readTar}. */
export interface TarReadOptions {
  /** Largest PAX / GNU long-name payload accepted for one entry; default 1 MiB. */
  readonly maxPaxBytes?: number;
  /** Largest file accepted; default unlimited. */
  readonly maxEntrySize?: number;
}

/**
 * Events of {@link TarParser}. `entry` carries the offset of the entry's first header block
 * (its PAX or GNU pre-header when it has one); `data` bytes may share memory with the input.
 */
export type TarEvent =
  | { readonly type: 'entry'; readonly header: TarHeader; readonly offset: number }
  | { readonly type: 'data'; readonly bytes: Buffer }
  | { readonly type: 'entry-end' }
  | { readonly type: 'eof'; readonly offset: number };

type Phase = 'header' | 'pre' | 'body' | 'padding' | 'done';

// Pre-header types: PAX extended ('x') and global ('g'), GNU long name ('L') and long link ('K').
const PRE_HEADERS = new Set(['x', 'g', 'L', 'K']);

/**
 * A push parser for ustar / PAX / GNU tar streams, fed any chunking. It applies GNU long names
 * and PAX records but does no path-safety checks (see safeEntryPath). Input may stop at any
 * record boundary without end-of-archive blocks, as APK signature and control fragments do.
 */
export class TarParser {
  private readonly maxPaxBytes: number;
  private readonly maxEntrySize: number;
  private phase: Phase = 'header';
  private offset = 0; // absolute offset of the next input byte
  private readonly block = Buffer.alloc(BLOCK);
  private blockFill = 0;
  private zeroOffset: number | undefined; // a first zero block, waiting for its twin
  // Pre-header state of the entry being assembled.
  private entryOffset: number | undefined;
  private preType = '';
  private preOffset = 0;
  private preBody = Buffer.alloc(0);
  private preFill = 0;
  private pre: PreHeaders = emptyPreHeaders();
  // Body state.
  private current: TarHeader | undefined;
  private remaining = 0;
  private skip = 0;
  private endsEntry = false;
  private failure: unknown;

  constructor(options: TarReadOptions = {}) {
    this.maxPaxBytes = options.maxPaxBytes ?? 1024 * 1024;
    this.maxEntrySize = options.maxEntrySize ?? Number.POSITIVE_INFINITY;
  }

  /** Parses the next chunk; returns the events it completed. After a throw, every call throws. */
  write(chunk: Uint8Array): TarEvent[] {
    if (this.failure !== undefined) throw this.failure;
    try {
      return this.parse(chunk);
    } catch (err) {
      this.failure = err;
      throw err;
    }
  }

  private parse(chunk: Uint8Array): TarEvent[] {
    const events: TarEvent[] = [];
    let input = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (input.length > 0 && this.phase !== 'done') {
      let used: number;
      if (this.phase === 'header') {
        if (this.blockFill === 0 && input.length >= BLOCK) {
          used = BLOCK;
          this.onBlock(input.subarray(0, BLOCK), this.offset, events);
        } else {
          used = input.copy(this.block, this.blockFill, 0, BLOCK - this.blockFill);
          this.blockFill += used;
          if (this.blockFill === BLOCK) {
            this.blockFill = 0;
            this.onBlock(this.block, this.offset + used - BLOCK, events);
          }
        }
      } else if (this.phase === 'pre') {
        used = input.copy(this.preBody, this.preFill, 0, this.preBody.length - this.preFill);
        this.preFill += used;
        if (this.preFill === this.preBody.length) this.onPreBody();
      } else if (this.phase === 'body') {
        used = Math.min(this.remaining, input.length);
        events.push({ type: 'data', bytes: input.subarray(0, used) });
        this.remaining -= used;
        if (this.remaining === 0) this.startPadding(this.current!.size, true, events);
      } else {
        used = Math.min(this.skip, input.length);
        this.skip -= used;
        if (this.skip === 0) this.afterPadding(events);
      }
      this.offset += used;
      input = input.subarray(used);
    }
    return events;
  }

  /**
   * Ends the input. Accepts a stream without end-of-archive blocks when it stops at a record
   * boundary; throws TAR_TRUNCATED when it stops inside a header, a pre-header or an entry.
   */
  end(): TarEvent[] {
    if (this.failure !== undefined) throw this.failure;
    const phase = this.phase;
    this.phase = 'done';
    if (phase === 'done') return [];
    const truncated = (why: string): LarderError =>
      new LarderError('TAR_TRUNCATED', `tar input ends at offset ${this.offset} ${why}`);
    if (phase === 'header' && this.blockFill > 0) {
      throw truncated(`inside a header block (${this.blockFill} of ${BLOCK} bytes)`);
    }
    if (phase === 'body' || (phase === 'padding' && this.endsEntry)) {
      const what =
        phase === 'body' ? `${this.remaining} bytes before the end of the data` : 'inside the padding';
      throw truncated(
        `${what} of ${JSON.stringify(this.current!.name)} (entry at offset ${this.entryOffset})`,
      );
    }
    if (this.entryOffset !== undefined) {
      throw truncated(`after the pre-header at offset ${this.entryOffset}, before the entry it describes`);
    }
    // A lone zero block at the very end: tolerated as end of archive, as GNU tar does.
    return this.zeroOffset === undefined ? [] : [{ type: 'eof', offset: this.zeroOffset }];
  }

  private onBlock(block: Buffer, blockOffset: number, events: TarEvent[]): void {
    if (isZeroBlock(block)) {
      if (this.entryOffset !== undefined) {
        throw new LarderError(
          'TAR_BAD_HEADER',
          `tar pre-header at offset ${this.entryOffset} is followed by a zero block at offset ${blockOffset}`,
        );
      }
      if (this.zeroOffset === undefined) {
        this.zeroOffset = blockOffset;
      } else {
        events.push({ type: 'eof', offset: this.zeroOffset });
        this.phase = 'done';
      }
      return;
    }
    if (this.zeroOffset !== undefined) {
      throw new LarderError(
        'TAR_BAD_HEADER',
        `tar header at offset ${blockOffset} follows a lone zero block at offset ${this.zeroOffset}`,
      );
    }
    const raw = decodeHeaderBlock(block, blockOffset);
    this.entryOffset ??= blockOffset;
    if (PRE_HEADERS.has(raw.typeflag)) this.startPreHeader(raw, blockOffset);
    else this.startEntry(raw, blockOffset, events);
  }

  private startPreHeader(raw: RawHeader, blockOffset: number): void {
    this.pre.bytes += raw.size;
    if (this.pre.bytes > this.maxPaxBytes) {
      const kind = raw.typeflag === 'L' || raw.typeflag === 'K' ? 'GNU long-name' : 'PAX';
      throw new LarderError(
        'TAR_TOO_LARGE',
        `oversized ${kind} header: ${raw.size} bytes at offset ${blockOffset} (limit ${this.maxPaxBytes} bytes per entry)`,
      );
    }
    this.preType = raw.typeflag;
    this.preOffset = blockOffset;
    this.preBody = Buffer.alloc(raw.size);
    this.preFill = 0;
    this.phase = 'pre';
    if (raw.size === 0) this.onPreBody();
  }

  private onPreBody(): void {
    const body = this.preBody;
    if (this.preType === 'x') {
      for (const [key, value] of parsePaxRecords(body, this.preOffset)) this.pre.pax.set(key, value);
    } else if (this.preType === 'L' || this.preType === 'K') {
      const nul = body.indexOf(0);
      const text = body.toString('utf8', 0, nul < 0 ? body.length : nul);
      if (this.preType === 'L') this.pre.longName = text;
      else this.pre.longLink = text;
    }
    // 'g' (global) records are read and ignored, as apk-tools does.
    this.preBody = Buffer.alloc(0);
    this.startPadding(body.length, false, []);
  }

  private startEntry(raw: RawHeader, blockOffset: number, events: TarEvent[]): void {
    const type = ENTRY_TYPES[raw.typeflag];
    const at = `tar header at offset ${blockOffset}`;
    if (type === undefined) {
      throw new LarderError('TAR_BAD_HEADER', `${at}: unsupported typeflag ${JSON.stringify(raw.typeflag)}`);
    }
    const header = applyPreHeaders(raw, type, this.pre, this.entryOffset!);
    // Go skips the data of non-file entries while apk-tools reads it: refusing a size there
    // keeps the two from ever seeing different entries in the same bytes.
    if (type !== 'file' && header.size !== 0) {
      throw new LarderError(
        'TAR_BAD_HEADER',
        `${at}: ${type} ${JSON.stringify(header.name)} has size ${header.size}`,
      );
    }
    if (header.size > this.maxEntrySize) {
      throw new LarderError(
        'TAR_TOO_LARGE',
        `${at}: ${JSON.stringify(header.name)} is ${header.size} bytes, over the limit of ${this.maxEntrySize}`,
      );
    }
    events.push({ type: 'entry', header, offset: this.entryOffset! });
    this.current = header;
    this.remaining = header.size;
    this.pre = emptyPreHeaders();
    if (header.size > 0) this.phase = 'body';
    else this.startPadding(0, true, events);
  }

  private startPadding(size: number, endsEntry: boolean, events: TarEvent[]): void {
    this.skip = (BLOCK - (size % BLOCK)) % BLOCK;
    this.endsEntry = endsEntry;
    this.phase = 'padding';
    if (this.skip === 0) this.afterPadding(events);
  }

  private afterPadding(events: TarEvent[]): void {
    this.phase = 'header';
    if (!this.endsEntry) return;
    this.endsEntry = false;
    this.entryOffset = undefined;
    this.current = undefined;
    events.push({ type: 'entry-end' });
  }
}
