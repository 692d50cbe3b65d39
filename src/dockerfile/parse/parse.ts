import { invalidAt } from './errors.js';
import { toInstruction } from './instruction.js';
import type { Dockerfile, Instruction, Stage } from './model.js';
import { scanDockerfile } from './scan.js';

type FromInstruction = Extract<Instruction, { kind: 'FROM' }>;
type ArgInstruction = Extract<Instruction, { kind: 'ARG' }>;

interface OpenStage {
  readonly from: FromInstruction;
  readonly instructions: Instruction[];
}

/**
 * Parses a Dockerfile with BuildKit's syntax and rules into stages (see model.ts). `file` names
 * the Dockerfile in errors: every problem is a LarderError DOCKERFILE_INVALID whose message
 * starts with `file:line:`. Nothing is expanded: the builder expands words with `expandWord`.
 */
export function parseDockerfile(text: string, file: string): Dockerfile {
  const scanned = scanDockerfile(text, file);
  const ctx = { file, escape: scanned.directives.escape, lines: scanned.lines };
  if (scanned.logical.length === 0) throw invalidAt(file, 1, 'file with no instructions');
  const instructions: Instruction[] = [];
  const globalArgs: ArgInstruction[] = [];
  const open: OpenStage[] = [];
  const names = new Map<string, number>();
  for (const logical of scanned.logical) {
    const instruction = toInstruction(logical, ctx);
    instructions.push(instruction);
    if (instruction.kind === 'FROM') {
      if (instruction.as !== undefined) {
        const previous = names.get(instruction.as);
        if (previous !== undefined) {
          throw invalidAt(
            file,
            instruction.span.line,
            `duplicate stage name "${instruction.as}" (first defined on line ${previous})`,
          );
        }
        names.set(instruction.as, instruction.span.line);
      }
      open.push({ from: instruction, instructions: [] });
      continue;
    }
    const current = open.at(-1);
    if (current !== undefined) current.instructions.push(instruction);
    else if (instruction.kind === 'ARG') globalArgs.push(instruction);
    else {
      throw invalidAt(
        file,
        instruction.span.line,
        `no build stage in current context: ${instruction.kind} must come after a FROM`,
      );
    }
  }
  if (open.length === 0) {
    throw invalidAt(file, scanned.logical[0]?.line ?? 1, 'dockerfile contains no stages to build (no FROM)');
  }
  const stages: Stage[] = open.map((s, index) => ({
    index,
    ...(s.from.as === undefined ? {} : { name: s.from.as }),
    from: s.from,
    instructions: s.instructions,
  }));
  return { file, directives: scanned.directives, globalArgs, stages, instructions, lines: scanned.lines };
}
