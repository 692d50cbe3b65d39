import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isLarderError, LarderError } from '../../core/index.js';
import type { LayerBlob } from '../../oci/index.js';
import { apkAdd, parseApkAddCommand } from '../apk-add/index.js';
import { resolveBaseImage } from '../base/index.js';
import { expandWord, type Instruction, type Stage } from '../parse/index.js';
import { diffToLayer, resolveUser, runInRootfs, snapshotTree } from '../rootfs/index.js';
import { BuildArgs, platformArgs } from './build-args.js';
import { applyCopy } from './copy.js';
import { makeParents } from './copy-tree.js';
import { contextIncludes } from './dockerignore.js';
import { finishImage } from './finish.js';
import { applyMetadata, invalid, nextWorkdir, placeOf } from './metadata.js';
import type { DockerBuildOptions, DockerBuildResult, ResolvedBase } from './options.js';
import { planRun } from './run.js';
import { looksLikeStageName, stageNamed, targetStage } from './stage-graph.js';
import { childStage, imageStage, scratchStage, stageRoot } from './stage-start.js';
import { runEnvironment, type StageState } from './stage-state.js';

/**
 * Builds a Dockerfile without a daemon, for one platform: the target stage and the stages it
 * needs (FROM chains and `COPY --from`, built on first use, as BuildKit prunes), each stage a
 * real directory that every RUN/COPY/ADD/WORKDIR changes and whose changes become one layer
 * (whiteouts for deletions). `RUN apk add` is done natively against the stage's repositories;
 * other RUNs run in bubblewrap over the stage's root. Errors start with `Dockerfile:LINE:`.
 */
export async function buildDockerfile(options: DockerBuildOptions): Promise<DockerBuildResult> {
  const { dockerfile } = options;
  const esc = dockerfile.directives.escape;
  const args = new BuildArgs(options.buildArgs ?? {}, platformArgs(options.arch));
  for (const g of dockerfile.globalArgs)
    for (const a of g.args)
      args.declareGlobal(
        a.name,
        a.value === undefined ? undefined : expandWord(a.value, (n) => args.global.get(n), esc),
      );
  const target = targetStage(dockerfile, options.target);
  const include = await contextIncludes(options.contextDir);
  const blobsDir = join(options.workDir, 'blobs');
  const scratchDir = await mkdtemp(join(options.workDir, 'scratch-'));
  const stages = new Map<number, Promise<StageState>>();
  const images = new Map<string, Promise<string>>();
  const bases: ResolvedBase[] = [];
  const warnings: string[] = [];
  const epoch = options.sourceDateEpoch;
  const baseOptions = (workDir: string) => ({
    contextDir: options.contextDir,
    arch: options.arch,
    fetcher: options.fetcher,
    stateDir: options.stateDir,
    workDir,
    ...(options.registry ? { registry: options.registry } : {}),
    ...(epoch !== undefined ? { sourceDateEpoch: epoch } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const extra = { repositories: options.repositories ?? [], keys: options.keys ?? [] };

  const ensure = (stage: Stage): Promise<StageState> => {
    let p = stages.get(stage.index);
    if (p === undefined) {
      p = buildStage(stage);
      stages.set(stage.index, p);
    }
    return p;
  };

  /** The root of an image named by `COPY --from` (not a stage): unpacked once per build. */
  const imageRoot = (spec: string, at: Instruction): Promise<string> => {
    let p = images.get(spec);
    if (p === undefined) {
      p = (async () => {
        const dir = join(options.workDir, 'from-images', String(images.size));
        const base = await located(at, () => resolveBaseImage(spec, baseOptions(dir)));
        const state = await imageStage(spec, join(dir, 'rootfs'), base, spec, extra);
        bases.push({
          stage: `--from=${spec}`,
          spec,
          digest: base.digest,
          ...(base.pinned ? { pinned: base.pinned } : {}),
        });
        return state.root;
      })();
      images.set(spec, p);
    }
    return p;
  };

  async function startStage(stage: Stage): Promise<StageState> {
    const label = stage.name ?? `stage-${stage.index}`;
    const root = stageRoot(options.workDir, stage.index);
    const spec = expandWord(stage.from.image, (n) => args.global.get(n), esc);
    if (spec === '') throw invalid(stage.from, 'FROM: the image expands to nothing');
    if (spec.toLowerCase() === 'scratch') {
      bases.push({ stage: label, spec });
      return scratchStage(label, root);
    }
    const parent = stageNamed(dockerfile, spec, stage.index);
    if (parent !== undefined) return childStage(label, root, await ensure(parent));
    const base = await located(stage.from, () =>
      resolveBaseImage(spec, baseOptions(join(options.workDir, 'bases', String(stage.index)))),
    );
    bases.push({ stage: label, spec, digest: base.digest, ...(base.pinned ? { pinned: base.pinned } : {}) });
    return imageStage(label, root, base, spec, extra);
  }

  async function buildStage(stage: Stage): Promise<StageState> {
    // Stages this one copies from are built first (their progress comes before this stage's).
    for (const i of stage.instructions) {
      const from = i.kind === 'COPY' ? i.flags.find((f) => f.name === 'from')?.value : undefined;
      const other =
        from === undefined || from.includes('$') ? undefined : stageNamed(dockerfile, from, stage.index);
      if (other !== undefined) await ensure(other);
    }
    const state = await startStage(stage);
    stageIndex.set(state, stage.index);
    const steps = stage.instructions.length + 1;
    const step = (i: Instruction, n: number) =>
      options.onStep?.({
        stage: state.label,
        step: n,
        steps,
        place: placeOf(i),
        text: i.original.split('\n')[0]!.trim(),
      });
    step(stage.from, 1);
    for (const [n, instruction] of stage.instructions.entries()) {
      options.signal?.throwIfAborted();
      step(instruction, n + 2);
      await located(instruction, () => runInstruction(state, instruction));
    }
    return state;
  }

  const created = new Date((epoch ?? Math.floor(Date.now() / 1000)) * 1000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
  const record = (state: StageState, text: string, layer: LayerBlob | undefined) => {
    if (layer !== undefined) state.built.push(layer);
    if (layer !== undefined)
      state.layers.push({
        digest: layer.digest,
        size: layer.size,
        diffId: layer.diffId,
        blobPath: layer.path,
      });
    state.history.push({
      created,
      created_by: text,
      comment: 'larder docker build',
      ...(layer === undefined ? { empty_layer: true } : {}),
    });
  };
  const diffOptions = { blobsDir, ...(epoch !== undefined ? { sourceDateEpoch: epoch } : {}) };
  const changing = async (state: StageState, text: string, change: () => Promise<void>) => {
    const before = await snapshotTree(state.root);
    await change();
    const diff = await diffToLayer(before, state.root, diffOptions);
    record(state, text, diff?.layer);
  };

  async function runInstruction(state: StageState, instruction: Instruction): Promise<void> {
    const lookup = (n: string) => state.env.get(n) ?? state.args.get(n);
    switch (instruction.kind) {
      case 'FROM':
        throw invalid(instruction, 'FROM inside a stage');
      case 'ARG':
        for (const a of instruction.args) {
          const value = a.value === undefined ? undefined : expandWord(a.value, lookup, esc);
          state.args.set(a.name, args.stageValue(a.name, value));
        }
        record(state, `ARG ${instruction.args.map((a) => a.name).join(' ')}`, undefined);
        return;
      case 'WORKDIR': {
        const dir = nextWorkdir(state, expandWord(instruction.value, lookup, esc));
        const user = state.config.User;
        const owner = user ? await resolveUser(state.root, user) : undefined;
        await changing(state, `WORKDIR ${dir}`, async () => {
          await makeParents(state.root, dir, owner);
        });
        state.config.WorkingDir = dir;
        return;
      }
      case 'COPY':
      case 'ADD': {
        const inputs = {
          contextDir: options.contextDir,
          include,
          scratchDir,
          esc,
          fromRoot: (name: string, at: Instruction) => fromRoot(name, at, stageIndexOf(state)),
          ...(options.signal ? { signal: options.signal } : {}),
        };
        let text = '';
        await changing(state, instruction.kind, async () => {
          text = await applyCopy(state, instruction, inputs);
        });
        state.history[state.history.length - 1] = { ...state.history.at(-1)!, created_by: text };
        return;
      }
      case 'RUN':
        return run(state, instruction);
      default:
        if (applyMetadata(state, instruction, esc)) {
          record(state, instruction.original.replace(/\s*\\?\n\s*/g, ' ').trim(), undefined);
          return;
        }
        throw invalid(instruction, `${(instruction as Instruction).kind} is not supported`);
    }
  }

  const stageIndex = new WeakMap<StageState, number>();
  const stageIndexOf = (state: StageState): number => stageIndex.get(state) ?? dockerfile.stages.length;

  async function fromRoot(name: string, at: Instruction, before: number): Promise<string> {
    const stage = stageNamed(dockerfile, name, before);
    if (stage !== undefined) return (await ensure(stage)).root;
    if (looksLikeStageName(name)) {
      const names = dockerfile.stages.filter((s) => s.index < before).map((s) => s.name ?? String(s.index));
      throw invalid(
        at,
        `--from=${name}: no stage named ${name} before this one (stages: ${names.join(', ') || 'none'})`,
      );
    }
    return imageRoot(name, at);
  }

  async function run(state: StageState, instruction: Extract<Instruction, { kind: 'RUN' }>): Promise<void> {
    const plan = planRun(state, instruction, options.network === true);
    const native = plan.words === undefined ? undefined : parseApkAddCommand(plan.words);
    if (native !== undefined) {
      const added = await apkAdd({
        root: state.root,
        packages: native.packages,
        installed: state.installed,
        repositories: state.repositories,
        keys: state.keys,
        arch: options.arch,
        fetcher: options.fetcher,
        stateDir: options.stateDir,
        blobsDir,
        ...(epoch !== undefined ? { sourceDateEpoch: epoch } : {}),
        ...(options.allowUntrusted ? { allowUntrusted: true } : {}),
      });
      state.installed = [...added.installed];
      state.sources.push(...added.added);
      record(state, plan.text, added.layer);
      return;
    }
    await changing(state, plan.text, async () => {
      const script = plan.script === undefined ? undefined : join(state.root, `.larder-run-${process.pid}`);
      if (script !== undefined) {
        await writeFile(script, plan.script!);
        await chmod(script, 0o755);
      }
      try {
        await runInRootfs(state.root, {
          argv: script === undefined ? plan.argv : [`/${script.slice(state.root.length + 1)}`],
          env: runEnvironment(state, args.proxies()),
          workdir: state.config.WorkingDir ?? '/',
          ...(state.config.User ? { user: state.config.User } : {}),
          network: plan.network,
          onLine: (line) => options.onLine?.(line),
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } finally {
        if (script !== undefined) await rm(script, { force: true });
      }
    });
  }

  try {
    const state = await ensure(target);
    for (const name of args.unused()) warnings.push(`--build-arg ${name} was not consumed by any ARG`);
    const image = await finishImage(state, { arch: options.arch, created, epoch });
    return { image, stage: state.label, bases, warnings };
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}

/**
 * Runs `work` for an instruction; errors that do not name their place get `Dockerfile:LINE:`
 * in front, and errors of other kinds (a resolution, a download) become DOCKERFILE_STEP_FAILED
 * with the original as cause.
 */
const PLACED = /^[^\s:]+:\d+: /;

async function located<T>(instruction: Instruction, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const place = placeOf(instruction);
    const message = err instanceof Error ? err.message : String(err);
    if (isLarderError(err, 'DOCKERFILE_INVALID', 'DOCKERFILE_STEP_FAILED') && PLACED.test(message)) throw err;
    const code = isLarderError(err, 'DOCKERFILE_INVALID') ? 'DOCKERFILE_INVALID' : 'DOCKERFILE_STEP_FAILED';
    const head = instruction.original.split('\n')[0]!.trim();
    throw new LarderError(code, `${place}: ${head}: ${message}`, {
      cause: err,
      subject: instruction.span.file,
    });
  }
}
