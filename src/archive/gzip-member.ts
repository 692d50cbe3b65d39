import { crc32, deflateRawSync } from 'node:zlib';
import { LarderError } from '../core/index.js';
import { DETERMINISTIC_GZIP_HEADER, gzipTrailer } from './gzip-header.js';
import { gzipMemberAt } from './gzip-member-at.js';
import type { GzipMember, GzipReadOptions, GzipWriteOptions } from './gzip-types.js';

export type { GzipMember, GzipMemberInfo, GzipReadOptions, GzipWriteOptions } from './gzip-types.js';

/**
 * Splits a whole file into its gzip members (RFC 1952), verifying each trailer. Needed because
 * gunzip joins members silently while APK signatures and hashes cover single members.
 * Throws LarderError GZIP_BAD_HEADER, GZIP_TRUNCATED, GZIP_CORRUPT, GZIP_BAD_CRC or TAR_TOO_LARGE.
 */
export function splitGzipMembers(bytes: Uint8Array, options: GzipReadOptions = {}): GzipMember[] {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (input.length === 0) throw new LarderError('GZIP_TRUNCATED', 'no gzip member: the input is empty');
  let budget = options.maxInflatedBytes ?? Number.POSITIVE_INFINITY;
  const members: GzipMember[] = [];
  let offset = 0;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  while (offset < input.length && members.length < limit) {
    const member = gzipMemberAt(input, offset, members.length, budget);
    budget -= member.inflatedLength;
    members.push(member);
    offset = member.offset + member.length;
  }
  return members;
}

/**
 * Compresses `data` as one deterministic gzip member: Go's header (mtime 0, OS 255), a raw
 * deflate body at `level`, and the CRC32 + ISIZE trailer. Same input, same bytes.
 */
export function gzipMember(data: Uint8Array, options: GzipWriteOptions = {}): Buffer {
  const body = deflateRawSync(data, { level: options.level ?? 6 });
  return Buffer.concat([DETERMINISTIC_GZIP_HEADER, body, gzipTrailer(crc32(data), data.length)]);
}
