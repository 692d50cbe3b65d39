import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { CLI, ROOT } from './paths.js';

/** A `larder serve` or `larder worker` child process, its output in a file (never a full pipe). */
export interface FactoryProcess {
  /** `http://127.0.0.1:<port>` (serve only; empty for workers). */
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  /** SIGTERM, then SIGKILL after 10 s; resolves when it has exited. */
  stop(): Promise<void>;
  /** `kill -9`: no chance to clean up. */
  kill9(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts the built CLI with `args` (e.g. `['serve', '--workspace', DIR, '--listen', '127.0.0.1:0']`),
 * output going to `logFile`. With `waitForListen`, resolves once it printed
 * `listening on http://…` and gives that URL.
 */
export async function startFactoryProcess(
  args: readonly string[],
  options: { readonly logFile: string; readonly env?: NodeJS.ProcessEnv; readonly waitForListen: boolean },
): Promise<FactoryProcess> {
  const fd = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, LARDER_QUIET: '', ...options.env },
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  const output = () => readFileSync(options.logFile, 'utf8');
  const handle = (url: string): FactoryProcess => ({
    url,
    child,
    output,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(timer);
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited(child);
    },
  });
  if (!options.waitForListen) return handle('');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(output());
    if (m) return handle(m[1]!);
    if (child.exitCode !== null) throw new Error(`larder ${args[0]} exited ${child.exitCode}:\n${output()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`larder ${args[0]} did not listen within 30 s:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** GET `url + path` as JSON (throws with the body on a non-2xx answer). */
export async function getJson<T>(base: string, path: string, token?: string): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Polls `probe` every `everyMs` until it returns a value (not undefined), or fails with `describe()`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { readonly timeoutMs: number; readonly everyMs?: number; readonly describe?: () => string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${options.timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}\n${options.describe?.() ?? ''}`,
      );
    await new Promise((r) => setTimeout(r, options.everyMs ?? 500));
  }
}

/** Where a test's process logs go. */
export function logFileIn(dir: string, name: string): string {
  return join(dir, `${name}.log`);
}

/** A port free on 127.0.0.1 now (a server restarted on the same port keeps its URL). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
