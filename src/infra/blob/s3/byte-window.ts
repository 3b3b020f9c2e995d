import { Readable, Transform } from 'node:stream';
import type { ByteRange } from '../../../core/storage/blob-store.port';

/**
 * Where the served bytes start, from a `Content-Range: bytes a-b/n` answer; 0 when the store
 * answered the whole object (S3 may ignore a Range, and some compatible stores get `0-0` wrong).
 */
export function servedStart(contentRange: string | undefined): number {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(contentRange ?? '');
  return match ? Number(match[1]) : 0;
}

/**
 * The bytes `range` out of a stream that starts at byte `from` of the blob: skips what precedes the
 * range and ends the stream after its last byte.
 */
export function byteWindow(source: Readable, from: number, range: ByteRange): Readable {
  let skip = range.start - from;
  let left = range.end - range.start + 1;
  const window = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (left <= 0) return done();
      const begin = Math.min(skip, chunk.length);
      skip -= begin;
      const part = chunk.subarray(begin, begin + left);
      left -= part.length;
      if (part.length > 0) this.push(part);
      if (left <= 0) {
        this.push(null);
        source.unpipe(window);
        source.destroy();
      }
      done();
    },
  });
  source.once('error', (err) => window.destroy(err));
  return source.pipe(window);
}
