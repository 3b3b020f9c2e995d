import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';
import { ByteRange } from '../storage/blob-store.port';

/**
 * Parses a single-range `Range: bytes=…` header against a size. Multiple ranges or other
 * units are ignored (the whole file is sent, as RFC 9110 allows); unsatisfiable is 416.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    start = Math.max(0, size - suffix);
    end = size - 1;
    if (suffix === 0) throw unsatisfiable(size);
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) throw unsatisfiable(size);
  return { start, end };
}

function unsatisfiable(size: number): AppError {
  return new AppError(
    416,
    ErrorCode.range_not_satisfiable,
    `the range is outside the ${size}-byte file`,
    undefined,
    {
      'Content-Range': `bytes */${size}`,
    },
  );
}
