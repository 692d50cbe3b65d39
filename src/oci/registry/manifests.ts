import { LarderError } from '../../core/index.js';
import { sha256Digest } from '../json.js';
import { MEDIA_TYPES } from '../types.js';
import { type ClientContext, describe, type RepositoryName, registryUrl, repoRequest } from './context.js';
import { statusError } from './errors.js';
import { discard, readBody } from './http.js';

/** A manifest or index as the registry holds it: the exact bytes and their digest. */
export interface ManifestResponse {
  readonly mediaType: string;
  /** `sha256:` of `bytes`, checked against the requested digest and `Docker-Content-Digest`. */
  readonly digest: string;
  readonly bytes: Buffer;
}

/** What HEAD says about a manifest. */
export interface ManifestInfo {
  readonly mediaType: string;
  /** From `Docker-Content-Digest`; absent when the registry does not send it. */
  readonly digest?: string;
  readonly size: number;
}

/** Every manifest type larder reads (always sent: without Accept, old registries answer schema1). */
export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.index,
  MEDIA_TYPES.manifest,
  MEDIA_TYPES.dockerManifestList,
  MEDIA_TYPES.dockerManifest,
].join(', ');

const MAX_MANIFEST = 4 * 1024 * 1024;

export async function getManifest(
  ctx: ClientContext,
  repo: RepositoryName,
  reference: string,
): Promise<ManifestResponse> {
  const what = `GET manifest ${describe(repo, reference)}`;
  const res = await ctx.transport.send(
    repoRequest(ctx, repo, {
      method: 'GET',
      path: `manifests/${reference}`,
      what,
      headers: { accept: MANIFEST_ACCEPT },
    }),
  );
  if (res.status !== 200) throw await statusError(what, res);
  const bytes = await readBody(res, MAX_MANIFEST, what);
  const digest = sha256Digest(bytes);
  const wanted = reference.includes(':') ? reference : res.header('docker-content-digest');
  if (wanted?.startsWith('sha256:') && wanted !== digest) {
    throw new LarderError('FETCH_FAILED', `${what}: the body has digest ${digest}, expected ${wanted}`, {
      subject: res.url,
    });
  }
  const contentType = (res.header('content-type') ?? '').split(';')[0]!.trim();
  let declared: unknown;
  try {
    declared = (JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown }).mediaType;
  } catch (err) {
    throw new LarderError('FETCH_FAILED', `${what}: the manifest is not JSON`, {
      cause: err,
      subject: res.url,
    });
  }
  if (typeof declared === 'string' && contentType !== '' && declared !== contentType) {
    throw new LarderError(
      'FETCH_FAILED',
      `${what}: mediaType ${declared} differs from Content-Type ${contentType}`,
      {
        subject: res.url,
      },
    );
  }
  const mediaType = typeof declared === 'string' ? declared : contentType;
  return { mediaType, digest, bytes };
}

export async function headManifest(
  ctx: ClientContext,
  repo: RepositoryName,
  reference: string,
): Promise<ManifestInfo | undefined> {
  const what = `HEAD manifest ${describe(repo, reference)}`;
  const res = await ctx.transport.send(
    repoRequest(ctx, repo, {
      method: 'HEAD',
      path: `manifests/${reference}`,
      what,
      headers: { accept: MANIFEST_ACCEPT },
    }),
  );
  await discard(res);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw await statusError(what, res);
  const digest = res.header('docker-content-digest');
  return {
    mediaType: (res.header('content-type') ?? '').split(';')[0]!.trim(),
    size: Number(res.header('content-length') ?? 0),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** PUTs the exact bytes under a tag or digest; returns their digest (checked against the registry's). */
export async function putManifest(
  ctx: ClientContext,
  repo: RepositoryName,
  reference: string,
  bytes: Uint8Array,
  mediaType: string,
): Promise<string> {
  return (await putManifestAnswer(ctx, repo, reference, bytes, mediaType)).digest;
}

/** What a manifest PUT answered: the digest, and `OCI-Subject` when the registry has the referrers API. */
export interface PutManifestAnswer {
  readonly digest: string;
  readonly subject?: string;
}

/** `putManifest`, also returning the `OCI-Subject` header. */
export async function putManifestAnswer(
  ctx: ClientContext,
  repo: RepositoryName,
  reference: string,
  bytes: Uint8Array,
  mediaType: string,
): Promise<PutManifestAnswer> {
  const digest = sha256Digest(bytes);
  const what = `PUT manifest ${describe(repo, reference)} (${mediaType}, ${digest})`;
  if (reference.includes(':') && reference !== digest) {
    throw new LarderError('USAGE', `${what}: the bytes have digest ${digest}`);
  }
  const res = await ctx.transport.send(
    repoRequest(ctx, repo, {
      method: 'PUT',
      path: `manifests/${reference}`,
      push: true,
      what,
      headers: { 'content-type': mediaType, 'content-length': String(bytes.length) },
      body: () => bytes,
    }),
  );
  if (res.status !== 201 && res.status !== 200) throw await statusError(what, res);
  await discard(res);
  const answered = res.header('docker-content-digest');
  if (answered !== undefined && answered !== digest) {
    throw new LarderError('FETCH_FAILED', `${what}: the registry says it stored ${answered}`, {
      subject: res.url,
    });
  }
  const subject = res.header('oci-subject');
  return subject === undefined ? { digest } : { digest, subject };
}

export interface ListTagsOptions {
  /** Tags per page (`?n=`); the registry's default page when absent. */
  readonly pageSize?: number;
}

/**
 * Every tag of a repository (each once, in the registry's order), following `Link: <…>;
 * rel="next"` pages, or with `pageSize` and no Link header, `?n=&last=` pages.
 */
export async function listTags(
  ctx: ClientContext,
  repo: RepositoryName,
  options: ListTagsOptions = {},
): Promise<string[]> {
  const what = `GET tags of ${describe(repo)}`;
  const tags: string[] = [];
  const query = options.pageSize === undefined ? '' : `?n=${Math.max(1, Math.floor(options.pageSize))}`;
  let url: string | undefined = registryUrl(ctx, repo.registry, `${repo.repository}/tags/list${query}`);
  let linked = false;
  while (url !== undefined) {
    const req = repoRequest(ctx, repo, { method: 'GET', path: 'tags/list', what });
    const res = await ctx.transport.send({ ...req, url });
    if (res.status !== 200) throw await statusError(what, res);
    let doc: { tags?: unknown };
    try {
      doc = JSON.parse((await readBody(res, MAX_MANIFEST, what)).toString('utf8')) as { tags?: unknown };
    } catch (err) {
      if (err instanceof LarderError) throw err;
      throw new LarderError('FETCH_FAILED', `${what}: the answer is not JSON`, { cause: err, subject: url });
    }
    const page = Array.isArray(doc.tags) ? doc.tags.filter((t): t is string => typeof t === 'string') : [];
    tags.push(...page);
    const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(res.header('link') ?? '');
    if (next !== null) {
      linked = true;
      url = new URL(next[1]!, url).toString();
    } else if (
      !linked &&
      options.pageSize !== undefined &&
      page.length === options.pageSize &&
      page.at(-1)! > (new URL(url).searchParams.get('last') ?? '')
    ) {
      // A registry that never sends Link, and a page of exactly n: ask for the tags after the
      // last one (one that ignores `n`, like distribution 2.8, answers everything at once).
      const after: URL = new URL(url);
      after.searchParams.set('last', page.at(-1)!);
      url = after.toString();
    } else url = undefined;
  }
  return [...new Set(tags)];
}
