import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../src/core/index.js';
import { dockerConfigCredentials, isLoopbackRegistry, staticCredentials } from '../../../src/oci/index.js';
import { mergeScopes, parseChallenges } from '../../../src/oci/registry/challenge.js';
import { tempDir } from '../../kit/paths.js';
import { rejectsWith } from './helpers.js';

describe('WWW-Authenticate parsing', () => {
  it('reads a bearer challenge with a quoted scope list holding commas', () => {
    expect(
      parseChallenges(
        'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:team/app:pull,push"',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.example.com/token',
          service: 'registry.example.com',
          scope: 'repository:team/app:pull,push',
        },
      },
    ]);
  });

  it('reads several challenges, token values, escapes and case-insensitive schemes', () => {
    expect(parseChallenges(['BASIC realm="a \\"b\\""', 'Bearer realm=x, error=insufficient_scope'])).toEqual([
      { scheme: 'basic', params: { realm: 'a "b"' } },
      { scheme: 'bearer', params: { realm: 'x', error: 'insufficient_scope' } },
    ]);
    expect(parseChallenges('Basic realm="r", Bearer realm="t"').map((c) => c.scheme)).toEqual([
      'basic',
      'bearer',
    ]);
    expect(parseChallenges(undefined)).toEqual([]);
  });

  it('merges scopes per resource so equal needs share one token', () => {
    expect(
      mergeScopes(['repository:b:pull', 'repository:a:push', 'repository:a:pull', 'repository:a:pull']),
    ).toEqual(['repository:a:pull,push', 'repository:b:pull']);
  });
});

describe('loopback registries', () => {
  it.each([
    ['localhost', true],
    ['localhost:5000', true],
    ['127.0.0.1:5000', true],
    ['127.1.2.3', true],
    ['[::1]:5000', true],
    ['registry.example.com', false],
    ['10.0.0.1:5000', false],
    ['localhost.example.com', false],
  ])('%s → %s', (registry, loopback) => {
    expect(isLoopbackRegistry(registry)).toBe(loopback);
  });
});

describe('docker config.json credentials', () => {
  const auth = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

  async function configWith(doc: unknown): Promise<string> {
    const path = join(await tempDir(), 'config.json');
    await writeFile(path, JSON.stringify(doc));
    return path;
  }

  it('reads auths by host, URL keys, Docker Hub, identity and registry tokens', async () => {
    const path = await configWith({
      auths: {
        'registry.example.com': { auth: auth('alice', 's3cret:with:colons') },
        'https://other.example.com:5000/v1/': { username: 'bob', password: 'pw' },
        'https://index.docker.io/v1/': { auth: auth('hubuser', 'hubpw') },
        'id.example.com': { auth: auth('<token>', ''), identitytoken: 'refresh-me' },
        'rt.example.com': { registrytoken: 'bearer-me' },
      },
    });
    const provider = dockerConfigCredentials({ path });
    expect(await provider('registry.example.com')).toEqual({
      kind: 'basic',
      username: 'alice',
      password: 's3cret:with:colons',
    });
    expect(await provider('other.example.com:5000')).toEqual({
      kind: 'basic',
      username: 'bob',
      password: 'pw',
    });
    expect(await provider('docker.io')).toEqual({ kind: 'basic', username: 'hubuser', password: 'hubpw' });
    expect(await provider('id.example.com')).toEqual({ kind: 'identity-token', token: 'refresh-me' });
    expect(await provider('rt.example.com')).toEqual({ kind: 'registry-token', token: 'bearer-me' });
    expect(await provider('unknown.example.com')).toBeUndefined();
  });

  it('example from oci-trust.md §10.7: alice/s3cret is YWxpY2U6czNjcmV0', async () => {
    const path = await configWith({ auths: { 'r.example': { auth: 'YWxpY2U6czNjcmV0' } } });
    expect(await dockerConfigCredentials({ path })('r.example')).toEqual({
      kind: 'basic',
      username: 'alice',
      password: 's3cret',
    });
  });

  it('notes credential helpers once and stays anonymous', async () => {
    const path = await configWith({ credHelpers: { 'gcr.io': 'gcloud' }, credsStore: 'desktop' });
    const events: ProgressEvent[] = [];
    const provider = dockerConfigCredentials({ path, onProgress: (e) => events.push(e) });
    expect(await provider('gcr.io')).toBeUndefined();
    expect(await provider('gcr.io')).toBeUndefined();
    expect(await provider('quay.io')).toBeUndefined();
    const messages = events.map((e) => (e.kind === 'warn' ? e.message : ''));
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain('docker-credential-gcloud');
    expect(messages[1]).toContain('docker-credential-desktop');
  });

  it('a missing file is anonymous; malformed files are CONFIG_INVALID naming the file', async () => {
    const dir = await tempDir();
    expect(await dockerConfigCredentials({ path: join(dir, 'none.json') })('x.example')).toBeUndefined();
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{not json');
    const err = await rejectsWith(
      () => dockerConfigCredentials({ path: bad })('x.example'),
      'CONFIG_INVALID',
    );
    expect(err.message).toContain(bad);
    const noColon = await configWith({
      auths: { 'x.example': { auth: Buffer.from('nocolon').toString('base64') } },
    });
    await rejectsWith(() => dockerConfigCredentials({ path: noColon })('x.example'), 'CONFIG_INVALID');
  });

  it('static credentials answer only for their hosts, then defer', async () => {
    const path = await configWith({ auths: { 'b.example': { auth: auth('b', 'pw') } } });
    const provider = staticCredentials(
      { 'a.example': { kind: 'basic', username: 'a', password: 'x' } },
      dockerConfigCredentials({ path }),
    );
    expect(await provider('a.example')).toEqual({ kind: 'basic', username: 'a', password: 'x' });
    expect(await provider('b.example')).toEqual({ kind: 'basic', username: 'b', password: 'pw' });
    expect(await provider('c.example')).toBeUndefined();
  });
});
