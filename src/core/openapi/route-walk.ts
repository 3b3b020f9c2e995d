import { INestApplicationContext, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE } from '../auth/auth.decorators';

/** One HTTP route of the app, as Nest's router registers it. */
export interface RouteInfo {
  method: string;
  /** Express form: `/api/jobs/:id`. */
  path: string;
  controller: string;
  handler: string;
  /** `@Public()`: no token needed. */
  public: boolean;
  /** The controller's prototype and the handler function (for metadata). */
  prototype: object;
  target: (...args: unknown[]) => unknown;
}

const joinPath = (...parts: string[]): string =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter((p) => p !== '')
    .join('/');

/** Every controller route of the app: a walk of the metadata Nest's router reads. */
export function walkRoutes(app: INestApplicationContext): RouteInfo[] {
  const discovery = app.get(DiscoveryService, { strict: false });
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const metatype = wrapper.metatype as (new (...args: unknown[]) => unknown) | null;
    if (!metatype) continue;
    const prototype = metatype.prototype as Record<string, unknown>;
    const base = [reflector.get<string | string[]>(PATH_METADATA, metatype) ?? ''].flat();
    for (const handler of scanner.getAllMethodNames(prototype)) {
      const target = prototype[handler] as RouteInfo['target'];
      const paths = reflector.get<string | string[] | undefined>(PATH_METADATA, target);
      if (paths === undefined) continue;
      const method = RequestMethod[reflector.get<RequestMethod>(METHOD_METADATA, target)];
      const isPublic = reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [target, metatype]);
      for (const b of base) {
        for (const p of [paths].flat()) {
          const path = joinPath(b, p);
          routes.push({
            method,
            path,
            controller: metatype.name,
            handler,
            public: isPublic === true,
            prototype,
            target,
          });
        }
      }
    }
  }
  return routes;
}

/** `/api/jobs/:id` → `/api/jobs/{id}` (OpenAPI form). */
export const openApiPath = (path: string): string => path.replace(/:(\w+)/g, '{$1}');
