import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServerApp } from '../../../../src/server/app.js';
import { dashboardRoutes, TOKEN_COOKIE } from '../../../../src/server/dashboard/index.js';
import { NOW, type Seeded, seedDashboard } from './seed.js';

let seeded: Seeded;
beforeEach(async () => {
  seeded = await seedDashboard({ publicReads: false });
});
afterEach(() => seeded.service.close());

const privateApp = () => dashboardRoutes(seeded.service, { publicReads: false, now: () => NOW });

describe('without public reads', () => {
  it('sends signed-out readers to sign in, and back afterwards', async () => {
    const app = privateApp();
    const res = await app.request('/events?kind=build-failed');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Fevents%3Fkind%3Dbuild-failed');
    const login = await (await app.request(res.headers.get('location') as string)).text();
    expect(login).toContain('<input type="hidden" name="next" value="/events?kind=build-failed">');
    expect((await app.request('/fragments/overview')).status).toBe(401);
  });

  it('lets any live token read, from the cookie or a Bearer header', async () => {
    const app = privateApp();
    for (const headers of [
      { cookie: `${TOKEN_COOKIE}=${seeded.readToken}` },
      { authorization: `Bearer ${seeded.readToken}` },
    ]) {
      const res = await app.request('/', { headers });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('signed in as <b>bob</b>');
    }
    const stale = await app.request('/', { headers: { cookie: `${TOKEN_COOKIE}=lt_000000000000_x` } });
    expect(stale.status).toBe(303);
    const malformed = await app.request('/', { headers: { authorization: 'Bearer' } });
    expect(malformed.status).toBe(303);
  });

  it('serves the sign-in page, htmx and the stylesheet to anyone', async () => {
    const app = privateApp();
    expect((await app.request('/login')).status).toBe(200);
    const htmx = await app.request('/static/htmx.min.js');
    expect(htmx.status).toBe(200);
    expect(htmx.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await htmx.text()).toMatch(/htmx/);
    const css = await app.request('/static/app.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('pre.log');
  });
});

describe('mounted at / beside other routes', () => {
  it('leaves the routes beside it and the parent not-found handler alone', async () => {
    const parent = new Hono();
    parent.get('/api/status', (c) => c.json({ ok: true }));
    parent.route('/', privateApp());
    parent.notFound((c) => c.json({ error: 'NOT_FOUND' }, 404));
    const api = await parent.request('/api/status');
    expect(api.status).toBe(200);
    expect(await api.json()).toEqual({ ok: true });
    const missing = await parent.request('/api/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'NOT_FOUND' });
    expect((await parent.request('/')).status).toBe(303);
    const page = await parent.request('/', { headers: { authorization: `Bearer ${seeded.readToken}` } });
    expect(await page.text()).toContain('<h2>Images</h2>');
  });

  it("serves beside larder serve's API and repository routes", async () => {
    const app = createServerApp(seeded.service, { dashboard: { publicReads: false, now: () => NOW } });
    const api = await app.request('/api/status');
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toMatch(/^application\/json/);
    const status = await app.request('/api/status', {
      headers: { authorization: `Bearer ${seeded.readToken}` },
    });
    expect(status.status).toBe(200);
    expect((await app.request('/')).status).toBe(303);
    const page = await app.request(
      `/builds/${encodeURIComponent('build:openssl@3.0.1-r0/x86_64#abcdef012345')}`,
      {
        headers: { cookie: `${TOKEN_COOKIE}=${seeded.readToken}` },
      },
    );
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('[make] done &lt;ok&gt;');
    expect((await app.request('/static/htmx.min.js')).status).toBe(200);
    expect((await app.request('/no/such/page/here')).status).toBe(404);
  });
});
