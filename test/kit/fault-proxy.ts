import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One injected fault: drop the connection after `afterBytes` of the request body, or answer a status. */
export type ProxyFault =
  | { readonly drop: true; readonly afterBytes: number }
  | { readonly status: number; readonly retryAfter?: number };

export interface FaultProxy {
  /** `127.0.0.1:<port>`: use it as the registry part of references. */
  readonly host: string;
  /** Requests seen (`METHOD /path`), and the faults applied (`drop …`, `500 …`). */
  readonly log: string[];
  /**
   * Applies `fault` to the next `times` requests matching method and path (and, when given,
   * whose `Content-Range` starts at `rangeStart`).
   */
  fault(method: string, path: RegExp, fault: ProxyFault, times?: number, rangeStart?: number): void;
  close(): Promise<void>;
}

/**
 * An HTTP proxy on 127.0.0.1 in front of a registry (`upstream` = `host:port`) that passes
 * everything through, except for injected faults: a connection cut after some bytes of the
 * request body have been forwarded (the registry sees a truncated upload), or a status answered
 * without asking the registry.
 */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const [upHost, upPort] = [upstream.slice(0, upstream.lastIndexOf(':')), Number(upstream.split(':').at(-1))];
  const rules: Array<{
    method: string;
    path: RegExp;
    fault: ProxyFault;
    times: number;
    rangeStart: number | undefined;
  }> = [];
  const log: string[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const range = req.headers['content-range'];
    const line = `${req.method} ${req.url}${range === undefined ? '' : ` [${range}]`}`;
    log.push(line);
    const start = /^(\d+)-/.exec(req.headers['content-range'] ?? '')?.[1];
    const rule = rules.find(
      (r) =>
        r.times > 0 &&
        r.method === req.method &&
        r.path.test(req.url ?? '') &&
        (r.rangeStart === undefined || r.rangeStart === Number(start)),
    );
    if (rule !== undefined) rule.times--;
    const fault = rule?.fault;
    if (fault !== undefined && 'status' in fault) {
      log.push(`${fault.status} ${line}`);
      req.resume();
      req.on('end', () => {
        const headers = fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
        res.writeHead(fault.status, headers).end('injected');
      });
      return;
    }
    const up = request(
      { host: upHost, port: upPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on('error', () => req.socket.destroy());
    if (fault === undefined) {
      req.pipe(up);
      return;
    }
    let sent = 0;
    req.on('data', (chunk: Buffer) => {
      if (sent >= fault.afterBytes) return;
      const part = chunk.subarray(0, fault.afterBytes - sent);
      sent += part.length;
      up.write(part);
      if (sent >= fault.afterBytes) {
        log.push(`drop ${line} after ${sent} bytes`);
        // Let the registry take the bytes, then cut both sides.
        setTimeout(() => {
          up.destroy();
          req.socket.destroy();
        }, 50);
      }
    });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    log,
    fault: (method, path, fault, times = 1, rangeStart) =>
      rules.push({ method, path, fault, times, rangeStart }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
