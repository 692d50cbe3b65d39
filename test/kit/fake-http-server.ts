import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { FAKE_LAST_MODIFIED, type FakeBehaviour, FakeContent, fakeEtag } from './fake-fetcher.js';

export interface FakeHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The client's port: equal ports mean a reused keep-alive connection. */
  readonly remotePort: number | undefined;
}

/** A node:http server on 127.0.0.1 (ephemeral port) with the fake fetcher's failure modes. */
export interface FakeHttpServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly requests: FakeHttpRequest[];
  /** Serves these bytes at `path` (e.g. `/x86_64/APKINDEX.tar.gz`). */
  put(path: string, bytes: Uint8Array | string): void;
  /** Adds a behaviour for `path`, used `times` times (default: every time). */
  behave(path: string, behaviour: FakeBehaviour, times?: number): void;
  /** Requests made for one path. */
  requestsFor(path: string): FakeHttpRequest[];
  close(): Promise<void>;
}

/**
 * Starts the server: `dir` is served in place under `/`, with strong ETags, a fixed
 * Last-Modified and 304 answers to If-None-Match / If-Modified-Since.
 */
export async function startFakeHttpServer(options: { dir?: string } = {}): Promise<FakeHttpServer> {
  const content = new FakeContent(options.dir);
  const requests: FakeHttpRequest[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push({
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      remotePort: req.socket.remotePort,
    });
    answer(content, path, req, res).catch((err: unknown) => {
      res.destroy(err as Error);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    put: (path, bytes) => content.put(path, bytes),
    behave: (path, behaviour, times) => content.behave(path, behaviour, times),
    requestsFor: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function answer(content: FakeContent, path: string, req: IncomingMessage, res: ServerResponse) {
  const behaviour = content.take(path);
  if (behaviour?.kind === 'slow' && behaviour.afterBytes === undefined) await delay(behaviour.delayMs);
  switch (behaviour?.kind) {
    case 'status': {
      const headers =
        behaviour.retryAfterSeconds !== undefined ? { 'retry-after': `${behaviour.retryAfterSeconds}` } : {};
      res.writeHead(behaviour.status, headers).end(`status ${behaviour.status}\n`);
      return;
    }
    case 'redirect':
      res.writeHead(302, { location: behaviour.to }).end();
      return;
    case 'reset':
      req.socket.destroy();
      return;
    case 'cut':
    case 'slow':
    case undefined:
      break;
  }
  const bytes = await content.read(path, path.replace(/^\/+/, ''));
  if (bytes === undefined) {
    res.writeHead(404).end('not found\n');
    return;
  }
  const etag = fakeEtag(bytes);
  const match = req.headers['if-none-match'];
  const since = req.headers['if-modified-since'];
  if (match !== undefined ? match === etag : since === FAKE_LAST_MODIFIED) {
    res.writeHead(304, { etag, 'last-modified': FAKE_LAST_MODIFIED }).end();
    return;
  }
  res.writeHead(200, {
    'content-length': bytes.length,
    'content-type': 'application/octet-stream',
    etag,
    'last-modified': FAKE_LAST_MODIFIED,
  });
  if (behaviour?.kind === 'cut') {
    res.write(bytes.subarray(0, behaviour.afterBytes));
    // Let the partial body leave before the connection breaks.
    await delay(20);
    req.socket.destroy();
    return;
  }
  if (behaviour?.kind === 'slow' && behaviour.afterBytes !== undefined) {
    res.write(bytes.subarray(0, behaviour.afterBytes));
    await delay(behaviour.delayMs);
    if (res.destroyed) return;
    res.end(bytes.subarray(behaviour.afterBytes));
    return;
  }
  res.end(bytes);
}
