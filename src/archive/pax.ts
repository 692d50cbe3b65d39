import { LarderError } from '../core/index.js';
import type { RawHeader, TarEntryType, TarHeader } from './tar-header.js';

/** What the pre-headers before an entry collected: PAX records and GNU long names. */
export interface PreHeaders {
  readonly pax: Map<string, Buffer>;
  longName: string | undefined;
  longLink: string | undefined;
  /** Payload bytes of all pre-headers so far, held against maxPaxBytes. */
  bytes: number;
}

export function emptyPreHeaders(): PreHeaders {
  return { pax: new Map(), longName: undefined, longLink: undefined, bytes: 0 };
}

/**
 * The entry's header: ustar fields, overridden by GNU long names, overridden by PAX records.
 * An empty PAX value means "use the header field", as POSIX says for `x` records.
 */
export function applyPreHeaders(
  raw: RawHeader,
  type: TarEntryType,
  pre: PreHeaders,
  offset: number,
): TarHeader {
  const { pax } = pre;
  const paxText = (key: string): string | undefined => {
    const value = pax.get(key);
    return value === undefined || value.length === 0 ? undefined : value.toString('utf8');
  };
  const paxInt = (key: string, fallback: number): number => {
    const value = pax.get(key);
    if (value === undefined || value.length === 0) return fallback;
    return paxNumber(key, value, offset, key === 'mtime');
  };
  return {
    name: paxText('path') ?? pre.longName ?? raw.name,
    type,
    mode: raw.mode,
    uid: paxInt('uid', raw.uid),
    gid: paxInt('gid', raw.gid),
    uname: paxText('uname') ?? raw.uname,
    gname: paxText('gname') ?? raw.gname,
    mtime: paxInt('mtime', raw.mtime),
    size: paxInt('size', raw.size),
    linkname: paxText('linkpath') ?? pre.longLink ?? raw.linkname,
    devmajor: raw.devmajor,
    devminor: raw.devminor,
    pax,
  };
}

/**
 * Parses a PAX extended header body: records `"<len> <key>=<value>\n"` where `<len>` is the
 * decimal length of the whole record. Values stay raw bytes (xattrs are binary); keys are UTF-8.
 * Throws TAR_BAD_PAX naming the record's offset.
 */
export function parsePaxRecords(body: Buffer, offset: number): Map<string, Buffer> {
  const records = new Map<string, Buffer>();
  let pos = 0;
  while (pos < body.length) {
    const bad = (why: string): LarderError =>
      new LarderError('TAR_BAD_PAX', `PAX header at offset ${offset}: record at byte ${pos}: ${why}`);
    const space = body.indexOf(0x20, pos);
    const digits = body.toString('latin1', pos, space < 0 ? body.length : space);
    if (space < 0 || !/^[1-9][0-9]{0,15}$/.test(digits)) {
      throw bad(`expected a decimal length then a space, found ${JSON.stringify(digits.slice(0, 20))}`);
    }
    const length = Number(digits);
    const end = pos + length;
    if (end > body.length)
      throw bad(`length ${length} runs past the end of the header (${body.length} bytes)`);
    if (body[end - 1] !== 0x0a) throw bad(`record of length ${length} does not end with a newline`);
    const equals = body.indexOf(0x3d, space + 1);
    if (equals < 0 || equals >= end - 1) throw bad('record has no "="');
    if (equals === space + 1) throw bad('record has an empty key');
    records.set(body.toString('utf8', space + 1, equals), Buffer.from(body.subarray(equals + 1, end - 1)));
    pos = end;
  }
  return records;
}

/** A PAX numeric value: a decimal integer, or for `mtime` a decimal with a fraction (floored). */
function paxNumber(key: string, value: Buffer, offset: number, fractional: boolean): number {
  const text = value.toString('latin1');
  const pattern = fractional ? /^-?[0-9]{1,16}(\.[0-9]*)?$/ : /^[0-9]{1,16}$/;
  if (!pattern.test(text)) {
    throw new LarderError(
      'TAR_BAD_PAX',
      `PAX header at offset ${offset}: ${key} is not a number: ${JSON.stringify(text)}`,
    );
  }
  const n = Math.floor(Number(text));
  if (!Number.isSafeInteger(n)) {
    throw new LarderError('TAR_BAD_PAX', `PAX header at offset ${offset}: ${key} is out of range: ${text}`);
  }
  return n;
}
