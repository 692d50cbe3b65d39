import type { Selectable } from 'kysely';
import type { Store, StoreSchema } from '../../store/index.js';
import { storedJson, storedObject, storedStrings } from './stored-json.js';

/** An image of the workspace as last reconciled. */
export interface ImageRecord {
  readonly name: string;
  readonly configFile: string;
  readonly configHash: string;
  readonly publish: readonly string[];
  /** The policy gate it is held to (`zero-known-cve`, `high`, ...). */
  readonly policy: string;
}

/** Records an image, replacing its previous record. */
export async function recordImage(store: Store, image: ImageRecord): Promise<void> {
  const row = {
    config_file: image.configFile,
    config_hash: image.configHash,
    publish: JSON.stringify(image.publish),
    policy: image.policy,
  };
  await store.write((db) =>
    db
      .insertInto('factory_images')
      .values({ name: image.name, ...row })
      .onConflict((c) => c.column('name').doUpdateSet(row))
      .execute(),
  );
}

/** Every recorded image, by name. */
export async function listImages(store: Store): Promise<ImageRecord[]> {
  const rows = await store.db.selectFrom('factory_images').selectAll().orderBy('name').execute();
  return rows.map((r) => ({
    name: r.name,
    configFile: r.config_file,
    configHash: r.config_hash,
    publish: storedStrings('factory_images', r.name, 'publish', r.publish),
    policy: r.policy,
  }));
}

/** One published version of an image. */
export interface ImageVersionRecord {
  readonly id: number;
  readonly image: string;
  readonly indexDigest: string;
  /** Arch → manifest digest. */
  readonly digests: Readonly<Record<string, string>>;
  /** The lock it was composed from (packages with checksums), as JSON-compatible data. */
  readonly lock: unknown;
  readonly lockHash: string;
  readonly configHash: string;
  /** The vulnerability data version it was last scanned against. */
  readonly feedVersion?: string;
  readonly publishedAt: string;
  readonly signed: boolean;
  readonly attested: boolean;
}

/** Records a published image version; returns its id. */
export async function recordImageVersion(store: Store, v: Omit<ImageVersionRecord, 'id'>): Promise<number> {
  return store.write(async (db) => {
    const row = await db
      .insertInto('factory_image_versions')
      .values({
        image: v.image,
        index_digest: v.indexDigest,
        digests: JSON.stringify(v.digests),
        lock: JSON.stringify(v.lock),
        lock_hash: v.lockHash,
        config_hash: v.configHash,
        feed_version: v.feedVersion ?? null,
        published_at: v.publishedAt,
        signed: v.signed ? 1 : 0,
        attested: v.attested ? 1 : 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  });
}

/** Updates what is known of a version after publication (signatures, attestations, rescans). */
export async function updateImageVersion(
  store: Store,
  id: number,
  changes: { readonly signed?: boolean; readonly attested?: boolean; readonly feedVersion?: string },
): Promise<boolean> {
  const set = {
    ...(changes.signed === undefined ? {} : { signed: changes.signed ? 1 : 0 }),
    ...(changes.attested === undefined ? {} : { attested: changes.attested ? 1 : 0 }),
    ...(changes.feedVersion === undefined ? {} : { feed_version: changes.feedVersion }),
  };
  if (Object.keys(set).length === 0) return false;
  const r = await store.write((db) =>
    db.updateTable('factory_image_versions').set(set).where('id', '=', id).executeTakeFirst(),
  );
  return Number(r.numUpdatedRows) > 0;
}

type VersionRow = Selectable<StoreSchema['factory_image_versions']>;

function versionOf(r: VersionRow): ImageVersionRecord {
  const where = `id ${r.id} (${r.image})`;
  return {
    id: Number(r.id),
    image: r.image,
    indexDigest: r.index_digest,
    digests: storedObject('factory_image_versions', where, 'digests', r.digests) as Record<string, string>,
    lock: storedJson('factory_image_versions', where, 'lock', r.lock),
    lockHash: r.lock_hash,
    configHash: r.config_hash,
    ...(r.feed_version === null ? {} : { feedVersion: r.feed_version }),
    publishedAt: r.published_at,
    signed: Number(r.signed) === 1,
    attested: Number(r.attested) === 1,
  };
}

/** The newest version of every image (latest publication; the later record on a tie), by image. */
export async function latestImageVersions(store: Store): Promise<ImageVersionRecord[]> {
  const rows = await store.db
    .selectFrom('factory_image_versions as v')
    .selectAll('v')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('factory_image_versions as w')
            .select('w.id')
            .whereRef('w.image', '=', 'v.image')
            .where((eb) =>
              eb.or([
                eb('w.published_at', '>', eb.ref('v.published_at')),
                eb.and([
                  eb('w.published_at', '=', eb.ref('v.published_at')),
                  eb('w.id', '>', eb.ref('v.id')),
                ]),
              ]),
            ),
        ),
      ),
    )
    .orderBy('v.image')
    .execute();
  return rows.map(versionOf);
}

/** The versions of one image, newest first. */
export async function imageHistory(store: Store, image: string, limit = 100): Promise<ImageVersionRecord[]> {
  const rows = await store.db
    .selectFrom('factory_image_versions')
    .selectAll()
    .where('image', '=', image)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(versionOf);
}
