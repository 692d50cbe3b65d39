// A FactoryService (src/factory/service.ts) for server and dashboard tests: a real store (SQLite
// in memory unless one is given) and store queue, a Workspace you pass in, and recorders for
// what the HTTP layer asks of the factory (wake reasons, publisher calls, saved advisories).
// Events go through `emit`, which appends them to the store and feeds onEvent listeners; job
// logs through `appendLog`.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FactoryConfig, FactoryEvent, Workspace } from '../../src/factory/model.js';
import { createStoreQueue, type StoreQueue } from '../../src/factory/queue/index.js';
import type {
  AdvisoryInput,
  BuiltPackageFile,
  FactoryService,
  FactoryStatus,
  JobLogLine,
  PublishedPackageInfo,
} from '../../src/factory/service.js';
import { appendEvent, type RecordedEvent } from '../../src/factory/state/index.js';
import { openStore, type Store } from '../../src/store/index.js';

/** One call of the fake publisher. */
export interface PublishCall {
  readonly arch: string;
  readonly files: readonly BuiltPackageFile[];
  readonly build: { readonly key: string; readonly recipe: string };
  /** The files' bytes, read when publish was called (uploads may live in temporary files). */
  readonly contents: readonly Uint8Array[];
}

export interface FakeFactoryServiceOptions {
  readonly workspace: Workspace;
  /** Default: a fresh `openStore(':memory:')`, closed by close(). */
  readonly store?: Store;
  readonly status?: FactoryStatus;
  /** What securityJson() returns (default `{"packages":[]}`). */
  readonly securityJson?: Uint8Array;
  /** Replaces the default publisher result (derived from the file names and bytes). */
  readonly publish?: (call: PublishCall) => Promise<readonly PublishedPackageInfo[]>;
  /** Replaces the default saveAdvisory effect (record, advisory-changed event, wake); throw to fail. */
  readonly saveAdvisory?: (input: AdvisoryInput) => Promise<void>;
  /** ISO now for emitted events and log lines. */
  readonly now?: () => string;
}

export interface FakeFactoryService extends FactoryService {
  readonly queue: StoreQueue;
  /** wake() reasons, in order. */
  readonly wakes: string[];
  readonly publishCalls: PublishCall[];
  /** saveAdvisory() inputs, in order. */
  readonly advisories: AdvisoryInput[];
  /** Appends the event to the store and passes it to every listener; returns it as recorded. */
  emit(event: FactoryEvent): Promise<RecordedEvent>;
  /** Appends a line to a job's log; returns it. */
  appendLog(key: string, line: string): JobLogLine;
  setStatus(status: FactoryStatus): void;
  setWorkspace(workspace: Workspace): void;
  /** Listeners currently subscribed via onEvent. */
  listenerCount(): number;
  readonly closed: boolean;
}

const DEFAULT_STATUS: FactoryStatus = { summary: [], problems: [], exposed: [], feedVersion: 'none' };

/** A valid FactoryConfig for a workspace at `root` (larder.yaml defaults), with overrides. */
export function fakeFactoryConfig(
  root: string,
  overrides: { readonly [K in keyof FactoryConfig]?: Partial<FactoryConfig[K]> } = {},
): FactoryConfig {
  return {
    repository: {
      name: 'main',
      dir: join(root, 'repo'),
      archs: ['x86_64'],
      signingKey: join(root, 'keys/larder.rsa'),
      extraRepositories: [],
      extraKeyring: [],
      ...overrides.repository,
    },
    images: { signFormat: 'both', attest: false, publish: {}, ...overrides.images },
    registries: { ...(overrides.registries as FactoryConfig['registries'] | undefined) },
    policy: { gate: 'zero-known-cve', ...overrides.policy },
    feeds: (overrides.feeds as FactoryConfig['feeds'] | undefined) ?? [],
    schedules: { rescanMs: 6 * 3600_000, updateCheckMs: 24 * 3600_000, ...overrides.schedules },
    server: { publicReads: true, ...overrides.server },
  };
}

/** A Workspace at `root` with the given config and no recipes, images or advisories unless given. */
export function fakeWorkspace(root: string, parts: Partial<Omit<Workspace, 'root'>> = {}): Workspace {
  return {
    root,
    config: parts.config ?? fakeFactoryConfig(root),
    recipes: parts.recipes ?? [],
    images: parts.images ?? [],
    advisoryFiles: parts.advisoryFiles ?? [],
  };
}

const PACKAGE_FILE = /^(.+)-([^-]+-r\d+)\.apk$/;

async function defaultPublish(call: PublishCall): Promise<PublishedPackageInfo[]> {
  return call.files.map((f, i) => {
    const m = PACKAGE_FILE.exec(f.fileName);
    if (m === null) throw new Error(`fake publisher: ${f.fileName} is not <name>-<version>-r<n>.apk`);
    const bytes = call.contents[i] as Uint8Array;
    return {
      name: m[1] as string,
      version: m[2] as string,
      arch: call.arch,
      origin: call.build.recipe,
      checksum: `Q1${createHash('sha1').update(bytes).digest('base64')}`,
      size: bytes.byteLength,
    };
  });
}

export async function createFakeFactoryService(
  options: FakeFactoryServiceOptions,
): Promise<FakeFactoryService> {
  const ownStore = options.store === undefined;
  const store = options.store ?? (await openStore(':memory:'));
  const queue = createStoreQueue(store);
  const now = options.now ?? (() => new Date().toISOString());
  const listeners = new Set<(event: RecordedEvent) => void>();
  const logs = new Map<string, JobLogLine[]>();
  let status = options.status ?? DEFAULT_STATUS;
  let workspace = options.workspace;
  let closed = false;
  const wakes: string[] = [];
  const publishCalls: PublishCall[] = [];
  const advisories: AdvisoryInput[] = [];

  const service: FakeFactoryService = {
    store,
    queue,
    wakes,
    publishCalls,
    advisories,
    get closed() {
      return closed;
    },
    workspace: () => workspace,
    status: () => status,
    wake: (reason) => {
      wakes.push(reason);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    listenerCount: () => listeners.size,
    async emit(event) {
      const id = await appendEvent(store, event);
      const recorded: RecordedEvent = { ...event, id };
      for (const l of [...listeners]) l(recorded);
      return recorded;
    },
    appendLog(key, line) {
      const lines = logs.get(key) ?? [];
      const entry: JobLogLine = { seq: lines.length + 1, at: now(), line };
      lines.push(entry);
      logs.set(key, lines);
      return entry;
    },
    async jobLog(key, afterSeq) {
      return (logs.get(key) ?? []).filter((l) => l.seq > afterSeq);
    },
    publisher: {
      async publish(arch, files, build) {
        const contents = await Promise.all(files.map(async (f) => new Uint8Array(await readFile(f.path))));
        const call: PublishCall = { arch, files: [...files], build: { ...build }, contents };
        publishCalls.push(call);
        return (options.publish ?? defaultPublish)(call);
      },
    },
    securityJson: async () => options.securityJson ?? new TextEncoder().encode('{"packages":[]}'),
    async saveAdvisory(input) {
      advisories.push(input);
      if (options.saveAdvisory !== undefined) return options.saveAdvisory(input);
      await service.emit({
        at: now(),
        kind: 'advisory-changed',
        subject: `vuln:${input.vulnerability}`,
        message: `${input.package}: ${input.vulnerability} ${input.type}`,
      });
      service.wake(`advisory ${input.package} ${input.vulnerability}`);
    },
    setStatus: (s) => {
      status = s;
    },
    setWorkspace: (w) => {
      workspace = w;
    },
    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      if (ownStore) await store.close();
    },
  };
  return service;
}
