import { LarderError } from '../core/index.js';
import type { OCIDescriptor, OCIImageConfig, OCIIndex, OCIManifest } from './types.js';

/**
 * Shape checks for documents read from disk. They check what larder relies on and keep every
 * other field as read (unknown fields must be tolerated, image-spec says). Failures are
 * CONFIG_INVALID naming the file and the field.
 */

// image-spec descriptor.md: algorithm components joined by +._-, then an encoded part.
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

type Json = Record<string, unknown>;

function fail(where: string, why: string): never {
  throw new LarderError('CONFIG_INVALID', `${where}: ${why}`, { subject: where.split(' ')[0] ?? where });
}

function object(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(where, 'expected a JSON object');
  return value as Json;
}

function string(doc: Json, key: string, where: string): string {
  const value = doc[key];
  if (typeof value !== 'string') fail(where, `${key} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

function array(doc: Json, key: string, where: string): unknown[] {
  const value = doc[key];
  if (!Array.isArray(value)) fail(where, `${key} must be an array, got ${JSON.stringify(value)}`);
  return value;
}

/** Parses JSON text of a document named `where`. */
export function parseJsonDocument(bytes: Uint8Array, where: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    fail(where, `not JSON (${(err as Error).message})`);
  }
  return object(value, where);
}

export function checkDescriptor(value: unknown, where: string): OCIDescriptor {
  const doc = object(value, where);
  string(doc, 'mediaType', where);
  const digest = string(doc, 'digest', where);
  if (!DIGEST.test(digest)) fail(where, `digest ${JSON.stringify(digest)} is not algorithm:encoded`);
  if (digest.startsWith('sha256:') && !/^sha256:[0-9a-f]{64}$/.test(digest)) {
    fail(where, `digest ${JSON.stringify(digest)} needs 64 lowercase hex digits`);
  }
  const size = doc.size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    fail(where, `size must be a non-negative integer, got ${JSON.stringify(size)}`);
  }
  if (doc.platform !== undefined) {
    const platform = object(doc.platform, `${where} platform`);
    string(platform, 'architecture', `${where} platform`);
    string(platform, 'os', `${where} platform`);
  }
  return doc as unknown as OCIDescriptor;
}

function checkVersion(doc: Json, where: string): void {
  if (doc.schemaVersion !== 2)
    fail(where, `schemaVersion must be 2, got ${JSON.stringify(doc.schemaVersion)}`);
}

export function checkIndex(doc: Json, where: string): OCIIndex {
  checkVersion(doc, where);
  array(doc, 'manifests', where).forEach((d, i) => {
    checkDescriptor(d, `${where} manifests[${i}]`);
  });
  return doc as unknown as OCIIndex;
}

export function checkManifest(doc: Json, where: string): OCIManifest {
  checkVersion(doc, where);
  checkDescriptor(doc.config, `${where} config`);
  array(doc, 'layers', where).forEach((d, i) => {
    checkDescriptor(d, `${where} layers[${i}]`);
  });
  return doc as unknown as OCIManifest;
}

export function checkImageConfig(doc: Json, where: string): OCIImageConfig {
  string(doc, 'architecture', where);
  string(doc, 'os', where);
  const rootfs = object(doc.rootfs, `${where} rootfs`);
  if (rootfs.type !== 'layers')
    fail(where, `rootfs.type must be "layers", got ${JSON.stringify(rootfs.type)}`);
  for (const [i, id] of array(rootfs, 'diff_ids', `${where} rootfs`).entries()) {
    if (typeof id !== 'string' || !DIGEST.test(id)) fail(where, `rootfs.diff_ids[${i}] is not a digest`);
  }
  return doc as unknown as OCIImageConfig;
}
