import { html } from 'hono/html';
import {
  type AdvisoryStateRecord,
  type FactoryService,
  listAdvisories,
  listEvents,
  type RecordedEvent,
} from '../../factory/index.js';
import {
  ADVISORY_TYPES,
  type AdvisoryFormErrors,
  type AdvisoryFormValues,
  FALSE_POSITIVE_TYPES,
} from './advisory-form.js';
import { type Html, packagePath, table, time } from './format.js';
import { eventRow } from './overview-page.js';

export interface AdvisoriesData {
  readonly advisories: readonly AdvisoryStateRecord[];
  /** Recent `advisory-changed` events (saves show here before the reconciler mirrors them). */
  readonly changes: readonly RecordedEvent[];
}

export async function loadAdvisories(service: FactoryService): Promise<AdvisoriesData> {
  const [advisories, changes] = await Promise.all([
    listAdvisories(service.store),
    listEvents(service.store, { kind: 'advisory-changed', limit: 20 }),
  ]);
  return { advisories, changes };
}

/** What the form shows: values to keep, errors next to fields, whether the viewer may submit. */
export interface AdvisoryFormView {
  readonly values: AdvisoryFormValues;
  readonly errors: AdvisoryFormErrors;
  /** `signed-out`: a link to sign in; `read-only`: the token lacks a write scope. */
  readonly access: 'ok' | 'signed-out' | 'read-only';
  /** A just-saved advisory (`package vulnerability`), shown as a notice. */
  readonly saved?: string;
}

function fieldError(errors: AdvisoryFormErrors, name: keyof AdvisoryFormValues): Html {
  const message = errors[name];
  return message === undefined ? html`` : html`<div class="field-error" id="${name}-error">${message}</div>`;
}

const invalid = (errors: AdvisoryFormErrors, name: keyof AdvisoryFormValues): Html =>
  errors[name] === undefined ? html`` : html` aria-invalid="true" aria-describedby="${name}-error"`;

function options(all: readonly string[], selected: string, blank: boolean): Html {
  return html`${blank ? html`<option value="">—</option>` : ''}${all.map(
    (o) => html`<option value="${o}"${o === selected ? html` selected` : ''}>${o}</option>`,
  )}`;
}

function advisoryForm(view: AdvisoryFormView): Html {
  if (view.access === 'signed-out')
    return html`<p><a href="/login?next=%2Fadvisories">Sign in</a> with a token to record an advisory.</p>`;
  if (view.access === 'read-only')
    return html`<p class="muted">Your token cannot write advisories (it needs the write or advisories:write scope).</p>`;
  const { values: v, errors: e } = view;
  return html`<form class="stacked" method="post" action="/advisories" id="advisory-form" novalidate>
    ${e.form === undefined ? '' : html`<p class="notice bad" id="form-error">${e.form}</p>`}
    <label for="package">Package (origin)</label>
    <input id="package" name="package" value="${v.package}" required${invalid(e, 'package')}>${fieldError(e, 'package')}
    <label for="vulnerability">Vulnerability</label>
    <input id="vulnerability" name="vulnerability" value="${v.vulnerability}" placeholder="CVE-2024-12345" required${invalid(e, 'vulnerability')}>${fieldError(e, 'vulnerability')}
    <label for="type">Event</label>
    <select id="type" name="type"${invalid(e, 'type')}>${options(ADVISORY_TYPES, v.type, false)}</select>${fieldError(e, 'type')}
    <label for="fixedVersion">Fixed version (for fixed)</label>
    <input id="fixedVersion" name="fixedVersion" value="${v.fixedVersion}" placeholder="1.2.3-r1"${invalid(e, 'fixedVersion')}>${fieldError(e, 'fixedVersion')}
    <label for="falsePositiveType">False-positive type (for false-positive-determination)</label>
    <select id="falsePositiveType" name="falsePositiveType"${invalid(e, 'falsePositiveType')}>${options(FALSE_POSITIVE_TYPES, v.falsePositiveType, true)}</select>${fieldError(e, 'falsePositiveType')}
    <label for="note">Note</label>
    <textarea id="note" name="note" rows="3"${invalid(e, 'note')}>${v.note}</textarea>${fieldError(e, 'note')}
    <button class="primary" type="submit">Save advisory</button>
  </form>`;
}

export function advisoriesContent(d: AdvisoriesData, view: AdvisoryFormView): Html {
  const rows = d.advisories.map(
    (a) => html`<tr>
      <td><a href="${packagePath(a.package)}">${a.package}</a></td>
      <td>${a.id}${a.aliases.length > 0 ? html` <span class="muted">(${a.aliases.join(', ')})</span>` : ''}</td>
      <td>${a.state}</td>
      <td>${time(a.updatedAt)}</td>
    </tr>`,
  );
  return html`<h1>Advisories</h1>
  ${view.saved === undefined ? '' : html`<p class="notice" id="saved">Saved: ${view.saved}</p>`}
  <section class="card" id="advisory-list">
    <h2>Current advisories</h2>
    ${table(['Package', 'Advisory', 'State', 'Updated'], rows, 'No advisories recorded.')}
  </section>
  <section class="card" id="advisory-changes">
    <h2>Recent changes</h2>
    ${table(['At', 'Kind', 'Subject', 'Message'], d.changes.map(eventRow), 'No advisory changes yet.')}
  </section>
  <section class="card">
    <h2>Record an advisory event</h2>
    ${advisoryForm(view)}
  </section>`;
}
