import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { LarderError } from '../../core/index.js';
import type { Store } from '../../store/index.js';
import { storedStrings } from './stored-json.js';

/** An API token as listed (never its secret or hash). */
export interface TokenRecord {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly createdAt: string;
  readonly lastUsedAt?: string;
}

/** Tokens look like `lt_<id: 12 hex>_<secret: 43 base64url>`. */
const TOKEN = /^lt_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const SCOPE = /^[a-z][a-z0-9-]*(:[a-z0-9-]+)*$/;
const hashOf = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/**
 * Creates a token with `scopes` (e.g. `write`, `advisories:write`). The secret is returned here
 * once; only its sha256 is stored.
 */
export async function createToken(
  store: Store,
  request: { readonly name: string; readonly scopes: readonly string[]; readonly now?: string },
): Promise<TokenRecord & { readonly token: string }> {
  if (request.name.trim() === '')
    throw new LarderError('USAGE', 'a token needs a name (what or who uses it)');
  for (const scope of request.scopes)
    if (!SCOPE.test(scope))
      throw new LarderError(
        'USAGE',
        `token scope ${JSON.stringify(scope)}: expected words like write or advisories:write`,
      );
  const id = randomBytes(6).toString('hex');
  const token = `lt_${id}_${randomBytes(32).toString('base64url')}`;
  const createdAt = request.now ?? new Date().toISOString();
  const scopes = [...new Set(request.scopes)].sort();
  await store.write((db) =>
    db
      .insertInto('factory_tokens')
      .values({
        id,
        name: request.name,
        hash: `sha256:${hashOf(token).toString('hex')}`,
        scopes: JSON.stringify(scopes),
        created_at: createdAt,
        last_used_at: null,
      })
      .execute(),
  );
  return { id, name: request.name, scopes, createdAt, token };
}

/**
 * The token's record when `token` is a live token holding `scope` (when given), else undefined.
 * Hashes are compared in constant time; a successful use is recorded as last used at `now`.
 */
export async function verifyToken(
  store: Store,
  token: string,
  options: { readonly scope?: string; readonly now?: string } = {},
): Promise<TokenRecord | undefined> {
  const match = TOKEN.exec(token);
  if (match === null) return undefined;
  const id = match[1] as string;
  const row = await store.db.selectFrom('factory_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  // Hash anyway, so an unknown id costs the same as a wrong secret.
  const presented = hashOf(token);
  if (row === undefined) return undefined;
  const stored = Buffer.from(row.hash.replace(/^sha256:/, ''), 'hex');
  if (stored.length !== presented.length || !timingSafeEqual(stored, presented)) return undefined;
  const scopes = storedStrings('factory_tokens', id, 'scopes', row.scopes);
  if (options.scope !== undefined && !scopes.includes(options.scope)) return undefined;
  const now = options.now ?? new Date().toISOString();
  await store.write((db) =>
    db.updateTable('factory_tokens').set({ last_used_at: now }).where('id', '=', id).execute(),
  );
  return { id, name: row.name, scopes, createdAt: row.created_at, lastUsedAt: now };
}

/** Every token, oldest first, without secrets. */
export async function listTokens(store: Store): Promise<TokenRecord[]> {
  const rows = await store.db
    .selectFrom('factory_tokens')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    scopes: storedStrings('factory_tokens', r.id, 'scopes', r.scopes),
    createdAt: r.created_at,
    ...(r.last_used_at === null ? {} : { lastUsedAt: r.last_used_at }),
  }));
}

/** Deletes a token; false when there was none with this id. */
export async function revokeToken(store: Store, id: string): Promise<boolean> {
  const r = await store.write((db) =>
    db.deleteFrom('factory_tokens').where('id', '=', id).executeTakeFirst(),
  );
  return Number(r.numDeletedRows) > 0;
}
