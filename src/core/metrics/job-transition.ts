import { JobState } from '../jobs/job.model';

/** What a `queued` snapshot means for the counters. */
export enum QueuedReason {
  created = 'created',
  retry = 'retry',
  recovered = 'recovered',
  released = 'released',
  other = 'other',
}

/** The fields of a job record the classification reads (`history` once the engine has it). */
export interface TransitionView {
  state: JobState;
  attempt: number;
  startedAt: number | null;
  messages: readonly { text: string }[];
  history?: readonly { event: string }[];
}

const HISTORY_REASONS: Record<string, QueuedReason> = {
  retry: QueuedReason.retry,
  recovered: QueuedReason.recovered,
  released: QueuedReason.released,
};

/**
 * Why a job is `queued` again, from the outside: the last history entry when the record has a
 * history, else the engine's log line for the transition. Creation is a queued job never started.
 */
export function queuedReason(job: TransitionView): QueuedReason {
  const history = job.history;
  if (history && history.length > 0) {
    const last = history[history.length - 1].event;
    if (last === 'queued' && history.length === 1) return QueuedReason.created;
    return HISTORY_REASONS[last] ?? QueuedReason.other;
  }
  const note = job.messages[job.messages.length - 1]?.text ?? '';
  if (note.startsWith('retry scheduled') || note === 'retry requested') return QueuedReason.retry;
  if (note.startsWith('lease expired')) return QueuedReason.recovered;
  if (note.startsWith('released')) return QueuedReason.released;
  if (job.startedAt === null && job.attempt === 0) return QueuedReason.created;
  return QueuedReason.other;
}
