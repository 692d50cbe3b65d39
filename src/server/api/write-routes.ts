/** The API's writes: advisories (the only state a person edits) and waking the reconciler. */
import { Hono } from 'hono';
import type { AdvisoryInput, FactoryService } from '../../factory/index.js';
import { parseJsonBody, parseQuery } from '../http/errors.js';
import { AdvisoryInputBody, NoQuery } from './schemas.js';

export function writeRoutes(service: FactoryService): Hono {
  const app = new Hono();
  app.post('/advisories', async (c) => {
    parseQuery(c, NoQuery);
    const body = await parseJsonBody(c, AdvisoryInputBody);
    const input = Object.fromEntries(
      Object.entries(body).filter(([, v]) => v !== undefined),
    ) as unknown as AdvisoryInput;
    await service.saveAdvisory(input);
    return c.json({ saved: input }, 201);
  });
  app.post('/reconcile', (c) => {
    parseQuery(c, NoQuery);
    const reason = 'api: POST /api/reconcile';
    service.wake(reason);
    return c.json({ accepted: true, reason }, 202);
  });
  return app;
}
