import { ExecutionContext } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuthService } from '../auth/auth.service';
import { AuthedRequest } from '../auth/auth.decorators';

/** Metadata keys of @ApiConsumes / @ApiProduces (@nestjs/swagger does not export its constants). */
const API_CONSUMES = 'swagger/apiConsumes';
const API_PRODUCES = 'swagger/apiProduces';

/** The per-user request limits (API.md: `RATE_LIMIT_PER_MINUTE`, `UPLOADS_PER_MINUTE`). */
export enum RequestLimit {
  submissions = 'submissions',
  uploads = 'uploads',
}

/**
 * Which limit a route counts against, from the route's own metadata: a multipart POST is an
 * upload, a POST answering 202 queues work (exports, saves, retries). Other routes: none.
 */
export function requestLimitOf(ctx: ExecutionContext, reflector: Reflector): RequestLimit | null {
  if (ctx.getType() !== 'http') return null;
  if (ctx.switchToHttp().getRequest<Request>().method !== 'POST') return null;
  const handler = ctx.getHandler();
  const consumes = reflector.get<string[] | undefined>(API_CONSUMES, handler);
  if (consumes?.includes('multipart/form-data')) return RequestLimit.uploads;
  const status = reflector.get<number | undefined>(HTTP_CODE_METADATA, handler);
  return status === 202 ? RequestLimit.submissions : null;
}

/** Whether a route streams server-sent events. */
export function isEventStream(ctx: ExecutionContext, reflector: Reflector): boolean {
  const produces = reflector.get<string[] | undefined>(API_PRODUCES, ctx.getHandler());
  return produces?.includes('text/event-stream') ?? false;
}

/**
 * Who a limit counts: the verified token's user (`sub`), else the client address. The auth guard
 * may not have run yet, so the token is verified here too; an invalid token counts by address.
 */
export function trackerOf(req: AuthedRequest, auth: AuthService): string {
  if (req.principal?.userId) return `user:${req.principal.userId}`;
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    try {
      return `user:${auth.verify(header.slice(7).trim()).userId}`;
    } catch {
      // Fall through: counted by address; the auth guard answers 401.
    }
  }
  return `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
}
