import { isLarderError, LarderError } from '../../core/index.js';
import type { LayerBlob } from '../../oci/index.js';
import type { Instruction } from '../parse/index.js';
import { diffToLayer, snapshotTree } from '../rootfs/index.js';
import type { BuildArgs } from './build-args.js';
import { placeOf } from './metadata.js';
import type { DockerBuildOptions } from './options.js';
import type { StageState } from './stage-state.js';

/** What every instruction of a build reads: the options and the build-wide state. */
export interface StepContext {
  readonly options: DockerBuildOptions;
  readonly esc: '\\' | '`';
  readonly args: BuildArgs;
  /** `.dockerignore` applied to the context. */
  readonly include: (rel: string, isDir: boolean) => boolean;
  readonly blobsDir: string;
  readonly scratchDir: string;
  /** The image and history time (SOURCE_DATE_EPOCH, or the build's start). */
  readonly created: string;
  /** The root of `--from=NAME` (a stage before `before`, or an image), built or unpacked on first use. */
  fromRoot(name: string, at: Instruction, before: number): Promise<string>;
  /** The index of the stage a state belongs to. */
  stageIndexOf(state: StageState): number;
}

/** Adds a history entry, and the layer when the step wrote one (an empty step gets `empty_layer`). */
export function record(
  ctx: StepContext,
  state: StageState,
  text: string,
  layer: LayerBlob | undefined,
): void {
  if (layer !== undefined) {
    state.built.push(layer);
    state.layers.push({ digest: layer.digest, size: layer.size, diffId: layer.diffId, blobPath: layer.path });
  }
  state.history.push({
    created: ctx.created,
    created_by: text,
    comment: 'larder docker build',
    ...(layer === undefined ? { empty_layer: true } : {}),
  });
}

/** Runs `change` over the stage's root and records what it changed as one layer; returns the history text. */
export async function changing(
  ctx: StepContext,
  state: StageState,
  change: () => Promise<string>,
): Promise<void> {
  const before = state.snapshot ?? (await snapshotTree(state.root));
  state.snapshot = undefined;
  const text = await change();
  const epoch = ctx.options.sourceDateEpoch;
  const diff = await diffToLayer(before, state.root, {
    blobsDir: ctx.blobsDir,
    ...(epoch !== undefined ? { sourceDateEpoch: epoch } : {}),
  });
  state.snapshot = diff === undefined ? before : diff.after;
  record(ctx, state, text, diff?.layer);
}

const PLACED = /^[^\s:]+:\d+: /;

/**
 * Runs `work` for an instruction; errors that do not name their place get `Dockerfile:LINE:`
 * and the instruction in front, and errors of other kinds (a resolution, a download) become
 * DOCKERFILE_STEP_FAILED with the original as cause.
 */
export async function located<T>(instruction: Instruction, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (isLarderError(err, 'DOCKERFILE_INVALID', 'DOCKERFILE_STEP_FAILED') && PLACED.test(message)) throw err;
    const code = isLarderError(err, 'DOCKERFILE_INVALID') ? 'DOCKERFILE_INVALID' : 'DOCKERFILE_STEP_FAILED';
    const head = instruction.original.split('\n')[0]!.trim();
    throw new LarderError(code, `${placeOf(instruction)}: ${head}: ${message}`, {
      cause: err,
      subject: instruction.span.file,
    });
  }
}
