/**
 * The vulnerability data sources of a workspace (docs/factory.md "Vulnerability data"): its
 * `advisories/*.advisories.yaml` and the larder.yaml `feeds` (secdb or OSV, files or URLs). Each
 * is read to bytes and digested first, so an unchanged source costs a read and a hash, never a
 * parse.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { readZipEntries } from '../../archive/index.js';
import { hexDigest, inFile, LarderError } from '../../core/index.js';
import { createFetcher } from '../../repo/index.js';
import {
  ADVISORY_FILE_SUFFIX,
  addOsvFile,
  advisoryDistroRecords,
  checkAdvisoryDirectory,
  type FeedInput,
  type FeedRecords,
  feedSink,
  formatAdvisoryIssue,
  parseSecdb,
} from '../../vuln/index.js';
import type { Workspace } from '../model.js';

/** One source as the factory names it (`advisories:<dir>`, `secdb:<path or URL>`, `osv:<...>`). */
export interface VulnDataSource {
  readonly kind: FeedInput['kind'];
  /** Absolute path or URL. */
  readonly location: string;
  /** `kind:location`: the source's identity in the store. */
  readonly name: string;
}

/** A source's bytes as read, digested; `parse` turns them into records. */
export interface ReadSource extends VulnDataSource {
  /** `sha256:<hex>`: of the bytes (a directory: of each file's relative path and digest). */
  readonly digest: string;
  readonly parse: () => Promise<{ readonly input: FeedInput; readonly problems: readonly string[] }>;
}

/** The workspace's sources: its advisory directory first, then the feeds in larder.yaml order. */
export function workspaceSources(workspace: Workspace): VulnDataSource[] {
  const dir = join(workspace.root, 'advisories');
  const sources: VulnDataSource[] = [{ kind: 'advisories', location: dir, name: `advisories:${dir}` }];
  for (const feed of workspace.config.feeds)
    sources.push({ kind: feed.kind, location: feed.location, name: `${feed.kind}:${feed.location}` });
  return sources;
}

const sha256 = (data: Uint8Array | string) => `sha256:${hexDigest('sha256', data)}`;
const isUrl = (location: string) => /^https?:\/\//i.test(location);

/** Reads one source (URLs through the download cache under `stateDir`). */
export async function readSource(
  source: VulnDataSource,
  options: { readonly stateDir: string; readonly offline?: boolean },
): Promise<ReadSource> {
  if (source.kind === 'advisories') return readAdvisories(source);
  if (isUrl(source.location)) {
    const bytes = await download(source.location, options);
    return { ...source, digest: sha256(bytes), parse: async () => parsed(source, sha256(bytes), bytes) };
  }
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(source.location);
  } catch (err) {
    throw inFile(source.location, err);
  }
  if (info.isDirectory()) {
    if (source.kind !== 'osv')
      throw new LarderError('USAGE', `feed secdb ${source.location}: a directory; secdb is one JSON file`, {
        subject: source.location,
      });
    const files = await filesUnder(source.location);
    const lines: string[] = [];
    const contents: [string, Buffer][] = [];
    for (const file of files) {
      const bytes = await readFile(file).catch((err: unknown) => {
        throw inFile(file, err);
      });
      lines.push(`${relative(source.location, file)} ${hexDigest('sha256', bytes)}\n`);
      if (file.endsWith('.json')) contents.push([file, bytes]);
    }
    const digest = sha256(lines.join(''));
    return {
      ...source,
      digest,
      parse: async () => {
        const sink = feedSink();
        for (const [file, bytes] of contents) addOsvFile(bytes, file, sink);
        return { input: feedInput(source, digest, contents.length, sink), problems: [] };
      },
    };
  }
  const bytes = await readFile(source.location).catch((err: unknown) => {
    throw inFile(source.location, err);
  });
  return { ...source, digest: sha256(bytes), parse: async () => parsed(source, sha256(bytes), bytes) };
}

function parsed(source: VulnDataSource, digest: string, bytes: Buffer) {
  if (source.kind === 'secdb') {
    const records = parseSecdb(bytes, source.location);
    return { input: feedInput(source, digest, 1, records), problems: [] };
  }
  const sink = feedSink();
  let files = 1;
  if (bytes.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) {
    files = 0;
    for (const entry of readZipEntries(bytes, source.location)) {
      if (entry.isDirectory || !entry.name.endsWith('.json')) continue;
      files++;
      addOsvFile(entry.data(), `${source.location}!${entry.name}`, sink);
    }
  } else addOsvFile(bytes, source.location, sink);
  return { input: feedInput(source, digest, files, sink), problems: [] };
}

function feedInput(source: VulnDataSource, digest: string, files: number, records: FeedRecords): FeedInput {
  return { kind: source.kind, location: source.location, digest, files, records };
}

/**
 * The advisory directory: a missing directory is an empty source; a broken document is left out
 * (and reported) so one bad file never hides the others.
 */
async function readAdvisories(source: VulnDataSource): Promise<ReadSource> {
  let names: string[];
  try {
    names = (await readdir(source.location, { withFileTypes: true }))
      .filter((e) => !e.isDirectory() && e.name.endsWith(ADVISORY_FILE_SUFFIX))
      .map((e) => e.name)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw inFile(source.location, err);
    names = [];
  }
  const lines: string[] = [];
  for (const name of names) {
    const bytes = await readFile(join(source.location, name)).catch((err: unknown) => {
      throw inFile(join(source.location, name), err);
    });
    lines.push(`${name} ${hexDigest('sha256', bytes)}\n`);
  }
  const digest = sha256(lines.join(''));
  return {
    ...source,
    digest,
    parse: async () => {
      const checks = names.length === 0 ? [] : await checkAdvisoryDirectory(source.location);
      const problems = checks.flatMap((c) => c.issues.map((i) => formatAdvisoryIssue(i)));
      const docs = checks.flatMap((c) => (c.document === undefined ? [] : [c.document]));
      const distro = advisoryDistroRecords(docs);
      return {
        input: feedInput(source, digest, docs.length, { distro, ranges: [], meta: [], skipped: {} }),
        problems,
      };
    },
  };
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: unknown) => {
    throw inFile(dir, err);
  });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(path)));
    else if (e.isFile()) out.push(path);
  }
  return out;
}

async function download(
  url: string,
  options: { readonly stateDir: string; readonly offline?: boolean },
): Promise<Buffer> {
  const fetcher = createFetcher({ stateDir: options.stateDir, offline: options.offline === true });
  try {
    const response = await fetcher.fetch(url);
    if (response.status !== 'ok')
      throw new LarderError('FETCH_FAILED', `feed ${url}: no content`, { subject: url });
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
  } finally {
    await fetcher.close();
  }
}
