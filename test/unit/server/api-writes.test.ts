import { afterEach, describe, expect, it } from 'vitest';
import { revokeToken, verifyToken } from '../../../src/factory/state/index.js';
import * as S from '../../../src/server/api/schemas.js';
import { presentedToken } from '../../../src/server/index.js';
import { bearer, type Fixture, fixture } from './seed.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.service.close();
  f = undefined;
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  (f as Fixture).app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const FIXED = { package: 'hello', vulnerability: 'CVE-2026-0002', type: 'fixed', fixedVersion: '1.0-r1' };

describe('API writes and tokens', () => {
  it('refuses writes without a token, with a bad one, a revoked one or one without the write scope', async () => {
    f = await fixture();
    const expect401 = async (res: Response, text: string) => {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(S.ErrorBody.parse(await res.json()).error.message).toContain(text);
    };
    await expect401(await post('/api/advisories', FIXED), 'writes need an API token');
    await expect401(
      await post(
        '/api/advisories',
        FIXED,
        bearer('lt_000000000000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'),
      ),
      'unknown',
    );
    await expect401(await post('/api/advisories', FIXED, bearer('not-a-token')), 'unknown');
    await expect401(await post('/api/advisories', FIXED, bearer(f.readToken)), 'lacks the write scope');
    await expect401(await post('/api/reconcile', {}, { authorization: 'Token abc' }), 'writes need');
    const id = f.token.split('_')[1] as string;
    expect(await revokeToken(f.service.store, id)).toBe(true);
    await expect401(await post('/api/reconcile', {}, bearer(f.token)), 'revoked');
    expect(f.service.advisories).toEqual([]);
    expect(f.service.wakes).toEqual([]);
  });

  it('saves an advisory with a write token: 201, saveAdvisory called, reconciler woken', async () => {
    f = await fixture();
    const res = await post('/api/advisories', FIXED, bearer(f.token));
    expect(res.status).toBe(201);
    expect(S.AdvisorySaved.parse(await res.json()).saved).toEqual(FIXED);
    expect(f.service.advisories).toEqual([FIXED]);
    expect(f.service.wakes).toEqual(['advisory hello CVE-2026-0002']);
    const fp = {
      package: 'hello',
      vulnerability: 'GHSA-aaaa-bbbb-cccc',
      type: 'false-positive-determination',
      falsePositiveType: 'vulnerable-code-not-in-execution-path',
      note: 'never called',
    };
    expect((await post('/api/advisories', fp, bearer(f.token))).status).toBe(201);
    expect(f.service.advisories[1]).toEqual(fp);
    // The token's use is recorded.
    expect((await verifyToken(f.service.store, f.token))?.lastUsedAt).toBeDefined();
  });

  it('refuses broken advisory bodies with 400s naming the field', async () => {
    f = await fixture();
    const bad = async (body: unknown, field: string, text: string) => {
      const res = await post('/api/advisories', body, bearer(f?.token as string));
      const error = S.ErrorBody.parse(await res.json()).error;
      expect(res.status, JSON.stringify(error)).toBe(400);
      expect(error.field).toBe(field);
      expect(error.message).toContain(text);
    };
    await bad('{"package": ', 'body', 'not JSON');
    await bad('', 'body', 'not JSON');
    await bad([], 'body', 'body');
    await bad(null, 'body', 'body');
    await bad({ ...FIXED, package: undefined }, 'body.package', 'body.package');
    await bad({ ...FIXED, package: '../etc' }, 'body.package', 'a package name');
    await bad({ ...FIXED, vulnerability: 'cve 1' }, 'body.vulnerability', 'CVE-2024-1234');
    await bad({ ...FIXED, type: 'maybe' }, 'body.type', 'body.type');
    await bad({ ...FIXED, fixedVersion: undefined }, 'body.fixedVersion', 'required when type is fixed');
    await bad({ ...FIXED, fixedVersion: '1.0 beta' }, 'body.fixedVersion', 'apk version');
    await bad({ ...FIXED, fixedVersion: 1 }, 'body.fixedVersion', 'body.fixedVersion');
    await bad({ ...FIXED, extra: true }, 'body', 'unknown "extra"');
    await bad(
      { package: 'hello', vulnerability: 'CVE-2026-1', type: 'detection', fixedVersion: '1.0-r0' },
      'body.fixedVersion',
      'not allowed',
    );
    await bad(
      { package: 'hello', vulnerability: 'CVE-2026-1', type: 'fix-not-planned' },
      'body.note',
      'required',
    );
    await bad(
      { package: 'hello', vulnerability: 'CVE-2026-1', type: 'false-positive-determination', note: 'n' },
      'body.falsePositiveType',
      'required',
    );
    await bad(
      { package: 'hello', vulnerability: 'CVE-2026-1', type: 'detection', falsePositiveType: 'x' },
      'body.falsePositiveType',
      'not allowed',
    );
    expect(f.service.advisories).toEqual([]);
  });

  it('maps a LarderError from saveAdvisory to a status and keeps its message', async () => {
    const { LarderError } = await import('../../../src/core/index.js');
    f = await fixture();
    const service = f.service as unknown as { saveAdvisory: (i: unknown) => Promise<void> };
    service.saveAdvisory = async () => {
      throw new LarderError('ADVISORY_INVALID', 'advisories/hello.advisories.yaml: bad');
    };
    const res = await post('/api/advisories', FIXED, bearer(f.token));
    expect(res.status).toBe(400);
    expect(S.ErrorBody.parse(await res.json()).error).toEqual({
      code: 'ADVISORY_INVALID',
      message: 'advisories/hello.advisories.yaml: bad',
    });
    service.saveAdvisory = async () => {
      throw new Error('disk on fire');
    };
    const boom = await post('/api/advisories', FIXED, bearer(f.token));
    expect(boom.status).toBe(500);
    expect(S.ErrorBody.parse(await boom.json()).error.message).toContain('disk on fire');
  });

  it('wakes the reconciler on POST /api/reconcile', async () => {
    f = await fixture();
    const res = await post('/api/reconcile', '', bearer(f.token));
    expect(res.status).toBe(202);
    expect(S.Accepted.parse(await res.json()).accepted).toBe(true);
    expect(f.service.wakes).toEqual(['api: POST /api/reconcile']);
  });

  it('needs a token for reads when public reads are off; Basic auth carries it too', async () => {
    f = await fixture({ publicReads: false });
    for (const path of [
      '/api/status',
      '/api/packages',
      '/metrics',
      '/security.json',
      '/main/x86_64/APKINDEX.tar.gz',
      '/main/keys/larder.rsa.pub',
    ]) {
      const res = await f.app.request(path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await f.app.request(path, { headers: bearer(f.readToken) })).status, path).toBe(200);
    }
    const basic = `Basic ${Buffer.from(`apk:${f.readToken}`).toString('base64')}`;
    expect(
      (await f.app.request('/main/x86_64/APKINDEX.tar.gz', { headers: { authorization: basic } })).status,
    ).toBe(200);
    const wrong = `Basic ${Buffer.from('apk:lt_nope').toString('base64')}`;
    expect((await f.app.request('/api/status', { headers: { authorization: wrong } })).status).toBe(401);
    // Public reads: no token needed.
    await f.service.close();
    f = await fixture({ publicReads: true });
    expect((await f.app.request('/api/status')).status).toBe(200);
  });

  it('reads tokens from Bearer and Basic headers only', () => {
    expect(presentedToken(undefined)).toBeUndefined();
    expect(presentedToken('Bearer lt_a_b')).toBe('lt_a_b');
    expect(presentedToken('bearer   lt_a_b  ')).toBe('lt_a_b');
    expect(presentedToken(`Basic ${Buffer.from('u:lt_x:y').toString('base64')}`)).toBe('lt_x:y');
    expect(presentedToken(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toBeUndefined();
    expect(presentedToken('Digest abc')).toBeUndefined();
    expect(presentedToken('Bearer a b')).toBeUndefined();
  });
});
