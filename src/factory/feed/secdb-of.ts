/** The workspace's advisories as the repository's Alpine secdb (`security.json`), as the server serves it. */
import { join } from 'node:path';
import type { Store } from '../../store/index.js';
import { advisoryFiles, formatSecdbJson, readAdvisoryDocument, toSecdb } from '../../vuln/index.js';
import type { Workspace } from '../model.js';
import { listPackages } from '../state/index.js';

export interface SecdbOfOptions {
  /** The secdb's `urlprefix` (the server's base URL); default '' (paths relative to the server). */
  readonly urlprefix?: string;
}

/**
 * `security.json` for the repository: the workspace advisories of every origin the repository
 * holds packages of (recorded packages, and the workspace's recipes), archs and repository name
 * from larder.yaml, so `{{urlprefix}}/{{reponame}}/{{arch}}/…` is where the server serves the
 * packages. A broken advisory document is left out (the dashboard reports it), never fails the feed.
 */
export async function secdbOf(
  workspace: Workspace,
  store: Store,
  options: SecdbOfOptions = {},
): Promise<Uint8Array> {
  const dir = join(workspace.root, 'advisories');
  const origins = new Set(workspace.recipes.map((r) => r.name));
  for (const p of await listPackages(store)) origins.add(p.origin);
  let names: string[];
  try {
    names = await advisoryFiles(dir);
  } catch (err) {
    if ((err as { code?: string }).code !== 'NOT_FOUND') throw err;
    names = [];
  }
  const docs = [];
  for (const name of names) {
    const doc = await readAdvisoryDocument(join(dir, name)).catch(() => undefined);
    if (doc !== undefined && origins.has(doc.package.name)) docs.push(doc);
  }
  const secdb = toSecdb(docs, {
    archs: workspace.config.repository.archs,
    reponame: workspace.config.repository.name,
    urlprefix: options.urlprefix ?? '',
  });
  return new TextEncoder().encode(`${formatSecdbJson(secdb)}\n`);
}
