import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import { Principal } from './principal';

export const PUBLIC_ROUTE = 'auth:public';
export const QUERY_TOKEN_ROUTE = 'auth:query-token';
export const SIGNED_LINK_ROUTE = 'auth:signed-link';

/** No authentication (health, metrics). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
/** Also accepts `?access_token=` (EventSource cannot send headers). */
export const AllowQueryToken = (): MethodDecorator => SetMetadata(QUERY_TOKEN_ROUTE, true);
/** Also accepts a signed link (`?exp=&sig=`) for exactly this path. */
export const AllowSignedLink = (): MethodDecorator => SetMetadata(SIGNED_LINK_ROUTE, true);

export type AuthedRequest = Request & { principal?: Principal };

/** The authenticated caller, set by AuthGuard. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal => {
    const principal = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
    if (!principal) throw new Error('CurrentUser used on a route without AuthGuard');
    return principal;
  },
);
