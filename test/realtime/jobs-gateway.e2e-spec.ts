import { AuthService } from '../../src/core/auth/auth.service';
import { sleep } from '../support/http';
import { TestApp } from '../support/test-app';
import { connectError, RecordingSocket, Seen, until } from './realtime-clients';

const TERMINAL_EVENTS = ['job:completed', 'job:failed', 'job:cancelled'];

async function submit(app: TestApp, token: string, body: Record<string, unknown>): Promise<string> {
  const res = await app.request('POST', '/api/diagnostics/jobs', { token, body });
  expect(res.status).toBe(202);
  return res.body.jobId as string;
}

function terminalOf(events: Seen[]): Seen | undefined {
  return events.find((e) => TERMINAL_EVENTS.includes(e.name));
}

/** Pairs of consecutive events whose seq did not rise. */
function seqViolations(events: Seen[]): [number, number][] {
  const bad: [number, number][] = [];
  for (let i = 1; i < events.length; i++) {
    if (!(events[i].data.seq > events[i - 1].data.seq))
      bad.push([events[i - 1].data.seq, events[i].data.seq]);
  }
  return bad;
}

const signature = (events: Seen[]): string[] => events.map((e) => `${e.name}#${e.data.seq}`);

describe('JobsGateway (e2e)', () => {
  let app: TestApp;
  let alice: string;
  const sockets: RecordingSocket[] = [];
  const connect = async (token: string): Promise<RecordingSocket> => {
    const socket = await RecordingSocket.connect(app.url, token);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    app = await TestApp.start({ DIAGNOSTIC_MAX_ATTEMPTS: '2' });
    alice = app.token('alice');
  });

  afterEach(() => sockets.splice(0).forEach((s) => s.close()));
  afterAll(() => app.close());

  describe('handshake', () => {
    it('should refuse a connection with unauthorized when the token is bad, missing or expired', async () => {
      const expired = app.app.get(AuthService).sign('alice', false, -10);
      for (const auth of [{ token: 'not-a-jwt' }, {}, { token: expired }, { token: alice + 'x' }]) {
        const err = await connectError(app.url, auth);
        expect(err.message).toBe('unauthorized');
      }
    });

    it('should drop the socket when its token expires while connected', async () => {
      const shortLived = app.app.get(AuthService).sign('alice', false, 2);
      const socket = await connect(shortLived);
      const reason = await new Promise<string>((resolve) =>
        socket.socket.once('disconnect', resolve),
      );
      expect(reason).toBe('io server disconnect');
    });
  });

  describe('subscribe', () => {
    it('should answer with the current snapshot in the ack when the job is the caller’s', async () => {
      const socket = await connect(alice);
      const id = await submit(app, alice, { durationMs: 400, steps: 4 });
      const ack = await socket.request('subscribe', { jobId: id });
      expect(ack.ok).toBe(true);
      expect(ack.job).toMatchObject({ id, type: 'diagnostic', maxAttempts: 2 });
      expect(['queued', 'running']).toContain(ack.job.state);
      expect(typeof ack.job.seq).toBe('number');
      expect(new Date(ack.job.createdAt).toISOString()).toBe(ack.job.createdAt);
      expect(ack.job.owner).toBeUndefined();
    });

    it('should answer not_found and relay nothing when the job is another user’s', async () => {
      const bob = await connect(app.token('bob'));
      const id = await submit(app, alice, { durationMs: 300, steps: 3 });
      const ack = await bob.request('subscribe', { jobId: id });
      expect(ack).toMatchObject({ ok: false, error: { code: 'not_found' } });
      await app.waitForState(id, alice);
      await sleep(200);
      expect(bob.of(id)).toEqual([]);
    });

    it('should answer not_found when the job does not exist and reject a missing jobId', async () => {
      const socket = await connect(alice);
      expect(await socket.request('subscribe', { jobId: 'no-such-job' })).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      });
      expect(await socket.request('subscribe', {})).toMatchObject({
        ok: false,
        error: { code: 'validation_failed' },
      });
    });

    it('should refuse a deeply nested payload and keep serving the socket', async () => {
      const socket = await connect(alice);
      expect(await socket.requestRaw('subscribe', '{"jobId":"no-such-job"}')).toMatchObject({
        error: { code: 'not_found' },
      });
      const deep = '{"a":'.repeat(5_000) + '"x"' + '}'.repeat(5_000);
      for (const event of ['subscribe', 'unsubscribe', 'stats:subscribe']) {
        const answer = await socket.requestRaw(event, `{"jobId":${deep}}`);
        expect({ event, ok: answer.ok, code: answer.error?.code }).toEqual({
          event,
          ok: event === 'stats:subscribe', // it takes no payload: nothing of it is read
          code: event === 'stats:subscribe' ? undefined : 'validation_failed',
        });
      }
      expect(await socket.request('subscribe', { jobId: 'no-such-job' })).toMatchObject({
        error: { code: 'not_found' },
      });
    });

    it('should let an admin subscribe to any job and show the owner', async () => {
      const admin = await connect(app.token('root', true));
      const id = await submit(app, alice, { durationMs: 300, steps: 3 });
      const ack = await admin.request('subscribe', { jobId: id });
      expect(ack).toMatchObject({ ok: true, job: { id, owner: 'alice' } });
      const done = await until(() => terminalOf(admin.of(id)));
      expect(done).toMatchObject({
        name: 'job:completed',
        data: { id, owner: 'alice', state: 'completed' },
      });
    });

    it('should stop relaying a job after unsubscribe', async () => {
      const admin = await connect(app.token('root', true));
      const id = await submit(app, alice, { durationMs: 1_000, steps: 10 });
      expect((await admin.request('subscribe', { jobId: id })).ok).toBe(true);
      await until(() => admin.of(id).find((e) => e.name === 'job:progress'));
      expect(await admin.request('unsubscribe', { jobId: id })).toEqual({ ok: true });
      const seen = admin.of(id).length;
      await app.waitForState(id, alice);
      await sleep(200);
      expect(admin.of(id)).toHaveLength(seen);
    });
  });

  describe('job events', () => {
    it('should deliver progress then exactly one completed event, once, with rising seq, when in both rooms', async () => {
      const both = await connect(alice);
      const userOnly = await connect(alice);
      const id = await submit(app, alice, { durationMs: 1_500, steps: 15, resultBytes: 1_000 });
      expect((await both.request('subscribe', { jobId: id })).ok).toBe(true);
      await until(() => terminalOf(both.of(id)));
      await sleep(300);
      const events = both.of(id);
      const terminals = events.filter((e) => TERMINAL_EVENTS.includes(e.name));
      expect(terminals.map((e) => e.name)).toEqual(['job:completed']);
      expect(events[events.length - 1]).toBe(terminals[0]);
      expect(events.filter((e) => e.name === 'job:progress').length).toBeGreaterThanOrEqual(3);
      expect(seqViolations(events)).toEqual([]);
      expect(signature(both.of(id))).toEqual(signature(userOnly.of(id)));
      expect(terminals[0].data).toMatchObject({ id, state: 'completed', progress: 100 });
      expect(terminals[0].data.result.downloadUrl).toMatch(
        new RegExp(`^/api/jobs/${id}/result\\?exp=`),
      );
    });

    it('should carry the contract fields in job:progress', async () => {
      const socket = await connect(alice);
      const id = await submit(app, alice, { durationMs: 600, steps: 3 });
      const progress = await until(() => socket.of(id).find((e) => e.name === 'job:progress'));
      expect(Object.keys(progress.data).sort()).toEqual(
        ['jobId', 'message', 'progress', 'seq', 'stage', 'state', 'updatedAt'].sort(),
      );
      expect(progress.data).toMatchObject({ jobId: id, state: 'running', stage: 'work' });
      expect(Date.now() - Date.parse(progress.data.updatedAt)).toBeLessThan(5_000);
    });

    it('should coalesce progress to at most 10 per second per job, latest wins', async () => {
      const socket = await connect(alice);
      const id = await submit(app, alice, { durationMs: 1_000, steps: 100 });
      await until(() => terminalOf(socket.of(id)));
      const progress = socket.of(id).filter((e) => e.name === 'job:progress');
      expect(progress.length).toBeGreaterThanOrEqual(3);
      expect(progress.length).toBeLessThanOrEqual(13);
      const busiestSecond = Math.max(
        ...progress.map((e) => progress.filter((o) => o.at >= e.at && o.at < e.at + 1_000).length),
      );
      expect(busiestSecond).toBeLessThanOrEqual(11);
      expect(seqViolations(socket.of(id))).toEqual([]);
    });

    it('should end a job that fails after its retries with exactly one failed event', async () => {
      const socket = await connect(alice);
      const id = await submit(app, alice, { durationMs: 100, steps: 2, failAttempts: 5 });
      await until(() => terminalOf(socket.of(id)));
      await sleep(300);
      const events = socket.of(id);
      expect(events.filter((e) => TERMINAL_EVENTS.includes(e.name)).map((e) => e.name)).toEqual([
        'job:failed',
      ]);
      expect(events[events.length - 1]).toMatchObject({
        name: 'job:failed',
        data: { state: 'failed', attempt: 2, error: { code: 'diagnostic_failure' } },
      });
      expect(
        events.filter((e) => e.name === 'job:snapshot' && e.data.state === 'queued').length,
      ).toBeGreaterThanOrEqual(2);
      expect(seqViolations(events)).toEqual([]);
    });

    it('should end a cancelled job with progress then exactly one cancelled event', async () => {
      const socket = await connect(alice);
      const id = await submit(app, alice, { durationMs: 10_000, steps: 100 });
      await until(() => socket.of(id).find((e) => e.name === 'job:progress'));
      expect((await app.request('POST', `/api/jobs/${id}/cancel`, { token: alice })).status).toBe(
        202,
      );
      await until(() => terminalOf(socket.of(id)));
      await sleep(400);
      const events = socket.of(id);
      expect(events.filter((e) => TERMINAL_EVENTS.includes(e.name)).map((e) => e.name)).toEqual([
        'job:cancelled',
      ]);
      expect(events[events.length - 1].name).toBe('job:cancelled');
      expect(events.some((e) => e.name === 'job:snapshot' && e.data.cancelRequested === true)).toBe(
        true,
      );
      expect(seqViolations(events)).toEqual([]);
    });

    it('should announce a deleted job', async () => {
      const socket = await connect(alice);
      const id = await submit(app, alice, { durationMs: 0 });
      await app.waitForState(id, alice);
      expect((await app.request('DELETE', `/api/jobs/${id}`, { token: alice })).status).toBe(204);
      const deleted = await until(() => socket.of(id).find((e) => e.name === 'job:deleted'));
      expect(deleted.data.jobId).toBe(id);
    });
  });

  describe('reconnect', () => {
    it('should give the latest state to a client that reconnects and subscribes again', async () => {
      const first = await connect(alice);
      const id = await submit(app, alice, { durationMs: 1_500, steps: 15 });
      const before = await until(() => first.of(id).find((e) => e.name === 'job:progress'));
      first.close();
      await sleep(500);
      const second = await connect(alice);
      const ack = await second.request('subscribe', { jobId: id });
      expect(ack.ok).toBe(true);
      expect(ack.job.seq).toBeGreaterThan(before.data.seq);
      expect(ack.job.progress).toBeGreaterThan(before.data.progress);
      await app.waitForState(id, alice);
      const third = await connect(alice);
      expect((await third.request('subscribe', { jobId: id })).job).toMatchObject({
        state: 'completed',
        progress: 100,
      });
    });
  });

  describe('stats', () => {
    it('should answer stats:subscribe with the overview and push changes at most twice a second', async () => {
      const carol = app.token('carol');
      const socket = await connect(carol);
      const ack = await socket.request('stats:subscribe');
      expect(ack.ok).toBe(true);
      expect(ack.stats.counts).toEqual({
        queued: 0,
        running: 0,
        completed: 0,
        failed: 0,
        cancelled: 0,
      });
      const started = Date.now();
      for (let i = 0; i < 6; i++) await submit(app, carol, { durationMs: 0 });
      const last = await until(() => {
        const stats = socket.named('stats');
        return stats.at(-1)?.data.counts.completed === 6 ? stats : undefined;
      });
      const window = Math.max(1, (Date.now() - started) / 500);
      expect(last.length).toBeLessThanOrEqual(Math.ceil(window) + 1);
      const gaps = last.slice(1).map((e, i) => e.at - last[i].at);
      if (gaps.length) expect(Math.min(...gaps)).toBeGreaterThanOrEqual(350);
    });
  });
});
