import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../../src/oci/index.js';
import { startFakeRegistry } from '../../kit/fake-registry.js';
import { startFaultProxy } from '../../kit/fault-proxy.js';
import { sampleBytes } from './helpers.js';

const digestOf = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

let open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of open.reverse()) await thing.close();
  open = [];
});

describe('chunked upload resume (a registry that keeps the bytes of a cut chunk)', () => {
  it('asks the session how far it got and continues from there, in the same session', async () => {
    const registry = await startFakeRegistry();
    const proxy = await startFaultProxy(registry.host);
    const client = new RegistryClient({ chunkSize: 64 * 1024, retryDelayMs: 1 });
    open.push(registry, proxy, client);
    const bytes = sampleBytes(300_000, 3);
    const digest = digestOf(bytes);
    proxy.fault('PATCH', /uploads/, { drop: true, afterBytes: 40_000 }, 1, 64 * 1024);
    proxy.fault('PATCH', /uploads/, { drop: true, afterBytes: 10_000 }, 1, 64 * 1024 + 40_000 + 64 * 1024);
    const repo = { registry: proxy.host, repository: 'team/app' };
    expect(await client.pushBlob(repo, { digest, size: bytes.length, bytes })).toBe('uploaded');
    expect(proxy.log.filter((l) => l.startsWith('drop '))).toHaveLength(2);
    expect(proxy.log.filter((l) => l.startsWith('POST '))).toHaveLength(1);
    // After each cut: the retried chunk is refused (416), the session is asked, and the next
    // chunk starts right after the bytes the registry kept.
    const patches = proxy.log.filter((l) => l.startsWith('PATCH ')).map((l) => /\[(\d+)-/.exec(l)![1]);
    expect(patches).toContain(String(64 * 1024 + 40_000));
    expect(patches).toContain(String(2 * 64 * 1024 + 40_000 + 10_000));
    expect(proxy.log.filter((l) => l.startsWith('GET ') && l.includes('/uploads/'))).toHaveLength(2);
    expect(digestOf(registry.blobs.get(digest)!)).toBe(digest);
  });
});
