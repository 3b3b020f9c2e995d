import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsRegistry } from './metrics.registry';

/** The route pattern a request matched (`/api/jobs/:id`), never the raw path (bounded labels). */
export function routeOf(req: Request): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route !== 'string') return 'unmatched';
  return `${req.baseUrl ?? ''}${route}`;
}

/** Times every HTTP request until its response is finished (or the client went away). */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsRegistry) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const start = process.hrtime.bigint();
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const labels = { method: req.method, route: routeOf(req), status: String(res.statusCode) };
      this.metrics.httpDuration.observe(labels, seconds);
    });
    next();
  }
}
