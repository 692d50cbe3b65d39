/**
 * The `compose` job (docs/factory.md "Compose and rescan jobs"): resolve → compare with the last
 * published lock → compose → scan → policy → push → sign and attest → record. A gate refusal
 * publishes nothing, records the findings and an `image-blocked` event naming what blocked it,
 * and fails the job without retry (a changed feed version plans it again). Each stage logs a
 * `stage: …` line.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LarderError } from '../../../core/index.js';
import { buildImages, imageAnnotations, makeLock, publishAttestations } from '../../../image/index.js';
import { composeImage, writeOciLayout } from '../../../oci/index.js';
import { createFetcher } from '../../../repo/index.js';
import { evaluatePolicy, type Finding } from '../../../vuln/index.js';
import { refreshVulnData } from '../../feed/index.js';
import { type JobBody, notRetryable } from '../../service.js';
import {
  appendEvent,
  latestImageVersions,
  recordImage,
  recordImageVersion,
  recordScan,
} from '../../state/index.js';
import { composeEvidence } from './compose-evidence.js';
import { describeFinding, findingDetail, recordBlockedScan } from './findings.js';
import { imageLockHash, loadWorkspaceImageConfig } from './image-config.js';
import { scanPlatforms } from './image-scan.js';
import { composePayload } from './payload.js';
import { publishImage } from './publish-image.js';
import { platformsOf, recordedLock } from './recorded-lock.js';
import { registryClients } from './registry-clients.js';
import { larderVersion } from './tool-version.js';

export interface ComposeJobOptions {
  /** larder's version (provenance, SBOMs); default the package's. */
  readonly toolVersion?: string;
  /** Provenance `builder.id`; default `https://larder.dev/builders/factory@v<version>`. */
  readonly builderId?: string;
  /** SOURCE_DATE_EPOCH and registry passwords come from here; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** The vulnerability data (tests pin it); default refreshVulnData. */
  readonly vulnData?: typeof refreshVulnData;
}

const short = (hash: string) => hash.replace(/^sha256:/, '').slice(0, 12);

export function createComposeJob(options: ComposeJobOptions = {}): JobBody {
  return async (job, context) => {
    const payload = composePayload(job);
    const { workspace, store, signal } = context;
    const env = options.env ?? process.env;
    const stage = (line: string) => context.log(`stage: ${line}`);
    const toolVersion = options.toolVersion ?? larderVersion();
    const subject = `image:${payload.image}`;
    signal.throwIfAborted();
    stage(`resolve: ${payload.configFile}`);
    const loaded = await loadWorkspaceImageConfig(workspace, payload.configFile);
    await mkdir(context.stateDir, { recursive: true });
    const fetcher = createFetcher({ stateDir: context.stateDir });
    const workDir = await mkdtemp(join(context.stateDir, 'compose-'));
    const clients = registryClients(workspace.config.registries, env);
    try {
      const lock = await makeLock({ loaded, fetcher, stateDir: context.stateDir });
      const lockHash = imageLockHash(lock);
      const planned =
        lockHash === payload.lockHash
          ? ''
          : ` (planned ${short(payload.lockHash)}; the repository moved since)`;
      stage(`resolve: ${lock.contents.packages.length} packages, lock ${short(lockHash)}${planned}`);

      const latest = (await latestImageVersions(store)).find((v) => v.image === payload.image);
      if (latest !== undefined && latest.lockHash === lockHash && latest.configHash === payload.configHash) {
        stage(`compare: ${latest.indexDigest} was published from this lock and config; nothing to do`);
        return { unchanged: true, digest: latest.indexDigest, lockHash };
      }
      stage(
        latest === undefined
          ? 'compare: never published'
          : `compare: published ${latest.indexDigest} has lock ${short(latest.lockHash)}, config ${short(latest.configHash)}`,
      );

      signal.throwIfAborted();
      const epoch = sourceDateEpoch(env);
      const startedOn = new Date(context.now());
      const { images, warnings } = await buildImages({
        loaded,
        fetcher,
        stateDir: context.stateDir,
        workDir,
        lock,
        ...(epoch === undefined ? {} : { sourceDateEpoch: epoch }),
      });
      for (const w of warnings) stage(`compose: warning: ${w}`);
      const layout = join(workDir, 'layout');
      const created = new Date(Math.max(...images.map((i) => i.created)) * 1000)
        .toISOString()
        .replace(/\.000Z$/, 'Z');
      const written = await writeOciLayout(layout, {
        images: images.map((i) => i.image),
        indexAnnotations: imageAnnotations(loaded.config, created),
        ...(payload.publish[0] === undefined ? {} : { refName: payload.publish[0] }),
      });
      const indexDigest = written.index.digest;
      const digests: Record<string, string> = {};
      for (const img of images) digests[img.arch] = composeImage(img.image).descriptor.digest;
      stage(
        `compose: ${indexDigest} (${Object.entries(digests)
          .map(([a, d]) => `${a} ${d}`)
          .join(', ')})`,
      );

      signal.throwIfAborted();
      const data = await (options.vulnData ?? refreshVulnData)(workspace, store, {
        stateDir: context.stateDir,
      });
      const platforms = platformsOf(images);
      const name = payload.publish[0] ?? payload.image;
      const scan = scanPlatforms(platforms, data.database, { name, digest: indexDigest });
      for (const w of scan.warnings) stage(`scan: warning: ${w}`);
      stage(
        `scan: feed ${data.feedVersion}: ${scan.findings.length} findings, ${scan.covered.length} covered by advisories or VEX`,
      );

      const gate = workspace.config.policy.gate;
      const verdict = evaluatePolicy(
        scan.findings,
        gate === 'zero-known-cve' ? { policies: ['zero-known-cve'] } : { failOn: gate },
      );
      const now = context.now();
      await recordImage(store, {
        name: payload.image,
        configFile: payload.configFile,
        configHash: payload.configHash,
        publish: payload.publish,
        policy: gate,
      });
      if (verdict.violated) {
        const blocking = uniqueFindings(verdict.violations.flatMap((v) => v.findings));
        stage(`policy: ${gate}: blocked by ${blocking.map(describeFinding).join('; ')}`);
        await recordBlockedScan(store, {
          image: payload.image,
          digest: indexDigest,
          at: now,
          findings: scan.records,
        });
        const message = `policy ${gate} blocked ${indexDigest}: ${blocking.map(describeFinding).join('; ')}; nothing was published`;
        await appendEvent(store, {
          at: now,
          kind: 'image-blocked',
          subject,
          message,
          details: {
            digest: indexDigest,
            lockHash,
            configHash: payload.configHash,
            feedVersion: data.feedVersion,
            gate,
            blocking: blocking.map(findingDetail),
          },
        });
        throw notRetryable(
          new LarderError('POLICY_BLOCKED', `image ${payload.image} (feed ${data.feedVersion}): ${message}`, {
            subject: payload.image,
          }),
        );
      }
      stage(`policy: ${gate}: passed`);

      signal.throwIfAborted();
      const builderId = options.builderId ?? `https://larder.dev/builders/factory@v${toolVersion}`;
      const published =
        payload.publish.length === 0
          ? { pushed: [], signed: false, attested: false }
          : await publishImage({
              layout,
              indexDigest,
              references: payload.publish,
              clients,
              images: workspace.config.images,
              log: context.log,
              attestations: (repository) => [
                ...publishAttestations({
                  loaded,
                  images,
                  indexDigest,
                  name: repository,
                  references: payload.publish,
                  builderId,
                  toolVersion,
                  startedOn,
                  finishedOn: new Date(context.now()),
                  recursive: true,
                  ...(env.SOURCE_DATE_EPOCH === undefined ? {} : { sourceDateEpoch: env.SOURCE_DATE_EPOCH }),
                }),
                ...composeEvidence({ scan, indexDigest, repository, toolVersion, epoch, now }),
              ],
            });
      if (payload.publish.length === 0) stage('push: no references in images.publish; recorded only');

      // Published once pushed and signed: the exposure window runs to here.
      const publishedAt = context.now();
      const id = await recordImageVersion(store, {
        image: payload.image,
        indexDigest,
        digests,
        lock: recordedLock(lock, platforms),
        lockHash,
        configHash: payload.configHash,
        feedVersion: data.feedVersion,
        publishedAt,
        signed: published.signed,
        attested: published.attested,
      });
      const counts = await recordScan(store, {
        image: payload.image,
        digest: indexDigest,
        at: publishedAt,
        findings: scan.records,
      });
      await appendEvent(store, {
        at: publishedAt,
        kind: 'image-published',
        subject,
        message: `published ${indexDigest}${published.pushed.length > 0 ? ` to ${published.pushed.join(', ')}` : ''}${
          published.signed ? ', signed' : ''
        }${published.attested ? ' and attested' : ''}; ${scan.findings.length} findings`,
        details: {
          digest: indexDigest,
          digests,
          pushed: published.pushed,
          lockHash,
          configHash: payload.configHash,
          feedVersion: data.feedVersion,
          signed: published.signed,
          attested: published.attested,
          findings: scan.findings.map(findingDetail),
        },
      });
      const awaiting = scan.findings.filter((f) => f.fix.state !== 'fixed');
      if (awaiting.length > 0)
        await appendEvent(store, {
          at: now,
          kind: 'image-exposed',
          subject,
          message: `${indexDigest} carries ${awaiting.length} findings awaiting a fix: ${awaiting.map(describeFinding).join('; ')}`,
          details: {
            digest: indexDigest,
            feedVersion: data.feedVersion,
            findings: awaiting.map(findingDetail),
          },
        });
      stage(
        `record: version ${id}; findings ${counts.opened} new, ${counts.kept} still open, ${counts.resolved} resolved`,
      );
      return {
        digest: indexDigest,
        digests,
        pushed: published.pushed,
        findings: scan.findings.length,
        feedVersion: data.feedVersion,
        lockHash,
        signed: published.signed,
        attested: published.attested,
      };
    } finally {
      await clients.close();
      await fetcher.close();
      await rm(workDir, { recursive: true, force: true });
    }
  };
}

/** The compose job with default options. */
export const composeJob: JobBody = createComposeJob();

function uniqueFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.vulnerability}\u0000${f.package.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** SOURCE_DATE_EPOCH as `image build` reads it; unset: the packages' newest build time (apko's default). */
function sourceDateEpoch(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw))
    throw notRetryable(
      new LarderError('USAGE', `SOURCE_DATE_EPOCH '${raw}': expected whole seconds since 1970`),
    );
  return Number(raw);
}
