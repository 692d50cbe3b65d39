import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { LarderError } from '../../../src/core/index.js';
import { isRetryable } from '../../../src/oci/registry/errors.js';
import { discard, HttpClient, readBody } from '../../../src/oci/registry/http.js';

// The registry client's HTTP layer (node:http keep-alive agents): redirects, header lists, request
// bodies that fail, timeouts.
const servers: Server[] = [];
const clients: HttpClient[] = [];

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(timeoutMs = 5000): HttpClient {
  const c = new HttpClient({ userAgent: 'larder-test', timeoutMs, connections: 4 });
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

describe('HttpClient', () => {
  it('follows GET redirects, keeping Authorization on the same origin and dropping it elsewhere', async () => {
    const seen: Array<{ path: string; authorization: string | undefined }> = [];
    const storage = await serve((req, res) => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end('blob bytes');
    });
    const registry = await serve((req, res) => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
      if (req.url === '/v2/a/blobs/x') res.writeHead(307, { location: '/v2/a/blobs/y' }).end();
      else res.writeHead(302, { location: `${storage}/object?sig=1` }).end('moved');
    });
    const res = await client().send({
      method: 'GET',
      url: `${registry}/v2/a/blobs/x`,
      headers: { authorization: 'Bearer secret' },
    });
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${registry}/v2/a/blobs/x`);
    expect((await readBody(res, 100, 'blob')).toString()).toBe('blob bytes');
    expect(seen).toEqual([
      { path: '/v2/a/blobs/x', authorization: 'Bearer secret' },
      { path: '/v2/a/blobs/y', authorization: 'Bearer secret' },
      { path: '/object?sig=1', authorization: undefined },
    ]);
  });

  it('does not follow redirects of a PUT, and lists every value of a repeated header', async () => {
    const base = await serve((req, res) => {
      req.resume();
      res.setHeader('www-authenticate', ['Basic realm="a"', 'Bearer realm="b"']);
      res.writeHead(req.method === 'PUT' ? 307 : 401, { location: '/elsewhere' }).end();
    });
    const put = await client().send({ method: 'PUT', url: `${base}/v2/`, body: () => Buffer.from('{}') });
    expect(put.status).toBe(307);
    await discard(put);
    const get = await client().send({ method: 'GET', url: `${base}/v2/` });
    expect(get.status).toBe(401);
    expect(get.headers('www-authenticate')).toEqual(['Basic realm="a"', 'Bearer realm="b"']);
    expect(get.header('www-authenticate')).toBe('Basic realm="a"');
    await discard(get);
  });

  it('a request body that fails rejects with its own error; a silent server times out (retryable)', async () => {
    const base = await serve((req, res) => {
      if (req.method === 'GET') return; // never answers
      req.resume();
      req.on('end', () => res.writeHead(201).end());
    });
    const failure = new LarderError('FETCH_FAILED', 'the source broke');
    const body = Readable.from(
      (async function* parts() {
        yield Buffer.alloc(1024);
        throw failure;
      })(),
    );
    await expect(
      client().send({
        method: 'PUT',
        url: `${base}/upload`,
        headers: { 'content-length': '4096' },
        body: () => body,
      }),
    ).rejects.toBe(failure);
    const slow = client(200).send({ method: 'GET', url: `${base}/v2/` });
    const err = await slow.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LarderError);
    expect((err as LarderError).code).toBe('FETCH_FAILED');
    expect(isRetryable(err)).toBe(true);
  });
});
