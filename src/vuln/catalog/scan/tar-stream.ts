// Streams one layer (a tar, gzip-compressed or not) through the layer collector, hashing the
// bytes as they pass so callers can check the layer's digest without another read.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { TarParser } from '../../../archive/index.js';
import { LarderError } from '../../../core/index.js';
import { LayerCollector, type LayerScan } from './layer-collector.js';

/** How a layer's bytes are compressed; `detect` looks at the first bytes. */
export type LayerCompression = 'gzip' | 'none' | 'detect';

export interface TarStreamOptions {
  readonly compression: LayerCompression;
  /** Names the layer in errors (a blob path, an archive member). */
  readonly name: string;
  readonly warn: (message: string) => void;
}

/** A layer's scan, with the sha256 (`sha256:<hex>`) and length of the bytes as given. */
export interface TarStreamResult {
  readonly scan: LayerScan;
  readonly digest: string;
  readonly size: number;
}

/**
 * Reads a layer. @throws LarderError TARGET_INVALID naming the layer for bad gzip, a bad or
 * truncated tar, or an unsupported compression (zstd).
 */
export async function scanTarStream(
  source: AsyncIterable<Buffer>,
  options: TarStreamOptions,
): Promise<TarStreamResult> {
  const hash = createHash('sha256');
  let size = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      hash.update(chunk);
      size += chunk.length;
      yield chunk;
    }
  }
  const collector = new LayerCollector(options.warn);
  const parser = new TarParser();
  const consume = async (input: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of input) for (const ev of parser.write(chunk)) collector.event(ev);
    for (const ev of parser.end()) collector.event(ev);
  };
  try {
    let input: AsyncIterable<Buffer> = counted();
    let compression = options.compression;
    if (compression === 'detect') [compression, input] = await sniff(input, options.name);
    if (compression === 'gzip') await pipeline(Readable.from(input), createGunzip(), consume);
    else await consume(input);
  } catch (err) {
    if (err instanceof LarderError && err.code === 'TARGET_INVALID') throw err;
    throw new LarderError('TARGET_INVALID', `${options.name}: unreadable layer: ${(err as Error).message}`, {
      cause: err,
      subject: options.name,
    });
  }
  return { scan: collector.result(), digest: `sha256:${hash.digest('hex')}`, size };
}

/** Reads the first bytes to tell gzip from a plain tar; returns a stream that still has them. */
async function sniff(
  input: AsyncIterable<Buffer>,
  name: string,
): Promise<['gzip' | 'none', AsyncIterable<Buffer>]> {
  const it = input[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let have = 0;
  while (have < 4) {
    const next = await it.next();
    if (next.done === true) break;
    head.push(next.value);
    have += next.value.length;
  }
  const first = Buffer.concat(head);
  if (first.length >= 4 && first.readUInt32BE(0) === 0x28b52ffd) {
    throw new LarderError('TARGET_INVALID', `${name}: zstd-compressed layers are not supported`, {
      subject: name,
    });
  }
  async function* rest(): AsyncGenerator<Buffer> {
    if (first.length > 0) yield first;
    for (;;) {
      const next = await it.next();
      if (next.done === true) return;
      yield next.value;
    }
  }
  return [first[0] === 0x1f && first[1] === 0x8b ? 'gzip' : 'none', rest()];
}
