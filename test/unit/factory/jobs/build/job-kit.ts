/** A small factory workspace, a job record and a job context for the job-body unit tests. */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  initWorkspace,
  type JobKind,
  type JobRecord,
  loadWorkspace,
  type Workspace,
} from '../../../../../src/factory/index.js';
import { createLocalPublisher } from '../../../../../src/factory/jobs/publisher/index.js';
import type { JobContext } from '../../../../../src/factory/service.js';
import { openStore, type Store } from '../../../../../src/store/index.js';
import { tempDir } from '../../../../kit/paths.js';

/**
 * A `larder init` workspace (2048-bit keys) whose recipes and images are replaced by `files`
 * (workspace-relative path → text).
 */
export async function jobWorkspace(files: Readonly<Record<string, string>>): Promise<Workspace> {
  const root = join(await tempDir('larder-jobs-'), 'ws');
  await initWorkspace(root, { rsaBits: 2048 });
  for (const dir of ['recipes', 'images'])
    for (const name of await readdir(join(root, dir)))
      await rm(join(root, dir, name), { recursive: true, force: true });
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return loadWorkspace(root);
}

let nextId = 1;

/** A claimed job record. */
export function jobRecord(kind: JobKind, key: string, payload: Record<string, unknown>): JobRecord {
  return {
    id: nextId++,
    key,
    kind,
    payload,
    status: 'running',
    attempts: 1,
    maxAttempts: 3,
    createdAt: '2026-11-28T05:00:00.000Z',
    runAfter: '2026-11-28T05:00:00.000Z',
    startedAt: '2026-11-28T05:00:00.000Z',
    worker: 'test',
  };
}

export interface TestContext extends JobContext {
  readonly lines: string[];
  readonly abort: AbortController;
}

/** A context over an in-memory store, with the local publisher and the log collected. */
export async function jobContext(workspace: Workspace, store?: Store): Promise<TestContext> {
  const db = store ?? (await openStore(':memory:'));
  const lines: string[] = [];
  const abort = new AbortController();
  const now = () => '2026-11-28T05:01:00.000Z';
  return {
    workspace,
    store: db,
    publisher: createLocalPublisher(workspace, db, { now }),
    signal: abort.signal,
    abort,
    log: (line) => lines.push(line),
    lines,
    stateDir: await tempDir('larder-jobs-state-'),
    now,
    worker: 'test',
  };
}
