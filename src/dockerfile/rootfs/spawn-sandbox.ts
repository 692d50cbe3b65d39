import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { LarderError } from '../../core/index.js';
import type { ResolvedUser } from './user.js';

/** One line the command wrote, without its newline. */
export interface RunLine {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

/** What {@link spawnSandbox} needs of the run's options. */
export interface SpawnOptions {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly stdin?: string;
  readonly onLine: (line: RunLine) => void;
  readonly signal?: AbortSignal;
}

const KEEP_LINES = 10;

/** DOCKERFILE_STEP_FAILED naming the command. */
export function stepFailed(message: string, argv: readonly string[], cause?: unknown): LarderError {
  return new LarderError('DOCKERFILE_STEP_FAILED', message, {
    subject: argv.join(' '),
    ...(cause !== undefined ? { cause } : {}),
  });
}

/**
 * Starts `bwrap ARGS` in its own process group with the step's environment only (as `switchTo`'s
 * ids when given), passes every output line on, and reads bwrap's status fd (3): a `child-pid`
 * says the sandbox was made, an `exit-code` how the command ended. Aborting kills the group.
 */
export function spawnSandbox(
  bwrap: string,
  args: readonly string[],
  options: SpawnOptions,
  switchTo: ResolvedUser | undefined,
): Promise<void> {
  const { argv, signal } = options;
  if (signal?.aborted === true)
    return Promise.reject(stepFailed(`${argv.join(' ')} was cancelled`, argv, signal.reason));
  return new Promise((resolve, reject) => {
    const child = spawn(bwrap, args, {
      stdio: [options.stdin !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe', 'pipe'],
      env: { ...options.env },
      detached: true,
      ...(switchTo !== undefined ? { uid: switchTo.uid, gid: switchTo.gid } : {}),
    });
    const lastErr: string[] = [];
    const out = new Lines((text) => options.onLine({ stream: 'stdout', text }));
    const err = new Lines((text) => {
      lastErr.push(text);
      if (lastErr.length > KEEP_LINES) lastErr.shift();
      options.onLine({ stream: 'stderr', text });
    });
    (child.stdio[1] as Readable).on('data', (b: Buffer) => out.push(b));
    (child.stdio[2] as Readable).on('data', (b: Buffer) => err.push(b));
    const status: Buffer[] = [];
    (child.stdio[3] as Readable).on('data', (b: Buffer) => status.push(b));
    if (options.stdin !== undefined) {
      const stdin = child.stdio[0] as Writable;
      stdin.on('error', () => {}); // the command may exit without reading it
      stdin.end(options.stdin);
    }
    const kill = (): void => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    };
    signal?.addEventListener('abort', kill, { once: true });
    let spawnError: Error | undefined;
    child.on('error', (e) => {
      spawnError = e;
    });
    child.on('close', () => {
      signal?.removeEventListener('abort', kill);
      out.end();
      err.end();
      const command = argv.join(' ');
      if (signal?.aborted === true)
        return reject(stepFailed(`${command} was cancelled`, argv, signal.reason));
      if (spawnError !== undefined)
        return reject(
          new LarderError('SANDBOX_UNAVAILABLE', `cannot start ${bwrap}: ${spawnError.message}`, {
            cause: spawnError,
          }),
        );
      const { started, exit } = readStatus(Buffer.concat(status).toString('utf8'));
      const bwrapSaid = lastErr.filter((l) => l.startsWith('bwrap: '));
      const exec = bwrapSaid.map((l) => /^bwrap: execvp (.*): (.*)$/.exec(l)).find((m) => m !== null);
      if (exec != null)
        return reject(
          stepFailed(`${command}: executable ${exec[1]} not found in the image (${exec[2]})`, argv),
        );
      if (!started || exit === undefined) {
        const why = bwrapSaid.at(-1) ?? lastErr.at(-1) ?? 'bwrap ended without starting the command';
        return reject(
          new LarderError('SANDBOX_UNAVAILABLE', `the RUN sandbox could not be set up: ${why}`, {
            subject: command,
          }),
        );
      }
      if (exit === 0) return resolve();
      const how =
        exit > 128 && exit < 160
          ? `was killed by signal ${exit - 128} (exit status ${exit})`
          : `failed with exit status ${exit}`;
      const tail = lastErr.length > 0 ? `:\n${lastErr.join('\n')}` : '';
      reject(stepFailed(`${command} ${how}${tail}`, argv));
    });
  });
}

/** Whether bwrap started the command (`child-pid`) and the exit code it reported. */
export function readStatus(text: string): { started: boolean; exit: number | undefined } {
  let started = false;
  let exit: number | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      if (typeof record['child-pid'] === 'number') started = true;
      if (typeof record['exit-code'] === 'number') exit = record['exit-code'];
    } catch {
      // one JSON object per line; nothing else is ours to read
    }
  }
  return { started, exit };
}

const MAX_LINE_BYTES = 64 * 1024;

/**
 * Cuts bytes into lines at `\n` (so a UTF-8 character split across chunks stays whole); a line
 * over 64 KiB is passed on in pieces so memory stays bounded.
 */
class Lines {
  private pending: Buffer[] = [];
  private bytes = 0;
  constructor(private readonly emit: (text: string) => void) {}
  push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      this.pending.push(chunk.subarray(start, nl));
      this.flush();
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      this.bytes += chunk.length - start;
      if (this.bytes > MAX_LINE_BYTES) this.flush();
    }
  }
  end(): void {
    if (this.pending.length > 0) this.flush();
  }
  private flush(): void {
    const line = Buffer.concat(this.pending).toString('utf8');
    this.pending = [];
    this.bytes = 0;
    this.emit(line);
  }
}
