import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { InstalledPackage } from '../../apk/index.js';
import type { OCIHistory, OCIImageConfig } from '../../oci/index.js';
import type { StageBase } from '../base/index.js';
import { applyLayers } from '../rootfs/index.js';
import { envMap, type StageState } from './stage-state.js';

/** A copy of a directory tree with ownership, modes, times and links (`cp -a`). */
export async function cloneTree(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  await new Promise<void>((resolve, reject) => {
    const child = spawn('cp', ['-a', '--', from, to], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`cp -a ${from}: ${err.trim()}`))));
  });
}

/** The base's history when it accounts for its layers; else one entry per layer naming the FROM. */
function baseHistory(config: OCIImageConfig, layers: number, spec: string): OCIHistory[] {
  const history = config.history ?? [];
  if (history.filter((h) => h.empty_layer !== true).length === layers) return [...history];
  return Array.from({ length: layers }, () => ({ created_by: `FROM ${spec}`, comment: 'base layer' }));
}

/** An empty stage (`FROM scratch`). */
export async function scratchStage(label: string, root: string): Promise<StageState> {
  await mkdir(root, { recursive: true });
  return {
    label,
    root,
    layers: [],
    built: [],
    history: [],
    config: {},
    env: new Map(),
    args: new Map(),
    installed: [],
    sources: [],
    repositories: [],
    keys: [],
    cmdFromBase: false,
  };
}

/** A stage on an image: its layers unpacked into `root`, its config and apk state taken over. */
export async function imageStage(
  label: string,
  root: string,
  base: StageBase,
  spec: string,
  extra: { repositories: readonly string[]; keys: ReadonlyArray<{ name: string; pem: string }> },
): Promise<StageState> {
  await mkdir(dirname(root), { recursive: true });
  await applyLayers(
    base.layers.map((l) => {
      if (!('blobPath' in l)) throw new Error(`FROM ${spec}: layer ${l.digest} has no blob file`);
      return { blobPath: l.blobPath, ...(l.mediaType !== undefined ? { mediaType: l.mediaType } : {}) };
    }),
    root,
  );
  const config = base.config.config ?? {};
  const { Env, ...rest } = config;
  return {
    label,
    root,
    layers: [...base.layers],
    built: [],
    history: baseHistory(base.config, base.layers.length, spec),
    config: { ...rest },
    ...(base.config.author !== undefined ? { author: base.config.author } : {}),
    env: envMap(Env),
    args: new Map(),
    installed: [...base.installed] as InstalledPackage[],
    sources: [...base.sources],
    repositories: [...base.repositories, ...extra.repositories],
    keys: [...base.keys, ...extra.keys],
    cmdFromBase: config.Cmd !== undefined,
  };
}

/** A stage on an earlier stage (`FROM build`): a copy of its files and state, ARGs reset. */
export async function childStage(label: string, root: string, parent: StageState): Promise<StageState> {
  await cloneTree(parent.root, root);
  return {
    label,
    root,
    layers: [...parent.layers],
    built: [...parent.built],
    history: [...parent.history],
    config: structuredClone(parent.config),
    ...(parent.author !== undefined ? { author: parent.author } : {}),
    env: new Map(parent.env),
    args: new Map(),
    installed: [...parent.installed],
    sources: [...parent.sources],
    repositories: [...parent.repositories],
    keys: [...parent.keys],
    cmdFromBase: parent.config.Cmd !== undefined,
  };
}

/** Where stage `index`'s root lives under the build's scratch directory. */
export function stageRoot(workDir: string, index: number): string {
  return join(workDir, 'stages', String(index), 'rootfs');
}
