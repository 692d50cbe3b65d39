/**
 * Who may do what: every write (any method but GET and HEAD) needs a live API token holding the
 * `write` scope; reads need any live token unless the workspace's `server.publicReads` is on.
 * Tokens come as `Authorization: Bearer lt_…`, or as the password of Basic auth (so `apk`, which
 * only speaks Basic, can read a private repository: `http://any:lt_…@host/main`).
 */
import type { MiddlewareHandler } from 'hono';
import type { FactoryService } from '../../factory/index.js';
import { verifyToken } from '../../factory/index.js';
import { errorResponse } from '../http/errors.js';

/** The scope writes need. */
export const WRITE_SCOPE = 'write';

/** The token in an Authorization header, or undefined. */
export function presentedToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer !== null) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (basic === null) return undefined;
  const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

export function authMiddleware(service: FactoryService): MiddlewareHandler {
  return async (c, next) => {
    const write = c.req.method !== 'GET' && c.req.method !== 'HEAD';
    if (!write && service.workspace().config.server.publicReads) return next();
    const token = presentedToken(c.req.header('authorization'));
    const refuse = (message: string): Response => {
      c.header('WWW-Authenticate', 'Bearer realm="larder"');
      return errorResponse(c, 401, 'UNAUTHORIZED', message);
    };
    if (token === undefined)
      return refuse(
        `${write ? 'writes need' : 'this server needs'} an API token (Authorization: Bearer lt_…)`,
      );
    const record = await verifyToken(service.store, token, write ? { scope: WRITE_SCOPE } : {});
    if (record === undefined)
      return refuse(
        write
          ? `the token is unknown, revoked, or lacks the ${WRITE_SCOPE} scope`
          : 'the token is unknown or revoked',
      );
    return next();
  };
}
