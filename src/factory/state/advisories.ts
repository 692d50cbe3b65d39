import type { Store } from '../../store/index.js';
import { storedStrings } from './stored-json.js';

/** The current state of one workspace advisory (the YAML stays the source of truth). */
export interface AdvisoryStateRecord {
  readonly package: string;
  readonly id: string;
  readonly aliases: readonly string[];
  /** The latest event type (`fixed`, `affected`, `not-affected`, ...). */
  readonly state: string;
  readonly updatedAt: string;
}

/** Mirrors advisories into the store (one transaction), replacing earlier states. */
export async function recordAdvisories(
  store: Store,
  advisories: readonly AdvisoryStateRecord[],
): Promise<void> {
  if (advisories.length === 0) return;
  await store.write(async (db) => {
    for (const a of advisories) {
      const row = { aliases: JSON.stringify(a.aliases), state: a.state, updated_at: a.updatedAt };
      await db
        .insertInto('factory_advisories')
        .values({ package: a.package, id: a.id, ...row })
        .onConflict((c) => c.columns(['package', 'id']).doUpdateSet(row))
        .execute();
    }
  });
}

/** Advisories by package and id; optionally of one package, or about one id (or alias owner). */
export async function listAdvisories(
  store: Store,
  filter: { readonly package?: string; readonly id?: string } = {},
): Promise<AdvisoryStateRecord[]> {
  const rows = await store.db
    .selectFrom('factory_advisories')
    .selectAll()
    .$if(filter.package !== undefined, (q) => q.where('package', '=', filter.package as string))
    .$if(filter.id !== undefined, (q) => q.where('id', '=', filter.id as string))
    .orderBy('package')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    package: r.package,
    id: r.id,
    aliases: storedStrings('factory_advisories', `${r.package} ${r.id}`, 'aliases', r.aliases),
    state: r.state,
    updatedAt: r.updated_at,
  }));
}
