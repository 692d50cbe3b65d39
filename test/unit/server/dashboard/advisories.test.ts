import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LarderError } from '../../../../src/core/index.js';
import { dashboardRoutes, TOKEN_COOKIE } from '../../../../src/server/dashboard/index.js';
import { NOW, type Seeded, seedDashboard } from './seed.js';

let seeded: Seeded;
let app: ReturnType<typeof dashboardRoutes>;
beforeEach(async () => {
  seeded = await seedDashboard();
  app = dashboardRoutes(seeded.service, { publicReads: true, now: () => NOW });
});
afterEach(() => seeded.service.close());

const ORIGIN = 'http://dash.test';
const form = (fields: Record<string, string>): URLSearchParams => new URLSearchParams(fields);

function post(
  path: string,
  body: string | URLSearchParams | FormData,
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(
    app.request(`${ORIGIN}${path}`, {
      method: 'POST',
      body,
      headers: { host: 'dash.test', origin: ORIGIN, ...headers },
    }),
  );
}

const cookie = (token: string): Record<string, string> => ({ cookie: `${TOKEN_COOKIE}=${token}` });
const advisory = {
  package: 'openssl',
  vulnerability: 'CVE-2026-0001',
  type: 'fixed',
  fixedVersion: '3.0.2-r0',
};

describe('signing in', () => {
  it('keeps a valid token in an HttpOnly, SameSite=Strict cookie and returns to a local page', async () => {
    const res = await post('/login', form({ token: seeded.writeToken, next: '/advisories' }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/advisories');
    const set = res.headers.get('set-cookie') ?? '';
    expect(set).toContain(`${TOKEN_COOKIE}=${seeded.writeToken}`);
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).toMatch(/Path=\//);
    expect(set).not.toMatch(/Secure/);
    const page = await (await app.request('/advisories', { headers: cookie(seeded.writeToken) })).text();
    expect(page).toContain('signed in as <b>alice</b>');
    expect(page).toContain('id="advisory-form"');
  });

  it('sets Secure behind TLS', async () => {
    const res = await post('/login', form({ token: seeded.writeToken }), { 'x-forwarded-proto': 'https' });
    expect(res.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it('never redirects off the site', async () => {
    for (const next of ['//evil.test/x', 'https://evil.test/', '/\\evil.test', 'advisories']) {
      const res = await post('/login', form({ token: seeded.writeToken, next }));
      expect(res.headers.get('location'), next).toBe('/');
    }
  });

  it('refuses unknown tokens, empty and broken forms with the form shown again', async () => {
    for (const body of [
      form({ token: 'lt_000000000000_nope' }),
      form({}),
      'token=%ZZ',
      form({ next: '/' }),
    ]) {
      const res = await post('/login', body, { 'content-type': 'application/x-www-form-urlencoded' });
      expect(res.status).toBe(401);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(await res.text()).toMatch(/id="login-error">(Unknown or revoked token|Paste a token)\./);
    }
    const json = await post('/login', JSON.stringify({ token: seeded.writeToken }), {
      'content-type': 'application/json',
    });
    expect(json.status).toBe(401);
  });

  it('refuses a sign-in or sign-out posted from another site', async () => {
    expect(
      (await post('/login', form({ token: seeded.writeToken }), { origin: 'http://evil.test' })).status,
    ).toBe(403);
    expect((await post('/logout', '', { origin: 'http://evil.test' })).status).toBe(403);
  });

  it('signs out by clearing the cookie', async () => {
    const res = await post('/logout', '', cookie(seeded.writeToken));
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toMatch(new RegExp(`${TOKEN_COOKIE}=;.*Max-Age=0`));
  });
});

describe('the advisory form', () => {
  it('offers sign-in to a signed-out reader and lists advisories', async () => {
    const page = await (await app.request('/advisories')).text();
    expect(page).toContain('href="/login?next=%2Fadvisories"');
    expect(page).not.toContain('id="advisory-form"');
    expect(page).toContain('No advisories recorded.');
  });

  it('saves a valid advisory and shows it after the redirect', async () => {
    const res = await post('/advisories', form(advisory), cookie(seeded.writeToken));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/advisories?saved=openssl%20CVE-2026-0001');
    expect(seeded.service.advisories).toEqual([{ ...advisory, type: 'fixed' }]);
    expect(seeded.service.wakes).toEqual(['advisory openssl CVE-2026-0001']);
    const page = await (
      await app.request(res.headers.get('location') as string, { headers: cookie(seeded.writeToken) })
    ).text();
    expect(page).toContain('id="saved">Saved: openssl CVE-2026-0001');
    expect(page).toContain('openssl: CVE-2026-0001 fixed');
  });

  it('takes a Bearer token and multipart bodies too', async () => {
    const body = new FormData();
    for (const [k, v] of Object.entries(advisory)) body.set(k, v);
    const res = await post('/advisories', body, { authorization: `Bearer ${seeded.writeToken}` });
    expect(res.status).toBe(303);
    expect(seeded.service.advisories).toHaveLength(1);
  });

  it('shows validation errors next to the fields and keeps the values', async () => {
    const res = await post(
      '/advisories',
      form({ ...advisory, vulnerability: '<script>x</script>', fixedVersion: '' }),
      cookie(seeded.writeToken),
    );
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain('aria-invalid="true" aria-describedby="vulnerability-error"');
    expect(page).toContain('id="vulnerability-error">a CVE-…, GHSA-… or advisory id');
    expect(page).toContain('id="fixedVersion-error">required for fixed</div>');
    expect(page).toContain('value="&lt;script&gt;x&lt;/script&gt;"');
    expect(page).toContain('<option value="fixed" selected>');
    expect(seeded.service.advisories).toEqual([]);
  });

  it('shows what the factory refused as a form error', async () => {
    const service = seeded.service;
    const failing = dashboardRoutes(
      {
        ...service,
        saveAdvisory: async () => {
          throw new LarderError('USAGE', 'advisories/openssl.advisories.yaml: not writable');
        },
      },
      { publicReads: true },
    );
    const res = await failing.request(`${ORIGIN}/advisories`, {
      method: 'POST',
      body: form(advisory),
      headers: { host: 'dash.test', origin: ORIGIN, ...cookie(seeded.writeToken) },
    });
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain('id="form-error">advisories/openssl.advisories.yaml: not writable');
    expect(page).toContain('value="CVE-2026-0001"');
  });

  it('refuses cross-site posts, missing origins, signed-out and read-only writers', async () => {
    const cases: [Record<string, string>, number][] = [
      [{ ...cookie(seeded.writeToken), origin: 'http://evil.test' }, 403],
      [{ ...cookie(seeded.writeToken), origin: 'null' }, 403],
      [{ ...cookie(seeded.writeToken), origin: 'not a url' }, 403],
      [{}, 401],
      [cookie('lt_000000000000_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'), 401],
      [cookie(seeded.readToken), 403],
    ];
    for (const [headers, status] of cases) {
      const res = await post('/advisories', form(advisory), headers);
      expect(res.status, JSON.stringify(headers)).toBe(status);
    }
    const noOrigin = await app.request(`${ORIGIN}/advisories`, {
      method: 'POST',
      body: form(advisory),
      headers: { host: 'dash.test', ...cookie(seeded.writeToken) },
    });
    expect(noOrigin.status).toBe(403);
    const referer = await app.request(`${ORIGIN}/advisories`, {
      method: 'POST',
      body: form(advisory),
      headers: { host: 'dash.test', referer: `${ORIGIN}/advisories`, ...cookie(seeded.writeToken) },
    });
    expect(referer.status).toBe(303);
    expect(seeded.service.advisories).toHaveLength(1);
  });

  it('refuses bodies that are not forms, repeated fields and oversized forms', async () => {
    const json = await post('/advisories', JSON.stringify(advisory), {
      ...cookie(seeded.writeToken),
      'content-type': 'application/json',
    });
    expect(json.status).toBe(415);
    const repeated = await post('/advisories', `${form(advisory)}&package=zlib`, {
      ...cookie(seeded.writeToken),
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(repeated.status).toBe(422);
    expect(await repeated.text()).toContain('id="package-error">expected one text value');
    const huge = await post(
      '/advisories',
      form({ ...advisory, note: 'x'.repeat(70_000) }),
      cookie(seeded.writeToken),
    );
    expect(huge.status).toBe(413);
    const broken = await post('/advisories', '--x\r\nbroken', {
      ...cookie(seeded.writeToken),
      'content-type': 'multipart/form-data; boundary=x',
    });
    expect([415, 422]).toContain(broken.status);
    expect(seeded.service.advisories).toEqual([]);
  });
});
