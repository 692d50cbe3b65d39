import type { AdvisoryInput } from '../../factory/index.js';
import { FALSE_POSITIVE_TYPES as WOLFI_FALSE_POSITIVE_TYPES } from '../../vuln/index.js';
import { ADVISORY_PACKAGE, ADVISORY_TYPES, MAX_ADVISORY_NOTE } from '../api/advisory-fields.js';

/** The advisory event types the form offers, as Wolfi's advisory schema 2 names them. */
export { ADVISORY_TYPES };

/** Wolfi's false-positive types (`false-positive-determination` needs one). */
export const FALSE_POSITIVE_TYPES: readonly string[] = WOLFI_FALSE_POSITIVE_TYPES;

/** The form's fields as submitted (strings; absent fields are empty). */
export interface AdvisoryFormValues {
  readonly package: string;
  readonly vulnerability: string;
  readonly type: string;
  readonly fixedVersion: string;
  readonly note: string;
  readonly falsePositiveType: string;
}

export type AdvisoryFormErrors = Partial<Record<keyof AdvisoryFormValues | 'form', string>>;

export type AdvisoryFormResult =
  | { readonly ok: true; readonly input: AdvisoryInput }
  | { readonly ok: false; readonly values: AdvisoryFormValues; readonly errors: AdvisoryFormErrors };

export const EMPTY_ADVISORY_FORM: AdvisoryFormValues = {
  package: '',
  vulnerability: '',
  type: 'detection',
  fixedVersion: '',
  note: '',
  falsePositiveType: '',
};

// CVE-2024-1234, GHSA-xxxx-xxxx-xxxx, or an advisory id such as CGA-xxxx-xxxx-xxxx.
const VULNERABILITY =
  /^(CVE-\d{4}-\d{4,}|GHSA(-[23456789cfghjmpqrvwx]{4}){3}|[A-Z][A-Z0-9]*-[A-Za-z0-9][A-Za-z0-9._:-]*)$/;
const APK_VERSION = /^[0-9][0-9A-Za-z._+~-]*-r[0-9]+$/;
const MAX_FIELD = 200;
// The events whose Wolfi data is a note (the factory's saveAdvisory refuses them without one).
const NOTE_TYPES: ReadonlySet<string> = new Set([
  'pending-upstream-fix',
  'fix-not-planned',
  'analysis-not-planned',
]);

function field(body: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return '';
  return typeof value === 'string' ? value.trim() : undefined;
}

/**
 * Validates a submitted advisory form (a parsed urlencoded or multipart body): every problem is
 * reported next to its field; a field that is not text (a file, a repeated field) is a problem.
 */
export function parseAdvisoryForm(body: Readonly<Record<string, unknown>>): AdvisoryFormResult {
  const errors: AdvisoryFormErrors = {};
  const read = (name: keyof AdvisoryFormValues, max: number): string => {
    const value = field(body, name);
    if (value === undefined) {
      errors[name] = 'expected one text value';
      return '';
    }
    if (value.length > max) errors[name] = `at most ${max} characters (got ${value.length})`;
    return value;
  };
  const values: AdvisoryFormValues = {
    package: read('package', MAX_FIELD),
    vulnerability: read('vulnerability', MAX_FIELD),
    type: read('type', MAX_FIELD),
    fixedVersion: read('fixedVersion', MAX_FIELD),
    note: read('note', MAX_ADVISORY_NOTE),
    falsePositiveType: read('falsePositiveType', MAX_FIELD),
  };
  if (errors.package === undefined && !ADVISORY_PACKAGE.test(values.package))
    errors.package = values.package === '' ? 'required' : 'a package name: letters, digits, . _ + -';
  if (errors.vulnerability === undefined && !VULNERABILITY.test(values.vulnerability))
    errors.vulnerability =
      values.vulnerability === '' ? 'required' : 'a CVE-…, GHSA-… or advisory id (e.g. CVE-2024-12345)';
  const type = ADVISORY_TYPES.find((t) => t === values.type);
  if (errors.type === undefined && type === undefined)
    errors.type = values.type === '' ? 'required' : `one of ${ADVISORY_TYPES.join(', ')}`;
  if (type === 'fixed' && errors.fixedVersion === undefined && !APK_VERSION.test(values.fixedVersion))
    errors.fixedVersion =
      values.fixedVersion === '' ? 'required for fixed' : 'a package version with its epoch, e.g. 1.2.3-r1';
  if (type !== 'fixed' && values.fixedVersion !== '' && errors.fixedVersion === undefined)
    errors.fixedVersion = 'only for fixed';
  if (type !== undefined && NOTE_TYPES.has(type) && values.note === '' && errors.note === undefined)
    errors.note = `required for ${type}`;
  if (type === 'false-positive-determination' && !FALSE_POSITIVE_TYPES.includes(values.falsePositiveType))
    errors.falsePositiveType ??=
      values.falsePositiveType === ''
        ? 'required for false-positive-determination'
        : `one of ${FALSE_POSITIVE_TYPES.join(', ')}`;
  if (type !== 'false-positive-determination' && values.falsePositiveType !== '')
    errors.falsePositiveType ??= 'only for false-positive-determination';
  if (Object.keys(errors).length > 0 || type === undefined) return { ok: false, values, errors };
  return {
    ok: true,
    input: {
      package: values.package,
      vulnerability: values.vulnerability,
      type,
      ...(values.fixedVersion === '' ? {} : { fixedVersion: values.fixedVersion }),
      ...(values.note === '' ? {} : { note: values.note }),
      ...(values.falsePositiveType === '' ? {} : { falsePositiveType: values.falsePositiveType }),
    },
  };
}
