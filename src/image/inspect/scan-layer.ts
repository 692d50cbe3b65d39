import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { TarParser } from '../../archive/index.js';
import { LarderError } from '../../core/index.js';
import { MEDIA_TYPES, type OCIDescriptor } from '../../oci/index.js';

// apko writes the database under usr/lib (lib/apk is a symlink to it); apk-tools' own layout
// has it under lib. An upper layer's database replaces a lower one's.
const INSTALLED_DB = new Set(['lib/apk/db/installed', 'usr/lib/apk/db/installed']);
const MAX_INSTALLED_DB = 256 * 1024 * 1024;
const GZIP_LAYERS = new Set<string>([
  MEDIA_TYPES.layerGzip,
  'application/vnd.docker.image.rootfs.diff.tar.gzip',
]);
const TAR_LAYERS = new Set<string>([MEDIA_TYPES.layerTar, 'application/vnd.docker.image.rootfs.diff.tar']);

/**
 * Streams one layer blob: sha256 of the compressed bytes (checked against the descriptor), of
 * the tar (checked against the diff_id), its length, and the installed database if present.
 */
export async function scanLayer(
  dir: string,
  layer: OCIDescriptor,
  diffId: string,
): Promise<{ size: number; installed?: Buffer }> {
  const path = blobFile(dir, layer.digest);
  let decode: Transform;
  if (GZIP_LAYERS.has(layer.mediaType)) decode = createGunzip();
  else if (TAR_LAYERS.has(layer.mediaType)) decode = new PassThrough();
  else
    throw new LarderError('CONFIG_INVALID', `${path}: layer media type ${layer.mediaType} is not supported`);

  const compressed = createHash('sha256');
  const uncompressed = createHash('sha256');
  const parser = new TarParser();
  let compressedSize = 0;
  let size = 0;
  let collecting: Buffer[] | undefined;
  let collected = 0;
  let installed: Buffer | undefined;
  try {
    await pipeline(
      createReadStream(path),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          compressed.update(chunk);
          compressedSize += chunk.length;
          yield chunk;
        }
      },
      decode,
      async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) {
          uncompressed.update(chunk);
          size += chunk.length;
          for (const ev of parser.write(chunk)) {
            if (ev.type === 'entry') {
              const name = ev.header.name.replace(/^(\.?\/)+/, '');
              collecting = ev.header.type === 'file' && INSTALLED_DB.has(name) ? [] : undefined;
              collected = 0;
              if (collecting && ev.header.size > MAX_INSTALLED_DB)
                throw new LarderError('CONFIG_INVALID', `${name} of ${ev.header.size} bytes is too large`);
            } else if (ev.type === 'data' && collecting) {
              collecting.push(Buffer.from(ev.bytes));
              collected += ev.bytes.length;
            } else if (ev.type === 'entry-end' && collecting) {
              installed = Buffer.concat(collecting, collected);
              collecting = undefined;
            }
          }
        }
      },
    );
  } catch (err) {
    if (err instanceof LarderError)
      throw new LarderError(err.code, `${path}: ${err.message}`, { cause: err, subject: path });
    throw new LarderError('CONFIG_INVALID', `${path}: cannot read layer: ${(err as Error).message}`, {
      cause: err,
      subject: path,
    });
  }
  const digest = `sha256:${compressed.digest('hex')}`;
  if (compressedSize !== layer.size || digest !== layer.digest)
    throw new LarderError(
      'CONFIG_INVALID',
      `${path}: content is ${digest} (${compressedSize} bytes), the manifest says ${layer.digest} (${layer.size} bytes)`,
      { subject: path },
    );
  const tarDigest = `sha256:${uncompressed.digest('hex')}`;
  if (tarDigest !== diffId)
    throw new LarderError(
      'CONFIG_INVALID',
      `${path}: uncompressed content is ${tarDigest}, the diff_id says ${diffId}`,
      { subject: path },
    );
  return { size, ...(installed ? { installed } : {}) };
}

/** `<dir>/blobs/<algorithm>/<hex>` of a digest. */
export function blobFile(dir: string, digest: string): string {
  const [algorithm, hex] = digest.split(':', 2);
  return join(dir, 'blobs', algorithm ?? '', hex ?? '');
}
