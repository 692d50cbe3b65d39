import { LarderError } from '../../core/index.js';
import { type HttpResponse, readBody } from './http.js';

/** The cause of an error made from an HTTP status (what retries look at). */
export interface RegistryStatusCause {
  readonly status: number;
  readonly retryAfterMs?: number;
  /** The `errors[].code` values of the registry's JSON error body. */
  readonly codes: readonly string[];
}

/**
 * An error for an unexpected status. `what` names the operation, registry, repository and
 * reference (`PUT manifest 127.0.0.1:5000/team/app:1`); the registry's JSON error body
 * (`{"errors":[{code,message}]}`) is appended when there is one. 404 → FETCH_NOT_FOUND,
 * 401/403 → FETCH_UNAUTHORIZED, anything else FETCH_FAILED.
 */
export async function statusError(what: string, res: HttpResponse): Promise<LarderError> {
  let detail = '';
  let codes: string[] = [];
  try {
    const text = (await readBody(res, 64 * 1024, what)).toString('utf8').trim();
    ({ detail, codes } = describeBody(text));
  } catch {
    // The status alone is the primary signal (dist-spec §2.6).
  }
  const retryAfterMs = parseRetryAfter(res.header('retry-after'));
  const cause: RegistryStatusCause = {
    status: res.status,
    codes,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
  const code =
    res.status === 404
      ? 'FETCH_NOT_FOUND'
      : res.status === 401 || res.status === 403
        ? 'FETCH_UNAUTHORIZED'
        : 'FETCH_FAILED';
  return new LarderError(code, `${what}: HTTP ${res.status}${detail}`, { cause, subject: res.url });
}

function describeBody(text: string): { detail: string; codes: string[] } {
  if (text === '') return { detail: '', codes: [] };
  try {
    const doc = JSON.parse(text) as { errors?: Array<{ code?: unknown; message?: unknown }> };
    if (Array.isArray(doc.errors) && doc.errors.length > 0) {
      const codes = doc.errors.map((e) => String(e.code ?? 'UNKNOWN'));
      const parts = doc.errors.map((e) => `${String(e.code ?? 'UNKNOWN')}: ${String(e.message ?? '')}`);
      return { detail: ` (${parts.join('; ')})`, codes };
    }
  } catch {
    // Not JSON: show a short excerpt.
  }
  return { detail: ` (${text.slice(0, 200).replace(/\s+/g, ' ')})`, codes: [] };
}

/** True for errors worth another attempt: 5xx, 408, 429 and connection failures. */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof LarderError) || err.code !== 'FETCH_FAILED') return false;
  const cause = err.cause as Partial<RegistryStatusCause> | Error | undefined;
  if (cause === undefined) return false;
  if (cause instanceof Error) return !(cause instanceof LarderError);
  const status = cause.status;
  return status !== undefined && (status >= 500 || status === 408 || status === 429);
}

/** `Retry-After` (seconds or an HTTP date) in milliseconds. */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** The retry delay a status error asked for, if any. */
export function retryAfterOf(err: unknown): number | undefined {
  if (!(err instanceof LarderError)) return undefined;
  return (err.cause as Partial<RegistryStatusCause> | undefined)?.retryAfterMs;
}
