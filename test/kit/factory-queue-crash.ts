import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from './paths.js';

/** The crash tests' worker processes (test/kit/factory-queue-worker.ts) and their output folder. */

const WORKER = join(ROOT, 'test', 'kit', 'factory-queue-worker.ts');
const children: ChildProcess[] = [];

/** A started worker: its process, its exit (code or signal) and the stderr it wrote so far. */
export interface QueueWorker {
  readonly child: ChildProcess;
  readonly exit: Promise<number | string>;
  stderr(): string;
}

/** A fresh output folder for the workers (with its `done` folder), named after `prefix`. */
export function crashDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'done'));
  return dir;
}

/** Kills the workers still running and removes `dir` (afterEach). */
export function cleanCrash(dir: string): void {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Starts a worker on the store at `location` through the `queue` kind, writing into `dir`; with
 * `bodyMs` each job body lasts that long (a worker that is to be killed mid-job).
 */
export function startQueueWorker(
  queue: 'store' | 'pg-boss',
  location: string,
  dir: string,
  worker: string,
  leaseMs: number,
  bodyMs?: number,
): QueueWorker {
  const args = [
    WORKER,
    queue,
    location,
    dir,
    worker,
    String(leaseMs),
    ...(bodyMs === undefined ? [] : [String(bodyMs)]),
  ];
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return { child, exit, stderr: () => stderr };
}

/** Waits up to 30 s for `file` (a worker's running-<worker> announcement); whether it appeared. */
export async function waitForFile(file: string): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  while (!existsSync(file) && Date.now() < deadline) await sleep(10);
  return existsSync(file);
}
