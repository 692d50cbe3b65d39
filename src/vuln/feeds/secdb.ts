import { z } from 'zod';
import { LarderError } from '../../core/index.js';
import type { DistroRecord } from '../model.js';
import { fixedVersionProblem } from './apk-fixed-version.js';
import { type FeedRecords, metaOfIdGroups } from './feed-records.js';
import { inputError, inputIssuesError } from './input-issues.js';
import { parseJsonInput } from './json-input.js';
import { groupSecfixIds } from './secdb-ids.js';

const SECDB = z.object({
  apkurl: z.string().optional(),
  archs: z.array(z.string()).nullable().optional(),
  reponame: z.string().optional(),
  urlprefix: z.string().optional(),
  distroversion: z.string().optional(),
  packages: z.array(
    z.object({
      pkg: z.object({
        name: z.string().min(1),
        secfixes: z.record(z.string(), z.array(z.string()).nullable()),
      }),
    }),
  ),
});

type SecdbDocument = z.infer<typeof SECDB>;

/** Options of parseSecdb (and readSecdbFile, secdbInput). */
export interface SecdbReadOptions {
  /** The distro namespace (`wolfi`, `alpine:3.18`); inferred from the document when absent. */
  readonly distro?: string;
  /** The namespace when `distro` is absent and the document does not tell (a scan's `--distro`). */
  readonly fallbackDistro?: string;
}

/**
 * Reads an Alpine or Wolfi secdb (`security.json`) into distro records: each id under a version
 * key is fixed in that version, ids under `"0"` were never affected. Ids are grouped into
 * vulnerabilities with their aliases (see groupSecfixIds). `source` (path or URL) names the
 * input in errors and in every record. Problems are SECDB_INVALID naming the field and value.
 */
export function parseSecdb(
  input: string | Uint8Array,
  source: string,
  options: SecdbReadOptions = {},
): FeedRecords {
  const data = parseJsonInput(input, source, 'SECDB_INVALID');
  const parsed = SECDB.safeParse(data);
  if (!parsed.success) throw inputIssuesError('SECDB_INVALID', source, data, parsed.error);
  const doc = parsed.data;
  const distro = options.distro ?? inferSecdbDistro(doc) ?? options.fallbackDistro;
  if (distro === undefined)
    throw new LarderError(
      'SECDB_INVALID',
      `${source}: cannot tell which distribution it describes (distroversion ${JSON.stringify(doc.distroversion ?? null)}, urlprefix ${JSON.stringify(doc.urlprefix ?? null)}); name it with the distro option (--distro)`,
      { subject: source },
    );
  const distroRecords: DistroRecord[] = [];
  const groups: [string, string[]][] = [];
  const problems: string[] = [];
  for (const [p, { pkg }] of doc.packages.entries()) {
    for (const [version, entries] of Object.entries(pkg.secfixes)) {
      const at = `packages[${p}].pkg.secfixes[${JSON.stringify(version)}]`;
      const fixed = version !== '0';
      const bad = fixed ? fixedVersionProblem(version) : undefined;
      if (bad !== undefined) {
        problems.push(`${at}: ${JSON.stringify(version)} ${bad}`);
        continue;
      }
      const grouped = groupSecfixIds(entries ?? []);
      if ('bad' in grouped) {
        const entry = (entries ?? [])[grouped.bad];
        problems.push(`${at}[${grouped.bad}]: ${JSON.stringify(entry)} is not a vulnerability id`);
        continue;
      }
      for (const [id, ...aliases] of grouped.groups) {
        groups.push([id!, aliases]);
        distroRecords.push({
          distro,
          package: pkg.name,
          vulnerability: id!,
          aliases,
          ...(fixed
            ? { state: 'fixed' as const, fixedVersion: version }
            : { state: 'not-affected' as const, reason: 'secdb "0"' }),
          source,
        });
      }
    }
  }
  if (problems.length > 0) throw inputError('SECDB_INVALID', source, problems);
  return { distro: distroRecords, ranges: [], meta: metaOfIdGroups(groups), skipped: {} };
}

/**
 * The distro namespace a secdb document names: Wolfi's and Chainguard's by their `urlprefix`,
 * Alpine's by `distroversion` (`v3.18` → `alpine:3.18`, `edge` → `alpine:edge`).
 */
export function inferSecdbDistro(
  doc: Pick<SecdbDocument, 'urlprefix' | 'distroversion'>,
): string | undefined {
  const host = hostOf(doc.urlprefix ?? '');
  if (host === 'packages.wolfi.dev') return 'wolfi';
  if (host === 'packages.cgr.dev' || host === 'apk.cgr.dev') return 'chainguard';
  const version = /^v?(\d+\.\d+|edge)\b/.exec(doc.distroversion ?? '');
  if (version) return `alpine:${version[1]}`;
  return undefined;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
