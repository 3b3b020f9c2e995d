import { Logger } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { static as serveStatic } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Paths that belong to the server; the SPA never answers them, not even with its fallback. */
const RESERVED = ['/api', '/health', '/metrics', '/socket.io'];

/** Where `vite build` writes the client: `<repo>/dist/client` (this file is 3 levels below the root, in src/ and in dist/). */
export const CLIENT_DIR = join(__dirname, '..', '..', '..', 'dist', 'client');

export function isReservedPath(path: string): boolean {
  return RESERVED.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * Serves the built SPA: its files, and `index.html` for any other page a browser asks for
 * (client-side routes). API, health, metrics and socket paths always pass through to Nest.
 */
export function spaStatic(dir = CLIENT_DIR): RequestHandler {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    new Logger('Web').warn(`no built client in ${dir}: run "npm run build" to serve the app at /`);
  }
  const files = serveStatic(dir, {
    index: false,
    fallthrough: true,
    setHeaders: (res, path) => {
      const hashed = path.includes(`${join(dir, 'assets')}`);
      res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isReservedPath(req.path)) {
      next();
      return;
    }
    files(req, res, () => {
      // A missing file (`/assets/old-hash.js`) stays a 404: only page routes get the app.
      const isFile = /\.[a-z0-9]+$/i.test(req.path);
      const wantsPage = !isFile && req.accepts(['html', 'json']) === 'html';
      if (!wantsPage || !existsSync(index)) {
        next();
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
  };
}
