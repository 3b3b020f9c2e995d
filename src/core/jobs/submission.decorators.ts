import {
  applyDecorators,
  CallHandler,
  createParamDecorator,
  ExecutionContext,
  HttpCode,
  Injectable,
  NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable, tap } from 'rxjs';
import type { Accepted } from './jobs.service';

/** Points `Location` at the accepted job, from the body's `links.self`. */
@Injectable()
class AcceptedLocationInterceptor implements NestInterceptor<Accepted, Accepted> {
  intercept(ctx: ExecutionContext, next: CallHandler<Accepted>): Observable<Accepted> {
    const res = ctx.switchToHttp().getResponse<Response>();
    return next.handle().pipe(tap((body) => res.location(body.links.self)));
  }
}

/** A job submission route: `202 Accepted` with a `Location` header (API.md, Exports). */
export const Submission = (): MethodDecorator =>
  applyDecorators(HttpCode(202), UseInterceptors(AcceptedLocationInterceptor));

/** The `Idempotency-Key` header, if any. */
export const IdempotencyKey = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): string | undefined => {
    const value = ctx.switchToHttp().getRequest<Request>().headers['idempotency-key'];
    return typeof value === 'string' ? value : undefined;
  },
);
