import { chmod, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { apkAdd, parseApkAddCommand } from '../apk-add/index.js';
import type { Instruction } from '../parse/index.js';
import { runInRootfs } from '../rootfs/index.js';
import { planRun } from './run.js';
import { runMounts } from './run-mounts.js';
import { runEnvironment, type StageState } from './stage-state.js';
import { changing, record, type StepContext } from './step-context.js';

/**
 * RUN: `apk add` alone is done natively (resolved against the stage's repositories and keys,
 * installed as the composer installs, one layer); anything else runs in bubblewrap over the
 * stage's root with its `--mount`s, and what it changed becomes the layer.
 */
export async function runStep(
  ctx: StepContext,
  state: StageState,
  instruction: Extract<Instruction, { kind: 'RUN' }>,
): Promise<void> {
  const { options } = ctx;
  const plan = planRun(state, instruction, options.network === true);
  const mounted = instruction.flags.some((f) => f.name === 'mount');
  const native = plan.words === undefined || mounted ? undefined : parseApkAddCommand(plan.words);
  if (native !== undefined) {
    const epoch = options.sourceDateEpoch;
    const added = await apkAdd({
      root: state.root,
      packages: native.packages,
      installed: state.installed,
      repositories: state.repositories,
      keys: state.keys,
      arch: options.arch,
      fetcher: options.fetcher,
      stateDir: options.stateDir,
      blobsDir: ctx.blobsDir,
      ...(epoch !== undefined ? { sourceDateEpoch: epoch } : {}),
      ...(options.allowUntrusted ? { allowUntrusted: true } : {}),
    });
    state.snapshot = undefined; // apkAdd wrote into the root itself
    state.installed = [...added.installed];
    state.sources.push(...added.added);
    record(ctx, state, plan.text, added.layer);
    return;
  }
  const workdir = state.config.WorkingDir ?? '/';
  const before = ctx.stageIndexOf(state);
  const binds = await runMounts(instruction, workdir, {
    contextDir: options.contextDir,
    cacheDir: join(options.stateDir, 'cache', 'dockerfile-mounts'),
    scratchDir: ctx.scratchDir,
    secrets: options.secrets ?? {},
    fromRoot: (name) => ctx.fromRoot(name, instruction, before),
  });
  await changing(ctx, state, async () => {
    const script = plan.script === undefined ? undefined : `.larder-run-${process.pid}`;
    if (script !== undefined) {
      await writeFile(join(state.root, script), plan.script!);
      await chmod(join(state.root, script), 0o755);
    }
    try {
      await runInRootfs(state.root, {
        argv: script === undefined ? plan.argv : [`/${script}`],
        env: runEnvironment(state, ctx.args.proxies()),
        workdir,
        ...(state.config.User ? { user: state.config.User } : {}),
        network: plan.network,
        onLine: (line) => options.onLine?.(line),
        ...(binds.length > 0 ? { extraBinds: binds } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } finally {
      if (script !== undefined) await rm(join(state.root, script), { force: true });
    }
    return plan.text;
  });
}
