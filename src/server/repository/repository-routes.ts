/**
 * The package repository as stock `apk` reads it: `/<name>/<arch>/APKINDEX.tar.gz`,
 * `/<name>/<arch>/<file>.apk` and `/<name>/keys/<key>.rsa.pub` (the public half of the signing
 * key). Only those names are
 * served: an arch of the workspace, a plain file name (no separators, no dot files), a regular
 * file directly in `<repository.dir>/<arch>/`. Weak ETags and Last-Modified from the file's
 * size and mtime answer conditional requests with 304; HEAD is GET without the body.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import type { FactoryService } from '../../factory/index.js';
import { errorResponse } from '../http/errors.js';

const PACKAGE_FILE = /^[A-Za-z0-9_+][A-Za-z0-9._+-]*\.apk$/;
const INDEX = 'APKINDEX.tar.gz';

async function regularFile(path: string): Promise<{ size: number; mtimeMs: number } | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? { size: s.size, mtimeMs: s.mtimeMs } : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR')
      return undefined;
    throw err;
  }
}

/** Answers with the file's bytes, or 304 when the client's copy is current. */
async function sendFile(c: Context, path: string, contentType: string): Promise<Response> {
  const info = await regularFile(path);
  if (info === undefined) return errorResponse(c, 404, 'NOT_FOUND', `${c.req.path}: not found`);
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const modified = new Date(Math.floor(info.mtimeMs / 1000) * 1000);
  c.header('ETag', etag);
  c.header('Last-Modified', modified.toUTCString());
  c.header('Cache-Control', 'no-cache');
  const ifNoneMatch = c.req.header('if-none-match');
  const ifModifiedSince = c.req.header('if-modified-since');
  const fresh =
    ifNoneMatch !== undefined
      ? ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === '*')
      : ifModifiedSince !== undefined && Date.parse(ifModifiedSince) >= modified.getTime();
  if (fresh) return c.body(null, 304);
  c.header('Content-Type', contentType);
  return c.body(new Uint8Array(await readFile(path)));
}

/**
 * The repository under `/<repository.name>/`, behind `auth`; other first segments fall through
 * to later routes (the dashboard).
 */
export function repositoryRoutes(service: FactoryService, auth: MiddlewareHandler): Hono {
  const app = new Hono();
  const notFound = (c: Context): Response => errorResponse(c, 404, 'NOT_FOUND', `${c.req.path}: not found`);
  const ours = (c: Context): boolean => c.req.param('repo') === service.workspace().config.repository.name;
  app.use('/:repo/*', (c, next) => (ours(c) ? auth(c, next) : next()));

  app.get('/:repo/keys/:key', async (c, next) => {
    if (!ours(c)) return next();
    const repo = service.workspace().config.repository;
    const publicKey = `${repo.signingKey}.pub`;
    if (c.req.param('key') !== basename(publicKey)) return notFound(c);
    return sendFile(c, publicKey, 'application/x-pem-file');
  });

  app.get('/:repo/:arch/:file', async (c, next) => {
    if (!ours(c)) return next();
    const repo = service.workspace().config.repository;
    const { arch, file } = c.req.param();
    if (!repo.archs.includes(arch)) return notFound(c);
    if (file === INDEX) return sendFile(c, join(repo.dir, arch, INDEX), 'application/gzip');
    if (!PACKAGE_FILE.test(file)) return notFound(c);
    return sendFile(c, join(repo.dir, arch, file), 'application/vnd.apk');
  });
  return app;
}
