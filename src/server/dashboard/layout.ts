import { html } from 'hono/html';
import type { TokenRecord } from '../../factory/index.js';
import type { Html } from './format.js';

const NAV: readonly [string, string][] = [
  ['/', 'Overview'],
  ['/packages', 'Packages'],
  ['/builds', 'Builds'],
  ['/advisories', 'Advisories'],
  ['/events', 'Events'],
];

/** What every page knows besides its body. */
export interface PageFrame {
  readonly title: string;
  /** The nav entry to mark current (`/`, `/packages`, ...). */
  readonly section: string;
  readonly viewer: TokenRecord | undefined;
}

/** The page shell: header with navigation and sign-in state, the body, htmx deferred (reading needs no JS). */
export function page(frame: PageFrame, body: Html): Html {
  const who =
    frame.viewer === undefined
      ? html`<a href="/login">Sign in</a>`
      : html`<span>signed in as <b>${frame.viewer.name}</b></span>
          <form method="post" action="/logout"><button type="submit">Sign out</button></form>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · larder</title>
<link rel="stylesheet" href="/static/app.css">
<script src="/static/htmx.min.js" defer></script>
</head>
<body>
<header>
  <a class="brand" href="/">larder</a>
  <nav>${NAV.map(
    ([href, label]) =>
      html`<a href="${href}"${frame.section === href ? html` aria-current="page"` : ''}>${label}</a>`,
  )}</nav>
  <div class="who">${who}</div>
</header>
<main>
${body}
</main>
</body>
</html>`;
}
