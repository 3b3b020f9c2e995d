import { EventFanout } from '../../src/core/realtime/event-fanout';
import { SseService } from '../../src/core/realtime/sse.service';
import { TestApp } from '../support/test-app';
import { readSse, SseEvent, until } from './realtime-clients';

async function submit(app: TestApp, token: string, body: Record<string, unknown>): Promise<string> {
  const res = await app.request('POST', '/api/diagnostics/jobs', { token, body });
  expect(res.status).toBe(202);
  return res.body.jobId as string;
}

const names = (events: SseEvent[]): string[] => events.filter((e) => e.event).map((e) => e.event!);

describe('SseController (e2e)', () => {
  let app: TestApp;
  let alice: string;
  const jobUrl = (id: string, token: string): string =>
    `${app.url}/api/sse/jobs/${id}?access_token=${token}`;

  beforeAll(async () => {
    app = await TestApp.start();
    alice = app.token('alice');
  });

  afterAll(() => app.close());

  it('should stream snapshot, progress and one completed event, then end', async () => {
    const id = await submit(app, alice, { durationMs: 1_200, steps: 12 });
    const { status, headers, events, ended } = await readSse(jobUrl(id, alice));
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(ended).toBe(true);
    const seen = names(events);
    expect(seen[0]).toBe('snapshot');
    expect(seen.at(-1)).toBe('completed');
    expect(seen.filter((n) => ['completed', 'failed', 'cancelled'].includes(n))).toHaveLength(1);
    expect(seen.filter((n) => n === 'progress').length).toBeGreaterThanOrEqual(3);
    expect(events[0].data).toMatchObject({ id, type: 'diagnostic' });
    expect(events.at(-1)!.data).toMatchObject({ id, state: 'completed', progress: 100 });
    const seqs = events.filter((e) => e.event).map((e) => e.data.seq as number);
    expect(seqs.slice(1).every((seq, i) => seq > seqs[i])).toBe(true);
  });

  it('should send the snapshot and the terminal event, then end, for a job that already finished', async () => {
    const id = await submit(app, alice, { durationMs: 0 });
    await app.waitForState(id, alice);
    const { events, ended } = await readSse(jobUrl(id, alice));
    expect(ended).toBe(true);
    expect(names(events)).toEqual(['snapshot', 'completed']);
    expect(events[1].data).toMatchObject({ id, state: 'completed' });
  });

  it('should stream a cancelled job to its cancelled event', async () => {
    const id = await submit(app, alice, { durationMs: 10_000, steps: 50 });
    const stream = readSse(jobUrl(id, alice));
    await app.waitForState(id, alice, ['running']);
    await app.request('POST', `/api/jobs/${id}/cancel`, { token: alice });
    const { events, ended } = await stream;
    expect(ended).toBe(true);
    expect(names(events).at(-1)).toBe('cancelled');
    expect(names(events).filter((n) => n === 'cancelled')).toHaveLength(1);
  });

  it('should answer 401 without a token and 404 for another user’s job', async () => {
    const id = await submit(app, alice, { durationMs: 0 });
    expect((await readSse(`${app.url}/api/sse/jobs/${id}`)).status).toBe(401);
    expect((await readSse(jobUrl(id, 'garbage'))).status).toBe(401);
    const other = await readSse(jobUrl(id, app.token('bob')));
    expect(other.status).toBe(404);
    expect(other.events).toEqual([]);
  });

  it('should release the stream and its job watcher when the client goes away', async () => {
    const id = await submit(app, alice, { durationMs: 5_000, steps: 10 });
    const streams = app.app.get(SseService);
    const fanout = app.app.get(EventFanout);
    const { events, ended } = await readSse(jobUrl(id, alice), { stopWhen: (e) => e.length >= 1 });
    expect(ended).toBe(false);
    expect(names(events)[0]).toBe('snapshot');
    await until(
      () => (streams.openStreams === 0 && fanout.watching(id) === 0 ? true : undefined),
      5_000,
    );
    await app.request('POST', `/api/jobs/${id}/cancel`, { token: alice });
  });

  it('should stream the stats overview, then a fresh one after a job changes', async () => {
    const dave = app.token('dave');
    const streams = app.app.get(SseService);
    const reading = readSse(`${app.url}/api/sse/stats?access_token=${dave}`, {
      stopWhen: (e) => e.some((x) => x.event === 'stats' && x.data.counts.completed === 1),
      signal: AbortSignal.timeout(10_000),
    });
    await until(() => (streams.openStreams > 0 ? true : undefined));
    await submit(app, dave, { durationMs: 0 });
    const { events } = await reading;
    expect(events[0]).toMatchObject({
      event: 'stats',
      data: { counts: { completed: 0, queued: 0 } },
    });
    expect(events.at(-1)).toMatchObject({ event: 'stats', data: { counts: { completed: 1 } } });
  });
});
