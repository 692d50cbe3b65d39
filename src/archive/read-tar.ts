import type { TarHeader } from './tar-header.js';
import { TarParser, type TarReadOptions } from './tar-reader.js';

/** An entry read whole by {@link readTar}. */
export interface TarEntry {
  readonly header: TarHeader;
  readonly data: Buffer;
}

/** Reads a whole tar (or a tar fragment without end blocks) held in memory. */
export function readTar(bytes: Uint8Array, options: TarReadOptions = {}): TarEntry[] {
  const parser = new TarParser(options);
  const entries: TarEntry[] = [];
  let header: TarHeader | undefined;
  let parts: Buffer[] = [];
  for (const event of [...parser.write(bytes), ...parser.end()]) {
    if (event.type === 'entry') {
      header = event.header;
      parts = [];
    } else if (event.type === 'data') {
      parts.push(event.bytes);
    } else if (event.type === 'entry-end') {
      entries.push({ header: header!, data: Buffer.concat(parts) });
    }
  }
  return entries;
}
