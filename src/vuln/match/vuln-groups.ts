// Vulnerability groups: ids that name the same vulnerability. A statement about CVE-X covers
// GHSA-Y and CGA-Z when some record lists them as aliases of each other, transitively. Ids are
// compared case-insensitively (`ghsa-…` and `GHSA-…` appear in real feeds).

const NEEDS_FOLDING = /[a-z]|^\s|\s$/;

/** The case-insensitive key of an id. */
export function idKey(id: string): string {
  // Most ids are already upper case: testing is cheaper than allocating a copy.
  return NEEDS_FOLDING.test(id) ? id.trim().toUpperCase() : id;
}

/** Every id of something with an id and aliases, as keys. */
export function idKeys(item: {
  readonly vulnerability: string;
  readonly aliases: readonly string[];
}): string[] {
  return [idKey(item.vulnerability), ...item.aliases.map(idKey)];
}

/** True when the two id sets share an id (compared as keys). */
export function sharesId(a: readonly string[], b: ReadonlySet<string>): boolean {
  return a.some((id) => b.has(idKey(id)));
}

/**
 * Splits `items` into groups whose id sets connect through shared ids (union-find), keeping
 * input order within and between groups.
 */
export function groupByIds<T extends { readonly vulnerability: string; readonly aliases: readonly string[] }>(
  items: readonly T[],
): T[][] {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root]!;
    while (parent[i] !== root) {
      const next = parent[i]!;
      parent[i] = root;
      i = next;
    }
    return root;
  };
  const owner = new Map<string, number>();
  items.forEach((item, i) => {
    for (const key of idKeys(item)) {
      const seen = owner.get(key);
      if (seen === undefined) owner.set(key, i);
      else {
        const a = find(seen);
        const b = find(i);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  });
  const groups = new Map<number, T[]>();
  items.forEach((item, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group === undefined) groups.set(root, [item]);
    else group.push(item);
  });
  return [...groups.values()];
}

/** All ids of a group, first spelling of each key kept, in order of appearance. */
export function groupIds(
  items: readonly { readonly vulnerability: string; readonly aliases: readonly string[] }[],
): string[] {
  const seen = new Map<string, string>();
  for (const item of items) {
    for (const id of [item.vulnerability, ...item.aliases]) if (!seen.has(idKey(id))) seen.set(idKey(id), id);
  }
  return [...seen.values()];
}
