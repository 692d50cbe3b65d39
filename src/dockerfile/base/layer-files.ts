import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { type TarHeader, TarParser } from '../../archive/index.js';
import { LarderError } from '../../core/index.js';
import type { LayerInput } from '../../oci/index.js';

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** `a/b` from `./a/b/`, `/a/b` or `a/b`; '' for the root. */
export function normalizeLayerPath(name: string): string {
  return name.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
}

/**
 * The regular files a wanted-test accepts, as the image's merged filesystem holds them: each
 * layer read bottom first (gzip or plain tar, by media type), its whiteouts (`.wh.NAME`) and
 * opaque markers (`.wh..wh..opq`) removing what lower layers put there, and a later entry of any
 * other type at a path dropping the file. Only wanted files are kept in memory, so the layers
 * are streamed and never extracted.
 *
 * @throws LarderError IO for an unreadable blob, GZIP_CORRUPT / TAR_* for a broken layer.
 */
export async function readLayerFiles(
  layers: readonly LayerInput[],
  wanted: (path: string) => boolean,
): Promise<Map<string, Buffer>> {
  let files = new Map<string, Buffer>();
  for (const layer of layers) {
    const own = new Map<string, Buffer>();
    const removed: string[] = [];
    const opaque: string[] = [];
    const dropped = new Set<string>();
    for await (const { header, data } of layerEntries(layer)) {
      const path = normalizeLayerPath(header.name);
      const slash = path.lastIndexOf('/');
      const dir = slash < 0 ? '' : path.slice(0, slash);
      const base = path.slice(slash + 1);
      if (base === OPAQUE) opaque.push(dir);
      else if (base.startsWith(WHITEOUT)) removed.push(join(dir, base.slice(WHITEOUT.length)));
      else if (header.type === 'file' && data !== undefined) own.set(path, data);
      else if (header.type !== 'directory') dropped.add(path);
    }
    const gone = (p: string): boolean =>
      removed.some((r) => p === r || p.startsWith(`${r}/`)) ||
      opaque.some((d) => d === '' || p.startsWith(`${d}/`)) ||
      dropped.has(p);
    files = new Map([...files].filter(([p]) => !gone(p)));
    for (const [p, data] of own) files.set(p, data);
  }
  for (const p of [...files.keys()]) if (!wanted(p)) files.delete(p);
  return files;

  async function* layerEntries(layer: LayerInput): AsyncGenerator<{ header: TarHeader; data?: Buffer }> {
    const parser = new TarParser();
    let current: { header: TarHeader; keep: boolean; parts: Buffer[] } | undefined;
    const out: Array<{ header: TarHeader; data?: Buffer }> = [];
    const take = (events: ReturnType<TarParser['write']>): void => {
      for (const ev of events) {
        if (ev.type === 'entry') {
          const keep = ev.header.type === 'file' && wanted(normalizeLayerPath(ev.header.name));
          current = { header: ev.header, keep, parts: [] };
        } else if (ev.type === 'data') {
          if (current?.keep) current.parts.push(Buffer.from(ev.bytes));
        } else if (ev.type === 'entry-end' && current !== undefined) {
          out.push(
            current.keep
              ? { header: current.header, data: Buffer.concat(current.parts) }
              : { header: current.header },
          );
          current = undefined;
        }
      }
    };
    for await (const chunk of layerStream(layer)) {
      take(parser.write(chunk as Buffer));
      yield* out.splice(0);
    }
    take(parser.end());
    yield* out.splice(0);
  }
}

async function* layerStream(layer: LayerInput): AsyncGenerator<Buffer> {
  const gzip = (layer.mediaType ?? 'gzip').includes('gzip');
  const where = 'blobPath' in layer ? layer.blobPath : layer.digest;
  try {
    const raw: Readable =
      'blobPath' in layer ? createReadStream(layer.blobPath) : Readable.from([Buffer.from(layer.bytes)]);
    let stream: Readable = raw;
    if (gzip) {
      const gunzip = createGunzip();
      raw.on('error', (err) => gunzip.destroy(err));
      stream = raw.pipe(gunzip);
    }
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (err) {
    if (err instanceof LarderError) throw err;
    throw new LarderError('IO', `layer ${layer.digest} (${where}): ${(err as Error).message}`, {
      cause: err,
      subject: where,
    });
  }
}

function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}
