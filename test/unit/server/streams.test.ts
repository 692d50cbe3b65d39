import { afterEach, describe, expect, it } from 'vitest';
import { JobLogLine } from '../../../src/server/api/schemas.js';
import { BUILD_KEY, type Fixture, fixture } from './seed.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.service.close();
  f = undefined;
});

interface SseMessage {
  event?: string;
  id?: string;
  data: string;
}

/** Reads SSE messages from a response until `stop` says so or the stream ends; comments are counted. */
async function readSse(
  res: Response,
  stop: (messages: SseMessage[]) => boolean,
): Promise<{ messages: SseMessage[]; comments: number; ended: boolean }> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const messages: SseMessage[] = [];
  let buffer = '';
  let comments = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { messages, comments, ended: true };
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      if (block.startsWith(':')) {
        comments++;
        continue;
      }
      const m: SseMessage = { data: '' };
      for (const line of block.split('\n')) {
        const [k, ...rest] = line.split(': ');
        const v = rest.join(': ');
        if (k === 'event') m.event = v;
        else if (k === 'id') m.id = v;
        else if (k === 'data') m.data += v;
      }
      messages.push(m);
    }
    if (stop(messages)) {
      await reader.cancel();
      return { messages, comments, ended: false };
    }
  }
}

const key = encodeURIComponent(BUILD_KEY);

describe('logs and event streams', () => {
  it('answers a job log as JSON lines, from a sequence number', async () => {
    f = await fixture();
    f.service.appendLog(BUILD_KEY, '[fetch] ok');
    f.service.appendLog(BUILD_KEY, '[build] make');
    const res = await f.app.request(`/api/jobs/${key}/log`);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await res.text())
      .trimEnd()
      .split('\n')
      .map((l) => JobLogLine.parse(JSON.parse(l)));
    expect(lines.map((l) => [l.seq, l.line])).toEqual([
      [1, '[fetch] ok'],
      [2, '[build] make'],
    ]);
    expect(await (await f.app.request(`/api/jobs/${key}/log?after=1`)).text()).toContain('"seq":2');
    expect(await (await f.app.request(`/api/jobs/${key}/log?after=2`)).text()).toBe('');
    expect((await f.app.request('/api/jobs/nope/log')).status).toBe(404);
    expect((await f.app.request(`/api/jobs/${key}/log?after=x`)).status).toBe(400);
  });

  it('streams existing then new log lines and ends when the job is done', async () => {
    f = await fixture();
    const service = f.service;
    service.appendLog(BUILD_KEY, 'one');
    const res = await f.app.request(`/api/jobs/${key}/log/stream`);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const job = await service.queue.claim('w1', ['build'], 60_000);
    expect(job?.key).toBe(BUILD_KEY);
    setTimeout(async () => {
      service.appendLog(BUILD_KEY, 'two');
      await new Promise((r) => setTimeout(r, 40));
      service.appendLog(BUILD_KEY, 'three');
      await service.queue.complete(job?.id as number, 'w1', {});
    }, 40);
    const { messages, ended } = await readSse(res, () => false);
    expect(ended).toBe(true);
    expect(messages.filter((m) => m.event === 'line').map((m) => [m.id, JSON.parse(m.data).line])).toEqual([
      ['1', 'one'],
      ['2', 'two'],
      ['3', 'three'],
    ]);
    expect(messages.at(-1)).toEqual({ event: 'end', data: '{"status":"succeeded"}' });
  });

  it('resumes a log stream after Last-Event-ID', async () => {
    f = await fixture();
    for (const l of ['a', 'b', 'c']) f.service.appendLog(BUILD_KEY, l);
    const job = await f.service.queue.claim('w1', ['build'], 60_000);
    await f.service.queue.fail(job?.id as number, 'w1', 'boom', { retryable: false });
    const res = await f.app.request(`/api/jobs/${key}/log/stream`, { headers: { 'last-event-id': '2' } });
    const { messages } = await readSse(res, () => false);
    expect(messages.map((m) => m.id ?? m.event)).toEqual(['3', 'end']);
    expect(messages.at(-1)?.data).toBe('{"status":"failed"}');
    expect(
      (await f.app.request(`/api/jobs/${key}/log/stream`, { headers: { 'last-event-id': 'x' } })).status,
    ).toBe(400);
  });

  it('streams events: the backlog after ?after=, then new ones, with keep-alives; unsubscribes on close', async () => {
    f = await fixture();
    const service = f.service;
    const [, second] = (
      (await (await f.app.request('/api/events?after=0')).json()) as { events: { id: number }[] }
    ).events;
    const res = await f.app.request(`/api/events/stream?after=${second?.id}`);
    setTimeout(() => {
      void service.emit({
        at: '2026-01-01T01:00:00.000Z',
        kind: 'image-published',
        subject: 'image:greet',
        message: 'live',
      });
    }, 120);
    const { messages, comments } = await readSse(res, (m) => m.length >= 2);
    expect(messages.map((m) => JSON.parse(m.data).message)).toEqual(['event 3', 'live']);
    expect(messages.map((m) => m.event)).toEqual(['event', 'event']);
    expect(Number(messages[1]?.id)).toBeGreaterThan(Number(messages[0]?.id));
    expect(comments).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(service.listenerCount()).toBe(0);
  });

  it('streams only new events without a cursor', async () => {
    f = await fixture();
    const service = f.service;
    const res = await f.app.request('/api/events/stream');
    setTimeout(() => {
      void service.emit({
        at: '2026-01-01T01:00:00.000Z',
        kind: 'feed-refreshed',
        subject: 'feed',
        message: 'new',
      });
    }, 30);
    const { messages } = await readSse(res, (m) => m.length >= 1);
    expect(messages.map((m) => JSON.parse(m.data).message)).toEqual(['new']);
  });
});
