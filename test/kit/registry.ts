import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { tempDir } from './paths.js';
import { startTokenServer, type TokenServer } from './token-server.js';

/** Debian's `docker-registry` (distribution 2.8), as installed by .ci/run. */
export const DOCKER_REGISTRY = '/usr/bin/docker-registry';

/** How the registry authenticates: not at all, htpasswd Basic auth, or bearer tokens. */
export type RegistryAuthMode = 'none' | 'htpasswd' | 'token';

/**
 * The users of an authenticating registry. With htpasswd both may do everything (distribution
 * only authenticates); behind the token server alice may pull and push, bob only pull, and
 * alice's `refreshToken` is an OAuth2 refresh token (docker config's `identitytoken`).
 */
export const REGISTRY_USERS = {
  alice: { password: 'alice-s3cret', actions: ['pull', 'push'], refreshToken: 'alice-refresh-token' },
  bob: { password: 'bob-s3cret', actions: ['pull'] },
} as const;

export interface LocalRegistryOptions {
  /** `none` by default. */
  readonly auth?: RegistryAuthMode;
}

export interface LocalRegistry {
  /** `127.0.0.1:<port>`: the registry part of a reference. */
  readonly host: string;
  readonly root: string;
  readonly auth: RegistryAuthMode;
  /** The token service in `token` mode (its `requests` count token fetches). */
  readonly tokenServer: TokenServer | undefined;
  /** What the registry printed (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts `docker-registry serve` on 127.0.0.1 on a free port with a filesystem store in a temp
 * directory (no systemd service involved), waits until `GET /v2/` answers (200, or 401 when it
 * authenticates), and returns a handle whose `stop()` ends that one process (and the token
 * server) and removes its directory. `htpasswd` mode writes bcrypt entries with apache2-utils'
 * `htpasswd -B`; `token` mode starts {@link startTokenServer} with {@link REGISTRY_USERS}.
 * The token server runs in this process: in `token` mode run the CLI and other clients
 * asynchronously (`spawn`, not `spawnSync`), or nobody answers their token requests.
 */
export async function startLocalRegistry(options: LocalRegistryOptions = {}): Promise<LocalRegistry> {
  const mode = options.auth ?? 'none';
  const dir = await tempDir('larder-registry-');
  const port = await freePort();
  const config = join(dir, 'config.yml');
  let tokenServer: TokenServer | undefined;
  const authLines: string[] = [];
  if (mode === 'htpasswd') {
    const lines = Object.entries(REGISTRY_USERS).map(([user, { password }]) =>
      execFileSync('htpasswd', ['-Bbn', user, password], { encoding: 'utf8' }).trim(),
    );
    await writeFile(join(dir, 'htpasswd'), `${lines.join('\n')}\n`);
    authLines.push('auth:', '  htpasswd:', '    realm: larder-test', `    path: ${join(dir, 'htpasswd')}`);
  } else if (mode === 'token') {
    await mkdir(join(dir, 'token'));
    tokenServer = await startTokenServer({ dir: join(dir, 'token'), users: REGISTRY_USERS });
    authLines.push(
      'auth:',
      '  token:',
      `    realm: ${tokenServer.realm}`,
      `    service: ${tokenServer.service}`,
      `    issuer: ${tokenServer.issuer}`,
      `    rootcertbundle: ${tokenServer.certificatePath}`,
    );
  }
  await writeFile(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      ...authLines,
      '',
    ].join('\n'),
  );
  // Output goes to a file, not a pipe: a test blocked in spawnSync (the CLI) does not read a
  // pipe, and a registry writing to a full one stops answering.
  const logPath = join(dir, 'registry.log');
  const logFd = openSync(logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(DOCKER_REGISTRY, ['serve', config], { stdio: ['ignore', logFd, logFd] });
  } finally {
    closeSync(logFd);
  }
  const output = (): string => {
    try {
      return readFileSync(logPath, 'utf8');
    } catch {
      return '';
    }
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, delay(5000).then(() => child.kill('SIGKILL'))]);
    }
    await tokenServer?.stop();
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`docker-registry exited with ${child.exitCode}:\n${output()}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v2/`);
      if (res.status === 200 || (mode !== 'none' && res.status === 401)) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not answer on 127.0.0.1:${port}:\n${output()}`);
    }
    await delay(100);
  }
  return {
    host: `127.0.0.1:${port}`,
    root: join(dir, 'data'),
    auth: mode,
    tokenServer,
    log: output,
    stop,
  };
}

/**
 * Writes `<dir>/config.json` as the docker CLI keeps it, for `DOCKER_CONFIG=<dir>`: per host,
 * `auth` (base64 `user:password`) or an `identitytoken`. Returns dir.
 */
export async function writeDockerConfig(
  dir: string,
  auths: Readonly<Record<string, { user: string; password: string } | { identityToken: string }>>,
): Promise<string> {
  const entries: Record<string, Record<string, string>> = {};
  for (const [host, who] of Object.entries(auths)) {
    entries[host] =
      'identityToken' in who
        ? { auth: Buffer.from('<token>:').toString('base64'), identitytoken: who.identityToken }
        : { auth: Buffer.from(`${who.user}:${who.password}`).toString('base64') };
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.json'), `${JSON.stringify({ auths: entries }, null, 2)}\n`);
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
