// Sandbox overhead of building examples/build: the `run` steps of recipes/libgreet.yaml (the main
// package's `make CC=gcc` + `make install DESTDIR=…` and libgreet-dev's split) and greet.yaml
// (`make CC=gcc` + `make install DESTDIR=…`), compiled by src/build, run
//   (a) as steps of the default package-root bubblewrap runner, whose guest root is installed from
//       a signed repository holding the host-toolchain package (examples/build/host-toolchain.sh)
//       and the libgreet and libgreet-dev packages (`larder build-all` once, before timing);
//   (b) directly by the host's /bin/sh, with the same wrapper script (set -e, mkdir+cd workdir,
//       the step, exit 0) and the same environment.
// Each side runs in its own fresh copy of the source directory the recipes' `fetch` steps unpack
// from make-sources.sh's tarballs (reset before every round, untimed). Guest roots are prepared
// (and cached) before timing; their uncached cost is measured once and printed separately.
// What differs in (b), besides the sandbox itself:
//  - the guest's /home/build is the host workspace: it is substituted in the script and in the
//    environment's values (HOME, DESTDIR=…/melange-out/NAME, the workdir);
//  - TMPDIR is a directory on /dev/shm (tmpfs), as the guest's /tmp is a tmpfs;
//  - greet is compiled against a staging directory holding the repository's libgreet and
//    libgreet-dev packages unpacked (the same files the guest root has in /usr), found through
//    CPATH and LIBRARY_PATH (gcc's environment forms of -I and -L) instead of /usr;
//  - the compiler is the host's /usr/bin/gcc, make and sh rather than their copies in the
//    host-toolchain package (the same files, bound from the cached root in (a)).
// ROUNDS rounds (default 5) after a warm-up; each step runs both ways back to back, in
// alternating order. Prints per-step medians, the ratio of the median totals and of the best
// totals (goal: under 1.15x), and checks that both ways staged identical files.
// Needs bwrap, gcc, make, dpkg (Debian/Ubuntu x86_64) and dist/ (`npm run build`).
//   npm run build && ROUNDS=5 node --import tsx bench/sandbox-examples.ts
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSourceStep } from '../src/build/fetch/index.js';
import { type BuildPlan, compileRecipeFile, pipelineLibrary } from '../src/build/index.js';
import { sandboxScript } from '../src/build/run/index.js';
import {
  createBubblewrapRunner,
  GUEST_WORKSPACE,
  type GuestContents,
  guestWorkdir,
  preparePackageRoot,
  type Sandbox,
  type SandboxStep,
  stepShellScript,
} from '../src/build/sandbox/index.js';
import { createFetcher } from '../src/repo/index.js';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const EXAMPLES = join(ROOT, 'examples', 'build');
const RECIPES = ['libgreet', 'greet'] as const;
const ARCH = 'x86_64';
const EPOCH = 0;

if (!existsSync(CLI)) {
  console.error(`bench/sandbox-examples: ${CLI} is missing: run 'npm run build' first`);
  process.exit(2);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function timed<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const value = fn();
  return [value, performance.now() - t0];
}

async function timedAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
}

/** Runs a setup command, its output discarded unless it fails. */
function sh(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  try {
    execFileSync(file, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString('utf8') ?? '';
    throw new Error(`${file} ${args.join(' ')} failed:\n${stderr}`);
  }
}

/** One `run` step, on both sides. */
interface BenchStep {
  readonly label: string;
  readonly recipe: (typeof RECIPES)[number];
  /** What the sandbox runs, built as `runPlanSteps` builds it. */
  readonly guest: SandboxStep;
}

/** The same shell text as the sandbox runs, with /home/build at `workspace` on the host. */
function directScript(step: SandboxStep, workspace: string): string {
  const host = (s: string) => s.replaceAll(GUEST_WORKSPACE, workspace);
  return stepShellScript({ ...step, workdir: host(guestWorkdir(step)), script: host(step.script) });
}

function directEnv(
  step: SandboxStep,
  workspace: string,
  extra: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(step.env)) env[k] = v.replaceAll(GUEST_WORKSPACE, workspace);
  return { ...env, ...extra };
}

function direct(step: SandboxStep, workspace: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    // bwrap starts the shell in /home/build (--chdir); the script then enters the step's workdir.
    const child = spawn('/bin/sh', ['-c', directScript(step, workspace)], {
      cwd: workspace,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const err: Buffer[] = [];
    child.stdout.on('data', () => {});
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${step.name}: exit ${code}\n${Buffer.concat(err).toString('utf8')}`)),
    );
  });
}

/** Relative path → content hash (or link target) of every file under `dir`. */
function treeDigest(dir: string, rel = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const path = join(rel, name);
    const st = lstatSync(join(dir, path));
    if (st.isDirectory()) for (const [k, v] of treeDigest(dir, path)) out.set(k, v);
    else if (st.isSymbolicLink()) out.set(path, `-> ${readlinkSync(join(dir, path))}`);
    else
      out.set(
        path,
        createHash('sha256')
          .update(readFileSync(join(dir, path)))
          .digest('hex'),
      );
  }
  return out;
}

const base = mkdtempSync(join(tmpdir(), 'larder-bench-sandbox-examples-'));
const shmTmp = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'larder-bench-'));
const fetcher = createFetcher({ stateDir: join(base, 'state') });
const sandboxes: Sandbox[] = [];
try {
  // --- Setup, untimed except for the figures printed as one-time costs. ---
  const keys = join(base, 'keys');
  const repo = join(base, 'repo');
  const tree = join(base, 'tree');
  const signKey = join(keys, 'bench.rsa');
  sh('node', [CLI, 'keygen', '--name', 'bench', '--out', keys, '-q']);
  cpSync(EXAMPLES, tree, { recursive: true });
  sh('sh', [join(tree, 'make-sources.sh'), join(tree, 'sources')]);
  const [, bootstrapMs] = timed(() =>
    sh('sh', [join(tree, 'host-toolchain.sh'), repo, signKey], {
      env: { ...process.env, LARDER: `node ${CLI}` },
    }),
  );
  // As the quick start does: build-all publishes every recipe's packages into the repository the
  // guest roots are installed from (libgreet-dev for greet's root; host-libc provides the
  // so:libc.so.6 that libgreet needs).
  const recipes = join(tree, 'recipes');
  const [, buildAllMs] = timed(() =>
    sh(
      'node',
      [
        CLI,
        'build-all',
        recipes,
        '--out-dir',
        repo,
        '--sign-key',
        signKey,
        '--state-dir',
        join(base, 'state-build-all'),
        '-q',
      ],
      { cwd: tree, env: { ...process.env, SOURCE_DATE_EPOCH: String(EPOCH) } },
    ),
  );

  const library = pipelineLibrary([]);
  const plans = new Map<string, BuildPlan>();
  for (const r of RECIPES)
    plans.set(r, await compileRecipeFile(join(recipes, `${r}.yaml`), { library, arch: ARCH }));
  const contentsOf = (plan: BuildPlan): GuestContents => ({
    repositories: [...plan.environment.repositories, repo],
    keyring: [...plan.environment.keyring, `${signKey}.pub`],
    packages: [...plan.environment.packages],
  });

  // The one-time cost: each recipe's guest root installed into an empty state directory.
  const stateDir = join(base, 'state');
  const uncached: string[] = [];
  for (const [name, plan] of plans) {
    const [, ms] = await timedAsync(() =>
      preparePackageRoot({
        contents: contentsOf(plan),
        arch: ARCH,
        fetcher,
        stateDir,
        sourceDateEpoch: EPOCH,
      }),
    );
    uncached.push(`${name} [${plan.environment.packages.join(' ')}] ${ms.toFixed(0)} ms`);
  }

  // The source directories, unpacked once by each recipe's own fetch step (checksum verified).
  const pristine = join(base, 'pristine');
  for (const [name, plan] of plans) {
    const dir = join(pristine, name);
    mkdirSync(dir, { recursive: true });
    for (const step of plan.packages[0]?.steps ?? [])
      if (step.kind === 'fetch') {
        const uri = step.inputs.uri ?? '';
        await runSourceStep(
          { ...step, inputs: { ...step.inputs, uri: join(tree, uri) } },
          { workspace: dir, recipe: plan.file },
          { fetcher },
        );
      }
  }

  // greet's direct build links against the repository's libgreet, staged from its packages.
  const stage = join(base, 'stage');
  mkdirSync(stage);
  for (const p of ['libgreet', 'libgreet-dev'])
    sh('tar', [
      '-xzif',
      join(repo, ARCH, `${p}-${plans.get('libgreet')?.package.fullVersion}.apk`),
      '-C',
      stage,
      '--warning=no-unknown-keyword',
      '--exclude=.PKGINFO',
      '--exclude=.SIGN.*',
      '--exclude=var',
    ]);

  const wsOf = (how: 'bwrap' | 'direct', recipe: string) => join(base, 'ws', how, recipe);
  const steps: BenchStep[] = [];
  for (const [name, plan] of plans)
    for (const pkg of plan.packages)
      for (const step of pkg.steps)
        if (step.kind === 'run')
          steps.push({
            label: `${pkg.name}:${step.name.split(' ')[0]}`,
            recipe: name as (typeof RECIPES)[number],
            guest: {
              name: step.name,
              script: sandboxScript(step),
              workdir: step.workdir,
              env: { SOURCE_DATE_EPOCH: String(EPOCH), ...plan.environment.env, ...step.environment },
            },
          });
  const extraEnv: Record<string, Record<string, string>> = {
    libgreet: { TMPDIR: shmTmp },
    greet: { TMPDIR: shmTmp, CPATH: join(stage, 'usr', 'include'), LIBRARY_PATH: join(stage, 'usr', 'lib') },
  };
  const reset = () => {
    for (const how of ['bwrap', 'direct'] as const)
      for (const r of RECIPES) {
        const ws = wsOf(how, r);
        rmSync(ws, { recursive: true, force: true });
        cpSync(join(pristine, r), ws, { recursive: true, preserveTimestamps: true });
      }
  };
  reset();

  // The runner as `larder build` makes it; the roots are cached now, so prepare only checks the
  // indexes and finds the root (measured, untimed in the rounds).
  const runner = createBubblewrapRunner({
    mode: 'package',
    fetcher,
    stateDir,
    sourceDateEpoch: EPOCH,
    onWarning: (m) => console.error(`warning: ${m}`),
  });
  // The runner probes bwrap once, on its first prepare: keep that out of the figure below.
  const first = plans.get('libgreet');
  if (first !== undefined)
    sandboxes.push(
      await runner.prepare({ workspace: wsOf('bwrap', 'libgreet'), contents: contentsOf(first), arch: ARCH }),
    );
  const sandboxOf = new Map<string, Sandbox>();
  const cached: string[] = [];
  for (const [name, plan] of plans) {
    const [sandbox, ms] = await timedAsync(() =>
      runner.prepare({ workspace: wsOf('bwrap', name), contents: contentsOf(plan), arch: ARCH }),
    );
    sandboxes.push(sandbox);
    sandboxOf.set(name, sandbox);
    cached.push(`${name} ${ms.toFixed(0)} ms`);
  }

  const perStep = new Map<string, { bwrap: number[]; direct: number[] }>(
    steps.map((s) => [s.label, { bwrap: [], direct: [] }]),
  );
  const totals = { bwrap: [] as number[], direct: [] as number[] };
  for (let round = -1; round < ROUNDS; round++) {
    // Fresh source directories for both sides; round -1 is a warm-up.
    if (round > -1) reset();
    const total = { bwrap: 0, direct: 0 };
    for (const [i, step] of steps.entries()) {
      const order: Array<'bwrap' | 'direct'> =
        (round + i) % 2 === 0 ? ['bwrap', 'direct'] : ['direct', 'bwrap'];
      for (const how of order) {
        const t0 = performance.now();
        if (how === 'bwrap')
          await sandboxOf.get(step.recipe)?.run(step.guest, { onLine: () => {}, network: false });
        else {
          const ws = wsOf('direct', step.recipe);
          await direct(step.guest, ws, directEnv(step.guest, ws, extraEnv[step.recipe] ?? {}));
        }
        const ms = performance.now() - t0;
        total[how] += ms;
        if (round >= 0) perStep.get(step.label)?.[how].push(ms);
      }
    }
    if (round >= 0) {
      totals.bwrap.push(total.bwrap);
      totals.direct.push(total.direct);
    }
  }

  // Both sides did the same work: the staged package trees of the last round are identical.
  const differ: string[] = [];
  let files = 0;
  for (const r of RECIPES) {
    const a = treeDigest(join(wsOf('bwrap', r), 'melange-out'));
    const b = treeDigest(join(wsOf('direct', r), 'melange-out'));
    files += a.size;
    for (const k of new Set([...a.keys(), ...b.keys()])) if (a.get(k) !== b.get(k)) differ.push(`${r}/${k}`);
  }

  console.log(
    `setup (once, not in the ratios): host-toolchain.sh ${(bootstrapMs / 1000).toFixed(1)} s, ` +
      `build-all examples/build/recipes ${(buildAllMs / 1000).toFixed(1)} s`,
  );
  console.log(`guest root prepare, uncached (once): ${uncached.join(', ')}`);
  console.log(`guest root prepare, cached (per build, outside the timed steps): ${cached.join(', ')}`);
  for (const [label, t] of perStep)
    console.log(
      `${label.padEnd(18)} bwrap ${median(t.bwrap).toFixed(1).padStart(7)} ms   direct ${median(t.direct).toFixed(1).padStart(7)} ms   ${(median(t.bwrap) / median(t.direct)).toFixed(3)}x`,
    );
  const ratio = median(totals.bwrap) / median(totals.direct);
  const best = Math.min(...totals.bwrap) / Math.min(...totals.direct);
  console.log(
    `sandbox overhead (package-root runner, examples/build libgreet+greet, ${steps.length} run steps, median of ${ROUNDS}): bwrap ${median(totals.bwrap).toFixed(0)} ms / direct ${median(totals.direct).toFixed(0)} ms = ${ratio.toFixed(3)}x; best of ${ROUNDS}: ${best.toFixed(3)}x (goal < 1.15x)`,
  );
  console.log(
    differ.length === 0
      ? `outputs: bwrap and direct staged identical melange-out trees (${files} files)`
      : `outputs: DIFFER in ${differ.join(', ')}`,
  );
} finally {
  for (const s of sandboxes) await s.close();
  await fetcher.close();
  rmSync(base, { recursive: true, force: true });
  rmSync(shmTmp, { recursive: true, force: true });
}
