import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type GzipEvent,
  gzipBufferEvents,
  gzipBufferEventsAsync,
  gzipMember,
  splitGzipMembers,
} from '../../../src/archive/index.js';
import { chunked, fixtureGzipFiles, larderError, prng, streamMembers } from './helpers.js';

const SMALL = Buffer.concat([
  gzipMember(Buffer.from('first member\n')),
  gzipMember(Buffer.from('second '.repeat(30)), { level: 0 }),
  gzipMember(Buffer.from(Array.from({ length: 400 }, (_, i) => String(i * 7919)).join(','))),
]);

/** gzipBufferEvents reassembled per member, checking the raw / data / end order. */
function bufferMembers(bytes: Uint8Array, maxInflatedBytes?: number) {
  const members: Array<{ info: unknown; raw: Buffer; data: Buffer }> = [];
  let raw: Buffer[] = [];
  let data: Buffer[] = [];
  const options = maxInflatedBytes === undefined ? {} : { maxInflatedBytes };
  for (const event of gzipBufferEvents(bytes, options) as Iterable<GzipEvent>) {
    if (event.type === 'raw') raw.push(event.bytes);
    else if (event.type === 'data') {
      expect(raw.length).toBeGreaterThan(0);
      data.push(event.bytes);
    } else {
      expect(event.info.index).toBe(event.member);
      members.push({ info: event.info, raw: Buffer.concat(raw), data: Buffer.concat(data) });
      raw = [];
      data = [];
    }
  }
  return members;
}

describe('gzipBufferEvents', () => {
  it.each(fixtureGzipFiles())('gives the same members as the streaming reader on %s', async (file) => {
    const bytes = readFileSync(file);
    const streamed = await streamMembers(chunked(bytes, () => 4096));
    const members = bufferMembers(bytes);
    expect(members.map((m) => m.info)).toEqual(streamed.map((m) => m.info));
    members.forEach((m, i) => {
      expect(m.raw.equals(streamed[i]!.raw)).toBe(true);
      expect(m.data.equals(streamed[i]!.data)).toBe(true);
    });
  });

  it('inflates a member only when its events are asked for', () => {
    const events = gzipBufferEvents(Buffer.concat([SMALL, Buffer.from('not gzip at all')]));
    // The first member's three events come out although a later member is garbage.
    const first = [events.next(), events.next(), events.next()].map((r) => (r.value as GzipEvent).type);
    expect(first).toEqual(['raw', 'data', 'end']);
  });

  it('raises the streaming reader’s error codes at every cut, naming absolute offsets', async () => {
    const boundaries = new Set(splitGzipMembers(SMALL).map((m) => m.offset + m.length));
    const random = prng(7);
    for (let cut = 0; cut < SMALL.length; cut++) {
      if (boundaries.has(cut)) continue;
      const part = SMALL.subarray(0, cut);
      const err = await larderError(() => bufferMembers(part), 'GZIP_TRUNCATED');
      if (cut % 5 !== 0) continue; // the streaming side is slow at small chunks: compare a sample
      const streamed = await larderError(
        () => streamMembers(chunked(part, () => 1 + Math.floor(random() * 512))),
        'GZIP_TRUNCATED',
      );
      // Same member number in both messages.
      expect(err.message.match(/gzip member (\d+)/)?.[1]).toBe(
        streamed.message.match(/gzip member (\d+)/)?.[1],
      );
    }
  });

  it('reports a bad CRC in a later member with its member number and absolute byte', async () => {
    const bad = Buffer.from(SMALL);
    const second = splitGzipMembers(SMALL)[1]!;
    const at = second.offset + second.length - 6;
    bad[at] = bad[at]! ^ 0x80;
    const err = await larderError(() => bufferMembers(bad), 'GZIP_BAD_CRC');
    expect(err.message).toContain(`gzip member 1, trailer at byte ${second.offset + second.length - 8}`);
  });

  it('rejects empty input and garbage like the streaming reader', async () => {
    await larderError(() => bufferMembers(Buffer.alloc(0)), 'GZIP_TRUNCATED');
    await larderError(() => bufferMembers(Buffer.from('garbage!')), 'GZIP_BAD_HEADER');
  });

  it('stops at maxInflatedBytes across members', async () => {
    await larderError(() => bufferMembers(SMALL, 100), 'TAR_TOO_LARGE');
    expect(bufferMembers(SMALL, 100_000)).toHaveLength(3);
  });

  it('has an async twin (inflating on the thread pool) with the same events and errors', async () => {
    for (const file of fixtureGzipFiles()) {
      const bytes = readFileSync(file);
      const sync = [...(gzipBufferEvents(bytes) as Iterable<GzipEvent>)];
      const async: GzipEvent[] = [];
      for await (const ev of gzipBufferEventsAsync(bytes)) async.push(ev);
      expect(async).toEqual(sync);
    }
    for (const cut of [0, 5, 40, SMALL.length - 3]) {
      const part = SMALL.subarray(0, cut);
      const drain = async () => {
        for await (const _ of gzipBufferEventsAsync(part)) {
          // events until the error
        }
      };
      await larderError(drain, 'GZIP_TRUNCATED');
    }
    await larderError(async () => {
      for await (const _ of gzipBufferEventsAsync(Buffer.from('garbage!'))) {
        // no events
      }
    }, 'GZIP_BAD_HEADER');
  }, 120_000); // every fixture twice, on the thread pool: slow on a loaded 2-core machine
});
