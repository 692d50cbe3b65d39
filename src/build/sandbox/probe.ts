import { spawn } from 'node:child_process';
import { access, constants, readFile, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import type { ProbeFacts } from './diagnose.js';

/** The namespaces every step gets; the probe asks for the same ones (plus a network). */
export const NAMESPACE_ARGS = [
  '--unshare-user',
  '--unshare-pid',
  '--unshare-ipc',
  '--unshare-uts',
  '--unshare-cgroup-try',
] as const;

/** `bwrap` on PATH (or `LARDER_BWRAP` when set), undefined when there is none. */
export async function findBwrap(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const explicit = env.LARDER_BWRAP;
  const candidates =
    explicit !== undefined && explicit !== ''
      ? [explicit]
      : (env.PATH ?? '/usr/bin:/bin')
          .split(delimiter)
          .filter((d) => isAbsolute(d))
          .map((d) => join(d, 'bwrap'));
  for (const file of candidates) {
    try {
      await access(file, constants.X_OK);
      if ((await stat(file)).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function readNumber(file: string): Promise<number | undefined> {
  try {
    const n = Number.parseInt((await readFile(file, 'utf8')).trim(), 10);
    return Number.isNaN(n) ? undefined : n;
  } catch {
    return undefined;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

async function seccompMode(): Promise<number | undefined> {
  try {
    const m = /^Seccomp:\s*(\d+)/m.exec(await readFile('/proc/self/status', 'utf8'));
    return m === null ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
}

/** Runs `bwrap` with the sandbox's namespaces, /proc and /dev around `bwrap --version`. */
function runProbe(bwrap: string): Promise<{ status: number; stderr: string }> {
  const args = [...NAMESPACE_ARGS, '--unshare-net', '--die-with-parent', '--cap-drop', 'ALL'];
  args.push('--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', bwrap, '--version');
  return new Promise((resolve) => {
    const child = spawn(bwrap, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { LANG: 'C' } });
    const err: Buffer[] = [];
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => resolve({ status: 127, stderr: `bwrap: ${e.message}` }));
    child.on('close', (code, signal) =>
      resolve({ status: code ?? (signal !== null ? 128 : 1), stderr: Buffer.concat(err).toString('utf8') }),
    );
  });
}

/**
 * Checks once whether bubblewrap can make the sandbox here: runs it with the namespaces the
 * steps get and reads the kernel settings that explain a refusal (see diagnoseSandbox).
 */
export async function probeSandbox(env: NodeJS.ProcessEnv = process.env): Promise<ProbeFacts> {
  const bwrap = await findBwrap(env);
  const [result, setuid, maxUserNamespaces, clone, apparmor, seccomp, docker, podman] = await Promise.all([
    bwrap === undefined ? { status: 127, stderr: '' } : runProbe(bwrap),
    bwrap === undefined ? false : stat(bwrap).then((s) => (s.mode & 0o4000) !== 0 && s.uid === 0),
    readNumber('/proc/sys/user/max_user_namespaces'),
    readNumber('/proc/sys/kernel/unprivileged_userns_clone'),
    readNumber('/proc/sys/kernel/apparmor_restrict_unprivileged_userns'),
    seccompMode(),
    exists('/.dockerenv'),
    exists('/run/.containerenv'),
  ]);
  return {
    bwrap,
    status: result.status,
    stderr: result.stderr,
    uid: process.getuid?.() ?? 0,
    bwrapSetuid: setuid,
    ...(maxUserNamespaces !== undefined ? { maxUserNamespaces } : {}),
    ...(clone !== undefined ? { unprivilegedUsernsClone: clone } : {}),
    ...(apparmor !== undefined ? { apparmorRestrictUserns: apparmor } : {}),
    ...(seccomp !== undefined ? { seccompMode: seccomp } : {}),
    inContainer: docker || podman || (env.container !== undefined && env.container !== ''),
  };
}
