/** Serves an app over HTTP (Node) until closed. */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { LarderError } from '../core/index.js';

export interface RunningServer {
  /** `http://host:port` as bound (port 0 resolved). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Stops accepting connections and ends open ones (event streams included). */
  close(): Promise<void>;
}

/** Parses `HOST:PORT`, `[v6]:PORT` or `:PORT` (host 127.0.0.1). */
export function parseListen(text: string): { readonly host: string; readonly port: number } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  if (m === null || port > 65535)
    throw new LarderError(
      'USAGE',
      `--listen ${JSON.stringify(text)}: expected HOST:PORT (e.g. 127.0.0.1:8080)`,
    );
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

/** Binds `app` on host (default 127.0.0.1) and port (default 8080; 0: any free port). */
export async function startServer(
  app: Hono,
  options: { readonly host?: string; readonly port?: number } = {},
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const server = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 8080 });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => {
      reject(
        new LarderError('IO', `cannot listen on ${host}:${options.port ?? 8080}: ${err.message}`, {
          cause: err,
        }),
      );
    };
    server.once('error', onError);
    server.once('listening', () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}`,
    host: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
