import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApkArch } from '../../apk/index.js';
import { LarderError } from '../../core/index.js';
import { formatPlatform, platformFor, samePlatform } from '../../oci/index.js';
import { resolveBaseImage } from '../base/index.js';
import { expandWord, type Instruction, parseDockerfile, type Stage } from '../parse/index.js';
import { BuildArgs, platformArgs } from './build-args.js';
import { contextIncludes } from './dockerignore.js';
import { finishImage } from './finish.js';
import { invalid, placeOf } from './metadata.js';
import type { DockerBuildOptions, DockerBuildResult, ResolvedBase } from './options.js';
import { looksLikeStageName, stageNamed, targetStage } from './stage-graph.js';
import { childStage, imageStage, scratchStage, stageRoot } from './stage-start.js';
import type { StageState } from './stage-state.js';
import { located, type StepContext } from './step-context.js';
import { runInstruction } from './steps.js';

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
  // RUN steps as a USER other than root must reach the stage roots under the scratch directory.
  await chmod(options.workDir, 0o755);
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
    ...(options.offline ? { offline: true } : {}),
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
    checkPlatform(stage, options.arch, (n) => args.global.get(n), esc);
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
    await runTriggers(ctx, state, stage);
    for (const [n, instruction] of stage.instructions.entries()) {
      options.signal?.throwIfAborted();
      step(instruction, n + 2);
      await located(instruction, () => runInstruction(ctx, state, instruction));
    }
    return state;
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

  const ctx: StepContext = {
    options,
    esc,
    args,
    include,
    blobsDir,
    scratchDir,
    created: new Date((epoch ?? Math.floor(Date.now() / 1000)) * 1000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z'),
    fromRoot,
    stageIndexOf,
  };

  try {
    const state = await ensure(target);
    for (const name of args.unused()) warnings.push(`--build-arg ${name} was not consumed by any ARG`);
    const image = await finishImage(state, { arch: options.arch, created: ctx.created, epoch });
    return { image, stage: state.label, bases, warnings };
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}

/**
 * The base's ONBUILD triggers run right after FROM, as Docker runs them, and are not inherited
 * further. A failing trigger is reported at the FROM line.
 */
async function runTriggers(ctx: StepContext, state: StageState, stage: Stage): Promise<void> {
  const triggers = state.config.OnBuild ?? [];
  delete state.config.OnBuild;
  for (const trigger of triggers) {
    try {
      const parsed = parseDockerfile(`FROM scratch\n${trigger}\n`, 'ONBUILD').stages[0]!.instructions[0];
      if (parsed === undefined) continue;
      await runInstruction(ctx, state, parsed);
    } catch (err) {
      const message = err instanceof Error ? err.message.replace(/^ONBUILD:\d+: /, '') : String(err);
      throw new LarderError(
        'DOCKERFILE_STEP_FAILED',
        `${placeOf(stage.from)}: ONBUILD ${trigger}: ${message}`,
        {
          cause: err,
          subject: stage.from.span.file,
        },
      );
    }
  }
}

/** `FROM --platform=P`: RUN executes natively, so only the build's own platform can be built. */
function checkPlatform(
  stage: Stage,
  arch: ApkArch,
  lookup: (n: string) => string | undefined,
  esc: '\\' | '`',
): void {
  if (stage.from.platform === undefined) return;
  const wanted = expandWord(stage.from.platform, lookup, esc);
  const own = platformFor(arch);
  let asked: ReturnType<typeof platformFor>;
  try {
    asked = platformFor(wanted.replace(/^linux\//, '').replace('/', '_'));
  } catch {
    throw invalid(stage.from, `FROM --platform=${wanted}: not a platform larder knows`);
  }
  if (!samePlatform(asked, own))
    throw invalid(
      stage.from,
      `FROM --platform=${wanted}: this build is for ${formatPlatform(own)} (RUN executes natively; build on a ${formatPlatform(asked)} machine)`,
    );
}
