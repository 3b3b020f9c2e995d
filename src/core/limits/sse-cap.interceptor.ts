import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { Observable } from 'rxjs';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AuthedRequest } from '../auth/auth.decorators';
import { RateLimitedError } from '../errors/app-error';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { isEventStream } from './request-limits';

/** Seconds a client refused for too many streams should wait before trying again. */
const SSE_RETRY_AFTER_S = 5;

/**
 * A cap on the SSE streams one user holds open on this node (`SSE_STREAMS_PER_USER`, 0 = off):
 * one more is `429 rate_limited`. Runs after the guards, so the caller is known.
 */
@Injectable()
export class SseCapInterceptor implements NestInterceptor {
  private readonly open = new Map<string, number>();
  private readonly cap: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly reflector: Reflector,
    private readonly metrics: MetricsRegistry,
  ) {
    this.cap = config.ops.sseStreamsPerUser;
  }

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (this.cap <= 0 || ctx.getType() !== 'http' || !isEventStream(ctx, this.reflector)) {
      return next.handle();
    }
    const user = ctx.switchToHttp().getRequest<AuthedRequest>().principal?.userId ?? '';
    const count = this.open.get(user) ?? 0;
    if (count >= this.cap) {
      this.metrics.rateLimited.inc({ limit: 'sse_streams' });
      throw new RateLimitedError(SSE_RETRY_AFTER_S, 'open event streams');
    }
    this.open.set(user, count + 1);
    ctx
      .switchToHttp()
      .getResponse<Response>()
      .once('close', () => this.release(user));
    return next.handle();
  }

  private release(user: string): void {
    const count = (this.open.get(user) ?? 1) - 1;
    if (count > 0) this.open.set(user, count);
    else this.open.delete(user);
  }
}
