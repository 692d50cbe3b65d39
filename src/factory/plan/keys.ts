/**
 * Job keys (src/factory/model.ts JobSpec): a key names what the job produces, so a key that
 * already succeeded is a no-op and a changed input yields a new key.
 */
import { createHash } from 'node:crypto';
import type { FactoryArch } from '../model.js';

/** The first 12 hex digits of a `sha256:<hex>` (or bare hex) digest. */
export function short12(digest: string): string {
  const colon = digest.indexOf(':');
  return (colon >= 0 ? digest.slice(colon + 1) : digest).slice(0, 12);
}

/** The first 12 hex digits of the sha256 of these parts, joined by newlines (order matters). */
export function digest12(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 12);
}

/**
 * `build:<name>@<version>-r<epoch>/<arch>#<recipe-hash-12>`; with `rebuild` (a digest of the
 * build-deps that were rebuilt) `…#<recipe-hash-12>.<rebuild-12>`: the same recipe built again
 * against new build-deps must not collide with the build of it that already succeeded.
 */
export function buildKey(
  recipe: { readonly name: string; readonly version: string; readonly epoch: number; readonly hash: string },
  arch: FactoryArch,
  rebuild?: string,
): string {
  const base = `build:${recipe.name}@${recipe.version}-r${recipe.epoch}/${arch}#${short12(recipe.hash)}`;
  return rebuild === undefined ? base : `${base}.${rebuild}`;
}

/** `compose:<image>@<lock-hash-12>#<config-hash-12>`. */
export function composeKey(image: string, lockHash: string, configHash: string): string {
  return `compose:${image}@${short12(lockHash)}#${short12(configHash)}`;
}

/** `rescan:<image>@<digest-12>#<feed-version>`; a scheduled rescan appends `@<slot>` (ISO). */
export function rescanKey(image: string, digest: string, feedVersion: string, slot?: string): string {
  const base = `rescan:${image}@${short12(digest)}#${feedVersion}`;
  return slot === undefined ? base : `${base}@${slot}`;
}

/** `update-check:<name>@<slot>` (slot: the schedule period's start, ISO). */
export function updateCheckKey(recipe: string, slot: string): string {
  return `update-check:${recipe}@${slot}`;
}

/** Start (ms since the epoch) of the period of `periodMs` that holds `nowMs`; periods start at 1970-01-01. */
export function slotStart(nowMs: number, periodMs: number): number {
  return Math.floor(nowMs / periodMs) * periodMs;
}
