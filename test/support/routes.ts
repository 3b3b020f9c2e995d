import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE } from '../../src/core/auth/auth.decorators';

/** One HTTP route of the running app, as Nest's router registered it. */
export interface RouteInfo {
  method: string;
  /** Express form: `/api/jobs/:id`. */
  path: string;
  controller: string;
  handler: string;
  /** `@Public()`: no token needed. */
  public: boolean;
  /** The handler function (for metadata lookups). */
  target: (...args: unknown[]) => unknown;
}

const join = (...parts: string[]): string =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter((p) => p !== '')
    .join('/');

/** Every controller route of the app: a walk of the Nest router's metadata. */
export function listRoutes(app: INestApplication): RouteInfo[] {
  const discovery = app.get(DiscoveryService, { strict: false });
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (!instance || !wrapper.metatype) continue;
    const base = reflector.get<string | string[]>(PATH_METADATA, wrapper.metatype) ?? '';
    const prototype = Object.getPrototypeOf(instance) as object;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const target = (prototype as Record<string, unknown>)[name] as RouteInfo['target'];
      const path = reflector.get<string | string[] | undefined>(PATH_METADATA, target);
      if (path === undefined) continue;
      const method = RequestMethod[reflector.get<RequestMethod>(METHOD_METADATA, target)];
      const isPublic = reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [
        target,
        wrapper.metatype,
      ]);
      for (const b of [base].flat()) {
        for (const p of [path].flat()) {
          routes.push({
            method,
            path: join(b, p),
            controller: wrapper.metatype.name,
            handler: name,
            public: isPublic === true,
            target,
          });
        }
      }
    }
  }
  return routes;
}

/** `/api/jobs/:id/result` with every `:param` replaced by `value(name)`. */
export function fillPath(path: string, value: (param: string) => string): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(value(name)));
}
