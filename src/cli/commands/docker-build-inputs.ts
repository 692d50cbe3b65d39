import { join, resolve } from 'node:path';
import { type ApkArch, toApkArch } from '../../apk/index.js';
import { LarderError, writeFileAtomic } from '../../core/index.js';
import type { DockerBuildResult } from '../../dockerfile/index.js';
import { imageSboms } from '../../image/index.js';
import { formatJson } from '../../sbom/index.js';
import { evaluatePolicy, renderPolicyVerdict, scanTarget } from '../../vuln/index.js';
import { PACKAGE_VERSION } from '../package-version.js';
import { ExitStatus } from '../program.js';
import { openData, type parsePolicyOptions, type ScanCommandOptions } from './scan.js';

/** The options of `larder docker build`. */
export interface DockerBuildCommandOptions
  extends Pick<ScanCommandOptions, 'db' | 'advisories' | 'secdb' | 'osv'> {
  readonly file?: string;
  readonly buildArg?: string[];
  readonly target?: string;
  readonly tag?: string;
  readonly output?: string;
  readonly push?: boolean;
  readonly platform?: string;
  readonly network?: boolean;
  readonly secret?: string[];
  readonly repository?: string[];
  readonly keyring?: string[];
  readonly allowUntrusted?: boolean;
  readonly offline?: boolean;
  readonly insecure?: boolean;
  readonly sbomDir?: string;
  readonly key?: string;
  readonly attest?: boolean;
  readonly signFormat?: string;
  readonly builderId?: string;
  readonly failOn?: string;
  readonly policy?: string[];
}

/** `--build-arg K=V`; a bare `K` takes the environment's value (skipped when unset), as docker does. */
export function buildArgs(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq === 0) throw new LarderError('USAGE', `--build-arg ${item}: expected NAME=VALUE`);
    if (eq < 0) {
      const v = process.env[item];
      if (v !== undefined) out[item] = v;
    } else out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/** `--secret id=NAME,src=FILE` (also `source=`; `src` defaults to the id as a path, as buildx). */
export function secretFiles(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const fields = new Map(
      item.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    );
    const id = fields.get('id');
    if (id === undefined || id === '' || !item.includes('='))
      throw new LarderError('USAGE', `--secret ${item}: expected id=NAME,src=FILE`);
    out[id] = resolve(fields.get('src') ?? fields.get('source') ?? id);
  }
  return out;
}

export function checkFlags(o: DockerBuildCommandOptions): void {
  if (o.push && o.tag === undefined) throw new LarderError('USAGE', '--push needs -t REF (where to push)');
  for (const [flag, given] of [
    ['--key', o.key],
    ['--attest', o.attest],
    ['--sign-format', o.signFormat],
    ['--builder-id', o.builderId],
  ] as const)
    if (given !== undefined && given !== false && !o.push)
      throw new LarderError('USAGE', `${flag} needs --push`);
  if ((o.attest || o.signFormat || o.builderId) && o.key === undefined)
    throw new LarderError('USAGE', '--attest, --sign-format and --builder-id need --key');
}

/** `--platform linux/arm64` (or an apk arch): the one platform built. */
export function platformArch(platform: string): ApkArch {
  return toApkArch(platform.replace(/^linux\//, '').replace('/', '_'));
}

export async function scanGate(
  layout: string,
  o: DockerBuildCommandOptions,
  stateDir: string,
  policy: ReturnType<typeof parsePolicyOptions>,
): Promise<void> {
  const data = await openData(o, stateDir);
  try {
    const outcome = await scanTarget(layout, {
      source: data.source,
      dataSources: data.labels,
      vex: [],
      ignoreRules: [],
      onlyFixed: false,
      tool: { name: 'larder', version: PACKAGE_VERSION },
    });
    const verdict = evaluatePolicy(outcome.findings, policy);
    const text = renderPolicyVerdict(verdict, policy);
    if (text !== '') process.stderr.write(text);
    if (verdict.violated) {
      process.stderr.write('larder: the image was not written or pushed\n');
      throw new ExitStatus(1);
    }
  } finally {
    await data.close();
  }
}

export async function writeSboms(
  dir: string,
  result: DockerBuildResult,
  digest: string,
  file: string,
  tag?: string,
) {
  const sboms = imageSboms({
    name: file,
    images: [result.image],
    indexDigest: digest,
    ...(tag ? { ref: tag } : {}),
    toolVersion: PACKAGE_VERSION,
  });
  for (const s of sboms) await writeFileAtomic(join(dir, s.fileName), formatJson(s.document));
}
