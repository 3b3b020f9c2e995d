import { Logger } from '@nestjs/common';
import { JobEvents, JobProgressEvent } from '../jobs/job-events';
import { JobRecord, JobState } from '../jobs/job.model';
import { JobView, JobViewMapper } from '../jobs/job-view';
import { EventFanout } from './event-fanout';
import { OutboundEvent } from './outbound-event';

function record(id: string, state: JobState, seq: number): JobRecord {
  return { id, owner: 'alice', state, seq, progress: 100 } as JobRecord;
}

function progress(jobId: string, seq: number, percent = seq): JobProgressEvent {
  const base = {
    kind: 'progress',
    jobId,
    owner: 'alice',
    state: JobState.running,
    stage: 'work',
    message: '',
  };
  return { ...base, kind: 'progress', progress: percent, seq, updatedAt: 1_700_000_000_000 + seq };
}

const views = {
  toView: (r: JobRecord): JobView =>
    ({ id: r.id, state: r.state, seq: r.seq, progress: r.progress }) as JobView,
} as JobViewMapper;

describe(EventFanout.name, () => {
  let bus: JobEvents;
  let sut: EventFanout;
  let seen: OutboundEvent[];
  const trail = (): string[] => seen.map((e) => `${e.name}#${e.seq}`);

  beforeEach(() => {
    jest.useFakeTimers();
    bus = new JobEvents();
    sut = new EventFanout(bus, views);
    sut.onModuleInit();
    seen = [];
    sut.subscribe(
      (e) => seen.push(e),
      () => true,
    );
  });

  afterEach(() => {
    sut.onApplicationShutdown();
    jest.useRealTimers();
  });

  describe('accept', () => {
    it('should coalesce a burst of progress to the first and the latest', () => {
      for (let seq = 2; seq <= 21; seq++) bus.emit(progress('j1', seq));
      expect(trail()).toEqual(['job:progress#2']);
      jest.advanceTimersByTime(100);
      expect(trail()).toEqual(['job:progress#2', 'job:progress#21']);
      expect(seen[1].payload(false)).toMatchObject({
        jobId: 'j1',
        progress: 21,
        updatedAt: new Date(1_700_000_000_021).toISOString(),
      });
    });

    it('should deliver a terminal event at once, after the last delivered progress, and drop the held one', () => {
      bus.emit(progress('j1', 2));
      bus.emit(progress('j1', 3));
      bus.emit({ kind: 'completed', job: record('j1', JobState.completed, 4) });
      jest.advanceTimersByTime(500);
      expect(trail()).toEqual(['job:progress#2', 'job:completed#4']);
    });

    it('should drop progress that arrives after the terminal event of its job', () => {
      bus.emit({ kind: 'cancelled', job: record('j1', JobState.cancelled, 5) });
      bus.emit(progress('j1', 5));
      jest.advanceTimersByTime(500);
      bus.emit(progress('j1', 4));
      expect(trail()).toEqual(['job:cancelled#5']);
    });

    it('should never let a terminal event wait for the progress window', () => {
      bus.emit(progress('j1', 2));
      bus.emit({ kind: 'failed', job: record('j1', JobState.failed, 3) });
      expect(trail()).toEqual(['job:progress#2', 'job:failed#3']);
    });

    it('should snapshot the record at event time though the engine mutates it later', () => {
      const job = record('j1', JobState.running, 2);
      bus.emit({ kind: 'snapshot', job });
      job.seq = 99;
      expect(seen[0].payload(false)).toMatchObject({ seq: 2 });
    });

    it('should add the owner only to the admin variant and serialise each variant once', () => {
      bus.emit({ kind: 'snapshot', job: record('j1', JobState.queued, 1) });
      const event = seen[0];
      expect(event.payload(false)).not.toHaveProperty('owner');
      expect(event.payload(true)).toMatchObject({ owner: 'alice' });
      expect(event.toJson(true)).toBe(event.toJson(true));
      expect(JSON.parse(event.toJson(false))).toEqual(event.payload(false));
      expect(event.uniform).toBe(false);
    });

    it('should announce a deletion as final', () => {
      bus.emit({ kind: 'deleted', jobId: 'j1', owner: 'alice', seq: 7 });
      expect(seen[0]).toMatchObject({ name: 'job:deleted', final: true });
      expect(seen[0].payload(true)).toEqual({ jobId: 'j1', seq: 7 });
    });
  });

  describe('watchJob', () => {
    it('should deliver one job’s events to its watchers until they stop watching', () => {
      const watched: string[] = [];
      const stop = sut.watchJob('j1', (e) => watched.push(`${e.jobId}#${e.seq}`));
      bus.emit(progress('j1', 2));
      bus.emit(progress('j2', 2));
      expect(sut.watching('j1')).toBe(1);
      stop();
      bus.emit({ kind: 'completed', job: record('j1', JobState.completed, 3) });
      expect(watched).toEqual(['j1#2']);
      expect(sut.watching('j1')).toBe(0);
    });

    it('should keep delivering to others when a listener throws', () => {
      jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      sut.watchJob('j1', () => {
        throw new Error('boom');
      });
      const watched: number[] = [];
      sut.watchJob('j1', (e) => watched.push(e.seq));
      bus.emit(progress('j1', 2));
      expect(watched).toEqual([2]);
      expect(trail()).toEqual(['job:progress#2']);
    });
  });
});
