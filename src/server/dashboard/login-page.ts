import { html } from 'hono/html';
import type { Html } from './format.js';

/** The sign-in form: a token pasted once, kept in an HttpOnly cookie. */
export function loginContent(next: string, error: string | undefined): Html {
  return html`<h1>Sign in</h1>
  <p class="muted">Paste an API token; recording advisories needs the write or advisories:write scope. It is kept in an HttpOnly cookie for this site.</p>
  <form class="stacked" method="post" action="/login" id="login-form">
    ${error === undefined ? '' : html`<p class="notice bad" id="login-error">${error}</p>`}
    <input type="hidden" name="next" value="${next}">
    <label for="token">Token</label>
    <input id="token" name="token" type="password" autocomplete="off" required>
    <button class="primary" type="submit">Sign in</button>
  </form>`;
}

/** A page-sized message (not found, forbidden, …). */
export function messageContent(title: string, message: string): Html {
  return html`<h1>${title}</h1><p>${message}</p><p><a href="/">Back to the overview</a></p>`;
}
