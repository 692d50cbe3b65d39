/**
 * Rules 3 and 4 for images (docs/factory.md "Planning"): compose when the resolution or the
 * config moved (only once builds have settled), rescan when the feed moved or the schedule
 * rolled over.
 */
import type { WorkspaceImage } from '../model.js';
import { compare } from './graph.js';
import type { ImageState, PublishedImage } from './input.js';
import { composeKey, rescanKey, short12, slotStart } from './keys.js';
import type { RecordIndex } from './records.js';
import { timeMs } from './repository.js';
import type { PlanSink } from './sink.js';

/** Composes that remediate an exposed image go first. */
export const EXPOSED_COMPOSE_PRIORITY = 10;
/** Rescans of exposed images go before other rescans: new data may show a fix. */
export const EXPOSED_RESCAN_PRIORITY = 5;

export interface ImageContext {
  readonly images: readonly WorkspaceImage[];
  readonly states: Readonly<Record<string, ImageState>>;
  readonly records: RecordIndex;
  readonly feedVersion: string;
  /** Builds planned now plus builds pending or running: composes wait while any remain. */
  readonly unsettledBuilds: number;
  readonly nowMs: number;
  readonly rescanMs: number;
}

export function planImages(context: ImageContext, sink: PlanSink): void {
  const images = [...context.images].sort((a, b) => compare(a.name, b.name));
  const rescans: (() => void)[] = [];
  for (const image of images) {
    const subject = `image:${image.name}`;
    if (image.problem !== undefined) {
      sink.problems.push({ subject, message: image.problem });
      continue;
    }
    const state = Object.hasOwn(context.states, image.name) ? context.states[image.name] : undefined;
    if (!state) {
      sink.problems.push({
        subject,
        message: 'no resolution was gathered for it; it is neither composed nor rescanned',
      });
      continue;
    }
    const published = state.published;
    if (published?.awaitingFix) sink.exposed.push(image.name);
    planCompose(image, state, context, sink);
    if (published) rescans.push(() => planRescan(image, published, context, sink));
  }
  // Rescans after every compose, so the job list reads in pipeline order.
  for (const rescan of rescans) rescan();
}

function planCompose(image: WorkspaceImage, state: ImageState, context: ImageContext, sink: PlanSink): void {
  const subject = `image:${image.name}`;
  const published = state.published;
  const resolution = state.resolution;
  const reasons: string[] = [];
  if ('problem' in resolution) {
    if (context.unsettledBuilds === 0)
      sink.problems.push({ subject, message: `does not resolve: ${resolution.problem}` });
    else
      sink.held.push({
        subject,
        reason: `does not resolve yet (${resolution.problem}); waits for ${context.unsettledBuilds} builds to settle`,
      });
    return;
  }
  if (!published) reasons.push('never published');
  else {
    if (published.lockHash !== resolution.lockHash) {
      reasons.push(
        `resolution changed (lock ${short12(published.lockHash)} → ${short12(resolution.lockHash)})`,
      );
    }
    if (published.configHash !== image.hash) {
      reasons.push(`config changed (${short12(published.configHash)} → ${short12(image.hash)})`);
    }
  }
  if (reasons.length === 0) return;
  if (context.unsettledBuilds > 0) {
    sink.held.push({
      subject,
      reason: `${reasons.join('; ')}; waits for ${context.unsettledBuilds} builds to settle`,
    });
    return;
  }
  if (published?.awaitingFix) reasons.push('image exposed, awaiting a fix');
  const key = composeKey(image.name, resolution.lockHash, image.hash);
  const record = context.records.get(key);
  let admission = context.records.admit(key);
  // A gate refusal is retried once the data it judged by has changed (a VEX statement, a fix).
  if (
    record?.status === 'failed' &&
    record.feedVersion !== undefined &&
    record.feedVersion !== context.feedVersion
  ) {
    admission = { kind: 'plan' };
    reasons.push(`feed version changed since it failed (${record.feedVersion} → ${context.feedVersion})`);
  }
  const job = {
    key,
    kind: 'compose' as const,
    payload: {
      image: image.name,
      configFile: image.configFile,
      publish: [...image.publish],
      lockHash: resolution.lockHash,
      configHash: image.hash,
    },
    ...(published?.awaitingFix ? { priority: EXPOSED_COMPOSE_PRIORITY } : {}),
  };
  sink.offer(job, reasons, admission, subject);
}

function planRescan(
  image: WorkspaceImage,
  published: PublishedImage,
  context: ImageContext,
  sink: PlanSink,
): void {
  let key: string;
  let reason: string;
  if (published.scannedFeedVersion !== context.feedVersion) {
    key = rescanKey(image.name, published.digest, context.feedVersion);
    reason = `feed version changed (${published.scannedFeedVersion} → ${context.feedVersion})`;
  } else if (
    context.rescanMs > 0 &&
    timeMs(published.scannedAt) < slotStart(context.nowMs, context.rescanMs)
  ) {
    const slot = new Date(slotStart(context.nowMs, context.rescanMs)).toISOString();
    key = rescanKey(image.name, published.digest, context.feedVersion, slot);
    reason = `scheduled rescan (last scanned ${published.scannedAt})`;
  } else {
    return;
  }
  const job = {
    key,
    kind: 'rescan' as const,
    payload: { image: image.name, digest: published.digest, feedVersion: context.feedVersion },
    ...(published.awaitingFix ? { priority: EXPOSED_RESCAN_PRIORITY } : {}),
  };
  sink.offer(job, [reason], context.records.admit(key), `image:${image.name}`);
}
