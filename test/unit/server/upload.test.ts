import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isLarderError, LarderError } from '../../../src/core/index.js';
import { createRemotePublisher } from '../../../src/server/index.js';
import { type Fixture, fixture } from './seed.js';

type ErrorJson = { error: { field?: string; message: string } };
let f: Fixture | undefined;
afterEach(async () => {
  await f?.service.close();
  f = undefined;
});

/** A fetch that sends requests to the app in process. */
const appFetch = (fx: Fixture): typeof fetch =>
  ((input: string | URL | Request, init?: RequestInit) =>
    fx.app.request(typeof input === 'string' ? input : input.toString(), init)) as typeof fetch;

async function packages(): Promise<{ fileName: string; path: string }[]> {
  const dir = await mkdtemp(join(tmpdir(), 'larder-upload-test-'));
  const out = [];
  for (const [name, bytes] of [
    ['hello-1.0-r0.apk', 'hello bytes'],
    ['hello-doc-1.0-r0.apk', 'doc'],
  ] as const) {
    await writeFile(join(dir, name), bytes);
    out.push({ fileName: name, path: join(dir, name) });
  }
  return out;
}

async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (isLarderError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('worker uploads', () => {
  it('publishes uploaded packages through the service publisher via the remote publisher', async () => {
    f = await fixture();
    const publisher = createRemotePublisher({
      serverUrl: 'http://larder.test/',
      token: f.token,
      fetch: appFetch(f),
    });
    const files = await packages();
    const published = await publisher.publish('x86_64', files, {
      key: 'build:hello@1.0-r0/x86_64#0',
      recipe: 'hello',
    });
    expect(published.map((p) => [p.name, p.version, p.size])).toEqual([
      ['hello', '1.0-r0', 11],
      ['hello-doc', '1.0-r0', 3],
    ]);
    const call = f.service.publishCalls[0];
    expect(call?.build).toEqual({ key: 'build:hello@1.0-r0/x86_64#0', recipe: 'hello' });
    expect(call?.files.map((x) => x.fileName)).toEqual(['hello-1.0-r0.apk', 'hello-doc-1.0-r0.apk']);
    expect(new TextDecoder().decode(call?.contents[0])).toBe('hello bytes');
  });

  it('refuses uploads without the write scope, for other archs, and with broken forms', async () => {
    f = await fixture();
    const files = await packages();
    const build = { key: 'k', recipe: 'hello' };
    const reader = createRemotePublisher({
      serverUrl: 'http://larder.test',
      token: f.readToken,
      fetch: appFetch(f),
    });
    expect(await rejection(reader.publish('x86_64', files, build))).toMatchObject({
      code: 'FETCH_UNAUTHORIZED',
      message: expect.stringContaining('HTTP 401'),
    });
    const writer = createRemotePublisher({
      serverUrl: 'http://larder.test',
      token: f.token,
      fetch: appFetch(f),
    });
    expect((await rejection(writer.publish('aarch64', files, build))).message).toContain(
      'arch aarch64: not an arch of this repository',
    );
    const badName = [{ fileName: '../evil-1.0-r0.apk', path: files[0]?.path as string }];
    expect((await rejection(writer.publish('x86_64', badName, build))).message).toContain(
      'is not <name>-<version>-r<n>.apk',
    );
    const twice = [files[0], files[0]] as { fileName: string; path: string }[];
    expect((await rejection(writer.publish('x86_64', twice, build))).message).toContain('given twice');
    const put = (body: FormData | string, headers: Record<string, string> = {}) =>
      (f as Fixture).app.request('/api/repository/x86_64/packages', {
        method: 'PUT',
        body,
        headers: { authorization: `Bearer ${(f as Fixture).token}`, ...headers },
      });
    const form = new FormData();
    form.set('recipe', 'hello');
    form.append('package', new Blob(['x']), 'a-1-r0.apk');
    const noKey = await put(form);
    expect(noKey.status).toBe(400);
    expect(((await noKey.json()) as ErrorJson).error).toMatchObject({ field: 'body.key' });
    const noFiles = new FormData();
    noFiles.set('key', 'k');
    noFiles.set('recipe', 'hello');
    expect(((await (await put(noFiles)).json()) as ErrorJson).error.field).toBe('body.package');
    const notFile = new FormData();
    notFile.set('key', 'k');
    notFile.set('recipe', 'hello');
    notFile.set('package', 'text');
    expect(((await (await put(notFile)).json()) as ErrorJson).error.message).toContain('must be a file part');
    expect((await put('{}', { 'content-type': 'application/json' })).status).toBe(415);
    const broken = await put('--x\r\ngarbage', { 'content-type': 'multipart/form-data; boundary=x' });
    expect(broken.status).toBe(400);
    expect(f.service.publishCalls).toEqual([]);
  });

  it('refuses bodies over the limit and reports a publisher failure', async () => {
    f = await fixture({ app: { maxUploadBytes: 1000 } });
    const files = await packages();
    await writeFile(files[0]?.path as string, 'x'.repeat(5000));
    const writer = createRemotePublisher({
      serverUrl: 'http://larder.test',
      token: f.token,
      fetch: appFetch(f),
    });
    expect(
      (await rejection(writer.publish('x86_64', files, { key: 'k', recipe: 'hello' }))).message,
    ).toContain('HTTP 413');
    await writeFile(files[0]?.path as string, 'x');
    (f.service.publisher as { publish: unknown }).publish = async () => {
      throw new LarderError('SIGNATURE_UNTRUSTED', 'hello-1.0-r0.apk: signed by an unknown key');
    };
    expect(await rejection(writer.publish('x86_64', files, { key: 'k', recipe: 'hello' }))).toMatchObject({
      code: 'FETCH_FAILED',
      message: expect.stringContaining('HTTP 400: hello-1.0-r0.apk: signed by an unknown key'),
    });
    const down = createRemotePublisher({
      serverUrl: 'http://larder.test',
      token: f.token,
      fetch: (async () => {
        throw new Error('connection refused');
      }) as typeof fetch,
    });
    expect(await rejection(down.publish('x86_64', files, { key: 'k', recipe: 'hello' }))).toMatchObject({
      code: 'FETCH_FAILED',
      message: expect.stringContaining('connection refused'),
    });
    const odd = createRemotePublisher({
      serverUrl: 'http://larder.test',
      token: f.token,
      fetch: (async () => new Response('{"published":[{"name":1}]}', { status: 201 })) as typeof fetch,
    });
    expect((await rejection(odd.publish('x86_64', files, { key: 'k', recipe: 'hello' }))).message).toContain(
      'unexpected answer',
    );
  });
});
