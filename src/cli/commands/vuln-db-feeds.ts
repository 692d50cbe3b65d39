import { LarderError } from '../../core/index.js';
import { createFetcher } from '../../repo/index.js';
import {
  type FeedInput,
  readAdvisoryFeed,
  readOsvPath,
  readSecdbFile,
  secdbInput,
} from '../../vuln/index.js';

/** The data options of `vuln db import`. */
export interface FeedOptions {
  readonly advisories?: readonly string[];
  readonly secdb?: readonly string[];
  readonly osv?: readonly string[];
  /** The namespace of every advisory and secdb source (`vuln db import --distro`). */
  readonly distro?: string;
  /** The namespace of a secdb source that does not tell its own (`scan --distro`). */
  readonly fallbackDistro?: string;
  readonly offline?: boolean;
}

/**
 * Reads every feed the options name, advisories first, then secdb, then OSV, each in the order
 * given. Secdb URLs go through the download cache (`<state-dir>/cache/http`). Any failure stops
 * before anything is written.
 */
export async function readFeeds(opts: FeedOptions, stateDir: string): Promise<FeedInput[]> {
  const distro = {
    ...(opts.distro === undefined ? {} : { distro: checkDistro(opts.distro) }),
    ...(opts.fallbackDistro === undefined ? {} : { fallbackDistro: checkDistro(opts.fallbackDistro) }),
  };
  const feeds: FeedInput[] = [];
  for (const dir of opts.advisories ?? []) feeds.push(await readAdvisoryFeed(dir, distro));
  const urls = (opts.secdb ?? []).filter(isUrl);
  const fetcher = urls.length > 0 ? createFetcher({ stateDir, offline: opts.offline === true }) : undefined;
  try {
    for (const location of opts.secdb ?? []) {
      if (fetcher !== undefined && isUrl(location))
        feeds.push(secdbInput(await download(fetcher, location), location, distro));
      else feeds.push(await readSecdbFile(location, distro));
    }
  } finally {
    await fetcher?.close();
  }
  for (const path of opts.osv ?? []) feeds.push(await readOsvPath(path));
  return feeds;
}

function isUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

async function download(fetcher: ReturnType<typeof createFetcher>, url: string): Promise<Buffer> {
  const response = await fetcher.fetch(url);
  if (response.status !== 'ok') throw new LarderError('FETCH_FAILED', `${url}: no content`, { subject: url });
  const chunks: Buffer[] = [];
  for await (const chunk of response.body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** `wolfi`, `chainguard`, `alpine:3.20`, ...: lower-case words, an optional `:VERSION`. */
function checkDistro(name: string): string {
  if (/^[a-z0-9][a-z0-9._-]*(:[a-z0-9][a-z0-9._-]*)?$/.test(name)) return name;
  throw new LarderError(
    'USAGE',
    `--distro ${JSON.stringify(name)}: expected a namespace such as wolfi or alpine:3.20`,
  );
}
