import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { readTar } from '../../src/archive/index.js';
import { shared } from './paths.js';

/**
 * The four CA certificates (`cert-a.crt` … `cert-d.crt`, PEM as the packages hold them) shipped
 * by apko's custom-ca-certs-1 and -2 test packages, read in place from ../shared/fixtures.
 * Test certificates without copying any into the repository.
 */
export function fixtureCertificates(): Map<string, string> {
  const out = new Map<string, string>();
  for (const pkg of ['custom-ca-certs-1', 'custom-ca-certs-2']) {
    const apk = readFileSync(shared('repo', 'melange-test', 'x86_64', `${pkg}-1.0.0-r0.apk`));
    // An .apk is gzip members of tar streams; gunzip joins them into one tar.
    for (const entry of readTar(gunzipSync(apk))) {
      const m = /^usr\/local\/share\/ca-certificates\/(cert-.)\.crt$/.exec(entry.header.name);
      if (m) out.set(m[1]!, entry.data.toString('utf8'));
    }
  }
  if (out.size !== 4) throw new Error(`expected 4 fixture certificates, found ${[...out.keys()].join(', ')}`);
  return out;
}
