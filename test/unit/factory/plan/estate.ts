// A simulated factory estate for the plan's tests and bench: builders for inputs, a synthetic
// PRNG-seeded graph, and `applyPlan`, which plays a plan's jobs as if they succeeded.
import { createHash } from 'node:crypto';
import type {
  FactoryConfig,
  JobSpec,
  Workspace,
  WorkspaceImage,
  WorkspaceRecipe,
} from '../../../../src/factory/model.js';
import type {
  ImageState,
  PlanInput,
  PlanResult,
  PublishedImage,
  PublishedPackage,
  RecordedJob,
} from '../../../../src/factory/plan/index.js';

export const NOW = '2026-11-28T03:00:00.000Z';
export const HOUR = 3_600_000;

export function sha(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

export function recipe(
  name: string,
  options: Partial<WorkspaceRecipe> & { deps?: string[] } = {},
): WorkspaceRecipe {
  const { deps, ...rest } = options;
  return {
    name,
    file: `/ws/recipes/${name}.yaml`,
    version: '1.0',
    epoch: 0,
    hash: sha(`${name}:1`),
    provides: [name],
    buildDepends: deps ?? [],
    archs: ['x86_64'],
    ...rest,
  };
}

export function image(name: string, options: Partial<WorkspaceImage> = {}): WorkspaceImage {
  return {
    name,
    configFile: `/ws/images/${name}.yaml`,
    publish: [`registry.test/${name}:latest`],
    hash: sha(`image:${name}`),
    ...options,
  };
}

export function config(schedules: Partial<FactoryConfig['schedules']> = {}): FactoryConfig {
  return {
    repository: {
      name: 'main',
      dir: '/ws/repo',
      archs: ['x86_64', 'aarch64'],
      signingKey: '/ws/key.rsa',
      extraRepositories: [],
      extraKeyring: [],
    },
    images: { signFormat: 'bundle', attest: false },
    registries: {},
    policy: { gate: 'zero-known-cve' },
    feeds: [],
    schedules: { rescanMs: 0, updateCheckMs: 0, ...schedules },
    server: { publicReads: true },
  };
}

export function workspace(
  recipes: WorkspaceRecipe[],
  images: WorkspaceImage[] = [],
  schedules: Partial<FactoryConfig['schedules']> = {},
): Workspace {
  return { root: '/ws', config: config(schedules), recipes, images, advisoryFiles: [] };
}

/** A package as if `r` had been built at `builtAt`. */
export function built(
  r: WorkspaceRecipe,
  builtAt = '2026-11-01T00:00:00.000Z',
  overrides: Partial<PublishedPackage> = {},
): PublishedPackage {
  return {
    name: r.name,
    version: `${r.version}-r${r.epoch}`,
    origin: r.name,
    recipeHash: r.hash,
    builtAt,
    ...overrides,
  };
}

export function input(ws: Workspace, overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    workspace: ws,
    repository: {},
    jobs: [],
    images: {},
    feedVersion: 'feed-1',
    schedule: { now: NOW, lastUpdateCheckAt: {} },
    ...overrides,
  };
}

/** A whole estate the simulator evolves: images resolve to the latest build of each recipe they hold. */
export interface Estate {
  workspace: Workspace;
  repository: Record<string, PublishedPackage[]>;
  jobs: Map<string, RecordedJob>;
  contents: Record<string, string[]>;
  published: Record<string, PublishedImage>;
  feedVersion: string;
  now: number;
  lastUpdateCheckAt: Record<string, string>;
  clock: number;
}

/** Resolution as the gatherer would do it: a lock over the latest package of every recipe the image holds. */
export function toInput(estate: Estate): PlanInput {
  const images: Record<string, ImageState> = {};
  const latest = new Map<string, PublishedPackage>();
  for (const pkg of estate.repository.x86_64 ?? []) {
    const held = latest.get(pkg.origin);
    if (!held || pkg.builtAt > held.builtAt) latest.set(pkg.origin, pkg);
  }
  for (const img of estate.workspace.images) {
    const parts: string[] = [];
    let problem: string | undefined;
    for (const name of estate.contents[img.name] ?? []) {
      const pkg = latest.get(name);
      if (!pkg) problem = `no package ${name}`;
      else parts.push(`${pkg.name}@${pkg.version}@${pkg.builtAt}`);
    }
    const published = estate.published[img.name];
    images[img.name] = {
      resolution: problem === undefined ? { lockHash: sha(parts.join('\n')) } : { problem },
      ...(published ? { published } : {}),
    };
  }
  return {
    workspace: estate.workspace,
    // Copies: the estate evolves after this snapshot is taken.
    repository: Object.fromEntries(
      Object.entries(estate.repository).map(([arch, list]) => [arch, [...list]]),
    ),
    jobs: [...estate.jobs.values()],
    images,
    feedVersion: estate.feedVersion,
    schedule: { now: new Date(estate.now).toISOString(), lastUpdateCheckAt: { ...estate.lastUpdateCheckAt } },
  };
}

/** Plays the plan's jobs in order as if each succeeded (`fail` names keys that fail for good instead, unless they wait on a failure). */
export function applyPlan(estate: Estate, plan: PlanResult, fail: ReadonlySet<string> = new Set()): void {
  const notRun = new Set<string>();
  for (const job of plan.jobs) {
    // A job behind a failure never runs (the queue does not claim it); it stays pending.
    const stuck = (job.after ?? []).some((key) => notRun.has(key));
    if (stuck || fail.has(job.key)) {
      notRun.add(job.key);
      estate.jobs.set(job.key, {
        key: job.key,
        status: stuck ? 'pending' : 'failed',
        attempts: stuck ? 0 : 3,
        ...(job.after ? { after: job.after } : {}),
      });
      continue;
    }
    run(estate, job);
    estate.jobs.set(job.key, {
      key: job.key,
      status: 'succeeded',
      attempts: 1,
      finishedAt: new Date(estate.clock).toISOString(),
    });
  }
}

function run(estate: Estate, job: JobSpec): void {
  const p = job.payload as Record<string, string>;
  switch (job.kind) {
    case 'build': {
      estate.clock += 1000;
      const r = estate.workspace.recipes.find((x) => x.name === p.recipe) as WorkspaceRecipe;
      const arch = p.arch as string;
      const version = `${r.version}-r${r.epoch}`;
      const list = (estate.repository[arch] ?? []).filter(
        (pkg) => !(pkg.origin === r.name && pkg.version === version),
      );
      list.push(built(r, new Date(estate.clock).toISOString()));
      estate.repository[arch] = list;
      return;
    }
    case 'compose': {
      estate.published[p.image as string] = {
        lockHash: p.lockHash as string,
        configHash: p.configHash as string,
        digest: sha(job.key),
        scannedFeedVersion: estate.feedVersion,
        scannedAt: new Date(estate.now).toISOString(),
        awaitingFix: false,
      };
      return;
    }
    case 'rescan': {
      const old = estate.published[p.image as string] as PublishedImage;
      estate.published[p.image as string] = {
        ...old,
        scannedFeedVersion: estate.feedVersion,
        scannedAt: new Date(estate.now).toISOString(),
      };
      return;
    }
    case 'update-check':
      estate.lastUpdateCheckAt[p.recipe as string] = new Date(estate.now).toISOString();
      return;
  }
}

/** mulberry32: small, seedable, good enough to shape graphs. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticOptions {
  readonly recipes: number;
  readonly images: number;
  /** Back edges creating cycles (0 for a DAG). */
  readonly backEdges?: number;
  readonly archs?: readonly string[];
  /** Share of recipes with an `update:` source. */
  readonly updateSources?: number;
}

/**
 * A Wolfi-shaped estate: recipe i build-depends on a few earlier recipes, picked with a strong
 * bias toward the first ones (a toolchain and core libraries everything needs: high fan-in), some
 * through `so:` provides names; images hold 3-15 recipes. Nothing is built yet.
 */
export function syntheticEstate(seed: number, options: SyntheticOptions): Estate {
  const random = prng(seed);
  const archs = options.archs ?? ['x86_64', 'aarch64'];
  const names = Array.from({ length: options.recipes }, (_, i) => `pkg${String(i).padStart(4, '0')}`);
  const recipes: WorkspaceRecipe[] = names.map((name, i) => {
    const deps = new Set<string>();
    const count = i === 0 ? 0 : Math.min(i, 1 + Math.floor(random() * 8));
    for (let k = 0; k < count; k++) {
      const j = Math.floor(i * random() ** 3);
      deps.add(random() < 0.3 ? `so:lib${names[j]}.so.1` : (names[j] as string));
    }
    return recipe(name, {
      provides: [name, `so:lib${name}.so.1`, `${name}-dev`],
      deps: [...deps].sort(),
      archs: random() < 0.1 ? [archs[0] as string] : [...archs],
      version: `${1 + Math.floor(random() * 5)}.${Math.floor(random() * 20)}`,
      epoch: Math.floor(random() * 3),
      hash: sha(`${name}:${seed}`),
      hasUpdateSource: random() < (options.updateSources ?? 0.5),
    });
  });
  for (let e = 0; e < (options.backEdges ?? 0); e++) {
    const from = Math.floor(random() * recipes.length);
    const to = from + 1 + Math.floor(random() * Math.min(10, recipes.length - from - 1));
    const r = recipes[from] as WorkspaceRecipe;
    if (to >= recipes.length) continue;
    recipes[from] = { ...r, buildDepends: [...r.buildDepends, names[to] as string].sort() };
  }
  const images: WorkspaceImage[] = [];
  const contents: Record<string, string[]> = {};
  for (let i = 0; i < options.images; i++) {
    const name = `img${String(i).padStart(4, '0')}`;
    images.push(image(name));
    const held = new Set<string>();
    const count = 3 + Math.floor(random() * 13);
    for (let k = 0; k < count; k++) held.add(names[Math.floor(names.length * random() ** 2)] as string);
    contents[name] = [...held].sort();
  }
  return {
    workspace: workspace(recipes, images, { rescanMs: 24 * HOUR, updateCheckMs: 6 * HOUR }),
    repository: {},
    jobs: new Map(),
    contents,
    published: {},
    feedVersion: 'feed-1',
    now: Date.parse(NOW),
    lastUpdateCheckAt: {},
    clock: Date.parse('2026-11-01T00:00:00.000Z'),
  };
}
