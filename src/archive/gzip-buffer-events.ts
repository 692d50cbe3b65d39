import { LarderError } from '../core/index.js';
import { gzipMemberAt, gzipMemberAtAsync } from './gzip-member-at.js';
import type { GzipEvent } from './gzip-stream.js';
import type { GzipReadOptions } from './gzip-types.js';

/**
 * The events of {@link readGzipMembers} for a file already in memory, one member at a time with
 * zlib's synchronous inflate: one `raw` event (the whole member), one `data` event (its whole
 * inflated content, a fresh buffer) and its `end` event. Same offsets, checks and errors as the
 * streaming reader without a thread-pool round trip per 16 KiB. A member is inflated only when
 * the consumer asks for its events, so a reader that stops after the control member of an .apk
 * never inflates the data member.
 */
export function* gzipBufferEvents(bytes: Uint8Array, options: GzipReadOptions = {}): Generator<GzipEvent> {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (input.length === 0) throw new LarderError('GZIP_TRUNCATED', 'no gzip member: the input is empty');
  let budget = options.maxInflatedBytes ?? Number.POSITIVE_INFINITY;
  let offset = 0;
  // The last member's ISIZE: right for the data member of an .apk, which ends the file.
  const lastSize = input.length >= 18 ? input.readUInt32LE(input.length - 4) : undefined;
  for (let index = 0; offset < input.length; index++) {
    const { raw, data, ...info } = gzipMemberAt(input, offset, index, budget, lastSize);
    budget -= info.inflatedLength;
    yield { type: 'raw', member: index, bytes: raw };
    if (data.length > 0) yield { type: 'data', member: index, bytes: data };
    yield { type: 'end', member: index, info };
    offset += info.length;
  }
}

/**
 * {@link gzipBufferEvents} with each member inflated on libuv's thread pool: readers of several
 * files at once (image assembly reads the next packages while it installs one) then inflate in
 * parallel while the main thread parses.
 */
export async function* gzipBufferEventsAsync(
  bytes: Uint8Array,
  options: GzipReadOptions = {},
): AsyncGenerator<GzipEvent> {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (input.length === 0) throw new LarderError('GZIP_TRUNCATED', 'no gzip member: the input is empty');
  let budget = options.maxInflatedBytes ?? Number.POSITIVE_INFINITY;
  let offset = 0;
  const lastSize = input.length >= 18 ? input.readUInt32LE(input.length - 4) : undefined;
  for (let index = 0; offset < input.length; index++) {
    const { raw, data, ...info } = await gzipMemberAtAsync(input, offset, index, budget, lastSize);
    budget -= info.inflatedLength;
    yield { type: 'raw', member: index, bytes: raw };
    if (data.length > 0) yield { type: 'data', member: index, bytes: data };
    yield { type: 'end', member: index, info };
    offset += info.length;
  }
}
