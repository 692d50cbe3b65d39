/** Rule 4 for recipes (docs/factory.md "Planning"): one update check per recipe and schedule period. */
import type { WorkspaceRecipe } from '../model.js';
import { compare } from './graph.js';
import { slotStart, updateCheckKey } from './keys.js';
import type { RecordIndex } from './records.js';
import { timeMs } from './repository.js';
import type { PlanSink } from './sink.js';

export interface UpdateCheckContext {
  readonly recipes: readonly WorkspaceRecipe[];
  readonly lastCheckAt: Readonly<Record<string, string>>;
  readonly records: RecordIndex;
  readonly nowMs: number;
  /** 0: never. */
  readonly periodMs: number;
}

export function planUpdateChecks(context: UpdateCheckContext, sink: PlanSink): void {
  if (context.periodMs <= 0) return;
  const start = slotStart(context.nowMs, context.periodMs);
  const slot = new Date(start).toISOString();
  const recipes = context.recipes.filter((recipe) => recipe.hasUpdateSource === true);
  recipes.sort((a, b) => compare(a.name, b.name));
  for (const recipe of recipes) {
    const last = Object.hasOwn(context.lastCheckAt, recipe.name)
      ? context.lastCheckAt[recipe.name]
      : undefined;
    if (last !== undefined && timeMs(last) >= start) continue;
    const key = updateCheckKey(recipe.name, slot);
    const reason =
      last === undefined ? 'never checked for updates' : `update period rolled over (last checked ${last})`;
    const job = {
      key,
      kind: 'update-check' as const,
      payload: { recipe: recipe.name, file: recipe.file, slot },
    };
    sink.offer(job, [reason], context.records.admit(key), `recipe:${recipe.name}`);
  }
}
