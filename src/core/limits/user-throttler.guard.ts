import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerRequest,
  ThrottlerStorage,
} from '@nestjs/throttler';
import { AuthedRequest } from '../auth/auth.decorators';
import { AuthService } from '../auth/auth.service';
import { RateLimitedError } from '../errors/app-error';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { requestLimitOf, trackerOf } from './request-limits';

/**
 * @nestjs/throttler per user (token `sub`, else address) and per kind of route: each named
 * throttler counts only its own routes (see `requestLimitOf`), across all of them; a limit of
 * 0 is off. A refusal is `429 rate_limited` with `Retry-After`, in the contract's error shape.
 */
@Injectable()
export class UserThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly auth: AuthService,
    private readonly metrics: MetricsRegistry,
  ) {
    super(options, storage, reflector);
  }

  protected override async shouldSkip(ctx: ExecutionContext): Promise<boolean> {
    return Promise.resolve(requestLimitOf(ctx, this.reflector) === null);
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    if (props.limit <= 0) return true;
    if (props.throttler.name !== requestLimitOf(props.context, this.reflector)) return true;
    return super.handleRequest(props);
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    return Promise.resolve(trackerOf(req as unknown as AuthedRequest, this.auth));
  }

  /** One counter per limit and user, whatever the route. */
  protected override generateKey(_ctx: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override throwThrottlingException(
    _ctx: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const limit = detail.key.split(':')[0];
    this.metrics.rateLimited.inc({ limit });
    throw new RateLimitedError(detail.timeToBlockExpire, limit);
  }
}
