import { afterEach, describe, expect, it } from 'vitest';
import { parseListen, type RunningServer, startServer } from '../../../src/server/index.js';
import { type Fixture, fixture } from './seed.js';

let f: Fixture | undefined;
let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  await f?.service.close();
  server = undefined;
  f = undefined;
});

describe('startServer', () => {
  it('binds 127.0.0.1 on a free port, serves, and closes with a stream open', async () => {
    f = await fixture();
    server = await startServer(f.app, { port: 0 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.host).toBe('127.0.0.1');
    const status = await fetch(`${server.url}/api/status`);
    expect(status.status).toBe(200);
    const stream = await fetch(`${server.url}/api/events/stream`);
    expect(stream.status).toBe(200);
    const closing = server.close();
    server = undefined;
    await closing;
    await expect(fetch(`${status.url}`)).rejects.toThrow();
  });

  it('reports a port in use', async () => {
    f = await fixture();
    server = await startServer(f.app, { port: 0 });
    await expect(startServer(f.app, { port: server.port })).rejects.toThrow(
      /cannot listen on 127\.0\.0\.1:\d+/,
    );
  });

  it('parses --listen values', () => {
    expect(parseListen('127.0.0.1:8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseListen(':9000')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(parseListen('0.0.0.0:0')).toEqual({ host: '0.0.0.0', port: 0 });
    expect(parseListen('[::1]:8080')).toEqual({ host: '::1', port: 8080 });
    expect(parseListen('localhost:80')).toEqual({ host: 'localhost', port: 80 });
    for (const bad of ['8080', 'host:', 'host:99999', 'a:b', '::1:80', 'host:80:80', ''])
      expect(() => parseListen(bad), bad).toThrow(/--listen/);
  });
});
