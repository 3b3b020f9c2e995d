import { S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { describeBlobStoreContract } from '../../../../test/contracts/blob-store.contract';
import { S3TestServer } from '../../../../test/support/s3-server';
import { InvalidBlobKeyError } from '../../../core/storage/blob-store.port';
import { normalizePrefix, S3BlobStore } from './s3-blob-store.adapter';

let server: S3TestServer;
let client: S3Client;
let run = 0;

beforeAll(async () => {
  server = await S3TestServer.start();
  client = server.client();
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

describeBlobStoreContract('S3 (s3rver)', () => {
  const root = `run-${++run}`;
  return Promise.resolve({
    store: new S3BlobStore(client, { bucket: server.bucket, prefix: `${root}/blobs` }),
    sibling: new S3BlobStore(client, { bucket: server.bucket, prefix: root }),
    close: () => Promise.resolve(),
  });
});

describe(S3BlobStore.name, () => {
  const open = (over: Partial<ConstructorParameters<typeof S3BlobStore>[1]> = {}): S3BlobStore =>
    new S3BlobStore(client, { bucket: server.bucket, prefix: `unit-${++run}`, ...over });

  describe('put', () => {
    it('should keep every object under the store prefix in the bucket', async () => {
      const store = open({ prefix: 'tenant-a/' });
      await store.put('jobs/j1/1/out.png', Buffer.from('png'));
      expect(server.hasObject('tenant-a/jobs/j1/1/out.png')).toBe(true);
      expect(server.hasObject('jobs/j1/1/out.png')).toBe(false);
      await store.deletePrefix('jobs/j1/');
    });

    it('should upload a stream larger than one part as a multipart upload', async () => {
      const store = open({ partSize: 5 * 1024 * 1024 });
      const chunk = Buffer.alloc(1024 * 1024, 3);
      const body = Readable.from(Array.from({ length: 11 }, () => chunk));
      expect(await store.put('multi/blob', body)).toMatchObject({ bytes: 11 * 1024 * 1024 });
      expect(await store.head('multi/blob')).toMatchObject({ bytes: 11 * 1024 * 1024 });
    });
  });

  describe('deletePrefix', () => {
    it('should delete every page of a folder larger than one listing page', async () => {
      const store = open({ listPageSize: 3 });
      for (let i = 0; i < 8; i++) await store.put(`jobs/many/${i}`, Buffer.from(String(i)));
      await store.put('jobs/other/0', Buffer.from('kept'));
      await store.deletePrefix('jobs/many/');
      for (let i = 0; i < 8; i++)
        expect(server.hasObject(`${store.root}jobs/many/${i}`)).toBe(false);
      expect(await store.head('jobs/other/0')).not.toBeNull();
    });
  });

  describe('directUrl', () => {
    it('should answer null when presigned downloads are off', async () => {
      await open().put('k/file', Buffer.from('x'));
      expect(await open().directUrl('k/file', { expiresInS: 60 })).toBeNull();
    });

    it('should presign a GET that serves the blob with the asked headers', async () => {
      const store = open({ presignedDownloads: true });
      await store.put('k/result.txt', Buffer.from('from s3'));
      const url = await store.directUrl('k/result.txt', {
        expiresInS: 60,
        contentType: 'text/plain',
        disposition: 'attachment; filename="result.txt"',
      });
      expect(url).toMatch(/X-Amz-Signature=/);
      const res = await fetch(url as string);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="result.txt"');
      expect(await res.text()).toBe('from s3');
    });

    it('should refuse to presign a key that escapes the prefix', async () => {
      const store = open({ presignedDownloads: true });
      await expect(store.directUrl('../x', { expiresInS: 60 })).rejects.toBeInstanceOf(
        InvalidBlobKeyError,
      );
    });
  });
});

describe(normalizePrefix.name, () => {
  it('should end a prefix with one slash and keep the bucket root empty', () => {
    expect(normalizePrefix('')).toBe('');
    expect(normalizePrefix('/')).toBe('');
    expect(normalizePrefix('a/b')).toBe('a/b/');
    expect(normalizePrefix('/a/b//')).toBe('a/b/');
  });

  it('should refuse a prefix with dot segments', () => {
    expect(() => normalizePrefix('a/../b')).toThrow(InvalidBlobKeyError);
  });
});
