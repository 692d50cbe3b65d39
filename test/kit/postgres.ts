// A private PostgreSQL 15 cluster for tests (Debian's `postgresql`, as installed by .ci/run):
// initdb in a temp dir, listening on 127.0.0.1 and a free port, password (scram) auth for the
// superuser `larder`. PostgreSQL refuses to run as root: as root every server command runs as
// the `postgres` user through `runuser`; otherwise as the current user.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** Debian's PostgreSQL 15 server binaries. */
export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';
/** The superuser of every test cluster, and its password. */
const USER = 'larder';
const PASSWORD = 'larder-test-secret';
/** Bump when the template's initdb arguments change. */
const TEMPLATE_VERSION = 1;

type Server = (cmd: string, args: string[]) => Promise<unknown>;

export interface PostgresCluster {
  /** URL of a fresh, empty database made for this cluster (`createDatabase()`). */
  readonly url: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Creates an empty database (a fresh name unless `name`) and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** The URL of database `database`, optionally with another user or password. */
  urlOf(database: string, as?: { readonly user?: string; readonly password?: string }): string;
  /** Runs SQL statements on a database URL as they are (for setting up odd states). */
  query(url: string, text: string): Promise<pg.QueryResult>;
  /** What the server logged (for failure messages). */
  log(): string;
  /** Stops the server at once and removes its directory. Calling it twice is harmless. */
  stop(): Promise<void>;
}

/** Starts a cluster: a copy of a cached initdb'd template, then pg_ctl start (well under a second). */
export async function startPostgres(): Promise<PostgresCluster> {
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? postgresIds() : undefined;
  const server = (cmd: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(POSTGRES_BIN, cmd), ...args])
      : run(join(POSTGRES_BIN, cmd), args);
  const template = await clusterTemplate(server, owner);
  const dir = mkdtempSync(join(tmpdir(), 'larder-pg-'));
  const data = join(dir, 'data');
  const user = USER;
  const password = PASSWORD;
  if (owner !== undefined) chownSync(dir, owner.uid, owner.gid);
  const logFile = join(dir, 'server.log');
  const log = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    try {
      const args = ['stop', '-D', data, '-m', 'immediate', '-s'];
      if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', join(POSTGRES_BIN, 'pg_ctl'), ...args]);
      else execFileSync(join(POSTGRES_BIN, 'pg_ctl'), args);
    } catch {
      // Not running (start failed, or stopped already).
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopSync);
  try {
    // A copy of an initdb'd cluster: initdb itself takes 1-4 s, a copy a fraction of that.
    await run('cp', ['-a', join(template, 'data'), data]);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const options = [
        `-p ${port}`,
        '-h 127.0.0.1',
        `-k ${dir}`,
        '-c fsync=off',
        '-c full_page_writes=off',
        '-c synchronous_commit=off',
        '-c max_connections=60',
        '-c shared_buffers=16MB',
      ].join(' ');
      try {
        await server('pg_ctl', ['start', '-w', '-t', '20', '-D', data, '-l', logFile, '-s', '-o', options]);
        break;
      } catch (err) {
        // Another process may have taken the port between freePort() and the bind.
        if (attempt >= 3) throw new Error(`postgres did not start: ${String(err)}\n${log()}`);
      }
    }
    const urlOf = (database: string, as: { user?: string; password?: string } = {}) =>
      `postgres://${encodeURIComponent(as.user ?? user)}:${encodeURIComponent(as.password ?? password)}@127.0.0.1:${port}/${database}`;
    const query = async (url: string, text: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return await client.query(text);
      } finally {
        await client.end();
      }
    };
    let made = 0;
    const createDatabase = async (name?: string) => {
      const database = name ?? `t${++made}_${Math.random().toString(36).slice(2, 8)}`;
      await query(urlOf('postgres'), `create database "${database}"`);
      return urlOf(database);
    };
    const url = await createDatabase();
    return {
      url,
      port,
      user,
      password,
      createDatabase,
      urlOf,
      query,
      log,
      async stop() {
        process.removeListener('exit', stopSync);
        stopSync();
      },
    };
  } catch (err) {
    process.removeListener('exit', stopSync);
    stopSync();
    throw err;
  }
}

/**
 * An initdb'd cluster shared by every test run of this user (in the temp dir, made once):
 * initdb writes it in a private directory that is then renamed into place, so processes racing
 * to make it all end up using one complete template.
 */
async function clusterTemplate(
  server: Server,
  owner: { uid: number; gid: number } | undefined,
): Promise<string> {
  const path = join(tmpdir(), `larder-pg15-template-${process.getuid?.() ?? 0}-v${TEMPLATE_VERSION}`);
  if (existsSync(join(path, 'data', 'PG_VERSION'))) return path;
  const work = mkdtempSync(`${path}.tmp-`);
  try {
    if (owner !== undefined) chownSync(work, owner.uid, owner.gid);
    const pwfile = join(work, 'pwfile');
    writeFileSync(pwfile, `${PASSWORD}\n`);
    if (owner !== undefined) chownSync(pwfile, owner.uid, owner.gid);
    await server('initdb', [
      '-D',
      join(work, 'data'),
      '-U',
      USER,
      `--pwfile=${pwfile}`,
      '-A',
      'scram-sha-256',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    rmSync(pwfile);
    renameSync(work, path);
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    // Another process made it first.
    if (!existsSync(join(path, 'data', 'PG_VERSION'))) throw err;
  }
  return path;
}

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
