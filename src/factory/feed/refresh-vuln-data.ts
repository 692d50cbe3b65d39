/**
 * Keeps the store's vulnerability tables equal to the workspace's sources (docs/factory.md
 * "Vulnerability data"): a source whose digest is the one stored is left alone, a changed one is
 * re-imported, a source no longer configured is removed. The feed version names the data: it
 * changes whenever any source does.
 */
import { hexDigest } from '../../core/index.js';
import type { Store } from '../../store/index.js';
import {
  concatFeedRecords,
  type FeedRecords,
  importFeeds,
  memoryVulnSource,
  storeVulnSource,
  type VulnSource,
} from '../../vuln/index.js';
import type { Workspace } from '../model.js';
import { type ReadSource, readSource, workspaceSources } from './sources.js';
import { removeSources, storedDigests } from './stored-sources.js';

export interface RefreshVulnDataOptions {
  /** Download cache of feed URLs (`<stateDir>/cache/http`); default the workspace's `.larder`. */
  readonly stateDir?: string;
  /** Feed URLs from the download cache only. */
  readonly offline?: boolean;
  /** Import time; default now. */
  readonly now?: () => string;
}

export interface VulnData {
  /** 12 hex digits over every source's name and digest. */
  readonly feedVersion: string;
  /** The data to match against (the store's tables; kept in memory for a store without synchronous reads). */
  readonly database: VulnSource;
  /** Per source name, its digest. */
  readonly sources: Readonly<Record<string, string>>;
  /** Sources (re-)imported by this call; empty when nothing changed. */
  readonly imported: readonly string[];
  /** Documents left out (a broken advisory file), one line each. */
  readonly problems: readonly string[];
}

/** What one process remembers per store: the last result and the records of each source. */
interface Memo {
  last?: VulnData;
  records: Map<string, { readonly digest: string; readonly records: FeedRecords }>;
  problems: Map<string, { readonly digest: string; readonly lines: readonly string[] }>;
  running?: Promise<VulnData>;
}
const memos = new WeakMap<Store, Memo>();

/**
 * Brings the store's vulnerability data up to the workspace's advisories and feeds and returns
 * the feed version and the database to match with. Cheap when nothing changed: every source is
 * read and hashed, nothing is parsed or written, and the same database object is returned.
 * Calls for one store run one at a time.
 */
export async function refreshVulnData(
  workspace: Workspace,
  store: Store,
  options: RefreshVulnDataOptions = {},
): Promise<VulnData> {
  let memo = memos.get(store);
  if (memo === undefined) {
    memo = { records: new Map(), problems: new Map() };
    memos.set(store, memo);
  }
  const m = memo;
  const previous = m.running ?? Promise.resolve(undefined);
  const run = previous.then(
    () => refresh(workspace, store, m, options),
    () => refresh(workspace, store, m, options),
  );
  m.running = run;
  try {
    return await run;
  } finally {
    if (m.running === run) delete m.running;
  }
}

async function refresh(
  workspace: Workspace,
  store: Store,
  memo: Memo,
  options: RefreshVulnDataOptions,
): Promise<VulnData> {
  const stateDir = options.stateDir ?? `${workspace.root}/.larder`;
  const read: ReadSource[] = [];
  for (const source of workspaceSources(workspace))
    read.push(await readSource(source, { stateDir, ...(options.offline ? { offline: true } : {}) }));
  const stored = await storedDigests(store);
  const names = new Set(read.map((s) => s.name));
  const stale = [...stored.keys()].filter((name) => !names.has(name));
  const changed = read.filter((s) => stored.get(s.name) !== s.digest);
  // A store without synchronous reads matches from memory: every source's records are needed.
  const needRecords = store.sync === undefined;
  const toParse = read.filter(
    (s) =>
      changed.includes(s) ||
      (needRecords && memo.records.get(s.name)?.digest !== s.digest) ||
      (s.kind === 'advisories' && memo.problems.get(s.name)?.digest !== s.digest),
  );
  const inputs = [];
  for (const source of toParse) {
    const { input, problems } = await source.parse();
    memo.records.set(source.name, { digest: source.digest, records: input.records });
    memo.problems.set(source.name, { digest: source.digest, lines: problems });
    if (changed.includes(source)) inputs.push(input);
  }
  if (stale.length > 0) await removeSources(store, stale);
  if (inputs.length > 0)
    await importFeeds(store, inputs, options.now === undefined ? {} : { now: new Date(options.now()) });
  for (const name of [...memo.records.keys()]) if (!names.has(name)) memo.records.delete(name);
  const sources: Record<string, string> = {};
  for (const s of read) sources[s.name] = s.digest;
  const feedVersion = feedVersionOf(sources);
  const problems = read.flatMap((s) => memo.problems.get(s.name)?.lines ?? []);
  const unchanged = inputs.length === 0 && stale.length === 0 && memo.last?.feedVersion === feedVersion;
  const database =
    unchanged && memo.last !== undefined
      ? memo.last.database
      : needRecords
        ? memoryVulnSource(concatFeedRecords(read.map((s) => memo.records.get(s.name)!.records)))
        : storeVulnSource(store);
  const result: VulnData = {
    feedVersion,
    database,
    sources,
    imported: inputs.map((i) => `${i.kind}:${i.location}`),
    problems,
  };
  memo.last = result;
  return result;
}

/** 12 hex digits of sha256 over `name digest` lines in name order. */
export function feedVersionOf(sources: Readonly<Record<string, string>>): string {
  const lines = Object.keys(sources)
    .sort()
    .map((name) => `${name} ${sources[name]}\n`)
    .join('');
  return hexDigest('sha256', lines).slice(0, 12);
}
