/** The API's JSON reads over the factory's recorded state (src/factory/state) and its queue. */
import { Hono } from 'hono';
import type { FactoryService, JobRecord } from '../../factory/index.js';
import {
  type ImageVersionRecord,
  imageFindings,
  imageHistory,
  latestImageVersions,
  listAdvisories,
  listBuilds,
  listImages,
  listPackages,
  openFindings,
} from '../../factory/index.js';
import { notFound, parseQuery } from '../http/errors.js';
import { BuildsQuery, JobsQuery, NoQuery } from './schemas.js';

/** An image version without its lock (large; the dashboard shows packages from the image page's SBOM). */
export function versionView(v: ImageVersionRecord): Omit<ImageVersionRecord, 'lock'> {
  const { lock: _lock, ...rest } = v;
  return rest;
}

/** A job as the API shows it (the record as stored). */
export const jobView = (job: JobRecord): JobRecord => job;

export function readRoutes(service: FactoryService): Hono {
  const app = new Hono();
  const store = service.store;

  app.get('/packages', async (c) => {
    parseQuery(c, NoQuery);
    return c.json({ packages: await listPackages(store) });
  });
  app.get('/packages/:name', async (c) => {
    parseQuery(c, NoQuery);
    const name = c.req.param('name');
    const versions = await listPackages(store, { name });
    if (versions.length === 0) throw notFound(`package ${name}`);
    return c.json({ name, versions });
  });

  app.get('/builds', async (c) => {
    const q = parseQuery(c, BuildsQuery);
    const builds = await listBuilds(store, {
      ...(q.recipe !== undefined && { recipe: q.recipe }),
      ...(q.status !== undefined && { status: q.status }),
      limit: q.limit === undefined ? 200 : Number(q.limit),
    });
    return c.json({ builds });
  });
  app.get('/builds/:key', async (c) => {
    parseQuery(c, NoQuery);
    const key = c.req.param('key');
    const recipe = /^build:([^@]+)@/.exec(key)?.[1];
    const build = (await listBuilds(store, recipe === undefined ? {} : { recipe })).find(
      (b) => b.key === key,
    );
    if (build === undefined) throw notFound(`build ${key}`);
    return c.json(build);
  });

  app.get('/jobs', async (c) => {
    const q = parseQuery(c, JobsQuery);
    const jobs = await service.queue.list({
      ...(q.status !== undefined && { status: q.status }),
      ...(q.kind !== undefined && { kind: q.kind }),
      limit: q.limit === undefined ? 200 : Number(q.limit),
    });
    return c.json({ jobs: jobs.map(jobView) });
  });
  app.get('/jobs/:key', async (c) => {
    parseQuery(c, NoQuery);
    const key = c.req.param('key');
    const job = await service.queue.get(key);
    if (job === undefined) throw notFound(`job ${key}`);
    return c.json(jobView(job));
  });

  app.get('/images', async (c) => {
    parseQuery(c, NoQuery);
    const [images, latest, open] = await Promise.all([
      listImages(store),
      latestImageVersions(store),
      openFindings(store),
    ]);
    const latestOf = new Map(latest.map((v) => [v.image, v]));
    return c.json({
      images: images.map((i) => {
        const v = latestOf.get(i.name);
        return {
          name: i.name,
          configFile: i.configFile,
          publish: i.publish,
          policy: i.policy,
          ...(v === undefined ? {} : { latest: versionView(v) }),
          openFindings: open.filter((f) => f.image === i.name).length,
        };
      }),
    });
  });
  app.get('/images/:name', async (c) => {
    parseQuery(c, NoQuery);
    const name = c.req.param('name');
    const image = (await listImages(store)).find((i) => i.name === name);
    if (image === undefined) throw notFound(`image ${name}`);
    const [history, findings] = await Promise.all([imageHistory(store, name), imageFindings(store, name)]);
    const latest = history[0];
    return c.json({
      ...image,
      ...(latest === undefined ? {} : { latest: versionView(latest) }),
      openFindings: findings.filter((f) => f.resolvedAt === undefined && f.state !== 'not-affected').length,
      history: history.map(versionView),
      findings,
    });
  });

  app.get('/vulnerabilities', async (c) => {
    parseQuery(c, NoQuery);
    return c.json({ findings: await openFindings(store) });
  });
  app.get('/advisories', async (c) => {
    parseQuery(c, NoQuery);
    return c.json({ advisories: await listAdvisories(store) });
  });

  app.get('/status', async (c) => {
    parseQuery(c, NoQuery);
    return c.json({ ...service.status(), queue: await service.queue.stats() });
  });
  return app;
}
