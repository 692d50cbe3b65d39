// The dashboard in a real browser (Debian chromium via playwright-core), served over HTTP with
// seeded factory state: reading without JS, htmx's live refresh and log following, signing in
// and the advisory form. Screenshots: test-artifacts/screenshots/dashboard-*.png.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordImage } from '../../src/factory/state/index.js';
import { dashboardRoutes, TOKEN_COOKIE } from '../../src/server/dashboard/index.js';
import { launchChromium, type ServedApp, screenshot, serveApp } from '../kit/browser.js';
import { larder } from '../kit/cli.js';
import { CLI } from '../kit/paths.js';
import { HOSTILE, NOW, RUNNING_KEY, type Seeded, seedDashboard } from '../unit/server/dashboard/seed.js';

let browser: Browser;
let seeded: Seeded;
let served: ServedApp;
let context: BrowserContext;
let page: Page;
/** Dialogs opened by page scripts: any would mean injected markup ran. */
let dialogs: string[];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
/** The text of an element as rendered (Playwright's Locator.innerText, not the DOM property). */
function rendered(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText() is the rendered text we assert on
  return locator.first().innerText();
}
const textOf = (selector: string, p: Page = page): Promise<string> => rendered(p.locator(selector));
const rowText = (name: string): Promise<string> =>
  rendered(page.locator('#images tbody tr', { hasText: name }));

describe('the dashboard in chromium', () => {
  beforeEach(async () => {
    seeded = await seedDashboard();
    served = await serveApp(
      dashboardRoutes(seeded.service, {
        publicReads: true,
        now: () => NOW,
        refreshSeconds: 1,
        logPollSeconds: 1,
      }),
    );
    context = await browser.newContext({ baseURL: served.url, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    dialogs = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  afterEach(async () => {
    await context?.close();
    await served?.close();
    await seeded?.service.close();
    expect(dialogs).toEqual([]);
  });

  it('shows the images and findings on the overview, and refreshes it live', async () => {
    await page.goto('/');
    expect(await page.title()).toBe('Overview · larder');
    expect(await rowText('web')).toMatch(
      /web\s+aaaaaaaaaaaa\s+2026-01-01 10:00 UTC\s+1\s+yes \/ yes\s+exposed-awaiting-fix/,
    );
    expect(await rowText('api')).toMatch(/api\s+bbbbbbbbbbbb[\s\S]*\s0\s+no \/ no\s+ok/);
    // The hostile name is text, not markup.
    expect(await textOf('#images')).toContain(HOSTILE);
    expect(await textOf('#exposures')).toMatch(/CVE-2026-0001[\s\S]*openssl[\s\S]*14h/);
    expect(await textOf('#reconcile')).toContain('recipe zlib: pipeline step 2 has no runs');
    await screenshot(page, 'dashboard-overview');
    // htmx polls the overview: a newly recorded image appears without a reload.
    await recordImage(seeded.service.store, {
      name: 'late',
      configFile: '/w/images/late.yaml',
      configHash: 'sha256:0',
      publish: [],
      policy: 'high',
    });
    await page.locator('#images a', { hasText: 'late' }).waitFor({ timeout: 15_000 });
  });

  it('is readable without JavaScript', async () => {
    const plain = await browser.newContext({ baseURL: served.url, javaScriptEnabled: false });
    try {
      const p = await plain.newPage();
      await p.goto('/');
      expect(await textOf('#images', p)).toContain('exposed-awaiting-fix');
      await p.goto(`/builds/${encodeURIComponent(RUNNING_KEY)}`);
      expect(await textOf('#log', p)).toContain('[fetch] openssl-3.0.2.tar.gz');
    } finally {
      await plain.close();
    }
  });

  it('opens an image page with its versions and findings', async () => {
    await page.goto('/');
    await page.locator('#images a', { hasText: /^web$/ }).click();
    await page.waitForURL('**/images/web');
    expect(await textOf('h1')).toBe('Image web');
    expect(await textOf('#versions')).toMatch(
      /aaaaaaaaaaaa[\s\S]*aarch64: 222222222222[\s\S]*x86_64: 111111111111[\s\S]*yes/,
    );
    expect(await textOf('#findings')).toMatch(/CVE-2026-0001[\s\S]*openssl[\s\S]*open[\s\S]*3\.0\.2-r0/);
    expect(await textOf('#publish')).toContain('registry.test/web');
    await screenshot(page, 'dashboard-image');
  });

  it("follows a running build's log", async () => {
    await page.goto(`/builds/${encodeURIComponent(RUNNING_KEY)}`);
    expect(await textOf('#log')).toContain('[fetch] openssl-3.0.2.tar.gz');
    seeded.service.appendLog(RUNNING_KEY, '[make] cc -c ssl.c <live>');
    await page.locator('#log', { hasText: '[make] cc -c ssl.c <live>' }).waitFor({ timeout: 15_000 });
    seeded.service.appendLog(RUNNING_KEY, '[make] ld');
    await page.locator('#log', { hasText: '[make] ld' }).waitFor({ timeout: 15_000 });
    expect(await textOf('#log')).toMatch(
      /openssl-3\.0\.2\.tar\.gz\n\[make\] cc -c ssl\.c <live>\n\[make\] ld/,
    );
    await screenshot(page, 'dashboard-build-log');
  });

  it('signs in with a token and saves an advisory, showing validation errors first', async () => {
    await page.goto('/advisories');
    await page.getByRole('link', { name: 'Sign in', exact: true }).last().click();
    await page.locator('#token').fill(seeded.writeToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/advisories');
    expect(await textOf('header')).toContain('signed in as alice');
    const cookie = (await context.cookies()).find((c) => c.name === TOKEN_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', value: seeded.writeToken });

    // A fixed event without its version: the form comes back with the message beside the field.
    await page.locator('#package').fill('openssl');
    await page.locator('#vulnerability').fill('CVE-2026-0001');
    await page.locator('#type').selectOption('fixed');
    await page.getByRole('button', { name: 'Save advisory' }).click();
    await page.locator('#fixedVersion-error').waitFor();
    expect(await textOf('#fixedVersion-error')).toBe('required for fixed');
    expect(await page.locator('#package').inputValue()).toBe('openssl');
    expect(await page.locator('#fixedVersion').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'dashboard-advisory-error');
    expect(seeded.service.advisories).toEqual([]);

    await page.locator('#fixedVersion').fill('3.0.2-r0');
    await page.getByRole('button', { name: 'Save advisory' }).click();
    await page.locator('#saved').waitFor();
    expect(await textOf('#saved')).toBe('Saved: openssl CVE-2026-0001');
    expect(await textOf('#advisory-changes')).toContain('openssl: CVE-2026-0001 fixed');
    expect(seeded.service.advisories).toEqual([
      { package: 'openssl', vulnerability: 'CVE-2026-0001', type: 'fixed', fixedVersion: '3.0.2-r0' },
    ]);
    await screenshot(page, 'dashboard-advisory-saved');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${served.url}/`);
    expect((await context.cookies()).find((c) => c.name === TOKEN_COOKIE)).toBeUndefined();
  });

  it('saves screenshots as test artifacts', async () => {
    await page.goto('/events');
    const path = await screenshot(page, 'dashboard-events');
    expect(existsSync(path)).toBe(true);
  });
});

describe('the dashboard of larder serve (the built CLI) in chromium', () => {
  let dir: string;
  let ws: string;
  let serve: ChildProcess | undefined;
  let url: string;
  let token: string;

  function startServe(): Promise<string> {
    const child = spawn(
      process.execPath,
      [
        CLI,
        'serve',
        '--workspace',
        ws,
        '--listen',
        '127.0.0.1:0',
        '--concurrency',
        '0',
        '--state-dir',
        join(dir, 'state'),
      ],
      { env: { ...process.env, LARDER_QUIET: '' }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    serve = child;
    let stderr = '';
    return new Promise((resolve, reject) => {
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (text: string) => {
        stderr += text;
        const m = /listening on (http:\/\/\S+)/.exec(stderr);
        if (m !== null) resolve(m[1] as string);
      });
      child.once('exit', (code) => reject(new Error(`larder serve exited ${code}: ${stderr}`)));
    });
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'larder-dashboard-serve-'));
    ws = join(dir, 'ws');
    const init = larder(['init', ws]);
    expect(init.status, init.stderr).toBe(0);
    const made = larder(['token', 'create', '--workspace', ws, '--name', 'carol']);
    expect(made.status, made.stderr).toBe(0);
    token = made.stdout.trim();
    url = await startServe();
  }, 120_000);
  afterAll(async () => {
    if (serve !== undefined && serve.exitCode === null) serve.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('serves htmx from the bundle, lists the workspace images and writes an advisory file', async () => {
    const context = await browser.newContext({ baseURL: url });
    try {
      const p = await context.newPage();
      await p.goto('/');
      expect(await textOf('#images', p)).toMatch(/greet/);
      // htmx came from node_modules beside dist/cli and ran.
      expect(await p.evaluate(() => typeof (globalThis as { htmx?: unknown }).htmx)).toBe('object');
      await p.goto('/login?next=%2Fadvisories');
      await p.locator('#token').fill(token);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.waitForURL('**/advisories');
      await p.locator('#package').fill('greet');
      await p.locator('#vulnerability').fill('CVE-2026-4242');
      await p.locator('#type').selectOption('pending-upstream-fix');
      await p.locator('#note').fill('upstream fix in review');
      await p.getByRole('button', { name: 'Save advisory' }).click();
      await p.locator('#saved, #form-error, .field-error').first().waitFor();
      await screenshot(p, 'dashboard-serve-advisory');
      expect(await textOf('main', p)).toContain('Saved: greet CVE-2026-4242');
      expect(await textOf('#advisory-changes', p)).toContain('CVE-2026-4242');
      const file = await readFile(join(ws, 'advisories', 'greet.advisories.yaml'), 'utf8');
      expect(file).toContain('CVE-2026-4242');
      expect(file).toContain('pending-upstream-fix');
      expect(file).toContain('upstream fix in review');
    } finally {
      await context.close();
    }
  });
});
