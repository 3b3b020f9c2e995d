import { ValidationError } from '../errors/app-error';

/** Position in a newest-first listing. */
export interface PageCursor {
  createdAt: number;
  id: string;
}

/** One page of a newest-first listing. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Default page size of list routes. */
export const DEFAULT_PAGE_SIZE = 20;

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

/**
 * Cuts a page from records fetched with `limit + 1` (the extra one only tells that more exist)
 * and maps it to the public shape.
 */
export function pageOf<R extends PageCursor, T>(
  records: R[],
  limit: number,
  map: (r: R) => T,
): Page<T> {
  const page = records.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = records.length > limit && last ? encodeCursor(last) : null;
  return { items: page.map(map), nextCursor };
}
