import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { type FactoryService, type TokenRecord, verifyToken } from '../../factory/index.js';

/**
 * The HttpOnly cookie holding a browser's API token (set by `POST /login`). It holds the token
 * itself, so the API may accept it like an `Authorization: Bearer` header (same-origin writes
 * must still pass an Origin check: see `sameOrigin`).
 */
export const TOKEN_COOKIE = 'larder_token';

/** Scopes that may save advisories from the dashboard. */
export const ADVISORY_WRITE_SCOPES: readonly string[] = ['write', 'advisories:write'];

/** The token a request presents: `Authorization: Bearer …` first, else the dashboard cookie. */
export function presentedToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1];
  }
  return getCookie(c, TOKEN_COOKIE);
}

/** The token record of the request's viewer, or undefined (none, unknown or revoked). */
export async function viewerOf(c: Context, service: FactoryService): Promise<TokenRecord | undefined> {
  const token = presentedToken(c);
  if (token === undefined || token === '') return undefined;
  return verifyToken(service.store, token);
}

/** True when the token may write advisories. */
export const canWriteAdvisories = (viewer: TokenRecord | undefined): boolean =>
  viewer?.scopes.some((s) => ADVISORY_WRITE_SCOPES.includes(s)) === true;

/**
 * CSRF defence for cookie-authenticated writes (besides the SameSite=Strict cookie): the
 * request's Origin (else its Referer) must name the host the request was sent to. A request
 * with neither is refused: browsers send Origin on every form POST.
 */
export function sameOrigin(c: Context): boolean {
  const host = c.req.header('host') ?? new URL(c.req.url).host;
  const from = c.req.header('origin') ?? c.req.header('referer');
  if (from === undefined || from === 'null') return false;
  try {
    return new URL(from).host === host;
  } catch {
    return false;
  }
}

/** A local path to return to after login (`/…`, never `//host` or a full URL); `/` otherwise. */
export function localPath(next: string | undefined): string {
  if (next === undefined || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  return next;
}

/** Whether the request came over TLS (directly, or as a proxy says), so the cookie gets Secure. */
export function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}
