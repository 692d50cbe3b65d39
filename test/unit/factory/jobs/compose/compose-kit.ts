/**
 * A small factory world for compose and rescan unit tests: a signed repository (`libx` with an
 * os-release, `app` needing it) made in-process, an image config, a cosign-style image key, a
 * workspace value pointing at them, an in-memory store and a job context.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ApkTreeEntry, loadApkSigningKey, writeApkPackage } from '../../../../../src/apk/index.js';
import { writeEcdsaKeyPair } from '../../../../../src/attest/index.js';
import type { FactoryConfig, JobRecord, Workspace } from '../../../../../src/factory/model.js';
import type { JobContext } from '../../../../../src/factory/service.js';
import { publishPackages } from '../../../../../src/repo/index.js';
import { openStore, type Store } from '../../../../../src/store/index.js';
import { own, tempDir } from '../../../../kit/paths.js';

export const REPO_KEY = own('keys', 'larder-test.rsa');
export const NOW = '2026-11-28T05:00:00.000Z';

export interface ComposeWorld {
  readonly root: string;
  readonly repoDir: string;
  readonly configFile: string;
  readonly cosignPub: string;
  readonly store: Store;
  readonly logs: string[];
  workspace(changes?: Partial<FactoryConfig>): Workspace;
  context(workspace?: Workspace, now?: string): JobContext;
  /** Publishes `name-version` (origin `origin`) into the repository. */
  addPackage(
    name: string,
    version: string,
    options?: { depends?: string[]; files?: Record<string, string> },
  ): Promise<void>;
  writeAdvisory(pkg: string, yaml: string): Promise<void>;
}

function entry(path: string, text: string): ApkTreeEntry {
  return {
    path,
    type: 'file',
    mode: 0o644,
    uid: 0,
    gid: 0,
    uname: 'root',
    gname: 'root',
    size: Buffer.byteLength(text),
    xattrs: [],
    source: Buffer.from(text),
  };
}

export async function composeWorld(): Promise<ComposeWorld> {
  const root = await tempDir('larder-compose-');
  const repoDir = join(root, 'repo');
  const key = await loadApkSigningKey(REPO_KEY);
  const { privateKeyPath, publicKeyPath } = await writeEcdsaKeyPair('cosign', { dir: join(root, 'keys') });
  const configFile = join(root, 'images', 'app.yaml');
  await mkdir(join(root, 'images'), { recursive: true });
  await mkdir(join(root, 'advisories'), { recursive: true });
  await writeFile(configFile, 'contents:\n  packages:\n    - app\narchs: [x86_64]\n');
  const store = await openStore(':memory:');
  const logs: string[] = [];
  let serial = 0;
  const world: ComposeWorld = {
    root,
    repoDir,
    configFile,
    cosignPub: publicKeyPath,
    store,
    logs,
    workspace(changes = {}) {
      const config: FactoryConfig = {
        repository: {
          name: 'main',
          dir: repoDir,
          archs: ['x86_64'],
          signingKey: REPO_KEY,
          extraRepositories: [],
          extraKeyring: [],
        },
        images: { signingKey: privateKeyPath, signFormat: 'both', attest: true, publish: {} },
        registries: {},
        policy: { gate: 'zero-known-cve' },
        feeds: [],
        schedules: { rescanMs: 0, updateCheckMs: 0 },
        server: { publicReads: true },
        ...changes,
      };
      return {
        root,
        config,
        recipes: [],
        images: [{ name: 'app', configFile, publish: [], hash: 'sha256:c0nf1g' }],
        advisoryFiles: [],
      };
    },
    context(workspace = world.workspace(), now = NOW) {
      return {
        workspace,
        store,
        publisher: {
          publish: async () => {
            throw new Error('compose jobs publish no packages');
          },
        },
        signal: new AbortController().signal,
        log: (line) => logs.push(line),
        stateDir: join(root, 'state'),
        now: () => now,
        worker: 'test',
      };
    },
    async addPackage(name, version, options = {}) {
      const path = join(root, 'build', `${name}-${version}-${serial++}.apk`);
      await mkdir(join(root, 'build'), { recursive: true });
      const files = options.files ?? { [`usr/share/${name}/version`]: version };
      await writeApkPackage(path, {
        meta: {
          pkgname: name,
          pkgver: version,
          pkgdesc: name,
          url: '',
          arch: 'x86_64',
          origin: name,
          builddate: 1_700_000_000,
          depend: options.depends ?? [],
          provides: [],
          install_if: [],
          replaces: [],
          triggers: [],
          extra: [],
        },
        entries: Object.entries(files).map(([p, text]) => entry(p, text)),
        signKey: key,
        mtime: 1_700_000_000,
      });
      await publishPackages({ repoDir, arch: 'x86_64', packages: [path], signKey: key });
    },
    async writeAdvisory(pkg, yaml) {
      await writeFile(join(root, 'advisories', `${pkg}.advisories.yaml`), yaml);
    },
  };
  return world;
}

/** A job record as the queue hands it out. */
export function jobOf(kind: JobRecord['kind'], key: string, payload: Record<string, unknown>): JobRecord {
  return {
    id: 1,
    key,
    kind,
    payload,
    status: 'running',
    attempts: 1,
    maxAttempts: 3,
    createdAt: NOW,
    runAfter: NOW,
  };
}

/** An advisory document for `pkg`: one advisory, one event. */
export function advisoryYaml(pkg: string, event: string, id = 'CGA-9m9w-f4q4-w37p'): string {
  return [
    'schema-version: "2.0.2"',
    'package:',
    `  name: ${pkg}`,
    'advisories:',
    `  - id: ${id}`,
    '    aliases: [CVE-2099-0001]',
    '    events:',
    '      - timestamp: 2026-11-01T00:00:00Z',
    ...event.split('\n').map((l) => `        ${l}`),
    '',
  ].join('\n');
}

export const DETECTED = 'type: detection\ndata:\n  type: manual';
export const FIXED_IN = (version: string) => `type: fixed\ndata:\n  fixed-version: "${version}"`;
export const FALSE_POSITIVE =
  'type: false-positive-determination\ndata:\n  type: vulnerable-code-not-in-execution-path\n  note: app never calls it';
