import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LarderError } from '../../core/index.js';
import { createToken, listTokens, revokeToken } from '../../factory/index.js';
import { WRITE_SCOPE } from '../../server/index.js';
import { openStore } from '../../store/index.js';

/** The state store of a workspace when `--database` is not given (larder serve's default). */
export const DEFAULT_STATE_FILE = '.larder/state.sqlite';

export interface TokenOptions {
  readonly workspace?: string;
  readonly database?: string;
}

/** The store `larder serve` uses for these options (it must exist, unless `create`). */
async function storeOf(opts: TokenOptions, create = false) {
  if (opts.database === undefined && opts.workspace === undefined)
    throw new LarderError(
      'USAGE',
      'larder token: give --workspace DIR or --database URL (the store larder serve uses)',
    );
  const url = opts.database ?? resolve(opts.workspace as string, DEFAULT_STATE_FILE);
  if (create && opts.database === undefined) await mkdir(dirname(url), { recursive: true });
  return openStore(url, { mustExist: !create });
}

/**
 * `larder token create --name NAME [--scope S]...`: prints a new API token (shown once) on
 * stdout. Scopes default to `write` (writes and uploads); `--scope none` makes a read-only token.
 */
export async function tokenCreate(opts: TokenOptions & { name: string; scope?: string[] }): Promise<void> {
  const scopes = opts.scope === undefined ? [WRITE_SCOPE] : opts.scope.filter((s) => s !== 'none');
  const store = await storeOf(opts, true);
  try {
    const made = await createToken(store, { name: opts.name, scopes });
    process.stdout.write(`${made.token}\n`);
    process.stderr.write(
      `token ${made.id} (${made.name}, scopes: ${made.scopes.join(' ') || 'none'}): shown once, keep it\n`,
    );
  } finally {
    await store.close();
  }
}

/** `larder token list [--json]`: id, name, scopes, created, last used (never secrets). */
export async function tokenList(opts: TokenOptions & { json?: boolean }): Promise<void> {
  const store = await storeOf(opts);
  try {
    const tokens = await listTokens(store);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(tokens)}\n`);
      return;
    }
    for (const t of tokens)
      process.stdout.write(
        `${t.id}\t${t.name}\t${t.scopes.join(',') || '-'}\t${t.createdAt}\t${t.lastUsedAt ?? 'never used'}\n`,
      );
  } finally {
    await store.close();
  }
}

/** `larder token revoke ID`: exit 2 (NOT_FOUND) when there is no such token. */
export async function tokenRevoke(id: string, opts: TokenOptions): Promise<void> {
  const store = await storeOf(opts);
  try {
    if (!(await revokeToken(store, id)))
      throw new LarderError('NOT_FOUND', `token ${id}: no such token`, { subject: id });
    process.stderr.write(`token ${id} revoked\n`);
  } finally {
    await store.close();
  }
}
