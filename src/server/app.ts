/**
 * The HTTP face of the factory (`larder serve`): the JSON API under `/api` (OpenAPI at
 * `/api/openapi.json`), the package repository for `apk`, `/security.json`, `/metrics`, and the
 * dashboard at `/`. Every route but the dashboard's goes through the token check
 * (auth/bearer.ts); the dashboard signs its readers in itself (a cookie holding the token).
 */
import { Hono } from 'hono';
import type { FactoryService } from '../factory/index.js';
import { openApiDocument } from './api/openapi.js';
import { readRoutes } from './api/read-routes.js';
import { type StreamOptions, streamRoutes } from './api/stream-routes.js';
import { writeRoutes } from './api/write-routes.js';
import { authMiddleware } from './auth/bearer.js';
import { type DashboardOptions, dashboardRoutes } from './dashboard/index.js';
import { errorResponse, onServerError } from './http/errors.js';
import { collectMetrics } from './metrics/collect.js';
import { repositoryRoutes } from './repository/repository-routes.js';
import { type UploadOptions, uploadRoutes } from './upload/upload-routes.js';

export interface ServerAppOptions extends StreamOptions, UploadOptions {
  /** larder's version, shown in the OpenAPI document. */
  readonly version?: string;
  /**
   * The dashboard's options (default: `publicReads` from the workspace as loaded now; a change
   * of `server.public-reads` applies on restart); false: no dashboard, `/` links the API.
   */
  readonly dashboard?: DashboardOptions | false;
}

const INDEX_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>larder</title></head>
<body><h1>larder</h1><ul>
<li><a href="/api/status">status</a></li>
<li><a href="/api/openapi.json">API (OpenAPI 3.1)</a></li>
<li><a href="/metrics">metrics</a></li>
</ul></body></html>
`;

export function createServerApp(service: FactoryService, options: ServerAppOptions = {}): Hono {
  const app = new Hono();
  app.onError(onServerError);
  app.notFound((c) => errorResponse(c, 404, 'NOT_FOUND', `${c.req.method} ${c.req.path}: no such route`));
  const auth = authMiddleware(service);
  app.use('/api/*', auth);
  app.use('/metrics', auth);
  app.use('/security.json', auth);

  const document = openApiDocument(options.version ?? '0.0.0');
  app.get('/api/openapi.json', (c) => c.json(document));
  app.route('/api', readRoutes(service));
  app.route('/api', streamRoutes(service, options));
  app.route('/api', writeRoutes(service));
  app.route('/api', uploadRoutes(service, options));
  app.all('/api/*', (c) =>
    errorResponse(c, 404, 'NOT_FOUND', `${c.req.method} ${c.req.path}: no such route`),
  );

  app.get('/security.json', async (c) => {
    c.header('Content-Type', 'application/json');
    return c.body(new Uint8Array(await service.securityJson()));
  });
  app.get('/metrics', async (c) => {
    c.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
    return c.body(await collectMetrics(service));
  });
  app.route('/', repositoryRoutes(service, auth));
  if (options.dashboard === false) app.get('/', (c) => c.html(INDEX_PAGE));
  else
    app.route(
      '/',
      dashboardRoutes(
        service,
        options.dashboard ?? { publicReads: service.workspace().config.server.publicReads },
      ),
    );
  return app;
}
