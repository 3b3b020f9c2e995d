import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { JobContext, JobHandler, RegisterJobHandler } from '../../core/jobs/job-handler';
import { RetryableJobError } from '../../core/jobs/job-errors';
import { JobResult } from '../../core/jobs/job.model';
import { burnCpu } from './cpu-burn';
import { DiagnosticPayload } from './diagnostics.dto';
import { JobType } from '../job-types';

export const DIAGNOSTIC_JOB = JobType.diagnostic;

/** Streams `bytes` pseudo-random bytes in 64 KiB chunks (never the whole blob in memory). */
function randomStream(bytes: number): Readable {
  let left = bytes;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, 65_536);
      left -= n;
      this.push(randomBytes(n));
    },
  });
}

/** Sleeps (or burns CPU) in steps, fails its first attempts on request, then stores a blob. */
@RegisterJobHandler()
export class DiagnosticHandler implements JobHandler<DiagnosticPayload> {
  readonly type = DIAGNOSTIC_JOB;
  readonly policy = { concurrency: 8, timeoutMs: 900_000, maxAttempts: 3 };

  async run(ctx: JobContext<DiagnosticPayload>): Promise<JobResult | void> {
    const { durationMs, steps = 10, failAttempts = 0, resultBytes = 0, cpu = false } = ctx.payload;
    if (ctx.attempt <= failAttempts) {
      throw new RetryableJobError(
        'diagnostic_failure',
        `planned failure of attempt ${ctx.attempt}`,
      );
    }
    const report = (step: number): void =>
      ctx.progress((step / steps) * 100, 'work', `step ${step} of ${steps}`);
    if (cpu) await burnCpu(durationMs, steps, ctx.signal, report);
    else await this.sleepSteps(durationMs, steps, ctx, report);
    if (resultBytes === 0) return;
    ctx.progress(100, 'store', 'writing result');
    return ctx.storeResult('diagnostic.bin', randomStream(resultBytes), 'application/octet-stream');
  }

  /** A job of no duration never reads the signal (it costs an AbortController per attempt). */
  private async sleepSteps(
    ms: number,
    steps: number,
    ctx: JobContext,
    report: (s: number) => void,
  ): Promise<void> {
    for (let step = 1; step <= steps; step++) {
      if (ms > 0) await sleep(ms / steps, undefined, { signal: ctx.signal });
      ctx.throwIfAborted();
      report(step);
    }
  }
}
