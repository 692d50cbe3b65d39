import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { inFile, isLarderError, LarderError, writeFileAtomic } from '../../core/index.js';
import {
  type Distro,
  evaluatePolicy,
  explain,
  FAIL_ON_SEVERITIES,
  findingsMeta,
  type IgnoreRule,
  type OpenedDataSources,
  openDataSources,
  type PolicyName,
  type PolicyOptions,
  parseFailOn,
  parseIgnoreRules,
  parsePolicyName,
  readVexFiles,
  renderExplanation,
  renderPolicyVerdict,
  renderTable,
  type ScanOutcome,
  scanTarget,
  scanVexDrafts,
  toCycloneDxVex,
  toOpenVexDocument,
  toSarif,
  toScanJson,
  vexTimestamp,
} from '../../vuln/index.js';
import { sourceDateEpoch } from '../environment.js';
import { PACKAGE_VERSION } from '../package-version.js';
import { ExitStatus, globalsOf } from '../program.js';
import { readFeeds } from './vuln-db-feeds.js';

/** Options of `larder scan`. */
export interface ScanCommandOptions {
  readonly db?: string[];
  readonly advisories?: string[];
  readonly secdb?: string[];
  readonly osv?: string[];
  readonly vex?: string[];
  readonly format?: string;
  readonly failOn?: string;
  readonly policy?: string[];
  readonly onlyFixed?: boolean;
  readonly ignore?: string;
  readonly explain?: string;
  readonly distro?: string;
  readonly platform?: string;
  readonly author?: string;
  readonly output?: string;
  readonly offline?: boolean;
}

const FORMATS = ['table', 'json', 'sarif', 'openvex', 'cyclonedx'] as const;
type Format = (typeof FORMATS)[number];

/**
 * `larder scan TARGET`: the report goes to stdout (or `-o FILE`, written atomically); with
 * `--explain ID` stdout gets the explanation instead and the report is written only with -o.
 * Policy verdicts and warnings go to stderr. Exit 0 when clean or no policy was asked, 1 when
 * a policy is violated (after the report is written), 2 on errors.
 */
export async function scanCommand(target: string, opts: ScanCommandOptions, cmd: Command): Promise<void> {
  const globals = globalsOf(cmd);
  const format = parseFormat(opts.format ?? 'table');
  const policy = parsePolicyOptions(opts);
  const distro = opts.distro === undefined ? undefined : parseDistro(opts.distro);
  // Inputs that can be wrong are read before the (slower) target: bad input fails fast.
  const ignoreRules = opts.ignore === undefined ? [] : await readIgnoreRules(opts.ignore);
  const vex = await readVexFiles(opts.vex ?? []);
  const epoch = process.env.SOURCE_DATE_EPOCH ? sourceDateEpoch() : undefined;
  const data = await openData(opts, globals.stateDir);
  let outcome: ScanOutcome;
  let report: string;
  try {
    outcome = await scanTarget(target, {
      source: data.source,
      dataSources: data.labels,
      vex,
      ignoreRules,
      onlyFixed: opts.onlyFixed === true,
      ...(distro === undefined ? {} : { distro }),
      ...(opts.platform === undefined ? {} : { platform: opts.platform }),
      tool: { name: 'larder', version: PACKAGE_VERSION },
    });
    report = render(format, outcome, {
      color:
        opts.output === undefined &&
        opts.explain === undefined &&
        process.stdout.isTTY === true &&
        !process.env.NO_COLOR,
      vex: () => {
        const drafts = scanVexDrafts(outcome, data.source, distro);
        if (drafts.length === 0)
          process.stderr.write(
            'larder: warning: no VEX statements: no data speaks about the packages of this target\n',
          );
        return drafts;
      },
      meta: () => findingsMeta(outcome.findings, data.source),
      author: opts.author ?? 'larder',
      timestamp: vexTimestamp(epoch),
    });
  } finally {
    await data.close();
  }
  for (const warning of outcome.warnings) process.stderr.write(`larder: warning: ${warning}\n`);
  for (const rule of outcome.unusedIgnoreRules)
    process.stderr.write(`larder: warning: ignore rule at ${rule.source} matched nothing\n`);
  if (opts.output !== undefined) await writeFileAtomic(opts.output, report);
  if (opts.explain !== undefined)
    process.stdout.write(
      renderExplanation(
        opts.explain,
        explain({ findings: [...outcome.findings], suppressed: [...outcome.suppressed] }, opts.explain),
        {
          findings: outcome.findings.length,
          suppressed: outcome.suppressed.length,
        },
      ),
    );
  else if (opts.output === undefined) process.stdout.write(report);
  const verdict = evaluatePolicy(outcome.findings, policy);
  const text = renderPolicyVerdict(verdict, policy);
  if (text !== '') process.stderr.write(text);
  if (verdict.violated) throw new ExitStatus(1);
}

function render(
  format: Format,
  outcome: ScanOutcome,
  options: {
    color: boolean;
    vex: () => ReturnType<typeof scanVexDrafts>;
    meta: () => ReturnType<typeof findingsMeta>;
    author: string;
    timestamp: string;
  },
): string {
  const tooling = `larder ${PACKAGE_VERSION}`;
  switch (format) {
    case 'table':
      return renderTable(outcome, { color: options.color });
    case 'json':
      return json(toScanJson(outcome));
    case 'sarif':
      return json(toSarif({ ...outcome, vulnerabilities: options.meta() }));
    case 'openvex':
      return json(
        toOpenVexDocument(options.vex(), { author: options.author, timestamp: options.timestamp, tooling }),
      );
    case 'cyclonedx':
      return json(
        toCycloneDxVex(options.vex(), { author: options.author, timestamp: options.timestamp, tooling }),
      );
  }
}

function json(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * The data flags: databases, then feeds read now (advisories, secdb files or URLs through the
 * download cache, OSV), each in the order given. With none, the default database, which must
 * exist.
 */
export async function openData(opts: ScanCommandOptions, stateDir: string): Promise<OpenedDataSources> {
  // --distro names the target's distribution; a feed keeps the namespace it states, and takes
  // --distro only when it states none.
  const { distro, ...feedOptions } = opts;
  const feeds = await readFeeds(
    { ...feedOptions, ...(distro === undefined ? {} : { fallbackDistro: distro }) },
    stateDir,
  );
  const databases = (opts.db ?? []).map((file) => resolve(file));
  if (databases.length > 0 || feeds.length > 0) return openDataSources({ databases, feeds });
  const location = join(stateDir, 'vuln', 'vuln.db');
  try {
    return await openDataSources({ databases: [location], feeds: [] });
  } catch (err) {
    if (!isLarderError(err, 'NOT_FOUND')) throw err;
    throw new LarderError(
      'NOT_FOUND',
      `no vulnerability database at ${location} (the default): import data with 'larder vuln db import', or give --db, --advisories, --secdb or --osv`,
      { cause: err, subject: location },
    );
  }
}

function parseFormat(value: string): Format {
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new LarderError('USAGE', `--format '${value}': expected one of ${FORMATS.join(', ')}`);
}

export function parsePolicyOptions(opts: ScanCommandOptions): PolicyOptions {
  let failOn: PolicyOptions['failOn'];
  if (opts.failOn !== undefined) {
    failOn = parseFailOn(opts.failOn);
    if (failOn === undefined)
      throw new LarderError(
        'USAGE',
        `--fail-on '${opts.failOn}': expected one of ${FAIL_ON_SEVERITIES.join(', ')}`,
      );
  }
  const policies: PolicyName[] = (opts.policy ?? []).map((name) => {
    const policy = parsePolicyName(name);
    if (policy === undefined)
      throw new LarderError('USAGE', `--policy '${name}': the policy larder knows is zero-known-cve`);
    return policy;
  });
  return { ...(failOn === undefined ? {} : { failOn }), policies };
}

/** `wolfi`, `alpine:3.18` (or `alpine-3.18`). */
function parseDistro(value: string): Distro {
  const match = /^([a-z][a-z0-9._-]*?)(?:[:-]([0-9][0-9a-z._-]*|edge|rolling))?$/i.exec(value);
  if (match === null)
    throw new LarderError(
      'USAGE',
      `--distro '${value}': expected ID or ID:VERSION, e.g. wolfi or alpine:3.18`,
    );
  return match[2] === undefined
    ? { id: match[1]!.toLowerCase() }
    : { id: match[1]!.toLowerCase(), versionId: match[2] };
}

async function readIgnoreRules(file: string): Promise<IgnoreRule[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw inFile(file, err);
  }
  return parseIgnoreRules(text, file);
}
