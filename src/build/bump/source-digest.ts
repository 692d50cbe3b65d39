/** Checksums of a source archive as the fetch step computes them, read through the Fetcher. */
import { createHash } from 'node:crypto';
import { LarderError } from '../../core/index.js';
import { type Fetcher, redactUrl } from '../../repo/index.js';

/** sha256 and sha512 (hex) of what `uri` serves; nothing is kept. */
export async function sourceDigests(
  fetcher: Fetcher,
  uri: string,
): Promise<{ sha256: string; sha512: string }> {
  const response = await fetcher.fetch(uri);
  if (response.status !== 'ok')
    throw new LarderError('FETCH_FAILED', `${redactUrl(uri)}: unexpected not-modified answer`, {
      subject: uri,
    });
  const sha256 = createHash('sha256');
  const sha512 = createHash('sha512');
  for await (const chunk of response.body) {
    sha256.update(chunk);
    sha512.update(chunk);
  }
  return { sha256: sha256.digest('hex'), sha512: sha512.digest('hex') };
}
