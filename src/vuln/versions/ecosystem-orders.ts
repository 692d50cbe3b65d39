// Which order reads which ecosystem's versions (catalog.md §5.3), and which orders an OSV range
// may be evaluated in.
import type { Ecosystem } from '../model.js';
import { apkOrder } from './apk-order.js';
import { fuzzyOrder } from './fuzzy.js';
import { goOrder } from './go-version.js';
import { mavenOrder } from './maven.js';
import { pep440Order } from './pep440.js';
import { semverOrder } from './semver.js';
import type { AnyVersionOrder } from './version-order.js';

/** The version order of an ecosystem: apk, Go, PEP 440, Maven, semver (npm), fuzzy (crates.io). */
export function ecosystemOrder(ecosystem: Ecosystem): AnyVersionOrder {
  switch (ecosystem) {
    case 'apk':
      return apkOrder;
    case 'go':
      return goOrder;
    case 'pypi':
      return pep440Order;
    case 'maven':
      return mavenOrder;
    case 'npm':
      return semverOrder;
    case 'cargo':
      return fuzzyOrder;
  }
}

/**
 * The orders to try for an OSV range, first that reads the installed version and every event
 * wins: the ecosystem's own order, then, for a SEMVER range, semver (grype retries a version that
 * does not parse in its package's format in the constraint's format). GIT ranges have none.
 */
export function rangeOrders(
  type: 'SEMVER' | 'ECOSYSTEM' | 'GIT',
  ecosystem: Ecosystem,
): readonly AnyVersionOrder[] {
  if (type === 'GIT') return [];
  const own = ecosystemOrder(ecosystem);
  if (type === 'ECOSYSTEM' || own === semverOrder || own === goOrder || own === fuzzyOrder) return [own];
  return [own, semverOrder];
}
