import { spawn } from 'node:child_process';
import { chown, lstat, mkdir, realpath, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { diagnoseSandbox, probeSandbox } from '../../build/index.js';
import { LarderError } from '../../core/index.js';
import { type MountPoint, prepareMountPoints } from './mount-points.js';
import { locateBwrap, type SandboxBind, sandboxArgs } from './sandbox-args.js';
import { hostPath, resolveInRoot } from './scoped-path.js';
import { type ResolvedUser, resolveUser } from './user.js';

/** One line the command wrote, without its newline. */
export interface RunLine {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

export interface RunInRootfsOptions {
  /** The command, exec form: argv[0] is looked up on the env's PATH inside the rootfs. */
  readonly argv: readonly string[];
  /** The whole environment of the command: nothing else is passed. */
  readonly env: Readonly<Record<string, string>>;
  /** Absolute; made (0755, owned by the user) when missing, as BuildKit's WORKDIR does. */
  readonly workdir: string;
  /** Docker's USER: `name`, `uid`, `uid:gid`, `name:group`; default root. */
  readonly user?: string;
  /** Share the host's network (RUN --network=host); default none (loopback only). */
  readonly network?: boolean;
  /** Bytes given on the command's stdin; default /dev/null. */
  readonly stdin?: string;
  readonly onLine: (line: RunLine) => void;
  /** Aborting kills bwrap's whole process group and rejects with DOCKERFILE_STEP_FAILED. */
  readonly signal?: AbortSignal;
  /** Host paths bound into the sandbox for this run only (mount points are cleaned up). */
  readonly extraBinds?: readonly SandboxBind[];
  /** bwrap to use; default `LARDER_BWRAP` or `bwrap` on PATH. */
  readonly bwrap?: string;
}

const KEEP_LINES = 10;
const HOST_FILES = ['/etc/resolv.conf', '/etc/hosts'] as const;

function stepFailed(message: string, argv: readonly string[], cause?: unknown): LarderError {
  return new LarderError('DOCKERFILE_STEP_FAILED', message, {
    subject: argv.join(' '),
    ...(cause !== undefined ? { cause } : {}),
  });
}

/** Makes the missing components of the working directory, owned by the step's user. */
async function makeWorkdir(root: string, workdir: string, user: ResolvedUser): Promise<string> {
  if (!workdir.startsWith('/'))
    throw new LarderError('DOCKERFILE_STEP_FAILED', `the working directory ${workdir} is not absolute`, {
      subject: workdir,
    });
  const scoped = await resolveInRoot(root, workdir);
  if (scoped.exists) {
    if (!(await stat(hostPath(root, scoped))).isDirectory())
      throw new LarderError('DOCKERFILE_STEP_FAILED', `the working directory ${workdir} is not a directory`, {
        subject: workdir,
      });
  } else {
    for (let i = 1; i <= scoped.parts.length; i++) {
      const host = join(root, ...scoped.parts.slice(0, i));
      try {
        await mkdir(host, { mode: 0o755 });
        if (process.getuid?.() === 0) await chown(host, user.uid, user.gid);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  }
  return `/${scoped.parts.join('/')}`;
}

/**
 * A non-root bwrap must reach the rootfs itself: each directory above it needs search
 * permission for the step's ids.
 */
async function assertReachable(root: string, user: ResolvedUser): Promise<void> {
  let dir = dirname(await realpath(root));
  for (;;) {
    const st = await lstat(dir);
    const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0)
      throw new LarderError(
        'DOCKERFILE_STEP_FAILED',
        `USER ${user.uid}:${user.gid} cannot reach the rootfs ${root}: ${dir} is not searchable by it (mode ${(st.mode & 0o777).toString(8)}); keep build directories under a path others may traverse (o+x)`,
        { subject: root },
      );
    if (dir === dirname(dir)) return;
    dir = dirname(dir);
  }
}

/**
 * Runs one command in bubblewrap with `root` read-write as `/` (see sandboxArgs): the USER
 * resolved from the image's passwd/group files; as real root the ids are real (a root RUN keeps
 * Docker's default capabilities, a USER runs as those ids on disk), otherwise a user namespace
 * maps them to larder's own. The host's /etc/resolv.conf and /etc/hosts are bound read-only for
 * the run. Mount points the rootfs lacked are made before and removed after (see
 * prepareMountPoints), so they never reach a diff. A non-zero exit is DOCKERFILE_STEP_FAILED
 * with the status and the last stderr lines; a missing executable says so.
 */
export async function runInRootfs(root: string, options: RunInRootfsOptions): Promise<void> {
  const { argv } = options;
  if (argv.length === 0) throw stepFailed('RUN has no command', argv);
  const bwrap = options.bwrap ?? (await locateBwrap());
  if (bwrap === undefined) throw diagnoseSandbox(await probeSandbox())!;
  const user = await resolveUser(root, options.user ?? '0');
  const asRoot = process.getuid?.() === 0;
  const privileged = asRoot && user.uid === 0;
  if (asRoot && !privileged) await assertReachable(root, user);
  const workdir = await makeWorkdir(root, options.workdir, user);
  const hostFiles: SandboxBind[] = [];
  for (const file of HOST_FILES) {
    const st = await stat(file).catch(() => undefined);
    if (st?.isFile() === true) hostFiles.push({ source: file, dest: file, readOnly: true });
  }
  const extra = options.extraBinds ?? [];
  const points: MountPoint[] = [
    { path: '/proc', kind: 'dir' },
    { path: '/dev', kind: 'dir' },
    ...hostFiles.map((b) => ({ path: b.dest, kind: 'file' as const })),
  ];
  for (const b of extra)
    points.push({ path: b.dest, kind: (await stat(b.source)).isDirectory() ? 'dir' : 'file' });
  const mounts = await prepareMountPoints(root, points);
  try {
    for (const dir of ['/proc', '/dev'])
      if (!mounts.usable.has(dir))
        throw stepFailed(`cannot mount ${dir} in ${root}: it is a symlink or a file in the image`, argv);
    const unusable = extra.find((b) => !mounts.usable.has(b.dest));
    if (unusable !== undefined)
      throw stepFailed(
        `cannot bind ${unusable.source} at ${unusable.dest}: a symlink or a file is in the way`,
        argv,
      );
    const binds = [...hostFiles.filter((b) => mounts.usable.has(b.dest)), ...extra];
    const args = sandboxArgs({
      root,
      argv,
      workdir,
      uid: user.uid,
      gid: user.gid,
      privileged,
      network: options.network === true,
      binds,
      statusFd: 3,
    });
    await spawnSandbox(bwrap, args, options, asRoot && !privileged ? user : undefined);
  } finally {
    await mounts.cleanup();
  }
}

function spawnSandbox(
  bwrap: string,
  args: readonly string[],
  options: RunInRootfsOptions,
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
