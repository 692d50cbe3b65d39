import { LarderError } from '../../core/index.js';
import { jsonBlob, sha256Digest } from '../json.js';
import { MEDIA_TYPES, type OCIDescriptor, type OCIIndex } from '../types.js';
import { checkIndex, parseJsonDocument } from '../validate.js';
import { type ClientContext, describe, type RepositoryName, registryUrl, repoRequest } from './context.js';
import { statusError } from './errors.js';
import { discard, readBody } from './http.js';
import { getManifest, putManifestAnswer } from './manifests.js';

export interface ListReferrersOptions {
  /** Only referrers with this `artifactType` (filtered here when the registry did not). */
  readonly artifactType?: string;
}

/** Where the referrers of a digest were found. */
export interface ReferrersList {
  readonly descriptors: OCIDescriptor[];
  /** `api` (GET /v2/<name>/referrers/<digest>) or `tag` (the `sha256-<hex>` fallback index). */
  readonly source: 'api' | 'tag';
}

/** How a referrer was pushed: whether the registry indexed it or the fallback tag was updated. */
export interface PushReferrerResult {
  readonly digest: string;
  /** `api` when the registry answered `OCI-Subject`; `tag` when the fallback index was written. */
  readonly indexedBy: 'api' | 'tag';
}

const MAX_INDEX = 4 * 1024 * 1024;
const DIGEST = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/;

/**
 * The referrers tag schema (dist-spec "Backwards Compatibility"): `<alg>-<encoded>`, truncated
 * to 32 and 64 characters, with characters a tag cannot hold replaced by `-`.
 */
export function referrersTag(digest: string): string {
  const match = DIGEST.exec(digest);
  if (match === null) throw new LarderError('USAGE', `'${digest}' is not a digest`);
  const clean = (s: string) => s.replace(/[^a-zA-Z0-9._-]/g, '-');
  return `${clean(match[1]!.slice(0, 32))}-${clean(match[2]!.slice(0, 64))}`;
}

/**
 * The manifests whose `subject` is `digest`: from the referrers API, following `Link` pages; when
 * the registry answers 404 (no API), from the fallback tag's index (none when that tag is
 * missing or is not an image index).
 */
export async function listReferrers(
  ctx: ClientContext,
  repo: RepositoryName,
  digest: string,
  options: ListReferrersOptions = {},
): Promise<ReferrersList> {
  const tag = referrersTag(digest);
  const what = `GET referrers of ${describe(repo, digest)}`;
  const filter = options.artifactType;
  const query = filter === undefined ? '' : `?artifactType=${encodeURIComponent(filter)}`;
  const descriptors: OCIDescriptor[] = [];
  let url: string | undefined = registryUrl(
    ctx,
    repo.registry,
    `${repo.repository}/referrers/${digest}${query}`,
  );
  while (url !== undefined) {
    const req = repoRequest(ctx, repo, {
      method: 'GET',
      path: `referrers/${digest}`,
      what,
      headers: { accept: MEDIA_TYPES.index },
    });
    const res = await ctx.transport.send({ ...req, url });
    if (res.status === 404 && descriptors.length === 0) {
      await discard(res);
      return { descriptors: await fromFallbackTag(ctx, repo, tag, filter), source: 'tag' };
    }
    if (res.status !== 200) throw await statusError(what, res);
    const body = await readBody(res, MAX_INDEX, what);
    const index = checkIndex(parseJsonDocument(body, `${what} (${url})`), `${what} (${url})`);
    const filtered = (res.header('oci-filters-applied') ?? '')
      .split(',')
      .some((f) => f.trim() === 'artifactType');
    descriptors.push(
      ...index.manifests.filter((d) => filter === undefined || filtered || d.artifactType === filter),
    );
    const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(res.header('link') ?? '');
    url = next === null ? undefined : new URL(next[1]!, url).toString();
  }
  return { descriptors, source: 'api' };
}

async function fromFallbackTag(
  ctx: ClientContext,
  repo: RepositoryName,
  tag: string,
  filter: string | undefined,
): Promise<OCIDescriptor[]> {
  const index = await readFallbackIndex(ctx, repo, tag);
  if (index === undefined) return [];
  return index.manifests.filter((d) => filter === undefined || d.artifactType === filter);
}

/** The fallback index, or undefined when the tag is missing or holds something else. */
async function readFallbackIndex(
  ctx: ClientContext,
  repo: RepositoryName,
  tag: string,
): Promise<OCIIndex | undefined> {
  let got: Awaited<ReturnType<typeof getManifest>>;
  try {
    got = await getManifest(ctx, repo, tag);
  } catch (err) {
    if (err instanceof LarderError && err.code === 'FETCH_NOT_FOUND') return undefined;
    throw err;
  }
  if (got.mediaType !== MEDIA_TYPES.index) return undefined;
  try {
    return checkIndex(parseJsonDocument(got.bytes, describe(repo, tag)), describe(repo, tag));
  } catch {
    return undefined;
  }
}

/**
 * PUTs a manifest that has a `subject` by its digest. When the registry does not answer
 * `OCI-Subject` (no referrers API), adds the manifest's descriptor (artifactType, annotations)
 * to the subject's fallback index tag, unless it is listed already. A fallback tag holding
 * something other than an image index is FETCH_FAILED (it is not ours to overwrite).
 */
export async function pushReferrer(
  ctx: ClientContext,
  repo: RepositoryName,
  bytes: Uint8Array,
  mediaType: string,
): Promise<PushReferrerResult> {
  const where = `referrer for ${describe(repo)}`;
  const doc = parseJsonDocument(Buffer.from(bytes), where) as {
    subject?: { digest?: unknown };
    artifactType?: unknown;
    config?: { mediaType?: unknown };
    annotations?: unknown;
  };
  const subject = doc.subject?.digest;
  if (typeof subject !== 'string') {
    throw new LarderError('USAGE', `${where}: the manifest has no subject`);
  }
  const tag = referrersTag(subject);
  const put = await putManifestAnswer(ctx, repo, sha256Digest(bytes), bytes, mediaType);
  if (put.subject !== undefined) return { digest: put.digest, indexedBy: 'api' };
  const tagRef = describe(repo, tag);
  let current: OCIIndex = { schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests: [] };
  try {
    const got = await getManifest(ctx, repo, tag);
    if (got.mediaType !== MEDIA_TYPES.index) {
      throw new LarderError('FETCH_FAILED', `${tagRef} holds a ${got.mediaType}, not the referrers index`);
    }
    current = checkIndex(parseJsonDocument(got.bytes, tagRef), tagRef);
  } catch (err) {
    if (!(err instanceof LarderError) || err.code !== 'FETCH_NOT_FOUND') throw err;
  }
  if (current.manifests.some((d) => d.digest === put.digest)) return { digest: put.digest, indexedBy: 'tag' };
  const artifactType =
    typeof doc.artifactType === 'string'
      ? doc.artifactType
      : typeof doc.config?.mediaType === 'string'
        ? doc.config.mediaType
        : undefined;
  const annotations = isStringRecord(doc.annotations) ? doc.annotations : undefined;
  const entry: OCIDescriptor = {
    mediaType,
    digest: put.digest,
    size: bytes.length,
    ...(artifactType === undefined ? {} : { artifactType }),
    ...(annotations === undefined ? {} : { annotations }),
  };
  const next: OCIIndex = { ...current, manifests: [...current.manifests, entry] };
  await putManifestAnswer(ctx, repo, tag, jsonBlob(next).bytes, MEDIA_TYPES.index);
  return { digest: put.digest, indexedBy: 'tag' };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}
