import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { LarderError } from '../../core/index.js';

/** How long to wait for a lock, and when a lock nobody refreshes counts as abandoned. */
export interface RepoLockOptions {
  /** Give up after this long (default 120 s). */
  readonly timeoutMs?: number;
  /** A lock not refreshed for this long is stale (default 60 s; holders refresh it every quarter). */
  readonly staleMs?: number;
}

/** A held lock: `assertHeld` before committing, `release` when done. */
export interface RepoLock {
  readonly path: string;
  /** Throws IO when the lock was broken as stale while held (the work must not be committed). */
  assertHeld(): Promise<void>;
  release(): Promise<void>;
}

interface Holder {
  readonly pid: number;
  readonly host: string;
}

/**
 * Takes an exclusive lock file (`O_CREAT|O_EXCL`) holding the owner's pid and host. A lock is
 * broken when its owner is a dead process on this host, or when it has not been refreshed for
 * `staleMs` (a crashed owner on another host): it is renamed aside first and removed only if
 * it is still the same file, so two waiters never break each other's fresh lock.
 */
export async function acquireRepoLock(path: string, options: RepoLockOptions = {}): Promise<RepoLock> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const staleMs = options.staleMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  for (;;) {
    const held = await tryCreate(path, staleMs);
    if (held !== undefined) return held;
    if (await breakIfStale(path, staleMs)) continue;
    if (Date.now() >= deadline)
      throw new LarderError(
        'IO',
        `${path}: repository is locked by another publisher (waited ${timeoutMs} ms)`,
        {
          subject: path,
        },
      );
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 50);
  }
}

async function tryCreate(path: string, staleMs: number): Promise<RepoLock | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw new LarderError('IO', `${path}: cannot create lock: ${(err as Error).message}`, {
      cause: err,
      subject: path,
    });
  }
  try {
    await handle.writeFile(`${JSON.stringify({ pid: process.pid, host: hostname() } satisfies Holder)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  const { ino } = await stat(path);
  const refresh = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, staleMs / 4);
  refresh.unref();
  const isOurs = async () => (await stat(path).catch(() => undefined))?.ino === ino;
  return {
    path,
    async assertHeld() {
      if (!(await isOurs()))
        throw new LarderError('IO', `${path}: lock was broken as stale while held; nothing committed`, {
          subject: path,
        });
    },
    async release() {
      clearInterval(refresh);
      if (await isOurs()) await rm(path, { force: true });
    },
  };
}

async function breakIfStale(path: string, staleMs: number): Promise<boolean> {
  const before = await stat(path).catch(() => undefined);
  if (before === undefined) return true;
  const holder = await readHolder(path);
  const dead = holder !== undefined && holder.host === hostname() && !isAlive(holder.pid);
  // A lock file still empty is being written by its creator; only age can make it stale.
  if (!dead && Date.now() - before.mtimeMs < staleMs) return false;
  const aside = `${path}.stale.${randomBytes(6).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch {
    return true;
  }
  const moved = await stat(aside);
  if (moved.ino !== before.ino) {
    // Another waiter broke the stale lock and a new owner took it in between: put it back.
    await link(aside, path).catch(() => undefined);
  }
  await rm(aside, { force: true });
  return true;
}

async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as Partial<Holder>;
    return typeof value.pid === 'number' && typeof value.host === 'string'
      ? { pid: value.pid, host: value.host }
      : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
