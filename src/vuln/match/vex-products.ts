// Does a VEX statement's product (or subcomponent) name this finding? Products are purls
// (`pkg:apk/...`, `pkg:oci/...`), image references (`reg/repo:tag`, `reg/repo@sha256:...`) or
// digests (`sha256:...`, bare hex), as grype accepts them (catalog.md §5.5).
import type { Catalog, CatalogedPackage, VexStatement } from '../model.js';
import { packageUrlCovers, parsePackageUrl } from './purl-match.js';

/** What identifies the scanned image. */
export interface ImageIdentity {
  /** Lower-case `sha256:<hex>`. */
  readonly digest?: string;
  /** Image references (tags) and the target as given. */
  readonly names: readonly string[];
}

/** The image identity of a catalog (empty for non-images). */
export function imageIdentity(catalog: Catalog): ImageIdentity {
  const names = [...(catalog.source.names ?? []), catalog.source.target].filter((n) => n !== '');
  const digest = catalog.source.digest?.toLowerCase();
  return digest === undefined ? { names } : { digest, names };
}

/** `reg/org/img:tag@sha256:…` → repository `reg/org/img`, last segment, tag and digest. */
function splitReference(ref: string): { repository: string; name: string; tag?: string; digest?: string } {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1).toLowerCase() : undefined;
  let repository = at >= 0 ? ref.slice(0, at) : ref;
  let tag: string | undefined;
  const colon = repository.lastIndexOf(':');
  if (colon > repository.lastIndexOf('/')) {
    tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
  }
  const name = repository.slice(repository.lastIndexOf('/') + 1).toLowerCase();
  return {
    repository,
    name,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** True when `product` names the scanned image. */
export function productIsImage(product: string, image: ImageIdentity): boolean {
  const text = product.trim();
  const purl = parsePackageUrl(text);
  if (purl !== undefined) {
    if (purl.type !== 'oci') return false;
    if (purl.version !== undefined)
      return image.digest !== undefined && purl.version.toLowerCase() === image.digest;
    const tag = purl.qualifiers.get('tag');
    return image.names.some((n) => {
      const ref = splitReference(n);
      return ref.name === purl.name.toLowerCase() && (tag === undefined || ref.tag === tag);
    });
  }
  const lower = text.toLowerCase();
  if (image.digest !== undefined) {
    if (lower === image.digest || `sha256:${lower}` === image.digest) return true;
    const ref = splitReference(text);
    if (ref.digest !== undefined) return ref.digest === image.digest;
  }
  return image.names.includes(text);
}

/** True when `id` (a purl or the exact purl text) names `pkg`. */
export function namesPackage(id: string, pkg: CatalogedPackage): boolean {
  if (id === pkg.purl) return true;
  const pattern = parsePackageUrl(id);
  const purl = parsePackageUrl(pkg.purl);
  return pattern !== undefined && purl !== undefined && packageUrlCovers(pattern, purl);
}

/**
 * True when the statement's products reach `pkg`: a product is the package itself; or the
 * image, or the APK that owns the package, with no subcomponents or one naming the package.
 */
export function statementReaches(
  statement: VexStatement,
  pkg: CatalogedPackage,
  owner: CatalogedPackage | undefined,
  image: ImageIdentity,
): boolean {
  const inside =
    statement.subcomponents.length === 0 || statement.subcomponents.some((s) => namesPackage(s, pkg));
  return statement.products.some((product) => {
    if (namesPackage(product, pkg)) return true;
    if (!inside) return false;
    return productIsImage(product, image) || (owner !== undefined && namesPackage(product, owner));
  });
}
