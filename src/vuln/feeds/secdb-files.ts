import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { hexDigest, inFile } from '../../core/index.js';
import type { FeedInput } from './feed-records.js';
import { parseSecdb, type SecdbReadOptions } from './secdb.js';

/**
 * A secdb feed from bytes already fetched (the CLI fetches URLs) or read: `location` is the path
 * or URL, used in errors, in every record and as the source's identity.
 */
export function secdbInput(bytes: Uint8Array, location: string, options: SecdbReadOptions = {}): FeedInput {
  return {
    kind: 'secdb',
    location,
    digest: `sha256:${hexDigest('sha256', bytes)}`,
    files: 1,
    records: parseSecdb(bytes, location, options),
  };
}

/** Reads a secdb file (see parseSecdb). */
export async function readSecdbFile(path: string, options: SecdbReadOptions = {}): Promise<FeedInput> {
  const bytes = await readFile(path).catch((err: unknown) => {
    throw inFile(path, err);
  });
  return secdbInput(bytes, resolve(path), options);
}
