import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../src/core/index.js';
import { RegistryClient } from '../../src/oci/index.js';
import { type FaultProxy, startFaultProxy } from '../kit/fault-proxy.js';
import { type LocalRegistry, startLocalRegistry } from '../kit/registry.js';
import { sampleBytes } from '../unit/oci/helpers.js';

// Chunked uploads through a proxy that cuts connections mid-chunk and answers 500 / 429, to
// Debian's docker-registry 2.8: the upload resumes where the registry says it got to.
const digestOf = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('chunked upload resume against docker-registry behind a faulty proxy', () => {
  let registry: LocalRegistry;
  let proxy: FaultProxy;

  beforeAll(async () => {
    registry = await startLocalRegistry();
    proxy = await startFaultProxy(registry.host);
  });
  afterAll(async () => {
    await proxy?.close();
    await registry?.stop();
  });

  it('completes a chunked upload despite cut connections, a 500 and a 429; the registry content verifies', async () => {
    const events: ProgressEvent[] = [];
    const client = new RegistryClient({
      chunkSize: 256 * 1024,
      retryDelayMs: 1,
      onProgress: (e) => events.push(e),
    });
    const direct = new RegistryClient();
    try {
      const bytes = sampleBytes(1_200_000, 7);
      const digest = digestOf(bytes);
      const chunk = 256 * 1024;
      // distribution 2.8 invalidates a session whose chunk was cut (BLOB_UPLOAD_INVALID): each
      // cut costs a new session; a 500 or 429 (the registry never saw the chunk) is retried in place.
      proxy.fault('PATCH', /uploads/, { drop: true, afterBytes: 100_000 }, 1, chunk);
      proxy.fault('PATCH', /uploads/, { status: 500 }, 1, 2 * chunk);
      proxy.fault('PATCH', /uploads/, { status: 429, retryAfter: 0 }, 1, 3 * chunk);
      proxy.fault('PATCH', /uploads/, { drop: true, afterBytes: 1 }, 1, 4 * chunk);
      const repo = { registry: proxy.host, repository: 'faults/app' };
      expect(await client.pushBlob(repo, { digest, size: bytes.length, bytes })).toBe('uploaded');
      expect(proxy.log.filter((l) => l.startsWith('drop '))).toHaveLength(2);
      expect(proxy.log.filter((l) => /^(500|429) /.test(l))).toHaveLength(2);
      // Each fault costs at most one new session. A cut chunk usually does (distribution 2.8
      // invalidates its session), though under load the registry has kept one and the client
      // resumed in place; a 500 or 429 is usually retried in place, but when the answer races
      // the request body the connection breaks and the client may start again.
      const sessions = proxy.log.filter((l) => l.startsWith('POST ')).length;
      expect(sessions).toBeGreaterThanOrEqual(1);
      expect(sessions).toBeLessThanOrEqual(5);
      const restarts = events.filter((e) => e.kind === 'warn' && /starting the upload again/.test(e.message));
      expect(restarts).toHaveLength(sessions - 1);
      // Nothing was tagged or half-stored: the blob is whole and hashes right, straight from the registry.
      const back = { registry: registry.host, repository: 'faults/app' };
      expect(await direct.headBlob(back, digest)).toEqual({ size: bytes.length });
      const parts: Uint8Array[] = [];
      for await (const part of await direct.getBlob(back, { digest, size: bytes.length })) parts.push(part);
      expect(digestOf(Buffer.concat(parts))).toBe(digest);
    } finally {
      await client.close();
      await direct.close();
    }
  });
});
