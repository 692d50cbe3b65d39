import { chown, lstat, mkdir, realpath, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { diagnoseSandbox, probeSandbox } from '../../build/index.js';
import { LarderError } from '../../core/index.js';
import { type MountPoint, prepareMountPoints } from './mount-points.js';
import { locateBwrap, type SandboxBind, sandboxArgs } from './sandbox-args.js';
import { hostPath, resolveInRoot } from './scoped-path.js';
import { type RunLine, spawnSandbox, stepFailed } from './spawn-sandbox.js';
import { type ResolvedUser, resolveUser } from './user.js';

export interface RunInRootfsOptions {
  /** The command, exec form: argv[0] is looked up on the env's PATH inside the rootfs. */
  readonly argv: readonly string[];
  /** The whole environment of the command: nothing else is passed but PWD (bwrap sets it to the workdir). */
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

const HOST_FILES = ['/etc/resolv.conf', '/etc/hosts'] as const;

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
