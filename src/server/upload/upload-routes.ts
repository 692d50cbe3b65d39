/**
 * Workers' uploads: `PUT /api/repository/<arch>/packages`, a `multipart/form-data` body with a
 * `key` field (the build job's key), a `recipe` field and one `package` file part per `.apk`
 * (its filename `<name>-<version>-r<n>.apk`). The files are written to a private temporary
 * directory and handed to the service's publisher, the index's single writer, which verifies and
 * publishes them; the answer is `{ published: [...] }` (201). Needs a token with the write scope.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { BuiltPackageFile, FactoryService } from '../../factory/index.js';
import { HttpError } from '../http/errors.js';

const PACKAGE_FILE = /^[A-Za-z0-9_+][A-Za-z0-9._+-]*-[^-/]+-r[0-9]+\.apk$/;

export interface UploadOptions {
  /** Largest accepted body (bytes, default 1 GiB). */
  readonly maxUploadBytes?: number;
}

function field(form: Record<string, unknown>, name: string): string {
  const v = form[name];
  if (typeof v !== 'string' || v.trim() === '')
    throw new HttpError(400, 'BAD_REQUEST', `body.${name}: required (a form field)`, `body.${name}`);
  return v;
}

export function uploadRoutes(service: FactoryService, options: UploadOptions = {}): Hono {
  const app = new Hono();
  const limit = options.maxUploadBytes ?? 1024 ** 3;
  app.put(
    '/repository/:arch/packages',
    bodyLimit({
      maxSize: limit,
      onError: (c) =>
        c.json({ error: { code: 'TOO_LARGE', message: `body: larger than ${limit} bytes` } }, 413),
    }),
    async (c) => {
      const arch = c.req.param('arch');
      if (!service.workspace().config.repository.archs.includes(arch))
        throw new HttpError(404, 'NOT_FOUND', `arch ${arch}: not an arch of this repository`, 'path.arch');
      if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('multipart/form-data'))
        throw new HttpError(
          415,
          'BAD_REQUEST',
          'body: expected multipart/form-data (key, recipe, package files)',
          'body',
        );
      let form: Record<string, unknown>;
      try {
        form = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
      } catch (err) {
        throw new HttpError(
          400,
          'BAD_REQUEST',
          `body: not a readable multipart form (${(err as Error).message})`,
          'body',
        );
      }
      const key = field(form, 'key');
      const recipe = field(form, 'recipe');
      const parts =
        form.package === undefined ? [] : Array.isArray(form.package) ? form.package : [form.package];
      if (parts.length === 0)
        throw new HttpError(400, 'BAD_REQUEST', 'body.package: at least one .apk file part', 'body.package');
      const seen = new Set<string>();
      for (const p of parts) {
        if (!(p instanceof File))
          throw new HttpError(400, 'BAD_REQUEST', 'body.package: must be a file part', 'body.package');
        if (!PACKAGE_FILE.test(p.name) || seen.has(p.name))
          throw new HttpError(
            400,
            'BAD_REQUEST',
            `body.package: file name ${JSON.stringify(p.name)} is ${seen.has(p.name) ? 'given twice' : 'not <name>-<version>-r<n>.apk'}`,
            'body.package',
          );
        seen.add(p.name);
      }
      const dir = await mkdtemp(join(tmpdir(), 'larder-upload-'));
      try {
        const files: BuiltPackageFile[] = [];
        for (const p of parts as File[]) {
          const path = join(dir, p.name);
          await writeFile(path, new Uint8Array(await p.arrayBuffer()), { mode: 0o600 });
          files.push({ fileName: p.name, path });
        }
        const published = await service.publisher.publish(arch, files, { key, recipe });
        return c.json({ published }, 201);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
  return app;
}
