import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendEvent } from '../../../../src/factory/state/index.js';
import { dashboardRoutes } from '../../../../src/server/dashboard/index.js';
import { DONE_KEY, FAILED_KEY, HOSTILE, NOW, RUNNING_KEY, type Seeded, seedDashboard } from './seed.js';

let seeded: Seeded;
let app: ReturnType<typeof dashboardRoutes>;
beforeEach(async () => {
  seeded = await seedDashboard();
  app = dashboardRoutes(seeded.service, { publicReads: true, now: () => NOW });
});
afterEach(() => seeded.service.close());

async function get(path: string, status = 200): Promise<string> {
  const res = await app.request(path);
  expect(res.status, path).toBe(status);
  if (status === 200) expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  return res.text();
}

/** The text of the element with this id (its outer HTML up to the next section), for scoped assertions. */
function section(body: string, id: string): string {
  const start = body.indexOf(`id="${id}"`);
  expect(start, `#${id}`).toBeGreaterThan(-1);
  const end = body.indexOf('</section>', start);
  return body.slice(start, end);
}

describe('the overview', () => {
  it('lists the images with digest, publication, findings, signatures and status', async () => {
    const body = await get('/');
    const images = section(body, 'images');
    expect(images).toContain('href="/images/web"');
    expect(images).toMatch(/aaaaaaaaaaaa<\/td>/);
    expect(images).toContain('datetime="2026-01-01T10:00:00.000Z"');
    expect(images).toMatch(/web<\/a>[\s\S]*?<td>1<\/td>[\s\S]*?badge ok">yes[\s\S]*?exposed-awaiting-fix/);
    expect(images).toMatch(/api<\/a>[\s\S]*?<td>0<\/td>[\s\S]*?badge muted">no[\s\S]*?badge ok">ok/);
    expect(images).toMatch(/&lt;script&gt;[\s\S]*?badge bad">blocked/);
  });

  it("takes an image's standing from its newest compose outcome", async () => {
    const standing = async () =>
      /web<\/a>[\s\S]*?badge \w+">([\w-]+)<\/span>\s*<\/td>\s*<\/tr>/.exec(
        section(await get('/'), 'images'),
      )?.[1];
    expect(await standing()).toBe('exposed-awaiting-fix');
    await seeded.service.emit({
      at: NOW,
      kind: 'image-blocked',
      subject: 'image:web',
      message: 'gate: 1 finding',
    });
    expect(await standing()).toBe('blocked');
    await seeded.service.emit({
      at: NOW,
      kind: 'image-published',
      subject: 'image:web',
      message: 'web published',
    });
    expect(await standing()).toBe('exposed-awaiting-fix');
  });

  it('shows open and closed exposure windows with their durations', async () => {
    const exposures = section(await get('/'), 'exposures');
    // web: CVE-2026-0001 open since 10:00 on Jan 1, now is Jan 2 00:00.
    expect(exposures).toMatch(/CVE-2026-0001[\s\S]*?openssl[\s\S]*?14h<\/td>/);
    // api: CVE-2025-9999 seen at 06:00, fixed at 08:00.
    expect(exposures).toMatch(/Recently closed[\s\S]*CVE-2025-9999[\s\S]*?2h<\/td>/);
  });

  it('shows the queue, the last reconcile with its problems, and recent events', async () => {
    const body = await get('/');
    expect(body).toContain('<b>1</b>open findings');
    const queue = section(body, 'queue');
    expect(queue).toContain(`href="/builds/${encodeURIComponent(RUNNING_KEY)}"`);
    expect(queue).toMatch(/running/);
    expect(queue).toMatch(/compose:web@0123456789ab#0123456789ab[\s\S]*?pending/);
    expect(queue).toContain('make exited with 2');
    const reconcile = section(body, 'reconcile');
    expect(reconcile).toContain('2026-01-01 23:00 UTC');
    expect(reconcile).toContain('recipe zlib: pipeline step 2 has no runs');
    expect(reconcile).toContain('feed-42');
    expect(section(body, 'events')).toContain('zlib 1.3-r0 failed on aarch64');
  });

  it('is never framed nor cached', async () => {
    const res = await app.request('/');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('refreshes through htmx: the fragment is the same element, without the page shell', async () => {
    const page = await get('/');
    expect(page).toContain('hx-get="/fragments/overview"');
    expect(page).toContain('<script src="/static/htmx.min.js" defer></script>');
    const fragment = await get('/fragments/overview');
    expect(fragment.startsWith('<div id="overview"')).toBe(true);
    expect(fragment).not.toContain('<html');
    expect(fragment).toContain('href="/images/web"');
  });

  it('escapes hostile names, messages and errors everywhere', async () => {
    for (const path of [
      '/',
      '/events',
      `/images/${encodeURIComponent(HOSTILE)}`,
      `/builds/${encodeURIComponent(FAILED_KEY)}`,
    ]) {
      const body = await get(path);
      expect(body, path).not.toContain(HOSTILE);
      expect(body, path).not.toContain('<img src=x');
    }
    const overview = await get('/');
    expect(overview).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(overview).toContain(`href="/images/${encodeURIComponent(HOSTILE)}"`);
  });
});

describe('the image page', () => {
  it('shows versions per arch, findings and publish references', async () => {
    const body = await get('/images/web');
    expect(body).toContain('<h1>Image web</h1>');
    expect(section(body, 'publish')).toContain('registry.test/web');
    const versions = section(body, 'versions');
    expect(versions).toMatch(/aarch64: <span title="sha256:2{64}">222222222222/);
    expect(versions).toMatch(/x86_64: <span title="sha256:1{64}">111111111111/);
    expect(versions).toContain('dddddddddddd');
    expect(versions).toContain('feed-42');
    const findings = section(body, 'findings');
    expect(findings).toMatch(
      /CVE-2026-0001[\s\S]*GHSA-0001[\s\S]*openssl[\s\S]*badge bad">open[\s\S]*3\.0\.2-r0/,
    );
  });

  it('lists fixed findings with their resolution time', async () => {
    const findings = section(await get('/images/api'), 'findings');
    expect(findings).toMatch(
      /CVE-2025-9999[\s\S]*fixed[\s\S]*2026-01-01T06:00:00.000Z[\s\S]*2026-01-01T08:00:00.000Z/,
    );
  });

  it('answers 404 for an unknown image', async () => {
    expect(await get('/images/nope', 404)).toContain('No image named nope.');
  });
});

describe('the package pages', () => {
  it('lists each package with its newest version per arch', async () => {
    const body = await get('/packages');
    expect(body).toMatch(/href="\/packages\/libssl3">libssl3<\/a>[\s\S]*?openssl[\s\S]*?x86_64: 3\.0\.1-r0/);
    expect(body).toMatch(/href="\/packages\/openssl">[\s\S]*?aarch64: 3\.0\.1-r0[\s\S]*?x86_64: 3\.0\.1-r0/);
  });

  it('shows a package version per arch with origin, build and publication', async () => {
    const body = await get('/packages/openssl');
    expect(body).toContain(`href="/builds/${encodeURIComponent(DONE_KEY)}"`);
    expect(body).toContain('123,456 B');
    expect(body).toContain('2026-01-01 09:00 UTC');
    expect(await get('/packages/nope', 404)).toContain('No package named nope was published.');
  });
});

describe('the build pages', () => {
  it('lists builds newest first', async () => {
    const body = await get('/builds');
    expect(body.indexOf(RUNNING_KEY)).toBeLessThan(body.indexOf(FAILED_KEY));
    expect(body.indexOf(FAILED_KEY)).toBeLessThan(body.indexOf(DONE_KEY));
  });

  it('shows a finished build with its log and no poller', async () => {
    const body = await get(`/builds/${encodeURIComponent(DONE_KEY)}`);
    expect(body).toContain('badge ok">succeeded');
    expect(body).toContain('[fetch] openssl-3.0.1.tar.gz\n[make] done &lt;ok&gt;\n');
    expect(body).toContain('<div id="log-poller"></div>');
  });

  it('shows a failed job with its error', async () => {
    const body = await get(`/builds/${encodeURIComponent(FAILED_KEY)}`);
    expect(body).toContain('badge bad">failed');
    expect(body).toContain('make exited with 2');
    expect(body).toContain('No log lines yet.');
  });

  it('follows a running job: the poller asks for lines after the last one shown', async () => {
    const body = await get(`/builds/${encodeURIComponent(RUNNING_KEY)}`);
    const fragment = `/fragments/jobs/${encodeURIComponent(RUNNING_KEY)}/log?after=`;
    expect(body).toContain(`hx-get="${fragment}1"`);
    seeded.service.appendLog(RUNNING_KEY, '[make] cc -o <ssl>');
    seeded.service.appendLog(RUNNING_KEY, '[make] ld');
    const more = await get(`${fragment}1`);
    expect(more).toContain('<div hx-swap-oob="beforeend:#log">[make] cc -o &lt;ssl&gt;\n[make] ld\n</div>');
    expect(more).toContain(`hx-get="${fragment}3"`);
    expect(more).toContain(
      '<span id="job-status" hx-swap-oob="true"><span class="badge warn">running</span>',
    );
    const none = await get(`${fragment}3`);
    expect(none).not.toContain('beforeend');
    expect(none).toContain(`hx-get="${fragment}3"`);
  });

  it('stops polling once the job ended', async () => {
    const fragment = await get(`/fragments/jobs/${encodeURIComponent(FAILED_KEY)}/log?after=0`);
    expect(fragment).toContain('<div id="log-poller"></div>');
    expect(fragment).toContain('badge bad">failed');
  });

  it('refuses a bad cursor and answers 404 for an unknown key', async () => {
    const key = encodeURIComponent(RUNNING_KEY);
    for (const after of ['-1', 'x', '1.5', '01', ''])
      expect((await app.request(`/fragments/jobs/${key}/log?after=${after}`)).status, after).toBe(400);
    expect((await app.request('/fragments/jobs/nope/log?after=0')).status).toBe(404);
    expect(await get('/builds/nope', 404)).toContain('No job or build with key nope.');
  });
});

describe('the events page', () => {
  it('pages the timeline, newest first, with filters', async () => {
    for (let i = 0; i < 55; i++)
      await appendEvent(seeded.service.store, {
        at: NOW,
        kind: 'feed-refreshed',
        subject: 'feed:osv',
        message: `refresh ${i}`,
      });
    const first = await get('/events');
    expect(first.indexOf('refresh 54')).toBeLessThan(first.indexOf('refresh 53'));
    expect(first).not.toContain('refresh 4<');
    const older = /href="\/events\?before=(\d+)" rel="next"/.exec(first);
    expect(older).not.toBeNull();
    const second = await get(`/events?before=${older?.[1]}`);
    expect(second).toContain('refresh 4<');
    expect(second).toContain('web published');
    expect(second).toContain('No older events');
    const filtered = await get('/events?kind=build-failed');
    expect(filtered).toContain('zlib 1.3-r0 failed');
    expect(filtered).not.toContain('refresh');
    expect(await get('/events?before=abc')).toContain('refresh 54');
  });
});
