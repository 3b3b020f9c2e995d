import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { byteWindow, servedStart } from './byte-window';
import {
  assertValidKey,
  BlobInfo,
  BlobNotFoundError,
  BlobStore,
  ByteRange,
  DirectLinkOptions,
  PutResult,
} from '../../../core/storage/blob-store.port';

/** Where and how the S3 store keeps its objects. */
export interface S3BlobStoreOptions {
  bucket: string;
  /** Folder inside the bucket that holds every key (e.g. `darkroom/`); empty = bucket root. */
  prefix?: string;
  /** Whether `directUrl` hands out presigned GET URLs (else downloads go through the app). */
  presignedDownloads?: boolean;
  /** Multipart part size in bytes (at least 5 MiB); an upload keeps two parts in flight. */
  partSize?: number;
  /** Keys per ListObjectsV2 page when deleting a folder (S3's maximum, 1000, by default). */
  listPageSize?: number;
}

const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
/** DeleteObjects takes at most 1000 keys; ListObjectsV2 pages hold at most 1000. */
const PAGE = 1000;

/**
 * BlobStore on S3 or an S3-compatible store (MinIO, s3rver). Puts stream through a multipart
 * upload (lib-storage), so a blob is never held whole in memory; keys are validated like on disk
 * and always live under the store's prefix.
 */
export class S3BlobStore implements BlobStore {
  /** The normalised prefix (`''` or `folder/`) in front of every key. */
  readonly root: string;

  constructor(
    private readonly client: S3Client,
    private readonly options: S3BlobStoreOptions,
  ) {
    this.root = normalizePrefix(options.prefix ?? '');
  }

  private objectKey(key: string): string {
    assertValidKey(key);
    return this.root + key;
  }

  async put(key: string, body: Readable | Buffer, contentType?: string): Promise<PutResult> {
    const Key = this.objectKey(key);
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
    source.once('error', (err) => meter.destroy(err));
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.options.bucket,
        Key,
        Body: source.pipe(meter),
        ContentType: contentType,
      },
      partSize: this.options.partSize ?? DEFAULT_PART_SIZE,
      queueSize: 2,
    });
    await upload.done();
    return { bytes, sha256: hash.digest('hex') };
  }

  /** Streams the blob; a range the store served wider than asked is trimmed here. */
  async get(key: string, range?: ByteRange): Promise<Readable> {
    const Key = this.objectKey(key);
    try {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.options.bucket,
          Key,
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      const body = out.Body as Readable;
      const exact = !range || out.ContentLength === range.end - range.start + 1;
      return exact ? body : byteWindow(body, servedStart(out.ContentRange), range);
    } catch (err) {
      if (isMissing(err)) throw new BlobNotFoundError(key);
      throw err;
    }
  }

  async head(key: string): Promise<BlobInfo | null> {
    const Key = this.objectKey(key);
    try {
      const out = await this.client.send(
        new HeadObjectCommand({ Bucket: this.options.bucket, Key }),
      );
      return { key, bytes: out.ContentLength ?? 0, contentType: out.ContentType };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const Key = this.objectKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key }));
  }

  /**
   * Deletes the folder `prefix` page by page (a folder: `jobs/a` never reaches `jobs/ab/`). Pages
   * follow `StartAfter` rather than continuation tokens, which some compatible stores lack.
   */
  async deletePrefix(prefix: string): Promise<void> {
    const folder = this.objectKey(prefix.replace(/\/+$/, '')) + '/';
    let after: string | undefined;
    for (;;) {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.options.bucket,
          Prefix: folder,
          MaxKeys: this.options.listPageSize ?? PAGE,
          StartAfter: after,
        }),
      );
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (keys.length > 0) await this.deleteKeys(keys);
      if (!page.IsTruncated || keys.length === 0) return;
      after = keys[keys.length - 1].Key;
    }
  }

  private async deleteKeys(keys: { Key: string }[]): Promise<void> {
    const out = await this.client.send(
      new DeleteObjectsCommand({
        Bucket: this.options.bucket,
        Delete: { Objects: keys, Quiet: true },
      }),
    );
    const failed = (out.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
    if (failed.length > 0) {
      throw new Error(`S3 could not delete ${failed.length} objects: ${failed[0].Message}`);
    }
  }

  async directUrl(key: string, options: DirectLinkOptions): Promise<string | null> {
    const Key = this.objectKey(key);
    if (!this.options.presignedDownloads) return null;
    const command = new GetObjectCommand({
      Bucket: this.options.bucket,
      Key,
      ResponseContentType: options.contentType,
      ResponseContentDisposition: options.disposition,
    });
    return getSignedUrl(this.client, command, { expiresIn: Math.max(1, options.expiresInS) });
  }

  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.options.bucket }));
  }

  /** Closes the client's keep-alive sockets. */
  close(): Promise<void> {
    this.client.destroy();
    return Promise.resolve();
  }
}

/** `a/b` and `a/b/` → `a/b/`; empty stays empty; a prefix must itself be a valid key. */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  assertValidKey(trimmed);
  return `${trimmed}/`;
}

function isMissing(err: unknown): boolean {
  if (!(err instanceof S3ServiceException)) return false;
  return (
    err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404
  );
}
