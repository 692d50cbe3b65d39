import { execFileSync } from 'node:child_process';
import { expect } from 'vitest';
import { larder } from './cli.js';
import { getJson, waitFor } from './factory-server.js';
import { type FactoryWorkspace, setRecipeEpoch } from './factory-workspace.js';

// The end-to-end scenario of issue 8 §5, shared by the SQLite (embedded) and PostgreSQL (workers)
// runs: everything builds and publishes signed; then an advisory (CVE in libgreet, fixed in
// 1.0.0-r1) and libgreet's epoch bump: rebuild, recompose both images, scan clean, re-sign, push,
// exposure window recorded.

export interface ImageVersion {
  readonly indexDigest: string;
  readonly signed: boolean;
  readonly attested: boolean;
  readonly lockHash: string;
}
export interface Finding {
  readonly vulnId: string;
  readonly aliases: readonly string[];
  readonly package: string;
  readonly state: string;
  readonly firstSeen: string;
  readonly resolvedAt?: string;
}
export interface ImageDetail {
  readonly name: string;
  readonly latest?: ImageVersion;
  readonly openFindings: number;
  readonly history: readonly ImageVersion[];
  readonly findings: readonly Finding[];
}
interface Status {
  readonly queue: Readonly<Record<'pending' | 'running' | 'succeeded' | 'failed', number>>;
  readonly problems: readonly string[];
  readonly summary: readonly string[];
}

export const IMAGES = ['greet', 'greet-dev'] as const;

/** A finding's id and aliases (an advisory's CGA id, with the CVE as an alias). */
const names = (f: Finding): string[] => [f.vulnId, ...f.aliases];
export const CVE = 'CVE-2026-0001';

/** How the scenario reaches the factory under test. */
export interface Deployment {
  readonly ws: FactoryWorkspace;
  /** The server's base URL now (it may be restarted). */
  url(): string;
  /** What to show when waiting fails (the tails of the processes' logs). */
  output(): string;
  /** A write token (`larder token create` against the deployment's store). */
  readonly token: string;
}

export function image(d: Deployment, name: string): Promise<ImageDetail> {
  return getJson<ImageDetail>(d.url(), `/api/images/${name}`);
}

/** Nothing pending or running, and `accept` holds for both images: the factory has settled. */
export function settled(d: Deployment, accept: (images: ImageDetail[]) => boolean): Promise<ImageDetail[]> {
  return waitFor(
    'the factory to settle',
    async () => {
      const status = await getJson<Status>(d.url(), '/api/status');
      if (status.queue.pending + status.queue.running > 0) return undefined;
      const images = await Promise.all(IMAGES.map((n) => image(d, n)));
      return accept(images) ? images : undefined;
    },
    { timeoutMs: 480_000, everyMs: 1000, describe: () => d.output() },
  );
}

function verify(d: Deployment, ref: string): void {
  const r = larder(['verify', '--key', d.ws.cosignPub, ref]);
  expect(r.status, `verify ${ref}: ${r.stdout}${r.stderr}`).toBe(0);
}

function registryDigest(ref: string): string {
  const raw = execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${ref}`]);
  return `sha256:${execFileSync('sha256sum', { input: raw, encoding: 'utf8' }).slice(0, 64)}`;
}

function checkPublished(d: Deployment, images: readonly ImageDetail[]): void {
  for (const i of images) {
    expect(i.latest?.signed, i.name).toBe(true);
    expect(i.latest?.attested, i.name).toBe(true);
    expect(i.openFindings, i.name).toBe(0);
    const ref = d.ws.images[i.name as (typeof IMAGES)[number]];
    expect(registryDigest(ref), `${ref} on the registry`).toBe(i.latest?.indexDigest);
    verify(d, ref);
  }
}

/** Step 1: the factory builds every recipe and publishes both images, signed and attested. */
export async function expectInitialPublication(d: Deployment): Promise<ImageDetail[]> {
  const images = await settled(d, (all) => all.every((i) => i.latest !== undefined));
  checkPublished(d, images);
  const status = await getJson<Status>(d.url(), '/api/status');
  expect(status.queue.failed, status.summary.join('\n')).toBe(0);
  expect(status.problems).toEqual([]);
  return images;
}

/** Step 2: an advisory and the fix; returns the exposure windows (ms) per image. */
export async function expectRemediation(d: Deployment): Promise<Record<string, number>> {
  const before = await Promise.all(IMAGES.map((n) => image(d, n)));
  const res = await fetch(`${d.url()}/api/advisories`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${d.token}` },
    body: JSON.stringify({
      package: 'libgreet',
      vulnerability: CVE,
      type: 'fixed',
      fixedVersion: '1.0.0-r1',
    }),
  });
  expect(res.status, await res.text()).toBeLessThan(300);
  // The rescan finds it in both published images; the fix is not built yet.
  await settled(d, (all) =>
    all.every((i) => i.findings.some((f) => names(f).includes(CVE) && !f.resolvedAt)),
  );

  await setRecipeEpoch(d.ws.dir, 'libgreet', 1);
  const after = await settled(d, (all) =>
    all.every((i, n) => i.latest !== undefined && i.latest.indexDigest !== before[n]?.latest?.indexDigest),
  );
  checkPublished(d, after);
  const windows: Record<string, number> = {};
  for (const i of after) {
    const finding = i.findings.find((f) => names(f).includes(CVE));
    expect(finding?.resolvedAt, `${i.name}: ${JSON.stringify(i.findings)}`).toBeDefined();
    windows[i.name] = Date.parse(finding!.resolvedAt!) - Date.parse(finding!.firstSeen);
    expect(windows[i.name]).toBeGreaterThan(0);
    expect(i.history.length, `${i.name}: one version before the fix, one after`).toBe(2);
  }
  const lib = await getJson<unknown>(d.url(), '/api/packages/libgreet');
  expect(JSON.stringify(lib)).toContain('1.0.0-r1');
  const metrics = await (await fetch(`${d.url()}/metrics`)).text();
  expect(metrics).toMatch(/exposure/);
  return windows;
}

/** Nothing done twice: each package version published once, each job key succeeded once. */
export async function expectNothingDuplicated(d: Deployment): Promise<void> {
  const body = await getJson<{ packages: { name: string; version: string; arch: string }[] }>(
    d.url(),
    '/api/packages',
  );
  const ids = body.packages.map((p) => `${p.name}-${p.version}/${p.arch}`);
  expect(ids.length).toBeGreaterThan(0);
  expect(new Set(ids).size, ids.join(' ')).toBe(ids.length);
  const jobs = await getJson<{ jobs: { key: string; status: string }[] }>(d.url(), '/api/jobs?limit=1000');
  const keys = jobs.jobs.map((j) => j.key);
  expect(new Set(keys).size).toBe(keys.length);
  expect(jobs.jobs.filter((j) => j.status === 'failed')).toEqual([]);
}
