import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { readZipEntries } from '../../archive/index.js';
import { hexDigest, inFile, LarderError } from '../../core/index.js';
import type { FeedInput } from './feed-records.js';
import { parseJsonInput } from './json-input.js';
import { addOsvRecord, type FeedSink, feedSink } from './osv-record.js';

/**
 * Reads OSV records from a path: a directory tree of `*.json` files (walked in byte order,
 * symlinks not followed), a `.zip` export of such files (osv.dev's `all.zip`), or one `.json`
 * file holding a record or an array of records. Any problem fails the whole read (OSV_INVALID,
 * ZIP_INVALID, IO) naming the file or zip member.
 */
export async function readOsvPath(path: string): Promise<FeedInput> {
  const location = resolve(path);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(location);
  } catch (err) {
    throw inFile(path, err);
  }
  const sink = feedSink();
  if (info.isDirectory()) {
    const files = await jsonFilesUnder(location);
    const digests: string[] = [];
    for (const file of files) {
      const shown = join(path, relative(location, file));
      const bytes = await readFile(file).catch((err: unknown) => {
        throw inFile(shown, err);
      });
      digests.push(`${relative(location, file)} ${hexDigest('sha256', bytes)}\n`);
      addOsvFile(bytes, shown, sink);
    }
    return input(location, `sha256:${hexDigest('sha256', digests.join(''))}`, files.length, sink);
  }
  const bytes = await readFile(location).catch((err: unknown) => {
    throw inFile(path, err);
  });
  const digest = `sha256:${hexDigest('sha256', bytes)}`;
  if (isZip(bytes, location)) {
    let files = 0;
    for (const entry of readZipEntries(bytes, path)) {
      if (entry.isDirectory || !entry.name.endsWith('.json')) continue;
      files++;
      addOsvFile(entry.data(), `${path}!${entry.name}`, sink);
    }
    return input(location, digest, files, sink);
  }
  addOsvFile(bytes, path, sink);
  return input(location, digest, 1, sink);
}

/** Adds the record (or array of records) in one JSON file to `sink`. */
export function addOsvFile(bytes: Uint8Array | string, file: string, sink: FeedSink): void {
  const data = parseJsonInput(bytes, file, 'OSV_INVALID');
  if (!Array.isArray(data)) addOsvRecord(data, file, sink);
  else for (const [i, record] of data.entries()) addOsvRecord(record, file, sink, [i]);
}

function input(location: string, digest: string, files: number, sink: FeedSink): FeedInput {
  return { kind: 'osv', location, digest, files, records: sink };
}

function isZip(bytes: Buffer, path: string): boolean {
  return path.toLowerCase().endsWith('.zip') || (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50);
}

/** Every regular `*.json` file under `dir`, sorted by path in byte order. */
async function jsonFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (at: string): Promise<void> => {
    const entries = await readdir(at, { withFileTypes: true }).catch((err: unknown) => {
      throw inFile(at, err);
    });
    for (const entry of entries) {
      const full = join(at, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && entry.name.endsWith('.json')) out.push(full);
    }
  };
  await walk(dir);
  if (out.length === 0) throw new LarderError('OSV_INVALID', `${dir}: no *.json files`, { subject: dir });
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
