export type { RouteInfo } from '../../src/core/openapi/route-walk';
export { walkRoutes as listRoutes } from '../../src/core/openapi/route-walk';

/** `/api/jobs/:id/result` with every `:param` replaced by `value(name)`. */
export function fillPath(path: string, value: (param: string) => string): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(value(name)));
}
