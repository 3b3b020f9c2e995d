import { ValidationError } from '../../core/errors/app-error';

/** Position in a newest-first listing. */
export interface PageCursor {
  createdAt: number;
  id: string;
}

/** Opaque cursor of the record a page ended with. */
export function encodeCursor(r: PageCursor): string {
  return Buffer.from(JSON.stringify([r.createdAt, r.id])).toString('base64url');
}

/** Reads a cursor from `encodeCursor`; anything else is a 400. */
export function decodeCursor(cursor?: string): PageCursor | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      unknown,
      unknown,
    ];
    if (typeof createdAt === 'number' && typeof id === 'string') return { createdAt, id };
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError([{ field: 'cursor', problem: 'is not a cursor returned by this API' }]);
}
