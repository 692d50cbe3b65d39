/**
 * The `rescan` job (docs/factory.md "Compose and rescan jobs"): the published version's recorded
 * lock is matched again against the current vulnerability data (the image is not downloaded),
 * its findings recorded at now, the version's feed version updated, and an `image-exposed` event
 * appended when findings awaiting a fix appear that the previous scan did not have.
 */
import { LarderError } from '../../../core/index.js';
import { refreshVulnData } from '../../feed/index.js';
import { type JobBody, notRetryable } from '../../service.js';
import {
  appendEvent,
  imageHistory,
  openFindings,
  recordScan,
  updateImageVersion,
} from '../../state/index.js';
import { describeFinding, findingDetail } from '../compose/findings.js';
import { scanPlatforms } from '../compose/image-scan.js';
import { rescanPayload } from '../compose/payload.js';
import { recordedPlatforms } from '../compose/recorded-lock.js';

export interface RescanJobOptions {
  /** The vulnerability data (tests pin it); default refreshVulnData. */
  readonly vulnData?: typeof refreshVulnData;
}

export function createRescanJob(options: RescanJobOptions = {}): JobBody {
  return async (job, context) => {
    const payload = rescanPayload(job);
    const { workspace, store } = context;
    const stage = (line: string) => context.log(`stage: ${line}`);
    const subject = `image:${payload.image}`;
    const version = (await imageHistory(store, payload.image, 1000)).find(
      (v) => v.indexDigest === payload.digest,
    );
    if (version === undefined)
      throw notRetryable(
        new LarderError(
          'NOT_FOUND',
          `job ${job.key}: image ${payload.image} has no published version ${payload.digest}`,
          {
            subject: payload.image,
          },
        ),
      );
    const platforms = recordedPlatforms(version.lock, `image ${payload.image} version ${version.id}`);
    context.signal.throwIfAborted();
    const data = await (options.vulnData ?? refreshVulnData)(workspace, store, {
      stateDir: context.stateDir,
    });
    if (data.feedVersion !== payload.feedVersion)
      stage(`data: feed ${data.feedVersion} (planned with ${payload.feedVersion}; the data moved since)`);
    const scan = scanPlatforms(platforms, data.database, {
      name: version.image,
      digest: version.indexDigest,
    });
    for (const w of scan.warnings) stage(`scan: warning: ${w}`);
    stage(
      `scan: ${payload.digest} against feed ${data.feedVersion}: ${scan.findings.length} findings, ${scan.covered.length} covered by advisories or VEX`,
    );
    const before = new Set(
      (await openFindings(store, payload.image))
        .filter((f) => f.state === 'awaiting-fix')
        .map((f) => `${f.vulnId}\u0000${f.package}`),
    );
    const now = context.now();
    const counts = await recordScan(store, {
      image: payload.image,
      digest: payload.digest,
      at: now,
      findings: scan.records,
    });
    await updateImageVersion(store, version.id, { feedVersion: data.feedVersion });
    const fresh = scan.findings.filter(
      (f) => f.fix.state !== 'fixed' && !before.has(`${f.vulnerability}\u0000${f.package.name}`),
    );
    if (fresh.length > 0)
      await appendEvent(store, {
        at: now,
        kind: 'image-exposed',
        subject,
        message: `${payload.digest} is exposed, awaiting a fix: ${fresh.map(describeFinding).join('; ')}`,
        details: {
          digest: payload.digest,
          feedVersion: data.feedVersion,
          findings: fresh.map(findingDetail),
        },
      });
    stage(`record: findings ${counts.opened} new, ${counts.kept} still open, ${counts.resolved} resolved`);
    return {
      digest: payload.digest,
      feedVersion: data.feedVersion,
      findings: scan.findings.length,
      awaitingFix: scan.findings.filter((f) => f.fix.state !== 'fixed').length,
      exposed: fresh.length,
    };
  };
}

/** The rescan job with default options. */
export const rescanJob: JobBody = createRescanJob();
