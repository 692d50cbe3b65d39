import type { Selectable } from 'kysely';
import { LarderError } from '../../core/index.js';
import type { Store, StoreSchema } from '../../store/index.js';
import { storedStrings } from './stored-json.js';

/** What a finding is now: fixed (gone from the image) is set by recordScan only. */
export type FindingState = 'open' | 'fixed' | 'not-affected' | 'awaiting-fix';

/** A vulnerability a scan of an image version found. */
export interface FindingInput {
  readonly vulnId: string;
  readonly aliases: readonly string[];
  readonly package: string;
  readonly origin: string;
  readonly fixedIn?: string;
  /** `open` (a fix exists or is unknown), `awaiting-fix`, or `not-affected` (VEX). */
  readonly state: Exclude<FindingState, 'fixed'>;
}

/** A recorded finding: from the scan that first saw it until the first version without it. */
export interface FindingRecord extends Omit<FindingInput, 'state'> {
  readonly id: number;
  readonly image: string;
  /** The image version (index digest) it was first seen in. */
  readonly imageDigest: string;
  readonly state: FindingState;
  readonly firstSeen: string;
  readonly resolvedAt?: string;
}

type FindingRow = Selectable<StoreSchema['factory_findings']>;
const identity = (vulnId: string, pkg: string): string => `${vulnId}\u0000${pkg}`;

function findingOf(r: FindingRow): FindingRecord {
  return {
    id: Number(r.id),
    image: r.image,
    imageDigest: r.image_digest,
    vulnId: r.vuln_id,
    aliases: storedStrings('factory_findings', `id ${r.id} (${r.image} ${r.vuln_id})`, 'aliases', r.aliases),
    package: r.package,
    origin: r.origin,
    ...(r.fixed_in === null ? {} : { fixedIn: r.fixed_in }),
    state: r.state as FindingState,
    firstSeen: r.first_seen,
    ...(r.resolved_at === null ? {} : { resolvedAt: r.resolved_at }),
  };
}

/**
 * Records the complete findings of a scan of `image` at version `digest` (`at`: the version's
 * publication for a new version, the scan time for a rescan). A finding already unresolved for
 * the image (same vulnerability and package) keeps its first-seen time; a new one starts now;
 * an unresolved one the scan no longer reports is resolved at `at` (state `fixed`).
 */
export async function recordScan(
  store: Store,
  scan: {
    readonly image: string;
    readonly digest: string;
    readonly at: string;
    readonly findings: readonly FindingInput[];
  },
): Promise<{ readonly opened: number; readonly kept: number; readonly resolved: number }> {
  const seen = new Set<string>();
  for (const f of scan.findings) {
    const id = identity(f.vulnId, f.package);
    if (seen.has(id))
      throw new LarderError('USAGE', `scan of ${scan.image}: ${f.vulnId} in ${f.package} is listed twice`, {
        subject: scan.image,
      });
    seen.add(id);
  }
  return store.write(async (db) => {
    const unresolved = await db
      .selectFrom('factory_findings')
      .selectAll()
      .where('image', '=', scan.image)
      .where('resolved_at', 'is', null)
      .execute();
    const byIdentity = new Map(unresolved.map((r) => [identity(r.vuln_id, r.package), r]));
    let opened = 0;
    let kept = 0;
    for (const f of scan.findings) {
      const fields = {
        aliases: JSON.stringify(f.aliases),
        origin: f.origin,
        fixed_in: f.fixedIn ?? null,
        state: f.state,
      };
      const row = byIdentity.get(identity(f.vulnId, f.package));
      if (row !== undefined) {
        await db.updateTable('factory_findings').set(fields).where('id', '=', row.id).execute();
        kept++;
      } else {
        await db
          .insertInto('factory_findings')
          .values({
            image: scan.image,
            image_digest: scan.digest,
            vuln_id: f.vulnId,
            package: f.package,
            first_seen: scan.at,
            resolved_at: null,
            ...fields,
          })
          .execute();
        opened++;
      }
    }
    const gone = unresolved.filter((r) => !seen.has(identity(r.vuln_id, r.package))).map((r) => r.id);
    if (gone.length > 0)
      await db
        .updateTable('factory_findings')
        .set({ state: 'fixed', resolved_at: scan.at })
        .where('id', 'in', gone)
        .execute();
    return { opened, kept, resolved: gone.length };
  });
}

/** Unresolved findings that count (`open` or `awaiting-fix`), of one image or all, by image and id. */
export async function openFindings(store: Store, image?: string): Promise<FindingRecord[]> {
  const rows = await store.db
    .selectFrom('factory_findings')
    .selectAll()
    .where('resolved_at', 'is', null)
    .where('state', 'in', ['open', 'awaiting-fix'])
    .$if(image !== undefined, (q) => q.where('image', '=', image as string))
    .orderBy('image')
    .orderBy('vuln_id')
    .orderBy('package')
    .execute();
  return rows.map(findingOf);
}

/** Every finding of an image, resolved or not, newest first (the image page's history). */
export async function imageFindings(store: Store, image: string): Promise<FindingRecord[]> {
  const rows = await store.db
    .selectFrom('factory_findings')
    .selectAll()
    .where('image', '=', image)
    .orderBy('first_seen', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(findingOf);
}

/** How long an image was exposed to a vulnerability. */
export interface ExposureWindow {
  readonly image: string;
  readonly vulnId: string;
  readonly aliases: readonly string[];
  readonly packages: readonly string[];
  /** When the factory first recorded it in the image. */
  readonly firstSeen: string;
  /** Publication of the first image version without it; absent while still exposed. */
  readonly resolvedAt?: string;
  /** resolvedAt (or `now` while open) minus firstSeen, in ms. */
  readonly durationMs: number;
  readonly open: boolean;
}

/**
 * The exposure window of every (image, vulnerability) the factory recorded, from first seen to
 * the first image version without it (over all packages carrying it: the earliest first-seen,
 * the latest resolution, open while any is unresolved). `not-affected` findings (VEX) are not
 * exposures. Sorted by image, then first seen. Each distinct exposure (a vulnerability that
 * came back after being fixed) is a window of its own.
 */
export async function exposureWindows(
  store: Store,
  now: string = new Date().toISOString(),
): Promise<ExposureWindow[]> {
  const rows = await store.db
    .selectFrom('factory_findings')
    .selectAll()
    .where('state', '!=', 'not-affected')
    .orderBy('image')
    .orderBy('vuln_id')
    .orderBy('first_seen')
    .orderBy('id')
    .execute();
  const windows: ExposureWindow[] = [];
  type Open = {
    image: string;
    vulnId: string;
    aliases: Set<string>;
    packages: Set<string>;
    first: string;
    last?: string;
    open: boolean;
  };
  let current: Open | undefined;
  const flush = () => {
    if (current === undefined) return;
    const end = current.open ? now : (current.last as string);
    windows.push({
      image: current.image,
      vulnId: current.vulnId,
      aliases: [...current.aliases].sort(),
      packages: [...current.packages].sort(),
      firstSeen: current.first,
      ...(current.open ? {} : { resolvedAt: current.last as string }),
      durationMs: Math.max(0, Date.parse(end) - Date.parse(current.first)),
      open: current.open,
    });
    current = undefined;
  };
  for (const r of rows.map(findingOf)) {
    // A row starts a new window when it is another (image, vuln), or when it was first seen after
    // the current window closed (the vulnerability came back).
    const joins =
      current !== undefined &&
      current.image === r.image &&
      current.vulnId === r.vulnId &&
      (current.open || r.firstSeen <= (current.last as string));
    if (!joins) {
      flush();
      current = {
        image: r.image,
        vulnId: r.vulnId,
        aliases: new Set(),
        packages: new Set(),
        first: r.firstSeen,
        open: false,
      };
    }
    const w = current as Open;
    for (const a of r.aliases) w.aliases.add(a);
    w.packages.add(r.package);
    if (r.resolvedAt === undefined) w.open = true;
    else if (w.last === undefined || r.resolvedAt > w.last) w.last = r.resolvedAt;
  }
  flush();
  return windows.sort((a, b) =>
    a.image === b.image ? a.firstSeen.localeCompare(b.firstSeen) : a.image.localeCompare(b.image),
  );
}
