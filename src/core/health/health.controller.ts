import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorResult,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators';
import { AppError, UnavailableError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';
import { JOB_STORE, JobStore } from '../jobs/job-store.port';
import { BLOB_STORE, BlobStore } from '../storage/blob-store.port';
import { ReadinessState } from './readiness.service';

/** A dependency that does not answer within this time counts as down. */
const PING_TIMEOUT_MS = 3000;

/** Liveness and readiness (terminus); both unauthenticated (API.md, Operations). */
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: ReadinessState,
    @Inject(JOB_STORE) private readonly store: JobStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  /** The process answers: nothing else is checked. */
  @Get('live')
  @ApiOkResponse({ description: 'the process is up' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** The store and the blob storage answer, and the node is not draining. */
  @Get('ready')
  @ApiOkResponse({ description: 'store and blob storage reachable' })
  @ApiServiceUnavailableResponse({ description: 'a dependency is down, or the node drains' })
  async ready(): Promise<HealthCheckResult> {
    if (this.readiness.draining) throw new UnavailableError('the server is shutting down');
    try {
      return await this.health.check([
        () => this.ping('store', () => this.store.ping()),
        () => this.ping('blobStore', () => this.blobs.ping()),
      ]);
    } catch (err) {
      throw unavailable(err);
    }
  }

  private async ping(key: string, ping: () => Promise<void>): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    try {
      await withTimeout(ping(), PING_TIMEOUT_MS);
      return session.up();
    } catch (err) {
      return session.down({ message: (err as Error).message });
    }
  }
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Terminus's 503 in the contract's error shape, naming each dependency that is down. */
function unavailable(err: unknown): AppError {
  if (!(err instanceof ServiceUnavailableException)) return new UnavailableError();
  const result = err.getResponse() as Partial<HealthCheckResult>;
  const details = Object.entries(result.error ?? {}).map(([field, value]) => {
    const message = (value as { message?: unknown }).message;
    return { field, problem: typeof message === 'string' ? message : 'down' };
  });
  return new AppError(503, ErrorCode.unavailable, 'store or blob storage unreachable', details);
}
