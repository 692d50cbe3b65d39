// Registry transfers against skopeo in the same run, with Debian's docker-registry 2.8 on
// 127.0.0.1 (both are processes: the built CLI and skopeo):
//  1. push: a ~200 MB OCI layout (7 gzip layers, incompressible and compressible) into a fresh
//     repository: `larder image push` vs `skopeo copy --all oci:DIR docker://…`;
//  2. a second push of the same layout through a counting proxy: blob bytes sent (must be 0),
//     and skopeo's second push for its time;
//  3. copy registry → another registry: `larder image copy` vs `skopeo copy --all`, then a
//     second copy through the counting proxy (blob bytes sent, must be 0), skopeo's alongside.
// Medians of RUNS runs (alternating larder and skopeo), each into a fresh registry.
//   node --import tsx bench/registry-push.ts [RUNS] [MiB]
import { spawn } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { writeTar } from '../src/archive/index.js';
import { type ImageInput, platformFor, writeLayerBlob, writeOciLayout } from '../src/oci/index.js';
import { tempDir } from '../test/kit/paths.js';
import { prng } from '../test/kit/prng.js';
import { startLocalRegistry } from '../test/kit/registry.js';

const MIB = 1024 * 1024;
const runs = Number(process.argv[2] ?? 5);
const scale = Number(process.argv[3] ?? 200) / 200;
const CLI = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');

/** Incompressible bytes: an AES-128-CTR keystream with a fixed key (a deterministic PRNG). */
function randomBytes(size: number, seed: number): Buffer {
  const key = Buffer.alloc(16, seed);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

/** Compressible bytes: text-like runs of words from a small seeded vocabulary, some noise. */
function textBytes(size: number, seed: number): Buffer {
  const random = prng(seed);
  const words = Array.from({ length: 4096 }, (_, i) => `w${i.toString(36)}_${Math.floor(random() * 1e9)} `);
  const noise = randomBytes(size, seed + 100);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  while (at < size) {
    if (random() < 0.05) {
      const n = Math.min(size - at, 16 + Math.floor(random() * 48));
      noise.copy(out, at, at, at + n);
      at += n;
    } else {
      at += out.write(words[Math.floor(random() * words.length)]!, at, 'latin1');
    }
  }
  return out;
}

async function makeLayout(dir: string): Promise<{ layout: string; bytes: number; layers: number }> {
  const specs: Array<[string, number]> = [
    ['random', 44],
    ['text', 48],
    ['random', 36],
    ['text', 40],
    ['random', 28],
    ['text', 32],
    ['random', 20],
  ];
  const layers = [];
  let bytes = 0;
  for (const [i, [kind, mib]] of specs.entries()) {
    const size = Math.round(mib * MIB * scale);
    const data = kind === 'random' ? randomBytes(size, i + 1) : textBytes(size, i + 1);
    const tar = writeTar(
      [{ entry: { name: `layer${i}/${kind}.bin`, type: 'file', mode: 0o644, mtime: 0 }, data }],
      { endBlocks: true },
    );
    const blob = await writeLayerBlob([tar], { blobsDir: join(dir, 'staging') });
    bytes += blob.size;
    layers.push({ ...blob, blobPath: blob.path });
  }
  const image: ImageInput = {
    platform: platformFor('x86_64'),
    config: { created: '2024-01-01T00:00:00Z', config: { Cmd: ['/bin/sh'] } },
    layers,
  };
  const layout = join(dir, 'layout');
  await writeOciLayout(layout, { images: [image], refName: 'bench' });
  return { layout, bytes, layers: specs.length };
}

/** Runs a process to completion; its wall time in ms (throws with its stderr when it fails). */
function timed(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LARDER_QUIET: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${stderr}`));
    });
  });
}

/** A pass-through HTTP proxy that counts the request body bytes sent to blob upload sessions. */
async function countingProxy(upstream: string): Promise<{
  host: string;
  uploaded: () => number;
  requests: () => number;
  close: () => Promise<void>;
}> {
  const [upHost, upPort] = upstream.split(':') as [string, string];
  let uploaded = 0;
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    const counted = (req.url ?? '').includes('/blobs/uploads/');
    const up = request(
      { host: upHost, port: Number(upPort), method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on('error', () => req.socket.destroy());
    req.on('data', (chunk: Buffer) => {
      if (counted) uploaded += chunk.length;
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    uploaded: () => uploaded,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Runs larder's and skopeo's command again through a counting proxy in front of `upstream`:
 * prints larder's time, requests and blob bytes sent (goal 0), and skopeo's time and bytes.
 */
async function again(
  label: string,
  upstream: string,
  commands: (host: string) => Array<[string, string[]]>,
): Promise<void> {
  const figures: string[] = [];
  const count = commands('').length;
  for (let i = 0; i < count; i++) {
    const proxy = await countingProxy(upstream);
    const [cmd, args] = commands(proxy.host)[i]!;
    const ms = await timed(cmd, args);
    figures.push(
      i === 0
        ? `${ms.toFixed(0)} ms, ${proxy.requests()} requests, blob bytes sent ${proxy.uploaded()} (goal 0)`
        : `skopeo ${ms.toFixed(0)} ms, ${proxy.requests()} requests, blob bytes sent ${proxy.uploaded()}`,
    );
    await proxy.close();
  }
  console.log(`${label}: larder ${figures.join('; ')}`);
}

/** Runs `fn` against a registry started for it alone (the start is not timed). */
async function fresh<T>(fn: (host: string) => Promise<T>): Promise<T> {
  const registry = await startLocalRegistry();
  try {
    return await fn(registry.host);
  } finally {
    await registry.stop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const fmt = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');
const skopeoFlags = ['--src-tls-verify=false', '--dest-tls-verify=false'];

const dir = await tempDir('larder-bench-push-');
const [one, two] = await Promise.all([startLocalRegistry(), startLocalRegistry()]);
try {
  const { layout, bytes, layers } = await makeLayout(dir);
  console.log(`push: layout of ${layers} gzip layers, ${(bytes / MIB).toFixed(1)} MiB of blobs`);

  // 1. Push, alternating, each into a fresh registry: skopeo remembers where it saw a blob (its
  // blob-info cache) and would mount it from an earlier run's repository of the same registry.
  const pushL: number[] = [];
  const pushS: number[] = [];
  for (let i = 0; i < runs; i++) {
    pushL.push(
      await fresh((host) => timed(process.execPath, [CLI, 'image', 'push', layout, `${host}/push/l:1`])),
    );
    pushS.push(
      await fresh((host) =>
        timed('skopeo', [
          'copy',
          '--all',
          '--quiet',
          ...skopeoFlags,
          `oci:${layout}:bench`,
          `docker://${host}/push/s:1`,
        ]),
      ),
    );
  }
  const pl = median(pushL);
  const ps = median(pushS);
  console.log(`push: larder image push ${pl.toFixed(0)} ms [${fmt(pushL)}]`);
  console.log(`push: skopeo copy --all  ${ps.toFixed(0)} ms [${fmt(pushS)}]`);
  console.log(`push: ratio larder/skopeo ${(pl / ps).toFixed(2)}x (goal <= 1.00x)`);
  await timed(process.execPath, [CLI, 'image', 'push', layout, `${one.host}/push/l0:1`]);

  // 2. A second push of the same layout to the same repository sends no blob bytes (skopeo's
  // second push alongside, for its time).
  await timed('skopeo', [
    'copy',
    '--all',
    '--quiet',
    ...skopeoFlags,
    `oci:${layout}:bench`,
    `docker://${one.host}/push/s0:1`,
  ]);
  await again('push: second push', one.host, (host) => [
    [process.execPath, [CLI, 'image', 'push', layout, `${host}/push/l0:1`]],
    [
      'skopeo',
      ['copy', '--all', '--quiet', ...skopeoFlags, `oci:${layout}:bench`, `docker://${host}/push/s0:1`],
    ],
  ]);

  // 3. Copy registry → another registry into fresh repositories, alternating.
  const src = `${one.host}/push/l0:1`;
  const copyL: number[] = [];
  const copyS: number[] = [];
  for (let i = 0; i < runs; i++) {
    copyL.push(
      await fresh((host) => timed(process.execPath, [CLI, 'image', 'copy', src, `${host}/copy/l:1`])),
    );
    copyS.push(
      await fresh((host) =>
        timed('skopeo', [
          'copy',
          '--all',
          '--quiet',
          ...skopeoFlags,
          `docker://${src}`,
          `docker://${host}/copy/s:1`,
        ]),
      ),
    );
  }
  await timed(process.execPath, [CLI, 'image', 'copy', src, `${two.host}/copy/l0:1`]);
  const cl = median(copyL);
  const cs = median(copyS);
  console.log(`copy: larder image copy ${cl.toFixed(0)} ms [${fmt(copyL)}]`);
  console.log(`copy: skopeo copy --all ${cs.toFixed(0)} ms [${fmt(copyS)}]`);
  console.log(`copy: ratio larder/skopeo ${(cl / cs).toFixed(2)}x (goal <= 1.00x)`);
  await timed('skopeo', [
    'copy',
    '--all',
    '--quiet',
    ...skopeoFlags,
    `docker://${src}`,
    `docker://${two.host}/copy/s0:1`,
  ]);
  await again('copy: second copy', two.host, (host) => [
    [process.execPath, [CLI, 'image', 'copy', src, `${host}/copy/l0:1`]],
    ['skopeo', ['copy', '--all', '--quiet', ...skopeoFlags, `docker://${src}`, `docker://${host}/copy/s0:1`]],
  ]);
  console.log(
    `load average (1/5/15 min): ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await Promise.all([one.stop(), two.stop()]);
  await rm(dir, { recursive: true, force: true });
}
