/**
 * What the reconciler saw last (recipe hashes, advisory files, feed version, exposed images, the
 * status), kept in `<stateDir>/factory/reconciler.json` so that after a restart the events still
 * say what changed while it was down.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../../core/index.js';
import type { FactoryEvent } from '../model.js';
import type { FactoryStatus } from '../service.js';

export interface ReconcileSnapshot {
  /** Recipe name → WorkspaceRecipe.hash. */
  readonly recipes: Readonly<Record<string, string>>;
  /** Advisory file → sha256 of its bytes. */
  readonly advisories: Readonly<Record<string, string>>;
  readonly feedVersion: string;
  readonly exposed: readonly string[];
  readonly status: FactoryStatus;
}

export interface SnapshotStore {
  /** undefined: none yet, or unreadable (the next reconcile is a new baseline). */
  load(): Promise<ReconcileSnapshot | undefined>;
  save(snapshot: ReconcileSnapshot): Promise<void>;
}

/** Snapshots in memory only (tests, or no state directory). */
export function memorySnapshots(): SnapshotStore {
  let held: ReconcileSnapshot | undefined;
  return {
    load: async () => held,
    save: async (snapshot) => {
      held = snapshot;
    },
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringMap = (v: unknown): v is Record<string, string> =>
  isRecord(v) && Object.values(v).every((x) => typeof x === 'string');

/** Checks a snapshot read back from disk; undefined when it is not one. */
export function parseSnapshot(text: string): ReconcileSnapshot | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const { recipes, advisories, feedVersion, exposed, status } = value;
  if (!isStringMap(recipes) || !isStringMap(advisories) || typeof feedVersion !== 'string') return undefined;
  if (!Array.isArray(exposed) || !exposed.every((x) => typeof x === 'string')) return undefined;
  if (!isRecord(status)) return undefined;
  const lines = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);
  return {
    recipes,
    advisories,
    feedVersion,
    exposed,
    status: {
      ...(typeof status.reconciledAt === 'string' ? { reconciledAt: status.reconciledAt } : {}),
      summary: lines(status.summary),
      problems: lines(status.problems),
      exposed: lines(status.exposed),
      feedVersion: typeof status.feedVersion === 'string' ? status.feedVersion : feedVersion,
    },
  };
}

/**
 * Snapshots in `<stateDir>/factory/reconciler.json`, or with `scope` (a workspace and store pair:
 * one state dir may serve several factories) `<stateDir>/factory/reconciler-<scope>.json`.
 * Written atomically; a damaged file counts as none.
 */
export function fileSnapshots(stateDir: string, scope?: string): SnapshotStore {
  const file = join(
    stateDir,
    'factory',
    scope === undefined ? 'reconciler.json' : `reconciler-${scope}.json`,
  );
  let written = '';
  return {
    async load() {
      try {
        return parseSnapshot(await readFile(file, 'utf8'));
      } catch {
        return undefined;
      }
    },
    async save(snapshot) {
      const text = `${JSON.stringify(snapshot)}\n`;
      if (text === written) return;
      await writeFileAtomic(file, text);
      written = text;
    },
  };
}

const short = (hash: string): string => hash.replace(/^sha256:/, '').slice(0, 12);

/** The events for what changed between two reconciles. */
export function diffSnapshots(
  before: ReconcileSnapshot,
  after: ReconcileSnapshot,
  at: string,
  root: string,
): FactoryEvent[] {
  const events: FactoryEvent[] = [];
  for (const [name, hash] of Object.entries(after.recipes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const old = before.recipes[name];
    if (old === hash) continue;
    events.push({
      at,
      kind: 'recipe-changed',
      subject: `recipe:${name}`,
      message:
        old === undefined
          ? `recipe ${name} added`
          : `recipe ${name} changed (${short(old)} → ${short(hash)})`,
      details: { recipe: name, hash, ...(old === undefined ? {} : { previousHash: old }) },
    });
  }
  const files = new Set([...Object.keys(before.advisories), ...Object.keys(after.advisories)]);
  for (const file of [...files].sort()) {
    if (before.advisories[file] === after.advisories[file]) continue;
    const pkg = basename(file).replace(/\.advisories\.ya?ml$/, '');
    const what =
      after.advisories[file] === undefined
        ? 'removed'
        : before.advisories[file] === undefined
          ? 'added'
          : 'changed';
    events.push({
      at,
      kind: 'advisory-changed',
      subject: `advisories:${pkg}`,
      message: `advisories of ${pkg} ${what} (${file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file})`,
      details: { package: pkg, file },
    });
  }
  if (before.feedVersion !== after.feedVersion)
    events.push({
      at,
      kind: 'feed-refreshed',
      subject: 'feed',
      message: `vulnerability data changed: feed version ${before.feedVersion || '(none)'} → ${after.feedVersion}`,
      details: { feedVersion: after.feedVersion, previous: before.feedVersion },
    });
  const wasExposed = new Set(before.exposed);
  for (const image of after.exposed)
    if (!wasExposed.has(image))
      events.push({
        at,
        kind: 'image-exposed',
        subject: `image:${image}`,
        message: `image ${image} is exposed: its published version has findings with no fix yet`,
      });
  return events;
}
