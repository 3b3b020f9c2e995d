import { JobState } from '../jobs/job.model';
import { queuedReason, QueuedReason, TransitionView } from './job-transition';

const queued = (over: Partial<TransitionView>): TransitionView => ({
  state: JobState.queued,
  attempt: 0,
  startedAt: null,
  messages: [],
  ...over,
});

describe('queuedReason', () => {
  it('should call a never-started job with no note created', () => {
    expect(queuedReason(queued({}))).toBe(QueuedReason.created);
  });

  it.each([
    ['retry scheduled after boom', QueuedReason.retry],
    ['retry requested', QueuedReason.retry],
    ['lease expired; requeued', QueuedReason.recovered],
    ['released for another run', QueuedReason.released],
  ])('should read the engine note "%s" as %s', (text, reason) => {
    expect(queuedReason(queued({ attempt: 1, startedAt: 5, messages: [{ text }] }))).toBe(reason);
  });

  it('should prefer the history when the record has one', () => {
    const history = [{ event: 'queued' }, { event: 'claimed' }, { event: 'recovered' }];
    const job = queued({ startedAt: 5, messages: [{ text: 'retry requested' }], history });
    expect(queuedReason(job)).toBe(QueuedReason.recovered);
    expect(queuedReason(queued({ history: [{ event: 'queued' }] }))).toBe(QueuedReason.created);
  });
});
