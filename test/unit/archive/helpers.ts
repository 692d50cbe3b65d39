import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import {
  type GzipEvent,
  type GzipMemberInfo,
  type GzipReadOptions,
  readGzipMembers,
} from '../../../src/archive/index.js';
import { LarderError, type LarderErrorCode } from '../../../src/core/index.js';
import { prng } from '../../kit/prng.js';

export { prng };

/** The shared real-world fixtures, read in place (never copied into the repo). */
export const FIXTURES = fileURLToPath(new URL('../../../../shared/fixtures/', import.meta.url));

/** This repo's own committed bad-input corpus. */
export const BAD_FIXTURES = fileURLToPath(new URL('../../fixtures/bad/', import.meta.url));

/** Every gzip file among the fixtures: packages and indexes. */
export function fixtureGzipFiles(): string[] {
  const apk = readdirSync(join(FIXTURES, 'apk')).map((f) => join(FIXTURES, 'apk', f));
  const index = readdirSync(join(FIXTURES, 'index')).map((d) =>
    join(FIXTURES, 'index', d, 'APKINDEX.tar.gz'),
  );
  const repo = ['aarch64', 'x86_64'].flatMap((arch) => {
    const dir = join(FIXTURES, 'repo', 'melange-test', arch);
    return readdirSync(dir).map((f) => join(dir, f));
  });
  return [...apk, ...index, ...repo];
}

/** Yields `bytes` in chunks whose sizes `size()` picks. */
export async function* chunked(bytes: Uint8Array, size: () => number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; ) {
    const n = Math.max(1, size());
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

export interface StreamedMember {
  info: GzipMemberInfo;
  raw: Buffer;
  data: Buffer;
}

/** Runs readGzipMembers to the end, reassembling each member and checking event order. */
export async function streamMembers(
  source: AsyncIterable<Uint8Array>,
  options: GzipReadOptions = {},
): Promise<StreamedMember[]> {
  const members: StreamedMember[] = [];
  let raw: Buffer[] = [];
  let data: Buffer[] = [];
  const events: GzipEvent[] = [];
  for await (const event of readGzipMembers(source, options)) {
    events.push(event);
    expect(event.member).toBe(members.length);
    if (event.type === 'raw') raw.push(Buffer.from(event.bytes));
    else if (event.type === 'data') data.push(Buffer.from(event.bytes));
    else {
      members.push({ info: event.info, raw: Buffer.concat(raw), data: Buffer.concat(data) });
      raw = [];
      data = [];
    }
  }
  return members;
}

/** Asserts that `fn` throws (or rejects with) a LarderError with `code`; returns it. */
export async function larderError(fn: () => unknown, code: LarderErrorCode): Promise<LarderError> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(LarderError);
  expect((caught as LarderError).code, (caught as Error).message).toBe(code);
  return caught as LarderError;
}

/** Rewrites the checksum of the 512-byte header block at `offset` after a test edited it. */
export function fixChecksum(tar: Buffer, offset = 0): Buffer {
  const block = tar.subarray(offset, offset + 512);
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return tar;
}
