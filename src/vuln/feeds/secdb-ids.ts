/** An id as secdb lists carry them: CVE-..., CGA-..., GHSA-..., ALPINE-..., XSA-123, GO-.... */
export const VULN_ID = /^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/**
 * Groups the ids of one secfixes list into vulnerabilities (primary id, then aliases).
 * - An entry holding several space-separated ids (Alpine: `CVE-2019-1 XSA-2`) is one group.
 * - wolfictl writes each advisory's id followed by its aliases (`CGA-x, CVE-y, GHSA-z, CGA-...`):
 *   a `CGA-` id starts a group that takes the single ids after it, up to the next `CGA-`.
 * - Any other single id is a group of its own.
 * Returns the groups, or the index of the first entry that holds no valid id.
 */
export function groupSecfixIds(entries: readonly string[]): { groups: string[][] } | { bad: number } {
  const groups: string[][] = [];
  let open: string[] | undefined;
  for (const [index, entry] of entries.entries()) {
    const ids = entry.split(/\s+/).filter((t) => t !== '');
    if (ids.length === 0 || !ids.every((id) => VULN_ID.test(id))) return { bad: index };
    if (ids.length > 1) {
      groups.push(ids);
      open = undefined;
    } else if (ids[0]!.startsWith('CGA-')) {
      open = [ids[0]!];
      groups.push(open);
    } else if (open !== undefined) open.push(ids[0]!);
    else groups.push([ids[0]!]);
  }
  return { groups };
}
