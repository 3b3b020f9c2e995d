import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { UnauthorizedError } from '../errors/app-error';
import {
  AuthedRequest,
  PUBLIC_ROUTE,
  QUERY_TOKEN_ROUTE,
  SIGNED_LINK_ROUTE,
} from './auth.decorators';
import { AuthService } from './auth.service';

/** Global guard: bearer JWT everywhere except @Public routes; query token / signed links where allowed. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const query = req.query as Record<string, unknown>;
    if (
      this.reflector.get<boolean>(SIGNED_LINK_ROUTE, ctx.getHandler()) &&
      query.sig !== undefined
    ) {
      if (!this.auth.verifyLink(req.path, query.exp, query.sig)) {
        throw new UnauthorizedError('invalid or expired link');
      }
      req.principal = { userId: '', admin: false, signedPath: req.path };
      return true;
    }
    req.principal = this.auth.verify(this.tokenOf(req, ctx));
    return true;
  }

  private tokenOf(req: AuthedRequest, ctx: ExecutionContext): string {
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) return header.slice(7).trim();
    const query = (req.query as Record<string, unknown>).access_token;
    if (
      typeof query === 'string' &&
      this.reflector.get<boolean>(QUERY_TOKEN_ROUTE, ctx.getHandler())
    ) {
      return query;
    }
    throw new UnauthorizedError();
  }
}
