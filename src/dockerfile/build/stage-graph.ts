import { LarderError } from '../../core/index.js';
import type { Dockerfile, Stage } from '../parse/index.js';

/** The stage `--target` names (by name or index), or the last one. */
export function targetStage(dockerfile: Dockerfile, target: string | undefined): Stage {
  const stages = dockerfile.stages;
  if (target === undefined) return stages[stages.length - 1]!;
  const found = stageNamed(dockerfile, target);
  if (found === undefined) {
    const names = stages.map((s) => s.name ?? String(s.index)).join(', ');
    throw new LarderError(
      'USAGE',
      `--target ${target}: no such stage in ${dockerfile.file} (stages: ${names})`,
    );
  }
  return found;
}

/** The stage a FROM or `--from` word names: a stage name (case-insensitive) or a stage index. */
export function stageNamed(dockerfile: Dockerfile, word: string, before?: number): Stage | undefined {
  const lower = word.toLowerCase();
  const byName = dockerfile.stages.find((s) => s.name === lower);
  const found = byName ?? (/^\d+$/.test(word) ? dockerfile.stages[Number(word)] : undefined);
  if (found !== undefined && before !== undefined && found.index >= before) return undefined;
  return found;
}

/** True when a `--from`/FROM word can only be a stage name (no registry, path or tag syntax). */
export function looksLikeStageName(word: string): boolean {
  return /^[a-z0-9][a-z0-9_.-]*$/i.test(word) && !word.includes('.') && word !== 'scratch';
}
