import { constants, gunzipSync } from 'node:zlib';
import { ImageDecodeError } from '../errors';

/** Inflated output allowed while looking for headers (a gzip bomb stops here). */
const MAX_HEAD_OUTPUT = 32 * 1024 * 1024;
/** Compressed prefixes tried in turn: headers are text and compress ~5×, so the first usually does. */
const PREFIXES = [16 * 1024, 256 * 1024, 4 * 1024 * 1024];

/**
 * Synchronously inflates the start of a gzip-compressed file, for header-only readers that
 * cannot wait (e.g. a WCS read of each input): `until(bytes)` says whether enough is in.
 * Output is bounded ({@link MAX_HEAD_OUTPUT}); pixels are inflated later, by `gunzipFits`.
 */
export function inflateHead(input: Uint8Array, until: (bytes: Buffer) => boolean): Buffer {
  let last: Buffer = Buffer.alloc(0);
  for (const size of PREFIXES) {
    const prefix = input.subarray(0, Math.min(size, input.length));
    last = inflatePrefix(prefix);
    if (until(last) || prefix.length === input.length) return last;
  }
  return last;
}

function inflatePrefix(prefix: Uint8Array): Buffer {
  try {
    // A sync flush at the end returns what the prefix holds instead of "unexpected end of file".
    return gunzipSync(prefix, {
      finishFlush: constants.Z_SYNC_FLUSH,
      maxOutputLength: MAX_HEAD_OUTPUT,
    });
  } catch (error) {
    throw new ImageDecodeError(`cannot inflate the gzip file: ${(error as Error).message}`);
  }
}
