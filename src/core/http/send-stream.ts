import type { Response } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';

/**
 * Streams a blob into a response. `pipeline` ends both sides together: a read error aborts the
 * response (headers are already sent), and a client that hangs up closes the file or S3 stream.
 */
export function sendStream(res: Response, stream: Readable): void {
  pipeline(stream, res, () => undefined);
}
