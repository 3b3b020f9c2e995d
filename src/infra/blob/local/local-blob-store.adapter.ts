import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  assertValidKey,
  BlobInfo,
  BlobNotFoundError,
  BlobStore,
  ByteRange,
  PutResult,
} from '../../../core/storage/blob-store.port';

/** BlobStore on the local disk under `root`; writes go to a temp file and are renamed in. */
export class LocalBlobStore implements BlobStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new BlobNotFoundError(key);
    return path;
  }

  async put(key: string, body: Readable | Buffer): Promise<PutResult> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temp = join(this.root, '.tmp', randomUUID());
    await mkdir(dirname(temp), { recursive: true });
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
    try {
      await pipeline(source, meter, createWriteStream(temp));
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    return { bytes, sha256: hash.digest('hex') };
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const path = this.pathOf(key);
    const info = await this.head(key);
    if (!info) throw new BlobNotFoundError(key);
    return createReadStream(path, range ? { start: range.start, end: range.end } : undefined);
  }

  async head(key: string): Promise<BlobInfo | null> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { key, bytes: info.size } : null;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await unlink(this.pathOf(key)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  async deletePrefix(prefix: string): Promise<void> {
    const folder = prefix.replace(/\/+$/, '');
    // A writer may rename a file into the folder meanwhile (ENOTEMPTY): rm retries that.
    await rm(this.pathOf(folder), { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  }

  /** Local files have no URL of their own: downloads go through the app. */
  directUrl(): Promise<string | null> {
    return Promise.resolve(null);
  }

  async ping(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await stat(this.root);
  }

  /** Nothing to release: every call opens and closes its own files. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
