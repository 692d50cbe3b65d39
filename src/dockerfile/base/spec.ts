import { isAbsolute, resolve } from 'node:path';
import { LarderError } from '../../core/index.js';
import { type ImageReference, parseImageReference } from '../../oci/index.js';

/** What a FROM image names, once ARGs are expanded. */
export type BaseSpec =
  /** `larder:PATH`: an apko config in the context. */
  | { readonly kind: 'config'; readonly path: string }
  /** An OCI layout directory (absolute, `./`/`../`-relative, or `oci:PATH[:TAG]`). */
  | { readonly kind: 'layout'; readonly dir: string; readonly tag?: string }
  /** A registry reference, docker-normalised. */
  | { readonly kind: 'registry'; readonly ref: ImageReference };

/**
 * Classifies a FROM image. `larder:PATH` and relative layout paths are resolved against the
 * context directory; `oci:PATH:TAG` takes the text after the first `:` as the ref name (which
 * may hold more colons, as `base:latest` does) when it holds no `/`. Everything else must be a registry reference.
 *
 * @throws LarderError DOCKERFILE_INVALID for an empty spec, an empty path or a malformed reference.
 */
export function parseBaseSpec(spec: string, contextDir: string): BaseSpec {
  const fail = (why: string, cause?: unknown): never => {
    throw new LarderError('DOCKERFILE_INVALID', `FROM ${JSON.stringify(spec)}: ${why}`, {
      subject: spec,
      ...(cause !== undefined ? { cause } : {}),
    });
  };
  if (spec.trim() === '') fail('no image named');
  if (spec.startsWith('larder:')) {
    const path = spec.slice('larder:'.length);
    if (path === '') fail('larder: needs a config path relative to the build context');
    return { kind: 'config', path: resolve(contextDir, path) };
  }
  if (spec.startsWith('oci:')) {
    let path = spec.slice('oci:'.length);
    let tag: string | undefined;
    const colon = path.indexOf(':');
    if (colon > 0 && !path.slice(colon + 1).includes('/')) {
      tag = path.slice(colon + 1);
      path = path.slice(0, colon);
      if (tag === '') fail('oci:PATH:TAG has an empty tag');
    }
    if (path === '') fail('oci: needs a layout directory');
    return { kind: 'layout', dir: resolve(contextDir, path), ...(tag !== undefined ? { tag } : {}) };
  }
  if (isAbsolute(spec) || spec.startsWith('./') || spec.startsWith('../') || spec === '.') {
    return { kind: 'layout', dir: resolve(contextDir, spec) };
  }
  try {
    return { kind: 'registry', ref: parseImageReference(spec) };
  } catch (err) {
    return fail(
      `not a registry reference, a larder:CONFIG or an OCI layout path (${(err as Error).message})`,
      err,
    );
  }
}
