import { BlobStore, ByteRange } from '../../core/storage/blob-store.port';

/**
 * Reads a blob (or a range) into one Buffer of exactly `bytes` that owns its ArrayBuffer, so the
 * imaging pool can transfer it to a worker thread instead of copying it.
 */
export async function readBlobBytes(
  blobs: BlobStore,
  key: string,
  bytes: number,
  range?: ByteRange,
): Promise<Buffer> {
  const stream = await blobs.get(key, range);
  const out = Buffer.from(new ArrayBuffer(bytes));
  let offset = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (offset + chunk.length > bytes) {
      stream.destroy();
      throw new Error(`blob ${key} is larger than its recorded ${bytes} bytes`);
    }
    chunk.copy(out, offset);
    offset += chunk.length;
  }
  if (offset !== bytes) throw new Error(`blob ${key} has ${offset} bytes, expected ${bytes}`);
  return out;
}
