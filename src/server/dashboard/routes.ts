import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { LarderError } from '../../core/index.js';
import { type FactoryService, type TokenRecord, verifyToken } from '../../factory/index.js';
import { type AdvisoryFormView, advisoriesContent, loadAdvisories } from './advisories-page.js';
import {
  type AdvisoryFormErrors,
  type AdvisoryFormValues,
  EMPTY_ADVISORY_FORM,
  parseAdvisoryForm,
} from './advisory-form.js';
import {
  buildContent,
  buildListContent,
  isLive,
  loadBuildList,
  loadBuildPage,
  loadJobState,
  logFragment,
} from './build-page.js';
import { eventQueryOf, eventsContent, loadEvents } from './events-page.js';
import type { Html } from './format.js';
import { imageContent, loadImagePage } from './image-page.js';
import { page } from './layout.js';
import { loginContent, messageContent } from './login-page.js';
import { loadOverview } from './overview-data.js';
import { overviewContent } from './overview-page.js';
import { loadPackage, loadPackageList, packageContent, packageListContent } from './packages-page.js';
import { canWriteAdvisories, isHttps, localPath, sameOrigin, TOKEN_COOKIE, viewerOf } from './session.js';
import { staticRoutes } from './static-files.js';

/** How the dashboard is served. */
export interface DashboardOptions {
  /** Pages readable without a token (larder.yaml `server.publicReads`); otherwise sign-in first. */
  readonly publicReads: boolean;
  /** ISO now (tests pin it): exposure durations. */
  readonly now?: () => string;
  /** How often htmx refreshes the overview (seconds; default 5). */
  readonly refreshSeconds?: number;
  /** How often htmx asks for more of a running job's log (seconds; default 2). */
  readonly logPollSeconds?: number;
}

const FORM_LIMIT = 64 * 1024;
const SAVED = /^[A-Za-z0-9._+-]{1,200} [A-Za-z0-9._:-]{1,200}$/;
type Handler = (c: Context, viewer: TokenRecord | undefined) => Promise<Response>;

/**
 * The dashboard: server-rendered pages (readable without JS; htmx refreshes the overview and
 * follows running logs), the sign-in form and the advisory form. Mount at `/`. Routes register
 * no catch-all middleware, so they never affect the routes beside them.
 */
export function dashboardRoutes(service: FactoryService, options: DashboardOptions): Hono {
  const app = new Hono();
  const now = options.now ?? (() => new Date().toISOString());
  const refresh = options.refreshSeconds ?? 5;
  const logPoll = options.logPollSeconds ?? 2;
  const render = (
    c: Context,
    viewer: TokenRecord | undefined,
    title: string,
    section: string,
    body: Html,
    status = 200,
  ) => {
    // Pages hold the advisory form: never framed (clickjacking), never cached (they show live state).
    c.header('x-frame-options', 'DENY');
    c.header('content-security-policy', "frame-ancestors 'none'");
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'same-origin');
    c.header('cache-control', 'no-store');
    return c.html(page({ title, section, viewer }, body), status as 200);
  };
  const notFound = (c: Context, viewer: TokenRecord | undefined, what: string) =>
    render(c, viewer, 'Not found', '', messageContent('Not found', what), 404);
  // A form posted from another site (sameOrigin refused it).
  const crossSite = (c: Context) =>
    render(
      c,
      undefined,
      'Forbidden',
      '',
      messageContent('Forbidden', 'The form was not sent from this site.'),
      403,
    );

  // Reads: open to all with publicReads, else to any live token (pages send the browser to sign in).
  const read = (path: string, handler: Handler) =>
    app.get(path, async (c) => {
      const viewer = await viewerOf(c, service);
      if (!options.publicReads && viewer === undefined) {
        if (path.startsWith('/fragments/')) return c.text('sign in to read the dashboard', 401);
        const url = new URL(c.req.url);
        return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
      }
      return handler(c, viewer);
    });

  staticRoutes(app);

  read('/', async (c, viewer) =>
    render(
      c,
      viewer,
      'Overview',
      '/',
      html`<h1>Overview</h1>${overviewContent(await loadOverview(service, now()), refresh)}`,
    ),
  );
  read('/fragments/overview', async (c) =>
    c.html(overviewContent(await loadOverview(service, now()), refresh)),
  );
  read('/images/:name', async (c, viewer) => {
    const name = c.req.param('name') ?? '';
    const data = await loadImagePage(service, name);
    if (data === undefined) return notFound(c, viewer, `No image named ${name}.`);
    return render(c, viewer, `Image ${name}`, '/', imageContent(data));
  });
  read('/packages', async (c, viewer) =>
    render(c, viewer, 'Packages', '/packages', packageListContent(await loadPackageList(service))),
  );
  read('/packages/:name', async (c, viewer) => {
    const name = c.req.param('name') ?? '';
    const rows = await loadPackage(service, name);
    if (rows === undefined) return notFound(c, viewer, `No package named ${name} was published.`);
    return render(c, viewer, `Package ${name}`, '/packages', packageContent(name, rows));
  });
  read('/builds', async (c, viewer) =>
    render(c, viewer, 'Builds', '/builds', buildListContent(await loadBuildList(service))),
  );
  read('/builds/:key', async (c, viewer) => {
    const key = c.req.param('key') ?? '';
    const data = await loadBuildPage(service, key);
    if (data === undefined) return notFound(c, viewer, `No job or build with key ${key}.`);
    return render(c, viewer, key, '/builds', buildContent(data, logPoll));
  });
  read('/fragments/jobs/:key/log', async (c) => {
    const key = c.req.param('key') ?? '';
    const raw = c.req.query('after') ?? '0';
    if (!/^(0|[1-9][0-9]{0,15})$/.test(raw)) return c.text(`after=${raw}: expected a line number`, 400);
    const after = Number(raw);
    const [state, lines] = await Promise.all([loadJobState(service, key), service.jobLog(key, after)]);
    if (state === undefined) return c.text(`no job or build with key ${key}`, 404);
    const status = state.job?.status ?? state.build?.status ?? 'unknown';
    return c.html(logFragment(key, after, lines, isLive(state), status, logPoll));
  });
  read('/events', async (c, viewer) =>
    render(
      c,
      viewer,
      'Events',
      '/events',
      eventsContent(
        await loadEvents(
          service,
          eventQueryOf((n) => c.req.query(n)),
        ),
      ),
    ),
  );

  const advisoriesPage = async (
    c: Context,
    viewer: TokenRecord | undefined,
    form: Partial<AdvisoryFormView>,
    status = 200,
  ) => {
    const access = viewer === undefined ? 'signed-out' : canWriteAdvisories(viewer) ? 'ok' : 'read-only';
    const view: AdvisoryFormView = { values: EMPTY_ADVISORY_FORM, errors: {}, access, ...form };
    return render(
      c,
      viewer,
      'Advisories',
      '/advisories',
      advisoriesContent(await loadAdvisories(service), view),
      status,
    );
  };
  read('/advisories', async (c, viewer) => {
    const saved = c.req.query('saved');
    return advisoriesPage(c, viewer, saved !== undefined && SAVED.test(saved) ? { saved } : {});
  });
  app.post(
    '/advisories',
    bodyLimit({
      maxSize: FORM_LIMIT,
      onError: (c) => c.text(`the form is larger than ${FORM_LIMIT} bytes`, 413),
    }),
    async (c) => {
      if (!sameOrigin(c)) return crossSite(c);
      const viewer = await viewerOf(c, service);
      if (viewer === undefined) return advisoriesPage(c, viewer, {}, 401);
      if (!canWriteAdvisories(viewer)) return advisoriesPage(c, viewer, {}, 403);
      const body = await formBody(c);
      if (body === undefined)
        return advisoriesPage(
          c,
          viewer,
          { errors: { form: 'expected a form (application/x-www-form-urlencoded or multipart/form-data)' } },
          415,
        );
      const parsed = parseAdvisoryForm(body);
      if (!parsed.ok) return advisoriesPage(c, viewer, { values: parsed.values, errors: parsed.errors }, 422);
      try {
        await service.saveAdvisory(parsed.input);
      } catch (error) {
        if (!(error instanceof LarderError)) throw error;
        const values: AdvisoryFormValues = { ...EMPTY_ADVISORY_FORM, ...stringsOf(body) };
        const errors: AdvisoryFormErrors = { form: error.message };
        return advisoriesPage(c, viewer, { values, errors }, 422);
      }
      const saved = `${parsed.input.package} ${parsed.input.vulnerability}`;
      return c.redirect(`/advisories?saved=${encodeURIComponent(saved)}`, 303);
    },
  );

  // The sign-in page is open to everyone (readers are sent here when reads need a token).
  app.get('/login', async (c) => {
    const viewer = await viewerOf(c, service);
    return render(c, viewer, 'Sign in', '', loginContent(localPath(c.req.query('next')), undefined));
  });
  app.post(
    '/login',
    bodyLimit({ maxSize: FORM_LIMIT, onError: (c) => c.text('the form is too large', 413) }),
    async (c) => {
      if (!sameOrigin(c)) return crossSite(c);
      const body = (await formBody(c)) ?? {};
      const next = localPath(typeof body.next === 'string' ? body.next : undefined);
      const token = typeof body.token === 'string' ? body.token.trim() : '';
      const viewer = token === '' ? undefined : await verifyToken(service.store, token);
      if (viewer === undefined)
        return render(
          c,
          undefined,
          'Sign in',
          '',
          loginContent(next, token === '' ? 'Paste a token.' : 'Unknown or revoked token.'),
          401,
        );
      setCookie(c, TOKEN_COOKIE, token, {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        secure: isHttps(c),
      });
      return c.redirect(next, 303);
    },
  );
  app.post('/logout', async (c) => {
    if (!sameOrigin(c)) return crossSite(c);
    deleteCookie(c, TOKEN_COOKIE, { path: '/', secure: isHttps(c) });
    return c.redirect('/', 303);
  });
  return app;
}

/** The parsed form body (every field, repeated ones as arrays), or undefined when it is not a form. */
async function formBody(c: Context): Promise<Record<string, unknown> | undefined> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data'))
    return undefined;
  try {
    return await c.req.parseBody({ all: true });
  } catch {
    return undefined;
  }
}

const stringsOf = (body: Record<string, unknown>): Partial<AdvisoryFormValues> =>
  Object.fromEntries(
    Object.entries(body).filter(([k, v]) => typeof v === 'string' && k in EMPTY_ADVISORY_FORM),
  );
