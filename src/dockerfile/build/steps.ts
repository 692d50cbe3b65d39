import { expandWord, type Instruction } from '../parse/index.js';
import { resolveUser } from '../rootfs/index.js';
import { applyCopy } from './copy.js';
import { makeParents } from './copy-tree.js';
import { applyMetadata, invalid, nextWorkdir } from './metadata.js';
import { runStep } from './run-step.js';
import type { StageState } from './stage-state.js';
import { changing, record, type StepContext } from './step-context.js';

/** Runs one instruction of a stage (never FROM) against its state. */
export async function runInstruction(
  ctx: StepContext,
  state: StageState,
  instruction: Instruction,
): Promise<void> {
  const lookup = (n: string) => state.env.get(n) ?? state.args.get(n);
  switch (instruction.kind) {
    case 'FROM':
      throw invalid(instruction, 'FROM inside a stage');
    case 'ARG':
      for (const a of instruction.args) {
        const value = a.value === undefined ? undefined : expandWord(a.value, lookup, ctx.esc);
        state.args.set(a.name, ctx.args.stageValue(a.name, value));
      }
      record(ctx, state, `ARG ${instruction.args.map((a) => a.name).join(' ')}`, undefined);
      return;
    case 'WORKDIR': {
      // BuildKit makes the directory, owned by the USER of the moment.
      const dir = nextWorkdir(state, expandWord(instruction.value, lookup, ctx.esc));
      const user = state.config.User;
      const owner = user ? await resolveUser(state.root, user) : undefined;
      await changing(ctx, state, async () => {
        await makeParents(state.root, dir, owner);
        return `WORKDIR ${dir}`;
      });
      state.config.WorkingDir = dir;
      return;
    }
    case 'COPY':
    case 'ADD': {
      const before = ctx.stageIndexOf(state);
      const inputs = {
        contextDir: ctx.options.contextDir,
        include: ctx.include,
        scratchDir: ctx.scratchDir,
        esc: ctx.esc,
        fromRoot: (name: string, at: Instruction) => ctx.fromRoot(name, at, before),
        ...(ctx.options.signal ? { signal: ctx.options.signal } : {}),
      };
      await changing(ctx, state, () => applyCopy(state, instruction, inputs));
      return;
    }
    case 'RUN':
      return runStep(ctx, state, instruction);
    default:
      if (applyMetadata(state, instruction, ctx.esc)) {
        record(ctx, state, instruction.original.replace(/\s*\\?\n\s*/g, ' ').trim(), undefined);
        return;
      }
      throw invalid(instruction, `${(instruction as Instruction).kind} is not supported`);
  }
}
