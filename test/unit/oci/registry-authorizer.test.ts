import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { dockerConfigCredentials, staticCredentials } from '../../../src/oci/index.js';
import { Authorizer, grantedScopes } from '../../../src/oci/registry/auth.js';
import type { AuthChallenge } from '../../../src/oci/registry/challenge.js';
import type { HttpRequest, HttpResponse } from '../../../src/oci/registry/http.js';

// The Authorizer against a fake token realm: concurrent requests share one token fetch, and
// error wording names the scheme, the scopes and as whom (never a secret).
const HOST = 'registry.example.com';
const BEARER: AuthChallenge[] = [
  { scheme: 'bearer', params: { realm: 'https://auth.example.com/token', service: 'reg' } },
];
const SCOPE = ['repository:team/app:pull', 'repository:team/app:push'];

/** An unsigned JWT-shaped token with an `access` claim (signatures do not matter here). */
function jwtWith(access: unknown): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'ES256' })}.${part({ access })}.c2ln`;
}

function tokenRealm(token?: string): {
  send: (req: HttpRequest) => Promise<HttpResponse>;
  seen: HttpRequest[];
} {
  const seen: HttpRequest[] = [];
  const send = async (req: HttpRequest): Promise<HttpResponse> => {
    seen.push(req);
    await delay(20);
    const body = Buffer.from(JSON.stringify({ token: token ?? `t${seen.length}`, expires_in: 300 }));
    return {
      status: 200,
      url: req.url,
      header: () => undefined,
      headers: () => [],
      body: Readable.from([body]) as unknown as HttpResponse['body'],
    };
  };
  return { send, seen };
}

describe('Authorizer', () => {
  it('shares one token fetch among concurrent requests needing the same scopes', async () => {
    const realm = tokenRealm();
    const auth = new Authorizer(
      staticCredentials({ [HOST]: { kind: 'basic', username: 'alice', password: 'pw' } }),
      realm.send,
    );
    expect(await auth.challenged(HOST, `https://${HOST}/v2/`, BEARER, SCOPE)).toBe(true);
    const headers = await Promise.all(Array.from({ length: 8 }, () => auth.authorization(HOST, SCOPE)));
    expect(new Set(headers)).toEqual(new Set(['Bearer t1']));
    expect(realm.seen).toHaveLength(1);
    expect(realm.seen[0]!.url).toBe(
      'https://auth.example.com/token?service=reg&scope=repository%3Ateam%2Fapp%3Apull%2Cpush',
    );
    expect(realm.seen[0]!.headers?.authorization).toBe(`Basic ${Buffer.from('alice:pw').toString('base64')}`);
    // Cached afterwards; another scope set is another fetch.
    expect(await auth.authorization(HOST, [...SCOPE].reverse())).toBe('Bearer t1');
    expect(await auth.authorization(HOST, ['repository:team/base:pull'])).toBe('Bearer t2');
    expect(realm.seen).toHaveLength(2);
  });

  it('a failed fetch is not cached: the next request tries again', async () => {
    let calls = 0;
    const auth = new Authorizer(undefined, async (req) => {
      calls++;
      if (calls === 1) throw new Error('connection reset');
      return tokenRealm().send(req);
    });
    await auth.challenged(HOST, `https://${HOST}/v2/`, BEARER, SCOPE);
    await expect(auth.authorization(HOST, SCOPE)).rejects.toThrow('connection reset');
    expect(await auth.authorization(HOST, SCOPE)).toBe('Bearer t1');
    expect(calls).toBe(2);
  });

  it('describes what was tried: scheme, realm, scopes and user, or where credentials were looked for', async () => {
    const realm = tokenRealm();
    const withUser = new Authorizer(
      staticCredentials({ [HOST]: { kind: 'basic', username: 'alice', password: 'secret-pw' } }),
      realm.send,
    );
    expect(withUser.describe(HOST, SCOPE)).toBe('anonymously for scope repository:team/app:pull,push');
    await withUser.challenged(HOST, `https://${HOST}/v2/`, BEARER, SCOPE);
    await withUser.authorization(HOST, SCOPE);
    const said = withUser.describe(HOST, SCOPE);
    expect(said).toBe(
      'with a bearer token from realm https://auth.example.com/token service reg for scope repository:team/app:pull,push, as user alice',
    );
    expect(said).not.toContain('secret-pw');

    const provider = dockerConfigCredentials({ path: '/home/u/.docker/config.json' });
    expect(provider.source).toBe('/home/u/.docker/config.json');
    expect(staticCredentials({}, provider).source).toBe('/home/u/.docker/config.json');
    const anonymous = new Authorizer(provider, realm.send);
    expect(
      await anonymous.challenged(
        HOST,
        `https://${HOST}/v2/`,
        [{ scheme: 'basic', params: { realm: 'r' } }],
        SCOPE,
      ),
    ).toBe(false);
    expect(anonymous.describe(HOST, SCOPE)).toBe(
      `anonymously (no credentials for ${HOST} in /home/u/.docker/config.json), though it asks for Basic auth`,
    );
  });

  it('says what a JWT token granted when it falls short of the scopes asked for', async () => {
    const token = jwtWith([
      { type: 'repository', name: 'team/app', actions: ['pull'] },
      { type: 'repository', name: 'team/base', actions: [] },
    ]);
    const auth = new Authorizer(
      staticCredentials({ [HOST]: { kind: 'basic', username: 'bob', password: 'pw' } }),
      tokenRealm(token).send,
    );
    await auth.challenged(HOST, `https://${HOST}/v2/`, BEARER, SCOPE);
    await auth.authorization(HOST, SCOPE);
    expect(auth.describe(HOST, SCOPE)).toBe(
      'with a bearer token from realm https://auth.example.com/token service reg for scope repository:team/app:pull,push, as user bob; the token grants only repository:team/app:pull',
    );
    // Enough granted: nothing added.
    await auth.authorization(HOST, ['repository:team/app:pull']);
    expect(auth.describe(HOST, ['repository:team/app:pull'])).not.toContain('grants');
  });

  it('before any challenge, an error says no credentials were found and where', async () => {
    const auth = new Authorizer(
      dockerConfigCredentials({ path: '/nonexistent/config.json' }),
      tokenRealm().send,
    );
    expect(await auth.authorization(HOST, SCOPE)).toBeUndefined();
    expect(auth.describe(HOST, SCOPE)).toBe(
      `anonymously (no credentials for ${HOST} in /nonexistent/config.json) for scope repository:team/app:pull,push`,
    );
  });

  it('a 401 to an anonymous request keeps a token just fetched; one naming an error drops it', async () => {
    let now = 1_000_000;
    const realm = tokenRealm();
    const auth = new Authorizer(undefined, realm.send, () => now);
    await auth.challenged(HOST, `https://${HOST}/v2/`, BEARER, SCOPE);
    expect(await auth.authorization(HOST, SCOPE)).toBe('Bearer t1');
    // A parallel request sent anonymously comes back 401 now: t1 is kept.
    await auth.challenged(HOST, `https://${HOST}/v2/`, BEARER, SCOPE);
    expect(await auth.authorization(HOST, SCOPE)).toBe('Bearer t1');
    // The registry says the token is no good: fetched again.
    const invalid = [{ scheme: 'bearer', params: { ...BEARER[0]!.params, error: 'invalid_token' } }];
    await auth.challenged(HOST, `https://${HOST}/v2/`, invalid, SCOPE);
    expect(await auth.authorization(HOST, SCOPE)).toBe('Bearer t2');
    // Later, a plain 401 drops it too.
    now += 5000;
    await auth.challenged(HOST, `https://${HOST}/v2/`, BEARER, SCOPE);
    expect(await auth.authorization(HOST, SCOPE)).toBe('Bearer t3');
    expect(realm.seen).toHaveLength(3);
  });
});

describe('grantedScopes', () => {
  it('reads the access claim of a JWT, merged; anything else is unknown', () => {
    expect(
      grantedScopes(
        jwtWith([
          { type: 'repository', name: 'b', actions: ['pull'] },
          { type: 'repository', name: 'a', actions: ['push', 'pull'] },
          { type: 'registry', name: 'catalog', actions: ['*'] },
        ]),
      ),
    ).toEqual(['registry:catalog:*', 'repository:a:pull,push', 'repository:b:pull']);
    expect(grantedScopes(jwtWith([]))).toEqual([]);
    expect(grantedScopes('opaque-token')).toBeUndefined();
    expect(grantedScopes('a.!!!.c')).toBeUndefined();
    expect(
      grantedScopes(
        `${Buffer.from('{}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.x`,
      ),
    ).toBeUndefined();
  });
});
