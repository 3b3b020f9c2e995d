import type { INestApplication } from '@nestjs/common';
import helmet from 'helmet';
import { OpsConfig } from '../../config/ops-config';

/**
 * Security headers (helmet) that still let the SPA at `/` work: its own scripts and styles,
 * images from blob: and data: URLs (previews) and its own origin, fetch/XHR and websockets to
 * its own origin. Inline styles are allowed (the SPA's and Swagger UI's).
 */
export function applySecurity(app: INestApplication, ops: OpsConfig): void {
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'blob:', 'data:'],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          workerSrc: ["'self'", 'blob:'],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
      // Results and thumbnails may be embedded by the allowed origins when CORS is on.
      crossOriginResourcePolicy: {
        policy: ops.corsOrigins.length > 0 ? 'cross-origin' : 'same-origin',
      },
    }),
  );
  if (ops.corsOrigins.length > 0) {
    app.enableCors({
      origin: ops.corsOrigins.includes('*') ? true : ops.corsOrigins,
      exposedHeaders: ['Location', 'Retry-After', 'X-Request-Id', 'Content-Disposition', 'ETag'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Range', 'X-Request-Id'],
      maxAge: 600,
    });
  }
}
