// Severity, CVSS and extra aliases of a finding, from the database's VulnMeta. Looked up by the
// finding's id, then by each alias; the highest severity wins (grype shows one record's, which
// lets one CVE read Medium on one package and High on another, trap T21).
import { type Cvss, SEVERITIES, type Severity, type VulnMeta, type VulnSource } from '../model.js';
import { idKey } from './vuln-groups.js';

/** What the database adds to a finding. */
export interface VulnDescription {
  readonly severity: Severity;
  readonly cvss: readonly Cvss[];
  /** Aliases the database knows beyond the ones given, in its order. */
  readonly aliases: readonly string[];
}

/** Per-run cache over `source.vulnerability`. */
export class VulnInfo {
  readonly #source: VulnSource;
  readonly #metas = new Map<string, VulnMeta | undefined>();

  constructor(source: VulnSource) {
    this.#source = source;
  }

  /** The database's record for `id` (or for a record that lists it as an alias). */
  meta(id: string): VulnMeta | undefined {
    const key = idKey(id);
    if (!this.#metas.has(key)) this.#metas.set(key, this.#source.vulnerability(id));
    return this.#metas.get(key);
  }

  /** Severity, CVSS and aliases for a finding known by `ids` (its id first). */
  describe(ids: readonly string[]): VulnDescription {
    const given = new Set(ids.map(idKey));
    const metas: VulnMeta[] = [];
    // Every id is asked (answers are cached per id): a source need not merge alias groups, and
    // the highest severity of any of them must win.
    const seenMeta = new Set<string>();
    for (const id of ids) {
      const meta = this.meta(id);
      if (meta === undefined || seenMeta.has(idKey(meta.id))) continue;
      seenMeta.add(idKey(meta.id));
      metas.push(meta);
    }
    let severity: Severity = 'unknown';
    const cvss: Cvss[] = [];
    const seenVector = new Set<string>();
    const aliases: string[] = [];
    for (const meta of metas) {
      if (SEVERITIES.indexOf(meta.severity) > SEVERITIES.indexOf(severity)) severity = meta.severity;
      for (const c of meta.cvss) {
        const key = `${c.version}|${c.vector}`;
        if (!seenVector.has(key)) {
          seenVector.add(key);
          cvss.push(c);
        }
      }
      for (const id of [meta.id, ...meta.aliases]) {
        if (!given.has(idKey(id))) {
          given.add(idKey(id));
          aliases.push(id);
        }
      }
    }
    return { severity, cvss, aliases };
  }
}
