/**
 * release-monitoring.org (Anitya): a project's versions from
 * `GET {base}/api/v2/versions/?project_id=<id>`, answered as
 * `{"latest_version": "…", "versions": […], "stable_versions": […]}`.
 */
import { LarderError } from '../../../core/index.js';
import { type Fetcher, fetchBytes, redactUrl } from '../../../repo/index.js';

/** The public service; LARDER_RELEASE_MONITOR_URL overrides it (tests, mirrors). */
export const RELEASE_MONITOR_URL = 'https://release-monitoring.org';

/** The versions URL of a project. */
export function releaseMonitorUrl(base: string, identifier: string): string {
  return `${base.replace(/\/+$/, '')}/api/v2/versions/?project_id=${encodeURIComponent(identifier)}`;
}

/**
 * The project's versions: `stable_versions` (or `versions` when `prerelease` or when the answer
 * has no stable list). Fetched without a cache: every check asks upstream.
 * @throws LarderError a FETCH_* error, or FETCH_FAILED naming the URL when the answer is not the
 *   versions JSON.
 */
export async function releaseMonitorVersions(
  fetcher: Fetcher,
  url: string,
  options: { readonly prerelease: boolean; readonly signal?: AbortSignal },
): Promise<string[]> {
  const bytes = await fetchBytes(fetcher, url, {
    cache: 'no-store',
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  return parseReleaseMonitorVersions(bytes.toString('utf8'), redactUrl(url), options.prerelease);
}

/** Parses the versions answer; FETCH_FAILED naming `source` and what is wrong. */
export function parseReleaseMonitorVersions(text: string, source: string, prerelease: boolean): string[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw invalid(source, `not JSON: ${(err as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid(source, 'expected a JSON object with "versions"');
  const record = body as Record<string, unknown>;
  const all = stringList(record.versions, 'versions', source);
  const stable =
    record.stable_versions === undefined
      ? undefined
      : stringList(record.stable_versions, 'stable_versions', source);
  return prerelease || stable === undefined ? all : stable;
}

function stringList(value: unknown, field: string, source: string): string[] {
  if (!Array.isArray(value)) throw invalid(source, `"${field}" must be a list of strings`);
  for (const [i, item] of value.entries())
    if (typeof item !== 'string')
      throw invalid(source, `"${field}"[${i}] must be a string, got ${JSON.stringify(item)}`);
  return value as string[];
}

function invalid(source: string, message: string): LarderError {
  return new LarderError('FETCH_FAILED', `${source}: unexpected release-monitor answer: ${message}`, {
    subject: source,
  });
}
