// Small pieces shared by the SPDX and CycloneDX writers.
import { LarderError, rawDigest } from '../core/index.js';
import type { SbomOs } from './model.js';

/** RFC 3339 UTC time in whole seconds (`2023-02-01T00:00:00Z`), as apko writes SBOM times. */
export function sbomTimestamp(created: Date | number): string {
  const ms = typeof created === 'number' ? created * 1000 : created.getTime();
  if (!Number.isFinite(ms)) {
    throw new LarderError('USAGE', `SBOM creation time is not a valid time: ${String(created)}`);
  }
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * A UUID computed from content instead of drawn at random, so the same document gets the same
 * serial number and namespace. Name-based with SHA-256 is RFC 9562's example for version 8.
 */
export function contentUuid(content: unknown): string {
  const bytes = rawDigest('sha256', JSON.stringify(content)).subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Code-unit order, independent of locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Who supplies the packages: the distribution's pretty name, when known. */
export function supplierName(os: SbomOs): string | undefined {
  const name = os.prettyName?.trim();
  return name === undefined || name === '' ? undefined : name;
}

/** `Name <mail>` → name and email; anything else is a bare name. */
export function splitMaintainer(maintainer: string): { name: string; email?: string } {
  const match = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(maintainer);
  if (match === null) return { name: maintainer.trim() };
  const name = match[1] === '' ? match[2]! : match[1]!;
  return { name, email: match[2]! };
}

/** Name, commit and download location of apko's `vcs-url` (`https://github.com/o/r@<sha>`). */
export function splitVcsUrl(vcsUrl: string): { name: string; commit?: string; location: string } {
  // Only a trailing hex commit counts: `git+ssh://git@host/…` has an `@` of its own.
  const match = /^(.*)@([0-9a-fA-F]{7,64})$/.exec(vcsUrl);
  const url = match === null ? vcsUrl : match[1]!;
  const name = url.replace(/^(git\+ssh|git|https?):\/\//, '');
  return match === null ? { name, location: vcsUrl } : { name, commit: match[2]!, location: vcsUrl };
}
