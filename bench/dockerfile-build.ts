// Dockerfile builds (issue 9 §4): the multi-stage Dockerfile of test/kit/dockerfile-context.ts
// built by `larder docker build -o OUT CONTEXT`, against the same steps done by hand with larder
// commands, median of 5 each (BENCH_RUNS; rounds alternate), both with a warm --state-dir:
//  (D) `larder docker build -o OUT --state-dir S CONTEXT`, the whole process;
//  (H) by hand: `larder image build images/build.yaml --format rootfs` and `tar -x` of it, the
//      context (less what .dockerignore excludes) copied in with tar, the build stage's two RUN
//      scripts run under bwrap over that rootfs, the artifacts packaged with `larder apk create`
//      and indexed with `larder index`, then `larder image build` of the runtime config with the
//      package, hello, and the Dockerfile's USER/WORKDIR/ENV/ENTRYPOINT/CMD written as apko
//      config. (H) skips what has no apko equivalent: the `RUN rm /etc/motd`
//      layer and the LABELs, so it does a little less work than (D) (neither builds `minimal`).
// Goal: D no slower than H (ratio D/H <= 1.0).
//   npm run build && npm run bench:dockerfile
// BENCH_HAND_ONLY=1 times only (H) (when `larder docker build` is not there); BENCH_KEEP=1 keeps
// the temp folder.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DockerContext, prepareDockerContext } from '../test/kit/dockerfile-context.js';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const HAND_ONLY = process.env.BENCH_HAND_ONLY === '1';
const EPOCH = { SOURCE_DATE_EPOCH: '1700000000' };
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The build stage's RUN steps as the Dockerfile has them (`$VERSION` for `${VERSION}`), its ENV/ARG values given below. */
const RUN_STEPS = [
  'mkdir -p $OUT && sed "s/@VERSION@/$VERSION/" src/app.sh.in > $OUT/app && echo "greeting=$GREETING" > $OUT/app.conf && echo "scratch" > $OUT/scratch.tmp',
  'rm $OUT/scratch.tmp && chmod 0600 $OUT/app && ls -A /work | sort > $OUT/context.txt && ls $OUT | sort > /tmp/manifest.txt && mv /tmp/manifest.txt $OUT/manifest.txt',
];

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function larder(args: string[], cwd: string): string {
  const r = spawnSync(process.execPath, [CLI, ...args, '-q'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...EPOCH },
  });
  if (r.status !== 0) throw new Error(`larder ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}

function run(cmd: string, args: string[], cwd?: string): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], ...(cwd !== undefined ? { cwd } : {}) });
}

/** The runtime config of (H): the Dockerfile's final stage as apko config. */
function runtimeConfig(ctx: DockerContext, appRepo: string): string {
  return `contents:
  keyring:
    - keys/larder-test.rsa.pub
  repositories:
    - repo
    - ${appRepo}
  packages:
    - busybox
    - app-base
    - hello
    - app
accounts:
  groups:
    - groupname: app
      gid: 1000
  users:
    - username: app
      uid: 1000
      gid: 1000
  run-as: "1000"
work-dir: /srv
environment:
  GREETING: hello from larder
  APP_VERSION: 1.0.0
entrypoint:
  command: /usr/local/bin/app
cmd: --serve
archs:
  - ${ctx.arch}
`;
}

/** (H): every step of the Dockerfile done with larder commands, tar and bwrap. */
async function byHand(ctx: DockerContext, work: string, state: string): Promise<void> {
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const rootfs = join(work, 'rootfs');
  const tarball = join(work, 'build.tar.gz');
  larder(
    ['image', 'build', 'images/build.yaml', '--format', 'rootfs', '-o', tarball, '--state-dir', state],
    ctx.context,
  );
  await mkdir(join(rootfs, 'work'), { recursive: true });
  run('tar', ['-xzf', tarball, '-C', rootfs]);
  run('bash', [
    '-c',
    `tar -C "${ctx.context}" --exclude=./repo --exclude=./secret.env --exclude='./*.log' -cf - . | tar -C "${join(rootfs, 'work')}" -xf -`,
  ]);
  for (const script of RUN_STEPS) {
    run('bwrap', [
      '--bind',
      rootfs,
      '/',
      '--proc',
      '/proc',
      '--dev',
      '/dev',
      '--unshare-all',
      '--die-with-parent',
      '--new-session',
      '--clearenv',
      '--setenv',
      'PATH',
      PATH,
      '--setenv',
      'OUT',
      '/out',
      '--setenv',
      'VERSION',
      '1.0.0',
      '--setenv',
      'GREETING',
      'hello',
      '--chdir',
      '/work',
      '/bin/sh',
      '-c',
      script,
    ]);
  }
  const tree = join(work, 'app-tree');
  for (const d of ['usr/local/bin', 'etc/app', 'srv/static']) await mkdir(join(tree, d), { recursive: true });
  const app = join(tree, 'usr', 'local', 'bin', 'app');
  await copyFile(join(rootfs, 'out', 'app'), app);
  await chmod(app, 0o755);
  await chown(app, 1000, 1000);
  for (const f of ['app.conf', 'context.txt', 'manifest.txt'])
    await copyFile(join(rootfs, 'out', f), join(tree, 'etc', 'app', f));
  await copyFile(join(ctx.context, 'static', 'index.html'), join(tree, 'srv', 'static', 'index.html'));
  const appRepo = join(work, 'app-repo');
  await mkdir(join(appRepo, ctx.arch), { recursive: true });
  const apk = join(appRepo, ctx.arch, 'app-1.0.0-r0.apk');
  larder(
    ['apk', 'create', '--name', 'app', '--version', '1.0.0-r0', '--arch', ctx.arch, '--from', tree].concat([
      '--owner',
      '--license',
      'MIT',
      '--sign-key',
      ctx.signKey,
      '-o',
      apk,
    ]),
    work,
  );
  larder(['index', '--sign-key', ctx.signKey, '-o', join(appRepo, ctx.arch, 'APKINDEX.tar.gz'), apk], work);
  const config = join(work, 'runtime-app.yaml');
  await writeFile(config, runtimeConfig(ctx, appRepo));
  larder(['image', 'build', config, '-o', join(work, 'out'), '--state-dir', state], ctx.context);
}

async function docker(ctx: DockerContext, work: string, state: string): Promise<void> {
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  larder(['docker', 'build', '-o', join(work, 'out'), '--state-dir', state, ctx.context], work);
}

/** Milliseconds one call takes. */
async function time(fn: () => Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const ms = (t: number) => `${t.toFixed(0)} ms`;

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const tmp = await mkdtemp(join(tmpdir(), 'larder-bench-dockerfile-'));
  try {
    const ctx = await prepareDockerContext(tmp);
    const state = join(tmp, 'state');
    // Warm the download cache and check both paths work before timing.
    await byHand(ctx, join(tmp, 'hand'), state);
    if (!HAND_ONLY) await docker(ctx, join(tmp, 'docker'), state);
    // Rounds alternate H and D, so a shared machine's changing load hits both alike.
    const hand: number[] = [];
    const built: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      hand.push(await time(() => byHand(ctx, join(tmp, 'hand'), state)));
      if (!HAND_ONLY) built.push(await time(() => docker(ctx, join(tmp, 'docker'), state)));
    }
    console.log(
      `dockerfile bench: the multi-stage Dockerfile of test/kit/dockerfile-context.ts, ${RUNS} rounds`,
    );
    console.log(`  (H) by hand with larder commands, tar and bwrap: median ${ms(median(hand))}`);
    if (HAND_ONLY) return;
    console.log(`  (D) larder docker build:                          median ${ms(median(built))}`);
    console.log(`  ratio D/H ${(median(built) / median(hand)).toFixed(2)} (goal: <= 1.00)`);
  } finally {
    if (process.env.BENCH_KEEP === '1') console.log(`kept ${tmp}`);
    else await rm(tmp, { recursive: true, force: true });
  }
}

await main();
