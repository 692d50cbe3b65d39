import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { larder } from '../kit/cli.js';
import {
  CVE,
  type Deployment,
  expectInitialPublication,
  expectNothingDuplicated,
  expectRemediation,
} from '../kit/factory-scenario.js';
import { type FactoryProcess, logFileIn, startFactoryProcess } from '../kit/factory-server.js';
import { prepareFactoryWorkspace } from '../kit/factory-workspace.js';
import { tempDir } from '../kit/paths.js';
import { type LocalRegistry, startLocalRegistry } from '../kit/registry.js';

// The factory end to end, embedded (issue 8 §5): `larder serve` with its SQLite store in the
// workspace runs every job in-process; two images holding libgreet go to a real docker-registry.
// The scenario itself is test/kit/factory-scenario.ts (shared with the PostgreSQL run).

let registry: LocalRegistry;
let serve: FactoryProcess;
let deployment: Deployment;

describe.runIf(process.arch === 'x64')('the factory end to end (SQLite, embedded)', () => {
  beforeAll(async () => {
    const dir = await tempDir('larder-factory-e2e-');
    registry = await startLocalRegistry();
    const ws = await prepareFactoryWorkspace(join(dir, 'ws'), { registry: registry.host });
    serve = await startFactoryProcess(['serve', '--workspace', ws.dir, '--listen', '127.0.0.1:0'], {
      logFile: logFileIn(dir, 'serve'),
      waitForListen: true,
    });
    const created = larder(['token', 'create', '--workspace', ws.dir, '--name', 'e2e']);
    if (created.status !== 0) throw new Error(`token create: ${created.stderr}`);
    deployment = {
      ws,
      url: () => serve.url,
      output: () => serve.output().split('\n').slice(-80).join('\n'),
      token: created.stdout.trim(),
    };
  }, 300_000);
  afterAll(async () => {
    await serve?.stop();
    await registry?.stop();
  });

  it('builds every recipe and publishes both images, signed and attested', async () => {
    await expectInitialPublication(deployment);
  }, 600_000);

  it('answers 401 to an advisory write without a token, and writes nothing', async () => {
    const res = await fetch(`${serve.url}/api/advisories`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ package: 'libgreet', vulnerability: CVE, type: 'detection' }),
    });
    expect(res.status).toBe(401);
    const advisories = await (await fetch(`${serve.url}/api/advisories`)).text();
    expect(advisories).not.toContain(CVE);
  });

  it('remediates a CVE in libgreet: rebuild, recompose both images, scan clean, re-sign, exposure recorded', async () => {
    const windows = await expectRemediation(deployment);
    expect(Object.keys(windows).sort()).toEqual(['greet', 'greet-dev']);
    await expectNothingDuplicated(deployment);
  }, 600_000);
});
