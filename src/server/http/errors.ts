import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { isLarderError, type LarderErrorCode } from '../../core/index.js';

/** A request the API refuses, with the HTTP status and the field at fault. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The JSON error body every failure answers with (ErrorBody). */
export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  field?: string,
): Response {
  return c.json({ error: { code, message, ...(field === undefined ? {} : { field }) } }, status);
}

/** Library errors that describe bad input map to 4xx; everything else is the server's fault. */
const STATUS_OF: Partial<Record<LarderErrorCode, ContentfulStatusCode>> = {
  USAGE: 400,
  NOT_FOUND: 404,
  ADVISORY_INVALID: 400,
  VERSION_INVALID: 400,
  PACKAGE_INVALID: 400,
  PKGINFO_INVALID: 400,
  SIGNATURE_UNTRUSTED: 400,
  SIGNATURE_BAD: 400,
  DATAHASH_MISMATCH: 400,
  GZIP_TRUNCATED: 400,
  GZIP_BAD_HEADER: 400,
  GZIP_CORRUPT: 400,
  GZIP_BAD_CRC: 400,
  TAR_TRUNCATED: 400,
  TAR_BAD_HEADER: 400,
  TAR_UNSAFE_PATH: 400,
  STORE_UNAVAILABLE: 503,
};

/** The hono onError handler: HttpError and LarderError as JSON; others as a 500 naming the failure. */
export function onServerError(err: Error, c: Context): Response {
  if (err instanceof HttpError) return errorResponse(c, err.status, err.code, err.message, err.field);
  if (isLarderError(err)) return errorResponse(c, STATUS_OF[err.code] ?? 500, err.code, err.message);
  return errorResponse(c, 500, 'INTERNAL', `internal error: ${err.message}`);
}

/** A zod failure as a 400 naming the first field at fault (`where.path: message`). */
export function invalid(where: 'body' | 'query', error: z.ZodError): HttpError {
  const issue = error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  const field = path === '' ? where : `${where}.${path}`;
  let message = issue?.message ?? 'invalid';
  if (issue?.code === 'unrecognized_keys')
    message = `unknown ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  return new HttpError(400, 'BAD_REQUEST', `${field}: ${message}`, field);
}

/** Parses the query string with `schema` (repeated parameters and unknown ones are 400s). */
export function parseQuery<T extends z.ZodType>(c: Context, schema: T): z.output<T> {
  const all = c.req.queries();
  const single: Record<string, string> = {};
  for (const [name, values] of Object.entries(all)) {
    if (values.length > 1)
      throw new HttpError(400, 'BAD_REQUEST', `query.${name}: given more than once`, `query.${name}`);
    single[name] = values[0] as string;
  }
  const r = schema.safeParse(single);
  if (!r.success) throw invalid('query', r.error);
  return r.data;
}

/** Parses a JSON request body with `schema`. */
export async function parseJsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, 'BAD_REQUEST', `body: not JSON (${(err as Error).message})`, 'body');
  }
  const r = schema.safeParse(value);
  if (!r.success) throw invalid('body', r.error);
  return r.data;
}

export const notFound = (what: string): HttpError => new HttpError(404, 'NOT_FOUND', `${what}: not found`);
