import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Hono } from 'hono';
import { APP_CSS } from './styles.js';

// Resolved from this module (the bundled CLI in dist/cli finds node_modules beside it).
const packages = createRequire(import.meta.url);

/** Registers `/static/htmx.min.js` (from the htmx.org package) and `/static/app.css`. */
export function staticRoutes(app: Hono): void {
  let htmx: Promise<string> | undefined;
  app.get('/static/htmx.min.js', async (c) => {
    htmx ??= readFile(packages.resolve('htmx.org/dist/htmx.min.js'), 'utf8');
    c.header('content-type', 'text/javascript; charset=utf-8');
    c.header('cache-control', 'public, max-age=3600');
    return c.body(await htmx);
  });
  app.get('/static/app.css', (c) => {
    c.header('content-type', 'text/css; charset=utf-8');
    c.header('cache-control', 'public, max-age=3600');
    return c.body(APP_CSS);
  });
}
